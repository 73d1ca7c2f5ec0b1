"""AppTest of the playground page: the URL set-up, one epoch, a lesson, absurd URL values — no exception, ever."""

from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page


def test_page_opens_and_one_epoch_draws_the_boundary(lang):
    app = open_page("pages/playground.py", lang)
    assert_no_exception(app)
    assert t("playground.title", lang) in all_text(app)
    app.button(key="pg_step").click().run()
    assert_no_exception(app)
    assert t("playground.status", lang, epoch=1, params=0, seconds=0.0).split("·")[0] in all_text(app)
    assert len(app.metric) == 4 and len(app.get("image")) >= 2  # boundary, inputs, units


def test_lesson_trains_over_several_ticks_and_writes_the_url():
    app = open_page("pages/playground.py", "en")
    app.button(key="pg_lesson_linear_xor").click().run()
    assert_no_exception(app)
    assert t("playground.lesson_text.linear_xor", "en") in all_text(app)
    epochs = []
    for _ in range(3):  # each run of the page = one tick of the live fragment
        epochs.append(app.session_state["playground_trainer"].epoch)
        app.run()
    assert epochs[0] > 0 and epochs[-1] >= epochs[0]
    assert app.query_params["dataset"] == "xor" and app.query_params["hidden"] == ""
    for _ in range(5):
        if not app.session_state["playground_running"]:
            break
        app.run()
    assert not app.session_state["playground_running"]  # the run ends on its own (80 epochs)
    assert app.session_state["playground_trainer"].history.test_accuracy[-1] < 0.7  # the lesson: a line fails


def test_absurd_url_values_are_clamped_with_a_notice():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import REPO_ROOT

    app = AppTest.from_file(str(REPO_ROOT / "pages/playground.py"), default_timeout=180)
    app.query_params.update({"lang": "fr", "lr": "inf", "hidden": "99,3,3,3,3,3", "batch": ["5", "-7"], "epochs": "1e400", "dataset": "<b>x</b>", "bn": "[]"})
    app.run()
    assert_no_exception(app)
    text = all_text(app)
    assert "lr=inf" in text and "<b>" not in text
    assert app.session_state["pg_lr"] == 0.03 and app.session_state["pg_batch"] == 1
    assert app.session_state["pg_layers"] == 4 and app.session_state["pg_units_0"] == 16
    app.button(key="pg_step").click().run()
    assert_no_exception(app)
