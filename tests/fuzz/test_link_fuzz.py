"""Every page survives any link: random and hostile query strings through AppTest, never an exception.

Links are how workshop material is shared, so a page must clamp or ignore whatever a query
string says (``inf``, ``nan``, huge numbers, wrong types, repeated keys, 10,000-character
values, script injection) and still draw.  The keys tried on a page are the ones its source
reads (``st.query_params`` look-ups and ``Setting`` schemas) plus the shared ones.
"""

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dl_apps.registry import REPO_ROOT, load_registry
from tests.app.conftest import assert_no_exception

SHARED_KEYS = ["lang", "sample", "q", "model", "mode", "tab", "text"]
HOSTILE_VALUES = ["inf", "-inf", "nan", "1e400", "-1", "0", "9" * 40, "abc", "", "<script>alert(1)</script>",
                  "[x](javascript:alert(1))", "\u202eevil\u200b", "x" * 10_000, "%00", "../../etc/passwd"]


def page_files() -> list[str]:
    """Every page of the navigation: each available task's page (once) and the hub's own pages."""
    pages = []
    for task in load_registry().tasks_in_order():
        if task.available and task.page not in pages:
            pages.append(task.page)
    return pages + ["app.py", "pages/cache.py", "pages/about.py"]  # the home page needs app.py's navigation


def keys_read_by(page: str) -> list[str]:
    source = (REPO_ROOT / page).read_text(encoding="utf-8")
    found = re.findall(r"query_params(?:\.get(?:_all)?\(|\[)\s*[\"'](\w+)", source)
    found += re.findall(r"[\"'](\w+)[\"']\s*:\s*Setting\(", source)
    return sorted(set(found) | set(SHARED_KEYS))


def run_with_link(page: str, params: dict[str, list[str]]) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / page), default_timeout=240)
    for key, values in params.items():
        app.query_params[key] = values if len(values) > 1 else values[0]
    return app.run()


@pytest.mark.slow
@pytest.mark.parametrize("page", page_files())
def test_hostile_links_never_break_a_page(page):
    keys = keys_read_by(page)
    for value in HOSTILE_VALUES[:8]:
        app = run_with_link(page, {key: [value] for key in keys})
        assert_no_exception(app)
    app = run_with_link(page, {key: ["1", "nan", "-5"] for key in keys})  # repeated keys
    assert_no_exception(app)
    app = run_with_link(page, {key: [HOSTILE_VALUES[-3]] for key in keys})  # 10,000 characters
    assert_no_exception(app)
    for element in app.markdown:  # injected markup is shown as text, never as HTML
        assert "<script>" not in str(getattr(element, "value", ""))


@pytest.mark.slow
@pytest.mark.parametrize("page", page_files())
def test_random_links_never_break_a_page(page):
    keys = keys_read_by(page)
    values = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=60),
                       st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers(-10**20, 10**20).map(str))

    @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.dictionaries(st.sampled_from(keys), st.lists(values, min_size=1, max_size=2), max_size=len(keys)))
    def check(params):
        assert_no_exception(run_with_link(page, params))

    check()
