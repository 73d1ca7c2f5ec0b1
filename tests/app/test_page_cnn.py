"""AppTest of the CNN page: one epoch of live training, then filters, feature maps, confusion matrix, mistakes."""

from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page


def test_one_epoch_trains_and_opens_up_the_network():
    app = open_page("pages/cnn.py", "fr")
    assert_no_exception(app)
    assert t("cnn.not_trained", "fr") in all_text(app)
    app.slider(key="cnn_epochs").set_value(1).run()
    app.button(key="cnn_train").click().run()
    assert_no_exception(app)
    text = all_text(app)
    assert t("cnn.filters", "fr") in text and t("cnn.mistakes", "fr") in text
    assert len(app.dataframe) == 2  # comparison table and confusion matrix
    assert app.session_state["cnn_trainer"].accuracy[-1] > 0.8
    app.number_input(key="cnn_digit").set_value(7).run()
    assert_no_exception(app)
    assert "Le CNN lit **7**" in all_text(app)  # test digit 7 shows a 7 (the split is interleaved)
