"""Hub readers: any extractive QA model (``AutoModelForQuestionAnswering``) with this module's own decoding."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from dl_apps.tasks.qa.results import Answer, QAResult
from dl_apps.tasks.qa.text import question_type, tokens


def best_spans(
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    offsets: Sequence[tuple[int, int] | None],
    max_answer_tokens: int = 30,
    top_k: int = 4,
    null_index: int | None = None,
) -> list[tuple[int, int, float]]:
    """Decode one window's start/end logits into the best character spans.

    ``offsets[i]`` is the (start, end) character span of token ``i`` in the context,
    or None for tokens that are not context (question, special tokens, padding).
    Start and end probabilities are softmaxes over the context tokens (plus the
    ``null_index`` token, e.g. [CLS], which SQuAD 2.0 models use to say "no answer":
    it takes probability away from every span but is never returned); a span's score
    is ``p_start * p_end``; spans with end < start or longer than
    ``max_answer_tokens`` are not allowed.  Returns ``(char_start, char_end, score)``
    best first.
    """
    start_logits = np.asarray(start_logits, dtype=np.float64)
    end_logits = np.asarray(end_logits, dtype=np.float64)
    context_tokens = np.array([o is not None and o[1] > o[0] for o in offsets])
    if not context_tokens.any():
        return []
    normalised = context_tokens.copy()
    if null_index is not None:
        normalised[null_index] = True
    p_start = np.where(context_tokens, _masked_softmax(start_logits, normalised), 0.0)
    p_end = np.where(context_tokens, _masked_softmax(end_logits, normalised), 0.0)
    scores = np.triu(np.outer(p_start, p_end))  # end >= start
    scores = np.tril(scores, max_answer_tokens - 1)  # end - start < max_answer_tokens
    results: list[tuple[int, int, float]] = []
    flat = np.argsort(-scores, axis=None)
    for index in flat[: max(top_k * 8, 32)]:
        first, last = np.unravel_index(index, scores.shape)
        score = float(scores[first, last])
        if score <= 0.0:
            break
        start_offset, end_offset = offsets[first], offsets[last]
        if start_offset is None or end_offset is None:
            continue
        span = (int(start_offset[0]), int(end_offset[1]))
        if any(span[0] < e and s < span[1] for s, e, _ in results):
            continue  # keep distinct answers, not the same one with a word more
        results.append((span[0], span[1], score))
        if len(results) == top_k:
            break
    return results


def _cls_index(input_ids: list[int], cls_token_id: int | None) -> int | None:
    """Where the [CLS]/<s> token is in a window (None if the tokenizer has none)."""
    if cls_token_id is None or cls_token_id not in input_ids:
        return None
    return input_ids.index(cls_token_id)


def _masked_softmax(logits: np.ndarray, mask: np.ndarray) -> np.ndarray:
    values = np.where(mask, logits, -np.inf)
    values = values - values[mask].max()
    exp = np.exp(values)
    return exp / exp.sum()


class HubReader:
    """A hub extractive QA model (``AutoModelForQuestionAnswering``) with windowed decoding.

    Long contexts are split into windows of ``max_length`` tokens overlapping by
    ``stride`` tokens; each window is decoded by :func:`best_spans` and the best
    spans over all windows win.
    """

    def __init__(self, model: Any, tokenizer: Any, max_length: int = 384, stride: int = 128, max_answer_tokens: int = 30) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.stride = stride
        self.max_answer_tokens = max_answer_tokens

    def answer(self, question: str, context: str, top_k: int = 4, max_answer_tokens: int | None = None, **_: Any) -> QAResult:
        """Decode every window of the context and keep the ``top_k`` best distinct spans."""
        import torch

        max_answer_tokens = int(max_answer_tokens or self.max_answer_tokens)

        encoded = self.tokenizer(
            question,
            context,
            truncation="only_second",
            max_length=self.max_length,
            stride=self.stride,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
            padding=True,
            return_tensors="pt",
        )
        offsets_batch = encoded.pop("offset_mapping").tolist()
        encoded.pop("overflow_to_sample_mapping", None)
        sequence_ids = [encoded.sequence_ids(i) for i in range(len(offsets_batch))]
        allowed = {name for name in ("input_ids", "attention_mask", "token_type_ids") if name in encoded}
        with torch.inference_mode():
            output = self.model(**{name: encoded[name] for name in allowed})
        spans: list[tuple[int, int, float]] = []
        for window, offsets in enumerate(offsets_batch):
            context_offsets = [tuple(o) if sid == 1 else None for o, sid in zip(offsets, sequence_ids[window])]
            spans.extend(
                best_spans(
                    output.start_logits[window].numpy(),
                    output.end_logits[window].numpy(),
                    context_offsets,
                    max_answer_tokens,
                    top_k,
                    null_index=_cls_index(encoded["input_ids"][window].tolist(), self.tokenizer.cls_token_id),
                )
            )
        spans.sort(key=lambda span: -span[2])
        answers: list[Answer] = []
        for start, end, score in spans:
            if any(start < a.end and a.start < end for a in answers):
                continue
            answers.append(Answer(context[start:end], start, end, round(score, 4), "span"))
            if len(answers) == top_k:
                break
        if not answers:
            return QAResult(answer="", start=0, end=0, score=0.0, question_type=question_type(question))
        top = answers[0]
        return QAResult(
            answer=top.text, start=top.start, end=top.end, score=top.score,
            question_type=question_type(question), alternatives=answers[1:],
        )

    def approx_bytes(self) -> int:
        return sum(p.numel() * p.element_size() for p in self.model.parameters())
