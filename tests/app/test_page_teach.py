"""AppTest of the Teach page: bundled examples → train → classify; empty and duplicate names, empty classes."""

from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page


def test_bundled_examples_train_a_head_that_names_a_new_photo(lang):
    app = open_page("pages/teach.py", lang)
    assert_no_exception(app)
    assert t("teach.title", lang) in all_text(app)
    app.selectbox(key="teach_sample_0").select("dog").run()
    app.selectbox(key="teach_sample_1").select("coffee").run()
    app.text_input(key="teach_name_0").input("Rex").run()
    app.text_input(key="teach_name_1").input("Espresso").run()
    app.button(key="teach_add_sample_0").click().run()
    app.button(key="teach_add_sample_1").click().run()
    assert_no_exception(app)
    assert all_text(app).count(t("teach.examples_count", lang, n=5)) == 2
    app.button(key="teach_train").click().run()
    assert_no_exception(app)
    assert len(app.get("arrow_line_chart")) >= 1 or t("teach.curve_caption", lang) in all_text(app)
    app.button(key="teach_test_sample_2").click().run()  # the coffee photo itself
    assert_no_exception(app)
    assert t("teach.verdict", lang, label="Espresso", score=0.0).split("(")[0].strip() in all_text(app)


def test_empty_class_and_bad_names_give_clear_messages():
    app = open_page("pages/teach.py", "fr")
    app.button(key="teach_add_sample_0").click().run()
    app.button(key="teach_train").click().run()
    assert t("error.teach_no_examples", "fr", name=t("teach.default_name", "fr", n=2)) in all_text(app)
    app.button(key="teach_add_sample_1").click().run()
    app.text_input(key="teach_name_1").input(t("teach.default_name", "fr", n=1).upper()).run()
    app.button(key="teach_train").click().run()
    assert "Deux classes s'appellent" in all_text(app)
    app.text_input(key="teach_name_1").input("   ").run()
    app.button(key="teach_train").click().run()
    assert t("error.teach_empty_name", "fr") in all_text(app)
    assert_no_exception(app)
