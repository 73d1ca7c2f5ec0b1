"""AppTest of the sentiment page: samples, own text, batch, bad input — no exception, ever."""

from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page


def test_sample_click_shows_verdict_and_baseline(lang):
    app = open_page("pages/sentiment.py", lang)
    assert_no_exception(app)
    assert t("sentiment.title", lang) in all_text(app)
    app.button(key="sentiment_sample_0").click().run()  # English, clearly positive
    assert_no_exception(app)
    text = all_text(app)
    assert t("sentiment.verdict", lang, label=t("sentiment.label.positive", lang), score=0.0).split("(")[0].strip() in text
    assert t("sentiment.baseline_title", lang) in text


def test_french_sample_is_read_as_negative():
    app = open_page("pages/sentiment.py", "fr")
    app.button(key="sentiment_sample_4").click().run()  # "Je suis très déçu..."
    assert_no_exception(app)
    assert "Verdict : **négatif**" in all_text(app)


def test_empty_text_gives_a_clear_message(lang):
    app = open_page("pages/sentiment.py", lang)
    app.button[len(app.button) - 1]  # the page renders its buttons
    analyse = [b for b in app.button if b.label == t("sentiment.analyse", lang)][0]
    analyse.click().run()
    assert_no_exception(app)
    assert t("error.empty_text", lang) in all_text(app)


def test_batch_of_pasted_lines_gives_a_table():
    app = open_page("pages/sentiment.py")
    app.text_area(key="sentiment_batch_text").input("I love it\n\nI hate it\nThe bus leaves at nine").run()
    [b for b in app.button if b.label == t("sentiment.batch_run", "en")][0].click().run()
    assert_no_exception(app)
    assert len(app.dataframe[0].value) == 3
    assert "3 texts analysed" in all_text(app)
    app.text_area(key="sentiment_batch_text").input("I love it").run()  # any other rerun keeps the last table
    assert len(app.dataframe[0].value) == 3


def test_a_bad_batch_replaces_the_last_table_with_its_message():
    app = open_page("pages/sentiment.py", "fr")
    app.text_area(key="sentiment_batch_text").input("J'adore").run()
    [b for b in app.button if b.label == t("sentiment.batch_run", "fr")][0].click().run()
    assert len(app.dataframe) == 1
    app.text_area(key="sentiment_batch_text").input("").run()
    [b for b in app.button if b.label == t("sentiment.batch_run", "fr")][0].click().run()
    assert_no_exception(app)
    assert t("error.empty_batch", "fr") in all_text(app) and len(app.dataframe) == 0


def test_empty_batch_gives_a_clear_message():
    app = open_page("pages/sentiment.py", "fr")
    [b for b in app.button if b.label == t("sentiment.batch_run", "fr")][0].click().run()
    assert_no_exception(app)
    assert t("error.empty_batch", "fr") in all_text(app)
