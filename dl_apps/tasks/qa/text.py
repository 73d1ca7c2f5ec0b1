"""The text analyser of the offline reader: words, stems, sentences, question types and candidate spans.

Pure Python (regular expressions and Unicode folding); no model.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence


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
APPROX_WORDS = frozenset(
    "about around over under nearly almost roughly more than less some environ près plus moins presque".split()
)
_MONTH_ALT = "|".join(MONTHS)
DATE_RE = re.compile(
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
        ("temps", "duree", "dure", "durai", "durer", "lasted", "took", "take"),
        ("jour", "day", "week", "semai", "mois", "month", "year", "an", "ans", "heure", "hour", "minut", "siecl", "centu"),
    ),
    (
        ("cost", "coute", "couta", "prix", "price", "paid", "paye", "payai", "spent", "depen"),
        ("franc", "euro", "dolla", "livre", "pound", "penny", "pence", "shill", "guine"),
    ),
    (
        ("people", "inhabitants", "habitants", "population", "visit", "visite", "person", "personnes"),
        ("people", "inhab", "habit", "person", "visit", "million", "milli"),
    ),
)


def expected_units(question: str) -> tuple[str, ...]:
    """Unit prefixes a 'how tall / how heavy / combien pèse' question expects (empty if none)."""
    stems = {fold(tok.text) for tok in tokens(question)}
    units: list[str] = []
    for cues, unit_prefixes in _UNIT_HINTS:
        if any(stem.startswith(cue[:5]) for stem in stems for cue in cues):
            units.extend(unit_prefixes)
    return tuple(units)


def unit_fit(units: tuple[str, ...], words: Sequence["_Token"]) -> float:
    """+1 if the span's unit is one the question expects, -0.5 if it has another unit."""
    if not units:
        return 0.0
    unit_words = [fold(w.text) for w in words if not w.is_number and not w.is_stop and w.lower not in APPROX_WORDS]
    if not unit_words:
        return 0.0
    unit = unit_words[0]
    return 1.0 if any(unit == u or (len(u) > 2 and unit.startswith(u)) for u in units) else -0.5


# Words that introduce a reason: the clause after them answers a 'why' question
REASON_RE = re.compile(
    r"\b(because|since|due to|so that|in order to|parce qu(?:e|')|car|à cause d(?:e|u|es)|grâce à|afin de|pour que)\b",
    re.IGNORECASE,
)


def question_type(question: str) -> str:
    """The kind of answer a question asks for: person, date, number, place, reason or other."""
    for kind, pattern in _QUESTION_CUES:
        if pattern.search(question):
            return kind
    return "other"


def fold(word: str) -> str:
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
    return {fold(tok.text) for tok in tokens(text) if not tok.is_stop and len(tok.text) > 1}


def stem_in(stem: str, stems: set[str]) -> bool:
    """Whether ``stem`` matches one of ``stems`` on a common prefix ('die' ≈ 'died', 'born' ≈ 'borne')."""
    if stem in stems:
        return True
    for other in stems:
        k = min(len(stem), len(other))
        if k >= 3 and stem[:k] == other[:k]:
            return True
    return False


def word_overlap(question: str, sentence_stems: Sequence[set[str]]) -> tuple[dict[str, float], list[float]]:
    """The weight of each question word (rare among the sentences = telling, like IDF; 0 if absent)
    and, per sentence, the share of that weight its words cover (0–1)."""
    weights: dict[str, float] = {}
    for stem in content_stems(question):
        frequency = sum(stem_in(stem, stems) for stems in sentence_stems)
        weights[stem] = math.log(1.0 + len(sentence_stems) / (frequency + 0.5)) if frequency else 0.0
    total = sum(weights.values()) or 1.0
    return weights, [sum(w for stem, w in weights.items() if stem_in(stem, stems)) / total for stems in sentence_stems]


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

    for match in DATE_RE.finditer(text):
        add(start + match.start(), start + match.end(), "date")

    # numbers, with an approximation word before and a unit (or 'million ...') after
    for i, tok in enumerate(words):
        if not tok.is_number or is_year(tok) or (tok.is_stop and not tok.text[0].isdigit()):
            continue  # years are dates; 'un'/'une' are articles far more often than numbers
        j = i
        while j + 1 < len(words) and words[j + 1].is_number and words[j + 1].start - words[j].end <= 1:
            j += 1
        first = i
        if i > 0 and words[i - 1].lower in APPROX_WORDS:
            first = i - 1
            if i > 1 and words[i - 2].lower in APPROX_WORDS:
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
    for match in REASON_RE.finditer(text):
        clause_end = len(text)
        for sep in (",", ";", "."):
            position = text.find(sep, match.end())
            if position != -1:
                clause_end = min(clause_end, position)
        add(start + match.end(), start + clause_end, "clause")
    return list(found.values())


_KIND_RANK = {"chunk": 0, "clause": 1, "proper": 2, "number": 3, "date": 4}


def is_year(tok: _Token) -> bool:
    """Whether a token is a year between 1000 and 2099 (a date, not a count)."""
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
