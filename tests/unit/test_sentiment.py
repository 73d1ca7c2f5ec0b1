"""Sentiment on the real models: clear English and French examples, batches, bad input."""

import pytest

from dl_apps.tasks import sentiment
from dl_apps.core import InputError

DEFAULT = "sentiment-e5-multilingual"

CLEAR = [
    ("I absolutely love this, it is wonderful and made my day!", "positive"),
    ("This is terrible, I hate it and I want my money back.", "negative"),
    ("J'adore ce restaurant, tout était délicieux et le service parfait !", "positive"),
    ("C'est horrible, je déteste ce produit.", "negative"),
]


@pytest.mark.parametrize("text,expected", CLEAR)
def test_default_model_on_clear_examples(cache, text, expected):
    result = sentiment.run(text, cache=cache)
    assert result.label == expected
    assert result.model == DEFAULT
    assert set(result.scores) == set(sentiment.LABELS)
    assert abs(sum(result.scores.values()) - 1) < 1e-3
    assert result.scores[expected] > 0.5
    assert result.latency_ms > 0


def test_vader_baseline_english_and_negation(cache):
    assert sentiment.run("What a great, happy day!", model_id="sentiment-vader", cache=cache).label == "positive"
    assert sentiment.run("This is not good at all.", model_id="sentiment-vader", cache=cache).label == "negative"


def test_minilm_english(cache):
    result = sentiment.run("Fantastic service, thank you so much!", model_id="sentiment-minilm-en", cache=cache)
    assert result.label == "positive"


def test_held_out_metrics_in_card_beat_chance():
    """The committed card's numbers were measured by the training script and are well above chance."""
    import json

    from dl_apps.registry import MODELS_DIR

    metrics = json.loads((MODELS_DIR / "sentiment-e5" / "metrics.json").read_text())
    assert metrics["held_out_tweets"]["n"] >= 1000
    assert metrics["held_out_tweets"]["accuracy_3class"] > 0.6  # chance is ~0.43 (majority class)
    assert metrics["check_fr"]["accuracy_pos_vs_neg"] > 0.8


@pytest.mark.parametrize("bad", ["", "   \n\t ", None, 42])
def test_empty_or_wrong_type_text_is_a_clear_error(cache, bad):
    with pytest.raises(InputError) as error:
        sentiment.run(bad, cache=cache)
    assert error.value.code == "empty_text"


def test_one_megabyte_of_text_is_cut_with_a_notice(cache):
    result = sentiment.run("good " * 200_000, cache=cache)
    assert result.notices and result.notices[0]["code"] == "truncated"
    assert result.notices[0]["chars"] > sentiment.MAX_CHARS
    assert len(result.text) == sentiment.MAX_CHARS


def test_batch_skips_blank_lines_and_counts(cache):
    result = sentiment.run_batch(["I love it", "", "I hate it", "   "], cache=cache)
    assert [row.label for row in result.rows] == ["positive", "negative"]
    assert result.label_counts()["positive"] == 1


def test_batch_of_100k_lines_is_cut(cache):
    lines = ["ok"] * 100_000
    seen = []
    result = sentiment.run_batch(lines, model_id="sentiment-vader", cache=cache, progress=seen.append)
    assert len(result.rows) == sentiment.MAX_BATCH_LINES
    assert result.notices[0]["code"] == "batch_truncated"
    assert seen[-1] == 1.0


def test_upload_parsing():
    assert sentiment.texts_from_upload("a.txt", "un\ndeux\n".encode("utf-8")) == ["un", "deux"]
    latin1 = "très bien\nà éviter\n".encode("latin-1")  # not UTF-8: decoded as Latin-1
    assert sentiment.texts_from_upload("a.txt", latin1) == ["très bien", "à éviter"]
    csv_bytes = b"id;Text;stars\n1;great film;5\n2;awful film;1\n"
    assert sentiment.texts_from_upload("r.csv", csv_bytes) == ["great film", "awful film"]
    with pytest.raises(InputError) as error:
        sentiment.texts_from_upload("r.csv", b"id,stars\n1,5\n")
    assert error.value.code == "no_text_column"
    with pytest.raises(InputError) as error:
        sentiment.texts_from_upload("x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert error.value.code == "binary_file"
    with pytest.raises(InputError):
        sentiment.texts_from_upload("x.txt", b"")


def test_linear_head_round_trip_keeps_fortran_ordered_weights(tmp_path):
    """scikit-learn's coef_ is Fortran-ordered; the saved head must come back identical."""
    import numpy as np

    coef = np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4))
    head = sentiment.LinearHead(coef=coef, intercept=np.zeros(3, dtype=np.float32), labels=sentiment.LABELS)
    head.save(tmp_path / "head.safetensors")
    loaded = sentiment.LinearHead.load(tmp_path / "head.safetensors")
    assert np.array_equal(loaded.coef, coef) and loaded.labels == sentiment.LABELS
