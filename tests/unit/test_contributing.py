"""CONTRIBUTING.md's "add a demo" list, checked wherever a test can check it.

For every task of the registry: a section the navigation knows (else its page would
silently vanish from the app), its navigation and gallery strings in both languages, and
its module's package layout.  For every live page (a page file that exists; several tasks
may share one): its gallery pictures and hooks, its docs page, its row in the README, and
its unit, AppTest and browser test files.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dl_apps.registry import REPO_ROOT, TaskSpec, load_registry
from dl_apps.ui.i18n import LANGUAGES, catalogue

REGISTRY = load_registry()
TASKS = REGISTRY.tasks_in_order()
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def live_pages() -> dict[str, list[TaskSpec]]:
    """Page path -> the tasks it shows (in registry order), for pages that exist."""
    pages: dict[str, list[TaskSpec]] = {}
    for task in TASKS:
        if task.available:
            pages.setdefault(task.page, []).append(task)
    return pages


PAGES = live_pages()


def page_stem(page: str) -> str:
    return Path(page).stem


def section_order() -> tuple[str, ...]:
    from dl_apps.ui.nav import SECTION_ORDER

    return SECTION_ORDER


def section_problem(spec: TaskSpec) -> str | None:
    """Why the navigation would not show ``spec``'s page, or None."""
    if spec.section not in section_order():
        return f"[tasks.{spec.name}] section {spec.section!r} is not in dl_apps/ui/nav.py SECTION_ORDER: its page would never be listed"
    if f"section.{spec.section}" not in catalogue():
        return f"section.{spec.section} has no title in the string catalogue"
    return None


@pytest.mark.parametrize("task", [task.name for task in TASKS])
def test_task_is_in_a_section_the_navigation_shows(task):
    problem = section_problem(REGISTRY.task(task))
    assert problem is None, problem


@pytest.mark.parametrize("task", [task.name for task in TASKS])
def test_task_strings_exist_in_both_languages(task):
    strings = catalogue()
    for key in (f"nav.{task}", f"gallery.{task}.blurb"):
        assert key in strings, f"add {key!r} to dl_apps/tasks/{task}/strings.py"
        pair = strings[key]
        assert len(pair) == len(LANGUAGES) and all(text.strip() for text in pair), key
        assert pair[0] != pair[1] or len(pair[0]) < 25, f"{key}: the French text is a copy of the English one"


@pytest.mark.parametrize("task", [task.name for task in TASKS if task.module])
def test_task_module_lives_in_its_package(task):
    module = REGISTRY.task(task).module
    assert module.startswith("dl_apps.tasks."), f"{task}: the module belongs in dl_apps/tasks/<task>/"
    path = REPO_ROOT / Path(*module.split("."))
    package = path if path.is_dir() else path.parent
    assert (package / "__init__.py").is_file() or path.with_suffix(".py").is_file(), module
    assert (package / "strings.py").is_file(), f"{task}: strings go in {package.relative_to(REPO_ROOT)}/strings.py"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_has_gallery_pictures_and_hooks(page):
    from dl_apps.tools.gallery import SIZE, hook_for

    for task in PAGES[page]:
        assert task.picture, f"[tasks.{task.name}] needs picture = \"assets/gallery/{task.name}.png\""
        picture = REPO_ROOT / task.picture
        assert picture.is_file(), f"{task.picture} missing: python -m dl_apps gallery {task.name}"
        from PIL import Image

        with Image.open(picture) as image:
            assert image.size == SIZE, f"{task.picture} is {image.size}, the gallery draws {SIZE}"
        assert hook_for(task.name) is not None, f"{task.name}: add a picture() hook in its package's gallery.py"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_has_docs_and_a_readme_row(page):
    stems = {page_stem(page), *(task.name for task in PAGES[page])}
    docs = [f"docs/pages/{stem}.md" for stem in sorted(stems) if (REPO_ROOT / "docs" / "pages" / f"{stem}.md").is_file()]
    assert docs, f"{page}: write docs/pages/{page_stem(page)}.md"
    assert any(doc in README for doc in docs), f"README.md's pages table should link {docs[0]}"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_has_unit_app_and_browser_tests(page):
    stem = page_stem(page)
    names = [stem, *(task.name for task in PAGES[page])]
    unit = [REPO_ROOT / "tests" / "unit" / f"test_{name}.py" for name in names]
    assert any(path.is_file() for path in unit), f"{page}: add tests/unit/test_{names[-1]}.py"
    assert (REPO_ROOT / "tests" / "app" / f"test_page_{stem}.py").is_file(), f"{page}: add tests/app/test_page_{stem}.py"
    browser_file = REPO_ROOT / "tests" / "e2e" / f"test_page_{stem}_browser.py"
    # the reference page (sentiment) keeps its sample case in the shared tests/e2e/test_browser.py
    shared = (REPO_ROOT / "tests" / "e2e" / "test_browser.py").read_text(encoding="utf-8")
    in_shared = any(re.search(rf"def test_{name}_\w*sample", shared) for name in names)
    assert browser_file.is_file() or in_shared, f"{page}: add tests/e2e/test_page_{stem}_browser.py (a sample run in Chromium)"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_is_thin_and_names_no_model(page):
    source = (REPO_ROOT / page).read_text(encoding="utf-8")
    assert "from dl_apps.ui import page as ui" in source, f"{page}: use the shared page helpers"
    ids = {spec.id for spec in REGISTRY.models}
    named = ids & set(re.findall(r"""["']([^"'\\\n]+)["']""", source))
    assert not named, f"{page} names model ids {sorted(named)}: give them roles in the manifest"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_reruns_stay_cheap(page):
    """CONTRIBUTING step 6: a fragment around inputs and results, and no Altair (it validates the whole
    chart specification on every rerun; pages build Vega-Lite dictionaries with dl_apps.ui.charts)."""
    source = (REPO_ROOT / page).read_text(encoding="utf-8")
    assert "@st.fragment" in source, f"{page}: wrap inputs and results in st.fragment so a click reruns only that part"
    assert "import altair" not in source and "st.altair_chart" not in source, f"{page}: use dl_apps.ui.charts (Vega-Lite dicts), not Altair"


def test_no_page_of_the_hub_uses_altair():
    """The hub's own pages (home, cache, about) and app.py too: Altair is a heavy import and re-validates every chart."""
    for path in [REPO_ROOT / "app.py", *sorted((REPO_ROOT / "pages").glob("*.py"))]:
        source = path.read_text(encoding="utf-8")
        assert "import altair" not in source and "altair_chart" not in source, f"{path.name}: use dl_apps.ui.charts"


def downloads_built_eagerly(source: str) -> list[int]:
    """Lines of ``download_button`` calls whose data is computed in the call (an encoder run on every rerun)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "download_button":
            data = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "data"), None)
            if isinstance(data, ast.Call):
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_downloads_are_made_on_the_click(page):
    """CONTRIBUTING step 6: a download gives bytes the session already holds, or a callable that
    Streamlit runs only when the button is clicked, never an encoder called on every rerun."""
    eager = downloads_built_eagerly((REPO_ROOT / page).read_text(encoding="utf-8"))
    assert not eager, f"{page} lines {eager}: pass a lambda (or kept bytes) to st.download_button"


def test_the_download_check_catches_an_eager_encoder():
    assert downloads_built_eagerly('st.download_button("a", encode_png(x), file_name="a.png")') == [1]
    assert downloads_built_eagerly('left.download_button("a", data=zip_bytes(x))') == [1]
    assert downloads_built_eagerly('st.download_button("a", lambda: encode_png(x))\nst.download_button("b", kept.wav)') == []


def test_a_page_in_an_unknown_section_fails_instead_of_vanishing():
    """The check above really catches it (the navigation itself only lists known sections)."""
    from dataclasses import replace

    ghost = replace(TASKS[0], name="ghost", section="nowhere")
    assert ghost.available
    assert "SECTION_ORDER" in section_problem(ghost)
    assert section_problem(replace(TASKS[0], section="vision")) is None


def test_contributing_lists_every_step():
    """The steps this file checks are the ones CONTRIBUTING.md lists."""
    for needle in (
        "models/manifest.toml", "title_fr", "licence_fr", "roles", "strings.py", "nav.<task>",
        "gallery.<task>.blurb", "gallery.py", "assets/gallery/<task>.png", "docs/pages/<task>.md",
        "README", "tests/unit/test_<task>.py", "tests/app/test_page_<task>.py",
        "tests/e2e/test_page_<task>_browser.py", "SECTION_ORDER", "docs/design.md", "docs/cli.md",
        "st.fragment", "dl_apps.ui.charts", "st.download_button", 'output_format="PNG"',
    ):
        assert needle in CONTRIBUTING, needle
    assert "../shared" not in CONTRIBUTING


def test_no_pointer_to_documents_outside_the_repository():
    """The design and the CLI contract live in docs/ now."""
    files = [REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md", *REPO_ROOT.joinpath("docs").rglob("*.md"), *REPO_ROOT.joinpath("dl_apps").rglob("*.py")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for stale in ("shared/cli.md", "shared/design.md", "../shared"):
            assert stale not in text, f"{path.relative_to(REPO_ROOT)} points to {stale}: use docs/cli.md or docs/design.md"
    assert (REPO_ROOT / "docs" / "design.md").is_file() and (REPO_ROOT / "docs" / "cli.md").is_file()


def test_cli_doc_lists_every_available_task():
    from dl_apps.__main__ import available_tasks
    from dl_apps.registry import TASK_ALIASES

    cli_doc = (REPO_ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| ([a-z]+)", cli_doc, flags=re.MULTILINE))
    rows |= {TASK_ALIASES.get(name, name) for name in rows}
    missing = [task for task in available_tasks() if task not in rows]
    assert not missing, f"docs/cli.md has no row for {missing}"
