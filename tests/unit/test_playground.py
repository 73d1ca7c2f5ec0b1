"""The playground's training functions: the lessons hold, runs are deterministic and bounded, the URL parser never raises."""

import json
import math
import subprocess
import sys
import threading

import numpy as np
import pytest

from dl_apps.cache import ModelCache
from dl_apps.registry import REPO_ROOT
from dl_apps.tasks import playground
from dl_apps.tasks.playground import config as pg
from dl_apps.tasks.playground import data, render
from dl_apps.tasks.playground.engine import Trainer


@pytest.fixture(scope="module")
def cache():
    return ModelCache(budget_mb=1000)


def fit(config, cache):
    return playground.run(config, cache=cache)


def test_a_linear_model_cannot_separate_xor_and_one_hidden_layer_can(cache):
    linear = fit(playground.lesson_config("linear_xor"), cache)
    assert linear.parameters == 2 * 2 + 2  # two inputs → two logits, nothing else
    assert linear.test_accuracy < 0.7 and linear.train_accuracy < 0.7
    bent = fit(playground.lesson_config("linear_xor", fixed=True), cache)
    assert bent.test_accuracy > 0.9


def test_depth_solves_the_spiral_and_no_hidden_layer_does_not(cache):
    deep = fit(playground.lesson_config("depth_spiral"), cache)
    assert deep.train_accuracy >= 0.95 and deep.test_accuracy >= 0.9
    flat = fit(playground.lesson_config("depth_spiral", fixed=True), cache)  # the contrast: no hidden layer
    assert flat.train_accuracy < 0.75


def test_too_high_a_learning_rate_does_not_learn_and_a_small_one_does(cache):
    wild = fit(playground.lesson_config("high_lr"), cache)
    assert wild.train_accuracy < 0.7
    assert wild.loss[-1] > wild.loss[0] or wild.diverged
    calm = fit(playground.lesson_config("high_lr", fixed=True), cache)
    assert calm.train_accuracy > 0.9 and calm.loss[-1] < calm.loss[0]


def test_noise_makes_it_overfit_and_l2_reduces_the_gap(cache):
    overfit = fit(playground.lesson_config("overfit"), cache)
    assert overfit.train_accuracy >= 0.97
    assert overfit.test_loss[-1] > 3 * min(overfit.test_loss)  # the test loss climbs back up
    regular = fit(playground.lesson_config("overfit", fixed=True), cache)
    assert regular.test_loss[-1] < 0.5 * overfit.test_loss[-1]


def test_same_settings_give_the_same_numbers_and_the_seed_matters(cache):
    settings = {"dataset": "moons", "hidden": "8,8", "dropout": "0.2", "bn": "1", "epochs": "40", "seed": "3"}
    first, second = playground.run(settings, cache=cache), playground.run(settings, cache=cache)
    assert first.loss == second.loss and first.test_loss == second.test_loss
    assert first.train_accuracy == second.train_accuracy
    other = playground.run({**settings, "seed": "4"}, cache=cache)
    assert other.loss != first.loss


def test_every_optimiser_and_activation_trains(cache):
    for optimizer in pg.OPTIMIZERS:
        for activation in pg.ACTIVATIONS:
            result = playground.run({"dataset": "blobs", "hidden": "3", "activation": activation, "optimizer": optimizer, "epochs": "15", "lr": "0.1"}, cache=cache)
            assert len(result.loss) == 15 and all(math.isfinite(v) for v in result.loss), (optimizer, activation)
            assert result.train_accuracy > 0.8, (optimizer, activation)


@pytest.mark.parametrize(
    "raw, key, expected, code",
    [
        ({"lr": "inf"}, "lr", 0.03, "playground_query_invalid"),
        ({"lr": "nan"}, "lr", 0.03, "playground_query_invalid"),
        ({"lr": "1e308"}, "lr", 10.0, "playground_query_clamped"),
        ({"lr": "-1"}, "lr", 0.0001, "playground_query_clamped"),
        ({"batch": "abc"}, "batch", 10, "playground_query_invalid"),
        ({"batch": "99999999999999999999"}, "batch", 400, "playground_query_clamped"),
        ({"epochs": "1e12"}, "epochs", pg.MAX_EPOCHS, "playground_query_clamped"),
        ({"seed": "-5"}, "seed", 0, "playground_query_clamped"),
        ({"hidden": "99,0,3,3,3,3"}, "hidden", (16, 1, 3, 3), "playground_query_clamped"),
        ({"hidden": "a,b"}, "hidden", pg.DEFAULT_HIDDEN, "playground_query_invalid"),
        ({"hidden": "1e999"}, "hidden", pg.DEFAULT_HIDDEN, "playground_query_invalid"),
        ({"dataset": "<script>"}, "dataset", "circles", "playground_query_invalid"),
        ({"features": "x,zz"}, "features", ("x",), "playground_query_invalid"),
        ({"features": "zz"}, "features", pg.DEFAULT_FEATURES, "playground_query_invalid"),
        ({"bn": "maybe"}, "bn", False, "playground_query_invalid"),
        ({"noise": ["0.2", "0.7"]}, "noise", 0.7, "playground_query_repeated"),
        ({"dropout": {"a": 1}}, "dropout", 0.0, "playground_query_invalid"),
        ({"train": True}, "train", 0.5, "playground_query_invalid"),
    ],
)
def test_absurd_url_values_are_clamped_or_replaced_with_a_notice(raw, key, expected, code):
    config, notices = pg.parse_config(raw)
    assert getattr(config, key) == expected
    assert code in [n["code"] for n in notices]
    assert all("<" not in n["message"] for n in notices)  # user text is echoed only in plain characters


def test_parser_accepts_junk_and_round_trips():
    for junk in (None, [], "x", {"hidden": None}, {"hidden": []}, {"epochs": 1.5}):
        config, _ = pg.parse_config(junk)
        assert isinstance(config, pg.PlaygroundConfig)
    config = pg.PlaygroundConfig().with_changes(dataset="spiral", hidden=(), features=("x2", "y2"), lr=0.5, bn=True)
    again, notices = pg.parse_config(config.to_query())
    assert again == config and notices == []
    assert again.hidden == ()  # "" in the URL = no hidden layer


def test_runs_are_bounded_in_epochs_and_seconds(cache):
    config, notices = pg.parse_config({"epochs": "100000", "hidden": "16,16,16,16", "batch": "1"})
    assert config.epochs == pg.MAX_EPOCHS and notices
    trainer = Trainer(config)
    trainer.train_epochs(10**6, max_seconds=0.3)
    assert 0 < trainer.epoch < pg.MAX_EPOCHS
    trainer.seconds = pg.MAX_SECONDS  # a run that has used its time budget trains no more
    assert trainer.finished and trainer.train_epochs(5) == 0


def test_train_more_never_stacks_and_takes_a_cache_slot():
    cache = ModelCache(budget_mb=1000, max_concurrent=1)
    trainer = Trainer(pg.parse_config({"epochs": "50"})[0])
    with trainer.lock:  # a run is in progress on this trainer
        report = playground.train_more(trainer, 5, cache=cache)
    assert report.busy and report.epochs_done == 0 and trainer.epoch == 0
    queued, release, finished = [], threading.Event(), []
    holder_ready = threading.Event()

    def hold_the_only_slot():
        with cache.use("playground-mlp", task="playground"):
            holder_ready.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_only_slot)
    holder.start()
    holder_ready.wait(10)
    worker = threading.Thread(target=lambda: finished.append(playground.train_more(trainer, 3, cache=cache, on_queue=queued.append)))
    worker.start()
    worker.join(0.5)
    assert queued == [1] and not finished  # waiting for the slot, not training beside it
    release.set()
    holder.join(10)
    worker.join(30)
    assert finished[0].epochs_done == 3 and trainer.epoch == 3


def test_pictures_and_unit_maps_have_the_right_shapes():
    trainer = Trainer(pg.parse_config({"hidden": "3,2", "features": "x,y,xy", "epochs": "2"})[0])
    trainer.train_epochs(2)
    p = trainer.probabilities(30)
    assert p.shape == (30, 30) and 0 <= p.min() and p.max() <= 1
    maps = trainer.unit_maps(20)
    assert [m.shape for m in maps] == [(3, 20, 20), (2, 20, 20)]
    assert len(trainer.input_maps(20)) == 3
    image = render.boundary_image(p, trainer.train_points, trainer.test_points, size=120)
    assert image.shape == (120, 120, 3) and image.dtype == np.uint8
    assert render.unit_image(maps[0][0], 32).shape == (32, 32, 3)


def test_datasets_are_balanced_and_in_range():
    for name in data.DATASETS:
        points = data.make_points(name, noise=1.0, seed=1)
        assert points.xy.shape == (data.N_POINTS, 2)
        assert np.abs(points.xy).max() <= data.RANGE
        assert 0.4 < points.labels.mean() < 0.6, name
        assert np.array_equal(points.xy, data.make_points(name, noise=1.0, seed=1).xy)


def run_cli(*args):
    command = [sys.executable, "-m", "dl_apps", "run", "playground", *args, "--json"]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    return done.returncode, json.loads(done.stdout)


def test_cli_prints_the_contract_keys_and_is_reproducible():
    args = ("--dataset", "spiral", "--hidden", "16,16", "--activation", "relu", "--epochs", "60", "--seed", "0")
    code, first = run_cli(*args)
    assert code == 0
    for key in ("train_accuracy", "test_accuracy", "loss", "epochs", "model", "latency_ms"):
        assert key in first
    assert first["epochs"] == 60 and len(first["loss"]) == 60 and first["model"] == "playground-mlp"
    _, second = run_cli(*args)
    assert second["loss"] == first["loss"] and second["train_accuracy"] == first["train_accuracy"]
    code, linear = run_cli("--dataset", "xor", "--hidden", "", "--epochs", "5", "--batch-size", "-3", "--lr", "inf")
    assert code == 0 and linear["parameters"] == 6
    assert {n["code"] for n in linear["notices"]} == {"playground_query_clamped", "playground_query_invalid"}
