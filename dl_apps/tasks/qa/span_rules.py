"""Rules on the form of an answer span, for the Gemma span reader's ranking (:mod:`span_reader`).

The language model scores how likely a span follows "Answer:", but a 270M base model often stops a
list after its first item, or picks a year where the question asks how many.  These rules add
what the question's type says about the span's form:

* :func:`type_fit`: a number for "how many", a date for "when", a capitalised name for "who",
  for "why" the whole clause after 'because', 'car', 'parce que'…;
* :func:`nearness`: how close the span sits to the question's telling words in its sentence;
* :func:`list_commas`: the commas inside "A, B and C", which the decoder may continue through;
* :func:`reason_span`: a reason after 'because' runs to the end of its clause;
* :func:`period_start`: 'the beginning of' before 'May' belongs to the date;
* :func:`starts_kind`: whether a word has the form the question asks for (to keep such first
  tokens among the decoder's beams).

They were tuned on the evaluation set's tuning and development splits only, never on held-out.
Pure functions on the passage text; no model here.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from dl_apps.tasks.qa.text import (
    APPROX_WORDS,
    DATE_RE,
    MONTHS,
    NUMBER_WORDS,
    REASON_RE,
    STOP_WORDS,
    fold,
    is_year,
    stem_in,
    tokens,
    unit_fit,
)

COORDINATORS = frozenset("and or nor et ou ni".split())
_PLACE_BEFORE = frozenset("in at from near à dans en vers près".split())  # 'de'/'to' also precede names of people
_AGENT_BEFORE = frozenset("by par".split())
# (no final \b: "parce qu'" ends with an apostrophe, and the search stops at the word that follows)
_REASON_WORDS = REASON_RE.pattern.removesuffix(r"\b")
_REASON_BEFORE = re.compile(rf"(?:{_REASON_WORDS})\s*$", re.IGNORECASE)
_CLAUSE_ENDS = ",;.:!?()"
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|week-end|week|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|semaine"
# What may stand before a month and belongs to the date: 'the last Saturday of', 'the beginning of', 'le dernier dimanche d''
_PERIOD_BEFORE = re.compile(
    rf"(?:\b(?:the|le|la|l')\s*)?\b(?:(?:first|last|second|third|fourth|premier|première|dernier|dernière|deuxième|troisième|quatrième)"
    rf"\s+(?:{_DAYS})\s+(?:of|in|de|du|d')|(?:beginning|start|end|middle)\s+of|(?:début|fin|milieu)(?:\s+(?:de|du)|\s*d')?|early|late|mid-|mi-)\s*$",
    re.IGNORECASE,
)
_MORE_NUMBERS = frozenset("fourteen sixteen seventeen eighteen nineteen treize quatorze seize dix-sept dix-huit dix-neuf".split())


def list_commas(raw: Sequence[str], sentence_of: Sequence[int], window: int) -> set[int]:
    """Passage indices of commas inside a list: 'A, B and C' (a coordinator follows within ``window`` tokens,
    before a stronger stop or the end of the sentence); a comma inside a number is handled apart."""
    crossable = set()
    for k, piece in enumerate(raw):
        if piece.strip() != ",":
            continue
        for j in range(k + 1, min(len(raw), k + 1 + window)):
            word = raw[j].strip().lower()
            if sentence_of[j] != sentence_of[k] or word in (".", ";", ":", "?", "!", "(", ")"):
                break
            if word in COORDINATORS:
                crossable.add(k)
                break
    return crossable


def starts_kind(kind: str, text: str, position: int) -> bool:
    """Whether the word at ``text[position:]`` has the form a question type asks for (first-token filter)."""
    while position < len(text) and text[position].isspace():
        position += 1
    word = re.match(r"[^\W_]+", text[position : position + 30])
    if word is None:
        return kind == "number" and text[position : position + 1] in "£$€"
    w = word.group()
    if kind == "number":
        return (w[0].isdigit() and not re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", w)) or w.lower() in (NUMBER_WORDS | _MORE_NUMBERS) - {"un", "une", "one"}
    if kind == "date":
        return w[0].isdigit() or w.lower() in MONTHS
    if kind == "reason":
        return gives_reason(text, position, len(text))
    return w[0].isupper() and w.lower() not in STOP_WORDS


def after_reason_cue(text: str, position: int) -> bool:
    """Whether ``text[position:]`` starts right after words that introduce a reason ('because ', "parce qu'")."""
    return bool(_REASON_BEFORE.search(text, max(0, position - 30), position))  # \b sees the text before the window


def starts_with_reason_cue(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` begins with such words and goes on after them ('because it rained')."""
    cue = REASON_RE.match(text, start, end)
    return bool(cue) and bool(text[cue.end() : end].strip())


def gives_reason(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` reads as a reason: right after such words, or starting with them."""
    return after_reason_cue(text, start) or starts_with_reason_cue(text, start, end)


def type_fit(kind: str, units: tuple[str, ...], asked: set[str], context: str, sentence: tuple[int, int],
             start: int, end: int) -> float:
    """How well a span's form fits the question type, about -1..2 (0 when it says nothing).

    The span's *head* is its first word after leading articles, prepositions and 'about'.
    number: a head number other than a year +1 (+0.5 with the unit the question expects,
    -0.25 with another; +0.5 if the next word is one of the question's, 'onze victimes'), a
    number further in -0.5, none (or a year) -1.  date: a head date, year or month +1, a date
    further in 0, another number -0.3, none -1.  person: a capitalised head name +1 (0 after a
    place preposition); place: a head name +1 after a place preposition, 0 after 'by', else
    +0.5; a head number or date -1 for both.  Spans of more than 6 words get at most 0.
    reason: a span right after (or starting with) 'because', 'car', 'parce que'… (:data:`~dl_apps.tasks.qa.text.REASON_RE`)
    +1 if it runs to the end of that clause (the next comma, point or the sentence's end; see
    :func:`reason_span`), +0.5 if it stops inside it; a head number or date -0.5; otherwise 0 (any length).
    """
    words = tokens(context[start:end], start)
    if kind == "reason" and words:
        return _reason_fit(context, sentence, start, end, words[0])
    if kind not in ("number", "date", "person", "place") or not words:
        return 0.0
    lead = 0
    while lead < len(words) - 1 and (words[lead].is_stop or words[lead].lower in APPROX_WORDS) and not words[lead].text[0].isdigit():
        lead += 1
    head = words[lead]
    previous = tokens(context[max(sentence[0], start - 20) : start])
    around = {w.lower for w in words[:lead]} | ({previous[-1].lower} if previous else set())

    def count(w: Any) -> bool:
        return (w.is_number or w.lower in _MORE_NUMBERS) and not is_year(w) and w.lower not in ("un", "une", "one")

    match = DATE_RE.match(context, head.start, sentence[1])
    dated_head = bool(match) or head.lower in MONTHS or is_year(head)
    if kind == "number":
        if count(head):
            last = [w for w in words if count(w)][-1]
            after = tokens(context[last.end : sentence[1]], last.end)[:1]
            named = bool(after) and not context[last.end : after[0].start].strip() and stem_in(fold(after[0].text), asked)
            fit = 1.0 + 0.5 * unit_fit(units, [w for w in words[lead:] if not count(w)]) + (0.5 if named else 0.0)
        else:
            fit = -0.5 if any(count(w) for w in words) else -1.0
    elif kind == "date":
        dated = bool(DATE_RE.search(context, start, end)) or any(w.lower in MONTHS for w in words)
        fit = 1.0 if dated_head else 0.0 if dated else -0.3 if any(count(w) for w in words) else -1.0
    elif head.is_number or dated_head:
        fit = -1.0
    elif not head.is_capital or head.is_stop or head.start == tokens(context[sentence[0] : sentence[1]], sentence[0])[0].start:
        fit = 0.0  # a common noun, or a capital that only starts the sentence
    elif kind == "person":
        fit = 0.0 if around & _PLACE_BEFORE else 1.0
    else:
        fit = 1.0 if around & _PLACE_BEFORE else 0.0 if around & _AGENT_BEFORE else 0.5
    return min(fit, 0.0) if len(words) - lead > 6 else fit


def _reason_fit(context: str, sentence: tuple[int, int], start: int, end: int, head: Any) -> float:
    """type_fit for a 'why' question (see there)."""
    if head.is_number or is_year(head):
        return -0.5  # 'since 1931', 'car 2' are no reasons
    if gives_reason(context, start, end):
        return 1.0 if clause_end(context, sentence, end) == end else 0.5
    return 0.0


def clause_end(context: str, sentence: tuple[int, int], end: int) -> int:
    """Where the clause that ``context[:end]`` is inside ends: the next comma, semicolon, colon or full stop
    (not one inside a number, '8,848'), or the end of the sentence (trailing spaces and points left out)."""
    position = end
    while position < sentence[1]:
        char = context[position]
        inside_number = char in ".," and context[position - 1 : position].isdigit() and context[position + 1 : position + 2].isdigit()
        if char in _CLAUSE_ENDS and not inside_number:
            break
        position += 1
    while position > end and context[position - 1].isspace():
        position -= 1
    return position


def reason_span(context: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """A 'why' answer that starts at (or right after) 'because', 'car', 'parce que'… runs to the end of its
    clause ('because it carried the main road to the port' → '… to the port of Kelham'): the small model
    often stops early, and a reason cut short does not answer."""
    if gives_reason(context, start, end):
        return start, clause_end(context, sentence, end)
    return start, end


def period_start(context: str, sentence: tuple[int, int], start: int) -> int:
    """Where a span starting with a month begins once the words that narrow the month are added
    ('November' in 'on the last Saturday of November' → 'the last Saturday of November'); ``start`` otherwise."""
    month = re.match(r"[^\W\d_]+", context[start : start + 12])
    if month is None or month.group().lower() not in MONTHS:
        return start
    found = _PERIOD_BEFORE.search(context, max(sentence[0], start - 40), start)
    return found.start() if found else start


def nearness(weights: dict[str, float], context: str, sentence: tuple[int, int], start: int, end: int) -> float:
    """0–1: how close the span sits to the question's telling words in its sentence (weight / (1 + words between / 2))."""
    top = max(weights.values(), default=0.0)
    if top <= 0:
        return 0.0
    words = tokens(context[sentence[0] : sentence[1]], sentence[0])
    inside = [i for i, w in enumerate(words) if start <= w.start < end]
    if not inside:
        return 0.0
    best = 0.0
    for i, w in enumerate(words):
        if inside[0] <= i <= inside[-1] or w.is_stop:
            continue
        weight = max((v for stem, v in weights.items() if stem_in(fold(w.text), {stem})), default=0.0)
        gap = inside[0] - i - 1 if i < inside[0] else i - inside[-1] - 1
        best = max(best, (weight / top) / (1.0 + gap / 2.0))
    return best
