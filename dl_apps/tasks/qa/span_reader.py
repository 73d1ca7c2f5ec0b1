"""A reading-comprehension reader on a small language model that can only answer with a span of the passage.

Free generation invents ("It is made of steel"); this reader holds Gemma 3 270M to the
text, and keeps it fast on one core by reading only what matters:

1. **Retrieve.**  The passage is split into sentences and ranked against the question by
   the e5 retrieval of the fast offline reader (``qa-e5-retrieve-select``, shared
   cache entry): e5 cosine similarity plus a word-overlap bonus.  The ``top_sentences``
   best ones (in passage order) are all the language model reads, so a long passage
   costs the same as a short one.
2. **Prompt.**  A fixed few-shot prefix (nine short worked examples in English and French,
   written for this reader: names, amounts, places, dates, reasons, a number word, a list)
   shows the model the form ``Text: …\\nQuestion: …\\nAnswer: <a span of the text>``.
   Its key/value cache is computed once per loaded model and copied for every question;
   only ``Text: <chosen sentences>\\nQuestion: <question>\\nAnswer:`` is run per question
   (about 60–100 tokens instead of the whole passage).
3. **Constrained decoding.**  The first answer token must start a word of the chosen
   sentences; every next token must continue a run of their tokens that the answer
   already matches (never across two sentences); at each step the model may stop instead
   (end of line, full stop, comma — except inside a number, or inside a list 'A, B and C'
   when ``cross_list_commas``).  ``beams`` beams start from the most likely first tokens,
   plus ``typed_beams`` from the likeliest tokens that start a word of the form the question
   asks for (a number, a date, a name), and are extended greedily side by side.  Only the rows of
   the output layer for the allowed tokens are computed (``W[allowed] @ hidden``), not the
   262k-word vocabulary: the first token's probability is the full softmax, later choices
   (continue with this token or stop) are normalised over the allowed tokens.
4. **Rank and score.**  A span's rank is its log-probability plus ``sentence_weight`` ×
   its sentence's retrieval score (relative to the best sentence), minus
   ``echo_penalty`` when the span only repeats words of the question, plus ``type_weight``
   × how well its form fits the question type, ``near_weight`` × how close it sits to the
   question's telling words, and ``list_bonus`` for a span that holds a whole list (the
   rules of :mod:`span_rules`, written from the errors on the tuning and development
   splits; the weights fitted by :mod:`fit_ranker` on those and the training split, a
   conditional logit over each question's candidates, its penalty chosen leaving one
   passage out).  A span that is part
   of a date is widened to the whole date ('1953' → '29 May 1953').  Its *score* (0–1)
   is the geometric mean of the model's probability of answering exactly this span and
   of how well any sentence matches the question (the e5 similarity of the best
   sentence, squashed by a logistic): √(p(span) · match).  Under the task's threshold
   (0.35, i.e. p(span) · match < 0.12, set on the tuning split) the page says *unsure*.

Every answer is a copy of passage tokens, so it maps back to character offsets of the
context (``context[start:end] == answer``).  The runners-up are the other beams.  The
language model comes from the shared model cache (entry ``lm_id``): the QA page and the
language model page use ONE copy; the same holds for the e5 retriever.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from dl_apps.core import notice, torch_threads
from dl_apps.tasks.qa.results import Answer, QAResult, RetrievedSentence
from dl_apps.tasks.qa.span_rules import COORDINATORS, list_commas, nearness, period_start, reason_span, starts_kind, type_fit
from dl_apps.tasks.qa.text import DATE_RE, content_stems, expected_units, question_type, split_sentences, stem_in, tokens, word_overlap

# Worked examples of the few-shot prefix (invented for this reader; not from any evaluation set).
EXAMPLES: tuple[tuple[str, str, str], ...] = (
    (
        "The lighthouse of Kerbrat was designed by the engineer Paul Morvan and lit for the first time in October 1872.",
        "Who designed the lighthouse?",
        "Paul Morvan",
    ),
    (
        "Le pont de Saint-Aubin, long de 212 mètres, relie depuis 1931 les deux rives de la Vilaine.",
        "Quelle est la longueur du pont ?",
        "212 mètres",
    ),
    (
        "Because the winters were too cold for the vines, the monks of the valley planted apple trees and made cider.",
        "What did the monks make?",
        "cider",
    ),
    (
        "En 1904, la compagnie a ouvert sa première usine à Lorient, où elle fabriquait des conserves de sardines.",
        "Où la compagnie a-t-elle ouvert sa première usine ?",
        "à Lorient",
    ),
    (
        "Work on the canal began on 4 May 1821 and ended in August 1825, when the first barge reached the harbour.",
        "When did work on the canal end?",
        "August 1825",
    ),
    (
        "The village school closed in 1968 because too few children still lived in the valley, and it became a museum.",
        "Why did the village school close?",
        "too few children still lived in the valley",
    ),
    (
        "Le marché couvert a été fermé en 2009, car sa charpente en bois menaçait de s'effondrer.",
        "Pourquoi a-t-on fermé le marché couvert ?",
        "sa charpente en bois menaçait de s'effondrer",
    ),
    (
        "Twelve volunteers and three teachers planted the orchard of 140 trees in a single weekend.",
        "How many volunteers planted the orchard?",
        "Twelve",
    ),
    (
        "Le musée expose des outils, des coiffes et des instruments de musique du XIXe siècle.",
        "Que montre le musée ?",
        "des outils, des coiffes et des instruments de musique",
    ),
)
PROMPT = "Text: {text}\nQuestion: {question}\nAnswer:"
# The parts of a span's rank (SpanCandidate.rank_features), each weighed by LMSpanReader.rank_weights()
RANK_FEATURES = ("logprob", "sentence", "type_fit", "near", "whole_list", "echo")
# The reader's options holding the weights of RANK_FEATURES[1:] (the log-probability's is 1)
RANK_WEIGHTS = ("sentence_weight", "type_weight", "near_weight", "list_bonus", "echo_penalty")
LONG_PASSAGE_CHARS = 1000  # above this, the result says how little of the passage the model read
_FRENCH_CUES = frozenset(
    "qui que quoi quel quelle quels quelles où quand comment pourquoi combien est-ce le la les un une des du de dans sur avec pour par a-t-il a-t-elle est-il".split()
)


def language_of(question: str) -> str:
    """'fr' if the question reads as French (question words, articles), else 'en'."""
    words = [w.strip("?!.,;:«»\"'").lower() for w in question.replace("’", "'").split()]
    hits = sum(1 for w in words if w in _FRENCH_CUES or w.startswith(("qu'", "l'", "d'")))
    return "fr" if hits >= 2 or (words and words[0] in _FRENCH_CUES and hits >= 1) else "en"


def few_shot_prefix() -> str:
    """The fixed prefix of worked examples, each ``Text/Question/Answer`` block ending with a blank line."""
    return "".join(PROMPT.format(text=t, question=q) + f" {a}\n\n" for t, q, a in EXAMPLES)


def lexical_relevance(question: str, context: str, sentences: Sequence[tuple[int, int]]) -> np.ndarray:
    """Share of the question's (IDF-weighted) words found in each sentence: the retrieval without an encoder."""
    _, overlap = word_overlap(question, [content_stems(context[s:e]) for s, e in sentences])
    return np.array(overlap, dtype=np.float32)


@dataclass
class SpanCandidate:
    """One decoded span with the parts of its rank (character offsets into the context)."""

    start: int
    end: int
    sentence: int  # index in split_sentences(context)
    logprob: float  # log p(span, then stop): full softmax for the first token, constrained after
    first_logprob: float  # log p(first token) over the whole vocabulary
    tokens: int
    relevance: float = 0.0  # retrieval score of its sentence
    fit: float = 0.0  # how well the span's form fits the question type, -1..2 (see type_fit)
    near: float = 0.0  # 0–1: how close it sits to the question's telling words (see nearness)
    whole_list: bool = False  # holds a list 'A, B and C'
    echo: bool = False  # only repeats words of the question
    answer: tuple[int, int] = (0, 0)  # the offsets answered: trimmed, a partial date widened (set by read)
    rank: float = 0.0

    def rank_features(self, best_relevance: float) -> tuple[float, ...]:
        """The parts of the rank, in the order of :data:`RANK_FEATURES` (what ``fit_ranker`` weighs)."""
        return (self.logprob, self.relevance - best_relevance, self.fit, self.near, float(self.whole_list), -float(self.echo))

    @property
    def per_token(self) -> float:
        """Geometric mean per token (stop included) of the span's probability, 0–1."""
        return math.exp(self.logprob / (self.tokens + 1))


@dataclass
class Reading:
    """What one question's reading produced (kept for :meth:`LMSpanReader.answer` and the tuning scripts)."""

    sentences: list[tuple[int, int]]
    relevance: np.ndarray
    read: list[int]
    candidates: list[SpanCandidate] = field(default_factory=list)


class LMSpanReader:
    """Span-only reader on a causal LM after sentence retrieval (see module docstring).

    ``lm`` / ``retriever`` may be given (tests); otherwise the entries ``lm_id`` (task lm)
    and ``retriever_id`` (task qa: anything with the ``retrieve`` method of
    :class:`~dl_apps.tasks.qa.retrieve.RetrieveSelectReader`) are taken from the shared
    model cache at every call, so each is loaded once for the whole server.  With
    ``retriever_id=None`` and no ``retriever``, sentences are ranked by shared words only.
    """

    def __init__(
        self,
        lm_id: str = "gemma3-270m",
        lm: Any = None,
        retriever_id: str | None = "qa-e5-retrieve-select",
        retriever: Any = None,
        top_sentences: int = 3,
        beams: int = 4,
        max_answer_tokens: int = 16,
        sentence_weight: float = 74.4,
        echo_penalty: float = 13.1,
        match_midpoint: float = 0.83,
        match_slope: float = 40.0,
        few_shot: bool = True,
        tree_budget: int = 96,
        type_weight: float = 2.9,
        typed_beams: int = 2,
        cross_list_commas: bool = True,
        near_weight: float = 2.5,
        list_bonus: float = 5.2,
    ) -> None:
        self.lm_id = lm_id
        self._lm = lm
        self.retriever_id = retriever_id
        self._retriever = retriever
        self.top_sentences = top_sentences
        self.beams = beams
        self.max_answer_tokens = max_answer_tokens
        self.sentence_weight = sentence_weight
        self.echo_penalty = echo_penalty
        self.match_midpoint = match_midpoint
        self.match_slope = match_slope
        self.tree_budget = tree_budget
        self.type_weight = type_weight
        self.typed_beams = typed_beams
        self.cross_list_commas = cross_list_commas
        self.near_weight = near_weight
        self.list_bonus = list_bonus
        self.prefix = few_shot_prefix() if few_shot else ""
        self._prefix_states: dict[int, tuple[Any, list[int]]] = {}
        self._prefix_lock = threading.Lock()

    def language_model(self) -> Any:
        """The LanguageModel (from the shared cache unless one was given)."""
        if self._lm is not None:
            return self._lm
        from dl_apps.cache import shared_cache

        return shared_cache().get(self.lm_id, task="lm")

    def retriever(self) -> Any:
        """The sentence retriever (the e5 reader from the shared cache), or None for word overlap only."""
        if self._retriever is not None or self.retriever_id is None:
            return self._retriever
        from dl_apps.cache import shared_cache

        return shared_cache().get(self.retriever_id, task="qa")

    def approx_bytes(self) -> int:
        """Own memory only: the few-shot prefix's key/value cache, measured once it exists (about 16 MB for
        its 444 tokens), 16 MB before; the LM and the retriever are counted under their own entries."""
        with self._prefix_lock:
            states = list(self._prefix_states.values())
        measured = sum(_tensor_bytes(cache) for cache, _ in states)
        return measured or 16 * 1024 * 1024

    def rank_weights(self) -> tuple[float, ...]:
        """The weight of each of :data:`RANK_FEATURES` in a span's rank (the log-probability's is 1)."""
        return (1.0, *(float(getattr(self, name)) for name in RANK_WEIGHTS))

    # ------------------------------------------------------------ retrieval
    def rank_sentences(self, question: str, context: str, sentences: list[tuple[int, int]]) -> np.ndarray:
        """Relevance of every sentence to the question (e5 + word overlap, or word overlap only)."""
        retriever = self.retriever()
        if retriever is None:
            return lexical_relevance(question, context, sentences)
        relevance, *_ = retriever.retrieve(question, context, sentences)
        return np.asarray(relevance, dtype=np.float32)

    def match_confidence(self, best_relevance: float) -> float:
        """How much any sentence matches the question, 0–1 (logistic of the best retrieval score)."""
        if self.retriever() is None:
            return float(min(1.0, max(0.0, best_relevance)))
        return 1.0 / (1.0 + math.exp(-(best_relevance - self.match_midpoint) * self.match_slope))

    # --------------------------------------------------------------- answer
    def read(self, question: str, context: str, top_sentences: int | None = None) -> Reading:
        """Retrieve, then decode spans inside the best sentences: every candidate with the parts of its rank."""
        sentences = split_sentences(context) or [(0, len(context))]
        relevance = self.rank_sentences(question, context, sentences)
        count = max(1, min(int(top_sentences or self.top_sentences), len(sentences)))
        read = sorted(int(i) for i in np.argsort(-relevance, kind="stable")[:count])
        reading = Reading(sentences, relevance, read)
        best = float(relevance.max())
        asked = content_stems(question)
        kind, units = question_type(question), expected_units(question)
        weights, _ = word_overlap(question, [content_stems(context[s:e]) for s, e in sentences])
        with torch_threads():  # the hub's policy: one torch thread per inference on the shared CPU
            decoded = self._decode(self.language_model(), question, context, [sentences[i] for i in read], kind)
        rank_weights = self.rank_weights()
        for candidate in decoded:
            candidate.sentence = read[candidate.sentence]
            candidate.relevance = float(relevance[candidate.sentence])
            sentence = sentences[candidate.sentence]
            start, end = _snap_to_date(context, sentence, *_strip(context, candidate.start, candidate.end))
            if kind == "reason":
                start, end = reason_span(context, sentence, start, end)
            candidate.answer = (start, end)
            candidate.fit = type_fit(kind, units, asked, context, sentence, start, end)
            candidate.near = nearness(weights, context, sentence, start, end)
            # 'A and B', 'A, B et C': the model tends to stop after the first item
            candidate.whole_list = any(w.lower in COORDINATORS for w in tokens(context[start:end])[1:-1])
            words = content_stems(context[candidate.start : candidate.end])
            candidate.echo = bool(words) and all(stem_in(word, asked) for word in words)  # does not answer the question
            candidate.rank = sum(w * x for w, x in zip(rank_weights, candidate.rank_features(best)))
            reading.candidates.append(candidate)
        reading.candidates.sort(key=lambda c: -c.rank)
        return reading

    def answer(self, question: str, context: str, top_k: int = 4, top_sentences: int | None = None, **_: Any) -> QAResult:
        """The best passage spans for ``question`` (best first); see the module docstring."""
        reading = self.read(question, context, top_sentences)
        sentences, relevance = reading.sentences, reading.relevance
        match = self.match_confidence(float(relevance.max()))
        answers: list[Answer] = []
        chosen: SpanCandidate | None = None
        for candidate in reading.candidates:
            start, end = candidate.answer
            if end <= start or any(a.start == start and a.end == end for a in answers):
                continue
            score = round(math.sqrt(math.exp(candidate.logprob) * match), 4)
            answers.append(Answer(context[start:end], start, end, score, "span"))
            chosen = chosen or candidate
            if len(answers) == top_k:
                break
        result = QAResult(question_type=question_type(question))
        if len(context) > LONG_PASSAGE_CHARS and len(reading.read) < len(sentences):
            result.notices.append(
                notice(
                    "qa_lm_windows",
                    f"The passage is long: the model read the {len(reading.read)} sentences (of {len(sentences)}) closest to the question.",
                    read=len(reading.read),
                    total=len(sentences),
                )
            )
        order = [int(i) for i in np.argsort(-relevance, kind="stable")]
        if chosen is not None:  # the sentence the answer was taken from comes first
            order.remove(chosen.sentence)
            order.insert(0, chosen.sentence)
        result.retrieved = [
            RetrievedSentence(sentences[i][0], sentences[i][1], round(float(relevance[i]), 4))
            for i in order[: max(len(reading.read), 5)]
        ]
        if not answers:
            return result
        best = answers[0]
        result.answer, result.start, result.end, result.score = best.text, best.start, best.end, best.score
        result.alternatives = answers[1:]
        return result

    # ------------------------------------------------------------- decoding
    def prefix_state(self, lm: Any) -> tuple[Any, list[int]]:
        """The few-shot prefix's key/value cache and token ids, computed once per language model (do not mutate)."""
        key = id(lm)
        with self._prefix_lock:
            state = self._prefix_states.get(key)
            if state is None:
                import torch

                ids, _ = lm.encode(self.prefix, add_bos=True) if self.prefix else ([lm.tokenizer.bos_token_id], [])
                ids = [int(i) for i in ids]
                with torch.inference_mode(), torch_threads():
                    out = lm.model.model(input_ids=torch.tensor([ids]), use_cache=True)
                state = (out.cache, ids)
                self._prefix_states = {key: state}  # one model at a time
            return state

    def _decode(self, lm: Any, question: str, context: str, chosen: list[tuple[int, int]], kind: str = "other") -> list[SpanCandidate]:
        """Score every span of the trie in two forward passes (``sentence`` = index in ``chosen``).

        1. The prompt (after the cached few-shot prefix) gives the first answer token's
           distribution; the ``beams`` most likely tokens that start a word are kept, plus
           the ``typed_beams`` most likely ones that start a word of the form the question
           type asks for (a number, a date, a capitalised name) if not among them.
        2. The trie of the passage token runs starting with them (at most
           ``max_answer_tokens`` tokens, never across sentences) is run in ONE forward pass:
           each trie node attends to the prompt and to its own ancestors only (a tree
           attention mask, positions by depth).  Each node's output gives the probability
           of each of its children and of stopping, over those tokens only.
        Every node is a candidate span: log p(first) + Σ log p(next) + log p(stop).
        """
        import torch

        asked = " ".join(question.split())
        text = " ".join(" ".join(context[s:e].split()) for s, e in chosen)
        prompt = PROMPT.format(text=text, question=asked)
        text_start = PROMPT.index("{text}")
        char_map = _char_map(context, chosen, text)  # text position → (chosen sentence, context position)
        ids, offsets = lm.encode(prompt, add_bos=False)
        passage = []  # (prompt token index, text start, text end) of the tokens inside the text
        for index, (a, b) in enumerate(offsets):
            if b - text_start > 0 and a - text_start < len(text):
                passage.append((index, max(a - text_start, 0), min(b - text_start, len(text))))
        if not passage:
            return []
        passage_ids = [int(ids[i]) for i, _, _ in passage]
        raw = [prompt[offsets[i][0] : offsets[i][1]] for i, _, _ in passage]  # with the space a token owns
        sentence_of = [char_map[max(a, b - 1)][0] for _, a, b in passage]
        starts = [k for k in range(len(passage)) if _starts_word(text, passage[k][1], passage[k][2], raw[k])]
        end_ids = _end_ids(lm)
        ends_word = [_ends_word(raw, sentence_of, k) for k in range(len(passage))]
        weight = lm.model.get_output_embeddings().weight
        softcap = getattr(lm.model.config, "final_logit_softcapping", None)
        prefix_cache, _ = self.prefix_state(lm)
        cache = copy.deepcopy(prefix_cache)
        body = lm.model.model
        with torch.inference_mode():
            out = body(input_ids=torch.tensor([[int(i) for i in ids]]), cache=cache, use_cache=True)
            cache = out.cache
            first = torch.log_softmax(_logits(weight, out.last_hidden_state[0, -1], None, softcap), dim=-1)
            by_token: dict[int, list[int]] = {}
            for k in starts:
                by_token.setdefault(passage_ids[k], []).append(k)
            likely = sorted(by_token, key=lambda t: -float(first[t]))
            ranked = likely[: self.beams]
            if self.typed_beams and kind in ("number", "date", "person", "place", "reason"):
                typed = [t for t in likely[self.beams:] if any(starts_kind(kind, text, passage[k][1]) for k in by_token[t])]
                ranked += typed[: self.typed_beams]
            if not ranked:
                return []
            crossable = list_commas(raw, sentence_of, self.max_answer_tokens) if self.cross_list_commas else set()
            nodes = _build_trie(ranked, by_token, passage_ids, sentence_of, end_ids, context_tokens=raw,
                                max_tokens=self.max_answer_tokens, budget=self.tree_budget, crossable=crossable)
            past = cache.get_seq_length()
            masks = _tree_masks(nodes, past, int(getattr(lm.model.config, "sliding_window", 0) or 0))
            positions = torch.tensor([[past + node.depth for node in nodes]])
            tree = body(input_ids=torch.tensor([[node.token for node in nodes]]), cache=cache, use_cache=True,
                        attention_mask=masks, position_ids=positions)
            hidden = tree.last_hidden_state[0]
            union = sorted(set(end_ids).union(*[set(node.children) for node in nodes]))
            column = {t: j for j, t in enumerate(union)}
            rows = _logits(weight, hidden, torch.tensor(union), softcap)  # (nodes, len(union))
            spans = []
            for index, node in enumerate(nodes):
                parent = nodes[node.parent] if node.parent >= 0 else None
                node.logprob = float(first[node.token]) if parent is None else parent.logprob + parent.child_logprob[node.token]
                children = list(node.children)
                stoppers = [t for t in end_ids if t not in node.children]
                choices = children + stoppers
                lp = torch.log_softmax(rows[index, [column[t] for t in choices]], dim=-1)
                node.child_logprob = {t: float(lp[j]) for j, t in enumerate(children)}
                s, k = node.positions[0]
                if not stoppers or not any(ends_word[j - 1] for _, j in node.positions):
                    continue
                stop = float(torch.logsumexp(lp[len(children):], dim=0))
                a = passage[s][1]
                while a < passage[s][2] - 1 and text[a].isspace():
                    a += 1  # a token's own leading space may be the space joining two sentences
                start, end = char_map[a][1], char_map[passage[k - 1][2] - 1][1] + 1
                first_lp = float(first[passage_ids[s]])
                spans.append(SpanCandidate(start, end, sentence_of[s], node.logprob + stop, first_lp, node.depth + 1))
        return spans


@dataclass
class _Node:
    """A node of the answer trie: one token after its parent's, at the passage runs it matches."""

    token: int
    parent: int  # index in the node list, -1 for a first token
    depth: int
    positions: list[tuple[int, int]]  # (start index, next index) of the passage runs matched
    children: dict[int, int] = field(default_factory=dict)  # token → node index
    logprob: float = 0.0
    child_logprob: dict[int, float] = field(default_factory=dict)


def _build_trie(
    ranked: Sequence[int],
    by_token: dict[int, list[int]],
    passage_ids: Sequence[int],
    sentence_of: Sequence[int],
    end_ids: Sequence[int],
    context_tokens: Sequence[str],
    max_tokens: int,
    budget: int,
    crossable: set[int] | frozenset[int] = frozenset(),
) -> list[_Node]:
    """Breadth-first trie of the passage token runs starting with the ``ranked`` first tokens.

    A run never crosses a sentence and stops before punctuation that ends an answer
    (a comma or point between digits continues a number; a comma at a passage index in
    ``crossable`` — inside a list — may be continued through).  At most ``budget`` nodes.
    """
    ends = set(end_ids)
    nodes = [_Node(t, -1, 0, [(k, k + 1) for k in by_token[t]]) for t in ranked]
    frontier = list(range(len(nodes)))
    while frontier and len(nodes) < budget:
        following = []
        for index in frontier:
            node = nodes[index]
            if node.depth + 1 >= max_tokens:
                continue
            options: dict[int, list[tuple[int, int]]] = {}
            for s, k in node.positions:
                if k >= len(passage_ids) or sentence_of[k] != sentence_of[s]:
                    continue
                token = passage_ids[k]
                inside_number = (
                    context_tokens[k].strip() in (".", ",")
                    and context_tokens[k - 1][-1:].isdigit()
                    and k + 1 < len(passage_ids)
                    and context_tokens[k + 1][:1].isdigit()
                )
                if token in ends and not inside_number and k not in crossable:
                    continue  # punctuation that ends the answer counts as stopping
                options.setdefault(token, []).append((s, k + 1))
            for token, runs in options.items():
                if len(nodes) >= budget:
                    break
                node.children[token] = len(nodes)
                following.append(len(nodes))
                nodes.append(_Node(token, index, node.depth + 1, runs))
        frontier = following
    return nodes


def _ends_word(raw: Sequence[str], sentence_of: Sequence[int], k: int) -> bool:
    """Whether an answer may end with token ``k``: not a bare space, not inside a word or a number ("19|53", "8|,848")."""
    if not raw[k].strip() or raw[k].rstrip()[-1] in "-'’(«\"“" or raw[k].strip() == ",":
        return False  # Gemma's space before digits; "Pierre-", "l'", an opening bracket; a list's comma
    if raw[k].strip() in (".", ",") and k > 0 and raw[k - 1][-1:].isdigit() and k + 1 < len(raw) and raw[k + 1][:1].isdigit():
        return False  # the comma of "8,848"
    if k + 1 >= len(raw) or sentence_of[k + 1] != sentence_of[k]:
        return True
    after = raw[k + 1]
    if after[:1].isspace():
        return True
    if after[:1].isalnum():
        return not raw[k][-1:].isalnum()  # "Pierre-|Jules" may end, "Hett|zel" may not
    inside_number = after.strip() in (".", ",") and raw[k][-1:].isdigit() and k + 2 < len(raw) and raw[k + 2][:1].isdigit()
    return not inside_number


def _tree_masks(nodes: Sequence[_Node], past: int, window: int) -> dict[str, Any]:
    """Additive attention masks for the trie pass: every node sees the cached prompt and its ancestors.

    For sliding-window layers the cache holds at most ``window - 1`` past tokens and a
    query at position p sees keys at positions > p - window.
    """
    import torch

    count = len(nodes)
    allowed = torch.zeros(count, count, dtype=torch.bool)
    for index, node in enumerate(nodes):
        allowed[index, index] = True
        if node.parent >= 0:
            allowed[index] |= allowed[node.parent]
    negative = torch.finfo(torch.float32).min
    full = torch.cat([torch.ones(count, past, dtype=torch.bool), allowed], dim=1)
    masks = {"full_attention": torch.where(full, 0.0, negative)[None, None]}
    if window:
        kept = min(past, window - 1)
        key_positions = torch.arange(past - kept, past)
        query_positions = torch.tensor([past + node.depth for node in nodes])
        visible = (query_positions[:, None] - key_positions[None, :]) < window
        sliding = torch.cat([visible, allowed], dim=1)
        masks["sliding_attention"] = torch.where(sliding, 0.0, negative)[None, None]
    else:
        masks["sliding_attention"] = masks["full_attention"]
    return masks


def _tensor_bytes(cache: Any) -> int:
    """Bytes held by the key and value tensors of a transformers cache (0 if it has none)."""
    total = 0
    for layer in getattr(cache, "layers", None) or []:
        for name in ("keys", "values"):
            tensor = getattr(layer, name, None)
            if tensor is not None and hasattr(tensor, "element_size"):
                total += tensor.numel() * tensor.element_size()
    return total


def _char_map(context: str, chosen: Sequence[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """For each character of the prompt's text: (index in ``chosen``, position in ``context``).

    The text is the chosen sentences with runs of whitespace squeezed to one space and
    joined by a space; a squeezed space maps to the first of its run, a joining space
    to the end of the previous sentence.
    """
    mapping: list[tuple[int, int]] = []
    for index, (s, e) in enumerate(chosen):
        if index:
            mapping.append((index - 1, chosen[index - 1][1] - 1))  # the joining space
        position = s
        while position < e and context[position].isspace():
            position += 1
        previous_space = False
        for p in range(position, e):
            if context[p].isspace():
                if not previous_space:
                    mapping.append((index, p))
                previous_space = True
            else:
                mapping.append((index, p))
                previous_space = False
        while mapping and mapping[-1][0] == index and context[mapping[-1][1]].isspace():
            mapping.pop()  # trailing spaces were stripped by split()
    if len(mapping) != len(text):  # cannot happen for text built with split()/join() as in _decode
        raise ValueError("character map does not match the prompt text")
    return mapping


def _logits(weight: Any, hidden: Any, rows: Any, softcap: float | None) -> Any:
    """Output-layer logits for ``rows`` of the vocabulary only (all of it when ``rows`` is None)."""
    matrix = weight if rows is None else weight.index_select(0, rows)
    logits = (hidden.float() @ matrix.float().T)
    if softcap:
        logits = logits.div(softcap).tanh().mul(softcap)
    return logits


def _starts_word(text: str, start: int, end: int, raw: str) -> bool:
    """Whether the token ``text[start:end]`` (``raw`` includes a leading space it owns) may begin an answer."""
    piece = text[start:end]
    if not piece.strip():
        return end < len(text) and text[end:end + 1].isdigit() and raw.startswith(" ")  # Gemma's space before digits
    if raw[:1] == " " or start == 0:
        head = piece.strip()[0]
        return head.isalnum() or head in "«\"'(“£$€"
    before = text[start - 1]
    return (before.isspace() or before in "(«\"'“-/£$€") and piece[0].isalnum()


def _end_ids(lm: Any) -> list[int]:
    """Token ids that end an answer: end of text, line breaks, full stop, comma, semicolon."""
    cached = getattr(lm, "_qa_end_ids", None)
    if cached is not None:
        return cached
    ids = set(getattr(lm, "stop_ids", set()))
    for text in ("\n", "\n\n", ".", ",", ";", " .", "?"):
        encoded, _ = lm.encode(text, add_bos=False)
        if len(encoded) == 1:
            ids.add(int(encoded[0]))
    eos = getattr(lm.tokenizer, "eos_token_id", None)
    if eos is not None:
        ids.add(int(eos))
    result = sorted(ids)
    try:
        lm._qa_end_ids = result
    except AttributeError:
        pass
    return result


def _snap_to_date(context: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """Widen a span that is part of a date to the whole date ('1953' in 'on 29 May 1953' → '29 May 1953').

    The small model often copies only the year; a date's day and month belong to it, and so do
    the words that narrow a month ('the beginning of May', see :func:`~span_rules.period_start`).
    """
    for match in DATE_RE.finditer(context, sentence[0], sentence[1]):
        if match.start() <= start and end <= match.end() and (match.start(), match.end()) != (start, end):
            start, end = match.start(), match.end()
            break
    return period_start(context, sentence, start), end


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
