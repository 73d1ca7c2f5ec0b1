"""AppTest of the question-answering page: samples in EN and FR, own passage, bad input."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dl_apps.tasks import qa

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "qa.py")
TIMEOUT = 120


def open_page(lang: str = "en") -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    return app.run()


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def markdown_text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_page_renders_in_both_languages_without_error():
    for lang, title in (("en", "Question answering"), ("fr", "Questions-réponses")):
        app = open_page(lang)
        assert not app.exception
        assert app.title[0].value == title
        assert any(e.label in ("How it works", "Comment ça marche") for e in app.expander)


def marked_answer(app: AppTest) -> str:
    """The text inside the highlighted answer (the passage's own span, escaped)."""
    found = re.search(r'<mark class="qa-answer">([^<]*)</mark>', markdown_text(app))
    assert found, "no highlighted answer"
    return found.group(1)


def check_answer_shown(app: AppTest, expected: str) -> None:
    """The answer holds ``expected`` (the default span reader may keep a word around it, such as 'in 1793')."""
    assert not app.exception
    assert expected in marked_answer(app)
    assert any(expected in m.value and "qa-answer-box" in m.value for m in app.markdown)
    assert any("badge[:material/timer:" in m.value and "ms" in m.value for m in app.markdown)  # latency
    assert len(app.dataframe) == 2  # runner-ups and the retrieval step


def test_sample_passage_then_sample_question_highlights_the_answer():
    app = open_page("en")
    button(app, "🇬🇧 Eiffel Tower").click().run()
    assert app.text_area(key="qa_context").value.startswith("The Eiffel")
    button(app, "How tall is the Eiffel Tower?").click().run()
    check_answer_shown(app, "330 metres")
    assert app.query_params["sample"] == "eiffel" and app.query_params["q"] == "2"


def test_french_sample_from_a_link():
    # One run only: AppTest re-formats the model selector's options outside the page's
    # language context on a second run, so the sample comes from the URL (as a shared link would).
    app = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    app.query_params.update({"lang": "fr", "sample": "mont_blanc", "q": "1"})
    app.run()
    check_answer_shown(app, "Jacques Balmat")
    assert app.title[0].value == "Questions-réponses"
    assert any("Réponse attendue" in c.value for c in app.caption)


def test_own_passage_with_markup_is_shown_as_text():
    app = open_page("en")
    app.text_area(key="qa_context").input("<script>alert('x')</script> <img src=x onerror=alert(1)> The museum opened in 1793 in Paris.")
    app.text_input(key="qa_question").input("When did the museum open?")
    button(app, "Answer").click().run()
    assert not app.exception
    text = markdown_text(app)
    assert "1793" in marked_answer(app)
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text


def test_question_with_no_answer_says_unsure():
    app = open_page("en")
    button(app, "🇬🇧 Eiffel Tower").click().run()
    app.text_input(key="qa_question").input("What is the capital of Japan?")
    button(app, "Answer").click().run()
    assert not app.exception
    assert any("unsure" in w.value for w in app.warning)


@pytest.mark.parametrize(
    "context,question,message",
    [("", "Who?", "Please paste a passage"), ("A passage.", "", "Please type a question")],
)
def test_empty_input_gives_a_clear_message(context, question, message):
    app = open_page("en")
    app.text_area(key="qa_context").input(context)
    app.text_input(key="qa_question").input(question)
    button(app, "Answer").click().run()
    assert not app.exception
    assert any(message in w.value for w in app.warning)


def test_very_long_passage_is_cut_with_a_notice():
    app = open_page("en")
    app.text_area(key="qa_context").input("The bridge was opened in 1932 by the mayor. " * 2_000)  # ~90k chars
    app.text_input(key="qa_question").input("When was the bridge opened?")
    button(app, "Answer").click().run()
    assert not app.exception
    assert any(f"{qa.MAX_CONTEXT_CHARS:,}" in i.value for i in app.info)
    assert "1932" in marked_answer(app)


class FakeUpload:
    """What st.file_uploader returns (AppTest has no uploader driver)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.size, self._data = name, len(data), data

    def getvalue(self) -> bytes:
        return self._data


@pytest.mark.parametrize(
    "data,question,expected,warning",
    [
        ("Le musée a ouvert en 1793 à Paris.".encode("latin-1"), "Quand le musée a-t-il ouvert ?", "1793", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "When?", None, "not text"),
        (b"a" * (qa.MAX_UPLOAD_BYTES + 1), "When?", None, "too large"),
    ],
    ids=["latin1-text", "binary", "too-large"],
)
def test_uploaded_passage(monkeypatch, data, question, expected, warning):
    import streamlit as st

    monkeypatch.setattr(st, "file_uploader", lambda *args, **kwargs: FakeUpload("passage.txt", data))
    app = open_page("en")
    app.text_input(key="qa_question").input(question)
    button(app, "Answer").click().run()
    assert not app.exception and not app.error
    if expected:
        assert expected in marked_answer(app)
    else:
        assert any(warning in w.value for w in app.warning)


def test_changing_a_setting_recomputes_the_answer():
    app = open_page("en")
    button(app, "🇬🇧 Marie Curie").click().run()
    button(app, "Where was Marie Curie born?").click().run()
    check_answer_shown(app, "Warsaw")
    app.slider(key="qa_top_sentences").set_value(1).run()
    assert not app.exception
    context = next(p["context"] for p in qa.samples() if p["id"] == "curie")
    expected = qa.run("Where was Marie Curie born?", context, top_sentences=1).answer  # the library, same setting
    assert any(f'<div class="qa-answer-box">{expected}</div>' == m.value for m in app.markdown)


def test_default_is_the_span_reader_with_the_measurements_that_chose_it_and_e5_stays_selectable():
    for lang, words in (("en", "held-out questions"), ("fr", "questions réservées")):
        app = open_page(lang)
        selector = app.selectbox(key="qa_model")
        assert selector.value == "qa-gemma3-span-reader"
        measured = next(c.value for c in app.caption if words in c.value)
        assert "`qa-gemma3-span-reader`" in measured and "`qa-e5-retrieve-select`" in measured and "%" in measured
        assert ("most accurate reader" if lang == "en" else "le plus juste") in measured
    app = open_page("en")
    app.selectbox(key="qa_model").set_value("qa-e5-retrieve-select").run()
    button(app, "🇬🇧 Marie Curie").click().run()
    button(app, "Where was Marie Curie born?").click().run()
    check_answer_shown(app, "Warsaw")
    context = next(p["context"] for p in qa.samples() if p["id"] == "curie")
    expected = qa.run("Where was Marie Curie born?", context, model_id="qa-e5-retrieve-select").answer
    assert any(f'<div class="qa-answer-box">{expected}</div>' == m.value for m in app.markdown)  # e5's own answer


def test_a_default_chosen_by_the_server_is_said_so(monkeypatch):
    from dl_apps.registry import DEFAULTS_ENV, load_registry

    monkeypatch.setenv(DEFAULTS_ENV, "qa=qa-e5-retrieve-select")
    load_registry.cache_clear()
    try:
        for lang, words in (("en", "chosen by its administrator"), ("fr", "choisi par son administrateur")):
            app = open_page(lang)
            assert not app.exception
            assert app.selectbox(key="qa_model").value == "qa-e5-retrieve-select"
            measured = next(c.value for c in app.caption if "DL_HUB_DEFAULT_MODELS" in c.value)
            assert words in measured and "1.5 s" not in measured and "1,5 s" not in measured
    finally:
        monkeypatch.delenv(DEFAULTS_ENV)
        load_registry.cache_clear()


def test_a_question_already_answered_for_another_session_is_shared_and_says_so(monkeypatch):
    from dl_apps import shared_results

    monkeypatch.setenv(shared_results.ENV, "1")
    shared_results.clear()
    link = {"sample": "mont_blanc", "q": "1"}
    try:
        first = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
        first.query_params.update({"lang": "en", **link})
        first.run()
        check_answer_shown(first, "Jacques Balmat")
        for lang, notice, badge in (
            ("en", "Someone on this server asked exactly this", "shared answer"),
            ("fr", "Quelqu'un sur ce serveur a posé exactement cette question", "réponse partagée"),
        ):
            later = AppTest.from_file(PAGE, default_timeout=TIMEOUT)  # another attendee, another session
            later.query_params.update({"lang": lang, **link})
            later.run()
            assert not later.exception
            assert "Jacques Balmat" in marked_answer(later)
            assert any(notice in info.value for info in later.info)
            assert any("badge[:material/group:" in m.value and badge in m.value for m in later.markdown)
            assert not any("badge[:material/timer:" in m.value for m in later.markdown)  # no "0 ms" shown
    finally:
        shared_results.clear()
