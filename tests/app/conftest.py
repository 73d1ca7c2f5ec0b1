"""Helpers for Streamlit AppTest page tests."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parents[2]


def open_page(relative_path: str, lang: str = "en", timeout: float = 180) -> AppTest:
    """An AppTest of one page file in ``lang`` (as if opened with ?lang=), run once."""
    app = AppTest.from_file(str(REPO_ROOT / relative_path), default_timeout=timeout)
    app.query_params["lang"] = lang
    return app.run()


def all_text(app: AppTest) -> str:
    """Every markdown/caption/title/info/warning text on the page, joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(element.value) for element in getattr(app, kind)]
    return "\n".join(parts)


def assert_no_exception(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]
    for error in app.error:
        assert "Traceback" not in str(error.value)


@pytest.fixture(params=["en", "fr"])
def lang(request) -> str:
    return request.param
