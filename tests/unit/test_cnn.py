"""The CNN page's library: both networks learn the digits, runs are seeded, the analysis has the right shapes."""

import numpy as np
import pytest

from dl_apps.cache import ModelCache
from dl_apps.core import InputError
from dl_apps.tasks import cnn


@pytest.fixture(scope="module")
def trainer():
    return cnn.train_epochs(cnn.DigitTrainer(seed=0), 1, cache=ModelCache(budget_mb=500))


def test_one_epoch_already_reads_most_digits_and_the_cnn_is_smaller(trainer):
    assert trainer.epoch == 1 and trainer.accuracy[0] > 0.8 and trainer.mlp_accuracy[0] > 0.8
    cnn_params, mlp_params = trainer.parameter_counts()
    assert cnn_params < mlp_params / 4  # shared 3×3 filters vs one weight per pixel and unit


def test_filters_maps_confusion_and_mistakes(trainer):
    assert trainer.filters().shape == (8, 3, 3)
    maps = trainer.feature_maps(trainer.test_images[0])
    assert [m.shape for _, m in maps] == [(8, 28, 28), (8, 28, 28), (8, 14, 14), (16, 14, 14), (16, 14, 14), (16, 7, 7)]
    matrix = trainer.confusion()
    assert matrix.sum() == 1000 and np.trace(matrix) / 1000 == pytest.approx(trainer.accuracy[-1], abs=1e-3)
    mistakes = trainer.worst_mistakes(5)
    assert all(m["true"] != m["guess"] for m in mistakes)
    assert [m["confidence"] for m in mistakes] == sorted((m["confidence"] for m in mistakes), reverse=True)


def test_seeded_networks_start_identical():
    first, second = cnn.build_cnn(3), cnn.build_cnn(3)
    assert all(np.array_equal(a.detach().numpy(), b.detach().numpy()) for a, b in zip(first.parameters(), second.parameters()))


def test_an_uploaded_dark_on_light_digit_is_inverted_to_white_on_black():
    paper = np.full((60, 40, 3), 240, dtype=np.uint8)
    paper[10:50, 18:23] = 20  # a dark stroke: a "1"
    digit = cnn.digit_from_image(paper)
    assert digit.shape == (28, 28) and digit[:, 12:16].mean() > digit[:, :5].mean()


def test_bad_numbers_are_refused():
    for epochs in ("x", 0, cnn.MAX_EPOCHS + 1):
        with pytest.raises(InputError):
            cnn.run(epochs=epochs)
