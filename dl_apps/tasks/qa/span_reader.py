"""A reading-comprehension reader on a small language model that can only answer with a span of the passage.

Free generation invents ("It is made of steel"); this reader holds Gemma 3 270M to the
text.  The prompt is ``<passage>\\n\\nQuestion: <question>\\nAnswer:``; after it, decoding is
**constrained to a trie of the passage's token sequences**: the first answer token must be
a token that starts a word of the passage, and every next token must continue one of the
passage's token sequences that the answer so far matches.  At each step the model may also
stop (end of line, end of text, a full stop or comma).  A few beams start from the most
likely first tokens and are decoded greedily side by side; each span is ranked by the
model's own log-probability of answering exactly it (``log p(span, then stop)``).

Because every answer is a copy of passage tokens, it maps back to character offsets of the
context (``context[start:end] == answer``).  The score is the geometric mean per token of
that probability (a per-token confidence, 0–1), and the runners-up are the other beams.
Long passages are split into windows of whole sentences; when there are more than
``max_windows`` of them, the ones sharing the most (rare) words with the question are read.

The language model comes from the shared model cache (entry ``options.lm``): the QA page
and the language model page use ONE copy.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Sequence

from dl_apps.core import notice
from dl_apps.tasks.qa.results import Answer, QAResult, RetrievedSentence
from dl_apps.tasks.qa.text import content_stems, question_type, split_sentences, stem_in

PROMPTS = {
    "en": "{passage}\n\nQuestion: {question}\nAnswer:",
    "fr": "{passage}\n\nQuestion : {question}\nRéponse :",
}
_FRENCH_CUES = frozenset(
    "qui que quoi quel quelle quels quelles où quand comment pourquoi combien est-ce le la les un une des du de dans sur avec pour par a-t-il a-t-elle est-il".split()
)


def language_of(question: str) -> str:
    """'fr' if the question reads as French (question words, articles), else 'en'."""
    words = [w.strip("?!.,;:«»\"'").lower() for w in question.replace("’", "'").split()]
    hits = sum(1 for w in words if w in _FRENCH_CUES or w.startswith(("qu'", "l'", "d'")))
    return "fr" if hits >= 2 or (words and words[0] in _FRENCH_CUES and hits >= 1) else "en"


@dataclass
class _Beam:
    positions: list[tuple[int, int]]  # (start index, next index) of the passage token runs matched so far
    ids: list[int]
    logprob: float
    done: bool = False


class LMSpanReader:
    """Span-only reader on a causal LM (see module docstring).

    ``lm`` may be given (tests); otherwise the LM entry ``lm_id`` is taken from the
    shared model cache at every call, so it is loaded once for the whole server.
    """

    def __init__(
        self,
        lm_id: str = "gemma3-270m",
        lm: Any = None,
        window_tokens: int = 320,
        max_windows: int = 2,
        beams: int = 4,
        max_answer_tokens: int = 16,
        prompts: dict[str, str] | None = None,
    ) -> None:
        self.prompts = prompts or PROMPTS
        self.lm_id = lm_id
        self._lm = lm
        self.window_tokens = window_tokens
        self.max_windows = max_windows
        self.beams = beams
        self.max_answer_tokens = max_answer_tokens

    def language_model(self) -> Any:
        """The LanguageModel (from the shared cache unless one was given)."""
        if self._lm is not None:
            return self._lm
        from dl_apps.cache import shared_cache

        return shared_cache().get(self.lm_id, task="lm")

    def approx_bytes(self) -> int:
        """Own memory only: the LM's weights are counted once, under its own cache entry."""
        return 1024 * 1024

    # -------------------------------------------------------------- windows
    def windows(self, lm: Any, question: str, context: str) -> tuple[list[tuple[int, int]], int]:
        """Character spans of the windows to read (whole sentences, about ``window_tokens`` each), and how many there were."""
        sentences = split_sentences(context) or [(0, len(context))]
        groups: list[tuple[int, int]] = []
        start, used = sentences[0][0], 0
        for s, e in sentences:
            size = max(1, (e - s) // 3)  # ~3 characters per token in English and French
            if used and used + size > self.window_tokens:
                groups.append((start, prev_end))
                start, used = s, 0
            used += size
            prev_end = e
        groups.append((start, prev_end))
        total = len(groups)
        if total <= self.max_windows:
            return groups, total
        question_stems = content_stems(question)
        window_stems = [content_stems(context[a:b]) for a, b in groups]
        weights = {}
        for stem in question_stems:
            frequency = sum(stem_in(stem, stems) for stems in window_stems)
            weights[stem] = math.log(1.0 + total / (frequency + 0.5)) if frequency else 0.0
        ranked = sorted(range(total), key=lambda i: -sum(w for stem, w in weights.items() if stem_in(stem, window_stems[i])))
        keep = sorted(ranked[: self.max_windows])
        return [groups[i] for i in keep], total

    # --------------------------------------------------------------- answer
    def answer(self, question: str, context: str, top_k: int = 4, **_: Any) -> QAResult:
        """The best passage spans for ``question`` (best first); see the module docstring."""
        lm = self.language_model()
        windows, total = self.windows(lm, question, context)
        found: list[tuple[float, float, int, int, int]] = []  # (logprob, score, start, end, window index)
        for index, (a, b) in enumerate(windows):
            for logprob, score, start, end in self._read_window(lm, question, context[a:b]):
                found.append((logprob, score, start + a, end + a, index))
        found.sort(key=lambda item: -item[0])
        answers: list[Answer] = []
        for logprob, score, start, end, _ in found:
            start, end = _strip(context, start, end)
            if end <= start or any(ans.start == start and ans.end == end for ans in answers):
                continue
            answers.append(Answer(context[start:end], start, end, round(score, 4), "span"))
            if len(answers) == top_k:
                break
        result = QAResult(question_type=question_type(question))
        if total > len(windows):
            result.notices.append(
                notice(
                    "qa_lm_windows",
                    f"The passage is long: the model read the {len(windows)} parts (of {total}) sharing the most words with the question.",
                    read=len(windows),
                    total=total,
                )
            )
        if not answers:
            return result
        best = answers[0]
        result.answer, result.start, result.end, result.score = best.text, best.start, best.end, best.score
        result.alternatives = answers[1:]
        sentence = next(((s, e) for s, e in split_sentences(context) if s <= best.start < e), (best.start, best.end))
        result.retrieved = [RetrievedSentence(start=sentence[0], end=sentence[1], score=best.score)]
        return result

    def _read_window(self, lm: Any, question: str, passage: str) -> list[tuple[float, float, int, int]]:
        """Constrained beam decoding on one window: (logprob, score, char start, char end) per beam."""
        import torch

        template = self.prompts[language_of(question)]
        asked = " ".join(question.split())
        before, after = template.split("{passage}")
        before, suffix = before.replace("{question}", asked), after.replace("{question}", asked)
        passage_ids, offsets = lm.encode(passage, add_bos=False)
        head_ids, _ = lm.encode(before, add_bos=True) if before else ([lm.tokenizer.bos_token_id], [])
        tail_ids, _ = lm.encode(suffix, add_bos=False)
        if not passage_ids:
            return []
        prompt = [int(i) for i in head_ids] + [int(i) for i in passage_ids] + [int(i) for i in tail_ids]
        texts = [passage[a:b] for a, b in offsets]
        starts = [i for i in range(len(passage_ids)) if _starts_word(passage, offsets, i)]
        end_ids = _end_ids(lm)
        continues_number = [
            i + 1 < len(passage_ids) and texts[i] in (".", ",") and texts[i + 1][:1].isdigit() for i in range(len(passage_ids))
        ]
        model = lm.model
        with torch.inference_mode():
            out = model(input_ids=torch.tensor([prompt]), use_cache=True, logits_to_keep=1)
            first = torch.log_softmax(out.logits[0, -1].float(), dim=-1)
            by_token: dict[int, list[int]] = {}
            for i in starts:
                by_token.setdefault(int(passage_ids[i]), []).append(i)
            ranked = sorted(by_token, key=lambda t: -float(first[t]))[: self.beams]
            beams = [_Beam([(i, i + 1) for i in by_token[t]], [t], float(first[t])) for t in ranked]
            if not beams:
                return []
            cache = out.cache
            cache.batch_repeat_interleave(len(beams))
            last = torch.tensor([[b.ids[-1]] for b in beams])
            for _ in range(self.max_answer_tokens):
                step = model(input_ids=last, cache=cache, use_cache=True, logits_to_keep=1)
                cache = step.cache
                logprobs = torch.log_softmax(step.logits[:, -1].float(), dim=-1)
                next_ids = []
                for row, beam in enumerate(beams):
                    if beam.done:
                        next_ids.append(beam.ids[-1])
                        continue
                    lp = logprobs[row]
                    options: dict[int, list[tuple[int, int]]] = {}
                    for s, i in beam.positions:
                        if i < len(passage_ids):
                            token = int(passage_ids[i])
                            if token in end_ids and not continues_number[i]:
                                continue  # punctuation that ends the answer counts as stopping
                            options.setdefault(token, []).append((s, i + 1))
                    stoppers = [t for t in end_ids if t not in options]  # "8,848": the comma continues a number
                    stop = float(torch.logsumexp(lp[stoppers], dim=0)) if stoppers else -math.inf
                    best = max(options, key=lambda t: float(lp[t]), default=None)
                    if best is None or stop >= float(lp[best]):
                        beam.logprob += stop
                        beam.done = True
                        next_ids.append(beam.ids[-1])
                    else:
                        beam.logprob += float(lp[best])
                        beam.ids.append(best)
                        beam.positions = options[best]
                        next_ids.append(best)
                if all(beam.done for beam in beams):
                    break
                last = torch.tensor([[t] for t in next_ids])
        spans = []
        for beam in beams:
            s, i = beam.positions[0]
            start, end = offsets[s][0], offsets[i - 1][1]
            per_token = math.exp(beam.logprob / (len(beam.ids) + 1))
            spans.append((beam.logprob, per_token, start, end))
        return spans


def _starts_word(passage: str, offsets: Sequence[tuple[int, int]], index: int) -> bool:
    """Whether passage token ``index`` begins a word (so an answer may start there)."""
    start, end = offsets[index]
    piece = passage[start:end]
    if not piece.strip():
        return piece == " " and end < len(passage) and passage[end:end + 1].isdigit()  # Gemma's space before digits
    if piece[0] == " " or start == 0:
        return piece.strip()[0].isalnum() or piece.strip()[0] in "«\"'(“"
    before = passage[start - 1]
    return (before.isspace() or before in "(«\"'“-/") and piece[0].isalnum()


def _end_ids(lm: Any) -> list[int]:
    """Token ids that end an answer: end of text, line breaks, full stop, comma, semicolon."""
    ids = set(getattr(lm, "stop_ids", set()))
    for text in ("\n", "\n\n", ".", ",", ";", " .", "?"):
        encoded, _ = lm.encode(text, add_bos=False)
        if len(encoded) == 1:
            ids.add(int(encoded[0]))
    eos = getattr(lm.tokenizer, "eos_token_id", None)
    if eos is not None:
        ids.add(int(eos))
    return sorted(ids)


def _strip(context: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and trailing punctuation from a span."""
    while start < end and context[start].isspace():
        start += 1
    while end > start and (context[end - 1].isspace() or context[end - 1] in ".,;:"):
        end -= 1
    return start, end


def timed_answer(reader: LMSpanReader, question: str, context: str) -> tuple[QAResult, float]:
    """One answer and its wall time in ms (for the evaluation script)."""
    started = time.perf_counter()
    result = reader.answer(question, context)
    return result, (time.perf_counter() - started) * 1000.0
