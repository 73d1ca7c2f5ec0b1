"""End to end, in a real browser: the recommendation page's sample profiles in EN and FR, and markup safety."""

import pytest

from dl_apps.tools import browser
from dl_apps.datasets import movielens
from dl_apps.ui.i18n import t

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not movielens.movielens_available(), reason="MovieLens-100k (recbole wheel) not installed"),
]

FIRST_USE_MS = 300_000  # an empty cache trains the neural model first (about a minute on 2 busy cores)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sample_profile_shows_films_reasons_and_map(server, page, lang):
    browser.open_page(page, server.url, "recommend", lang, t("recommend.title", lang))
    page.get_by_role("button", name=t("recommend.profile.scifi", lang)).click()
    page.get_by_role("heading", name=t("recommend.results", lang)).first.wait_for(timeout=FIRST_USE_MS)
    browser.wait_until_idle(page)
    assert page.get_by_text(t("recommend.because", lang, titles="").strip()).count() >= 1
    page.get_by_text(t("recommend.map_title", lang)).first.scroll_into_view_if_needed()
    page.locator('[data-testid="stImage"] img').first.wait_for(timeout=60_000)  # the film map as a picture
    page.get_by_text(t("recommend.map_interactive", lang)).first.click()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=60_000)  # the interactive map on request
    assert f"lang={lang}" in page.url
    assert browser.exception_count(page) == 0


def test_markup_in_pasted_titles_is_shown_as_text(server, page):
    browser.open_page(page, server.url, "recommend", "en", t("recommend.title", "en"))
    page.get_by_text(t("recommend.paste_expander", "en")).first.click()
    page.get_by_role("textbox", name=t("recommend.paste_label", "en")).fill(
        'Star Wars (1977); <img src=x onerror="document.title=\'pwned\'">; <script>document.title="pwned"</script>'
    )
    page.get_by_role("button", name=t("recommend.go", "en")).click()
    page.get_by_role("heading", name=t("recommend.results", "en")).first.wait_for(timeout=FIRST_USE_MS)
    browser.wait_until_idle(page)
    assert page.title() != "pwned"
    assert page.get_by_text("Not in the catalogue", exact=False).count() >= 1
    assert page.get_by_text("<script>", exact=False).count() >= 1  # shown as text, not run
    assert browser.exception_count(page) == 0
