"""The span-form rules of the Gemma span reader (dl_apps.tasks.qa.span_rules), on small passages."""

from __future__ import annotations

import pytest

from dl_apps.tasks.qa import split_sentences
from dl_apps.tasks.qa.span_rules import list_commas, nearness, period_start, reason_span, starts_kind, type_fit
from dl_apps.tasks.qa.text import content_stems, expected_units, question_type, word_overlap


def fit_of(question: str, context: str, span: str) -> float:
    """type_fit of the first occurrence of ``span`` in ``context``, for ``question``."""
    start = context.index(span)
    sentence = next(s for s in split_sentences(context) if s[0] <= start < s[1])
    return type_fit(question_type(question), expected_units(question), content_stems(question), context, sentence,
                    start, start + len(span))


TOWER = "The tower, finished in 1889, is 330 metres tall and was built by Gustave Eiffel in Paris."


def test_a_count_beats_a_year_for_how_many():
    question = "How tall is the tower?"
    assert fit_of(question, TOWER, "330 metres") > fit_of(question, TOWER, "330") > 0
    assert fit_of(question, TOWER, "1889") == -1.0  # a year is not an amount
    assert fit_of(question, TOWER, "Gustave Eiffel") == -1.0
    assert fit_of("How many kilograms is the tower?", TOWER, "330 metres") < fit_of(question, TOWER, "330 metres")


def test_a_date_fits_when_questions():
    question = "When was the tower finished?"
    assert fit_of(question, TOWER, "1889") == 1.0
    assert fit_of(question, TOWER, "330 metres") == pytest.approx(-0.3)
    assert fit_of(question, TOWER, "Gustave Eiffel") == -1.0


def test_names_fit_who_and_where_by_the_word_before_them():
    assert question_type("Who built the tower?") == "person" and question_type("Where is the tower?") == "place"
    assert fit_of("Who built the tower?", TOWER, "Gustave Eiffel") == 1.0
    assert fit_of("Who built the tower?", TOWER, "Paris") == 0.0  # after 'in': a place, not a person
    assert fit_of("Where is the tower?", TOWER, "Paris") == 1.0
    assert fit_of("Where is the tower?", TOWER, "Gustave Eiffel") == 0.0  # after 'by': an agent
    assert fit_of("Where is the tower?", TOWER, "1889") == -1.0
    french = "Le pont fut dessiné par Marc Seguin à Tournon."
    assert fit_of("Qui a dessiné le pont ?", french, "Marc Seguin") == 1.0
    assert fit_of("Où se trouve le pont ?", french, "Tournon") == 1.0


DAM = "The dam has a core of clay because it must stay watertight, and it is 31 metres high. Oscar built it."
BARRAGE = "On l'a sauvé parce qu'il servait de réserve d'eau pour la ville basse. Il mesure 31 mètres."


def test_a_reason_is_the_whole_clause_after_because():
    question = "Why does the dam have a core of clay?"
    assert question_type(question) == "reason"
    assert fit_of(question, DAM, "it must stay watertight") == 1.0
    assert fit_of(question, DAM, "because it must stay watertight") == 1.0  # the cue may come with it
    assert fit_of(question, DAM, "it must stay") == 0.5  # cut inside the clause
    assert fit_of(question, DAM, "a core of clay") == 0.0
    assert fit_of(question, DAM, "31 metres") == -0.5
    assert fit_of("Pourquoi l'a-t-on sauvé ?", BARRAGE, "il servait de réserve d'eau pour la ville basse") == 1.0
    # the small model stops early: a reason after the cue is widened to its clause's end, other spans are kept
    sentence = split_sentences(DAM)[0]
    start = DAM.index("it must")
    assert DAM[slice(*reason_span(DAM, sentence, start, DAM.index(" stay")))] == "it must stay watertight"
    french = split_sentences(BARRAGE)[0]
    start = BARRAGE.index("il servait")
    assert BARRAGE[slice(*reason_span(BARRAGE, french, start, BARRAGE.index(" pour")))] == "il servait de réserve d'eau pour la ville basse"
    core = DAM.index("a core")
    assert reason_span(DAM, sentence, core, core + 6) == (core, core + 6)
    # first-token filter: a word right after a cue, or the cue itself; 'car' inside 'Oscar' is no cue
    assert starts_kind("reason", DAM, DAM.index("it must")) and starts_kind("reason", DAM, DAM.index("because"))
    assert starts_kind("reason", BARRAGE, BARRAGE.index("il servait"))
    assert not starts_kind("reason", DAM, DAM.index("built")) and not starts_kind("reason", DAM, DAM.index("a core"))


def test_a_month_takes_the_words_that_narrow_it():
    for context, month, expected in [
        ("The walk is held on the last Saturday of November.", "November", "the last Saturday of November"),
        ("They come back at the beginning of May.", "May", "the beginning of May"),
        ("La fête a lieu le dernier dimanche d'octobre.", "octobre", "le dernier dimanche d'octobre"),
        ("Les travaux finissent fin mai.", "mai", "fin mai"),
        ("The Mayor came in May.", "May", "May"),
    ]:
        start = context.index(month)
        assert context[period_start(context, (0, len(context)), start) : start + len(month)] == expected
    start = DAM.index("clay")
    assert period_start(DAM, (0, len(DAM)), start) == start  # not a month


def test_durations_and_prices_expect_their_units():
    assert "jour" in expected_units("Combien de temps le fromage doit-il mûrir ?")
    assert "franc" in expected_units("Combien a coûté le chantier ?") and "pound" in expected_units("How much did it cost?")
    context = "Le chantier dura 90 jours, employa 120 ouvriers et coûta 310 000 francs."
    assert fit_of("Combien de temps dura le chantier ?", context, "90 jours") > fit_of("Combien de temps dura le chantier ?", context, "120 ouvriers")
    assert fit_of("Combien a coûté le chantier ?", context, "310 000 francs") > fit_of("Combien a coûté le chantier ?", context, "120 ouvriers")


def test_other_questions_and_long_spans_get_no_bonus():
    assert fit_of("What was the tower?", TOWER, "330 metres") == 0.0
    assert fit_of("Why was the tower built?", TOWER, "Gustave Eiffel") == 0.0  # no cue before it
    long_span = "330 metres tall and was built by Gustave Eiffel"
    assert fit_of("How tall is the tower?", TOWER, long_span) <= 0.0


def test_first_token_filter_knows_the_forms():
    text = "In 1889 it rose 330 metres; Eiffel, twelve workers, the crowd, May, £5"
    at = text.index
    assert starts_kind("number", text, at("330")) and starts_kind("number", text, at("twelve"))
    assert not starts_kind("number", text, at("1889"))  # a year
    assert starts_kind("number", text, at("£5"))
    assert starts_kind("date", text, at("1889")) and starts_kind("date", text, at("May"))
    assert not starts_kind("date", text, at("Eiffel"))
    assert starts_kind("person", text, at("Eiffel")) and not starts_kind("person", text, at("the crowd"))
    assert starts_kind("place", text, at(" Eiffel"))  # leading spaces are skipped


def test_list_commas_are_the_commas_of_a_list_only():
    # token pieces as a tokenizer would give them, one sentence then another
    raw = [" Florey", ",", " Chain", " and", " Heatley", ".", " In", " 1945", ",", " they", " won", "."]
    sentence_of = [0] * 6 + [1] * 6
    assert list_commas(raw, sentence_of, window=8) == {1}  # the second comma has no 'and' after it
    assert list_commas(raw, sentence_of, window=1) == set()  # 'and' is out of reach
    french = [" Paris", ",", " Lyon", " et", " Lille"]
    assert list_commas(french, [0] * 5, window=4) == {1}


def test_nearness_prefers_the_span_beside_the_question_words():
    context = "Gustave Eiffel designed the tower while Paris hosted the fair."
    question = "Who designed the tower?"
    sentence = split_sentences(context)[0]
    weights, _ = word_overlap(question, [content_stems(context[s:e]) for s, e in [sentence]])

    def near(span: str) -> float:
        start = context.index(span)
        return nearness(weights, context, sentence, start, start + len(span))

    assert near("Gustave Eiffel") == pytest.approx(1.0)  # 'designed' follows at once
    assert 0.0 < near("Paris") < near("Gustave Eiffel")
    assert nearness({}, context, sentence, 0, 7) == 0.0


def test_the_trie_goes_through_a_list_comma_only_when_allowed():
    from dl_apps.tasks.qa.span_reader import _build_trie

    raw = [" Florey", ",", " Chain", ".", " Next"]
    ids = [10, 11, 12, 13, 14]
    sentence_of = [0, 0, 0, 0, 1]

    def deepest(crossable: set[int]) -> int:
        nodes = _build_trie([10], {10: [0]}, ids, sentence_of, [11, 13], context_tokens=raw, max_tokens=6,
                            budget=20, crossable=crossable)
        return max(node.depth for node in nodes)

    assert deepest(set()) == 0  # stops at the comma: 'Florey'
    assert deepest({1}) == 2  # 'Florey, Chain', then the full stop ends it
