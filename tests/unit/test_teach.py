"""Teach: frozen features + a small head learn bundled classes; names, empty classes and bad files are refused."""

import json
import subprocess
import sys

import numpy as np
import pytest

from dl_apps.cache import ModelCache
from dl_apps.core import InputError
from dl_apps.registry import REPO_ROOT
from dl_apps.tasks import teach


@pytest.fixture(scope="module")
def cache():
    return ModelCache(budget_mb=2000)


@pytest.fixture(scope="module")
def features(cache):
    names = ("dog", "cat", "coffee")
    images = [view for name in names for view in teach.sample_examples(name, 5)]
    found = teach.extract(images, cache=cache).features
    return {name: found[i * 5 : (i + 1) * 5] for i, name in enumerate(names)}


def test_features_are_frozen_efficientnet_pooled_outputs(cache, features):
    assert all(f.shape == (5, 1280) for f in features.values())
    extractor = cache.get("efficientnet-lite0-features", task="teach")
    assert not any(p.requires_grad for p in extractor.net.parameters())
    again = teach.extract(teach.sample_examples("dog", 5), cache=cache).features
    assert np.allclose(again, features["dog"], atol=1e-5)  # deterministic


def test_head_learns_three_bundled_classes_and_names_the_original_photos(features):
    head = teach.train_head(features)
    assert head.labels == ("dog", "cat", "coffee")
    for name in head.labels:
        scores = teach.classify(head, features[name][0])
        assert max(scores, key=scores.get) == name
        assert abs(sum(scores.values()) - 1) < 1e-3


def test_leave_one_out_curve_covers_one_to_four_examples(features):
    curve = teach.loo_curve(features)
    assert [row["per_class"] for row in curve] == [1, 2, 3, 4]
    assert all(0 <= row["accuracy"] <= 1 for row in curve) and curve[-1]["accuracy"] >= 0.8


@pytest.mark.parametrize(
    "names, code",
    [(["a"], "teach_too_few_classes"), (["a", " "], "teach_empty_name"), (["Cat", "cat "], "teach_duplicate_name"), (list("abcdef"), "teach_too_many_classes")],
)
def test_bad_class_names_are_refused(names, code):
    with pytest.raises(InputError) as error:
        teach.clean_labels(names)
    assert error.value.code == code


def test_a_class_without_examples_and_a_non_image_are_refused(cache, features):
    with pytest.raises(InputError) as error:
        teach.train_head({"dog": features["dog"], "cat": np.zeros((0, 1280), np.float32)})
    assert error.value.code == "teach_no_examples"
    with pytest.raises(InputError) as error:
        teach.run({"dog": [b"%PDF-1.4 not an image"], "cat": [teach.sample_photo("cat")]}, teach.sample_photo("dog"), cache=cache)
    assert error.value.code == "image_not_an_image"


def run_cli(*args):
    done = subprocess.run([sys.executable, "-m", "dl_apps", "run", "teach", *args, "--json"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    return done.returncode, json.loads(done.stdout)


def test_cli_contract(tmp_path):
    from PIL import Image

    examples = []
    for name in ("dog", "coffee"):
        for index, view in enumerate(teach.sample_examples(name, 3)):
            path = tmp_path / f"{name}{index}.png"
            Image.fromarray(view).save(path)
            examples += ["--example", f"{name}={path}"]
    code, out = run_cli(*examples, "--image", str(REPO_ROOT / "assets/samples/detection/coffee.jpg"))
    assert code == 0, out
    assert out["label"] == "coffee" and set(out["scores"]) == {"dog", "coffee"} and out["examples"] == {"dog": 3, "coffee": 3}
    code, out = run_cli(examples[0], examples[1], "--image", examples[1].split("=")[1])
    assert code == 2 and "error" in out  # one label only
    code, out = run_cli(*examples[:2], "--example", "cat=", "--image", examples[1].split("=")[1])
    assert code == 2 and "cat" in out["error"]
