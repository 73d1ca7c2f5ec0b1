"""The app's navigation: sections and pages built from the registry, titles translated."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import streamlit as st

from dl_apps.registry import REPO_ROOT, TaskSpec, load_registry
from dl_apps.ui.i18n import t

SECTION_ORDER = ("learn", "vision", "language", "audio", "generative", "recommendation", "trust")


def listed_tasks(tasks: Sequence[TaskSpec]) -> list[TaskSpec]:
    """The available tasks that get a navigation entry, in order: one per page file.

    Several tasks may share one page (pose, face and segment are all ``pages/body.py``):
    the page is listed once, under the first of them (title ``nav.<first task>``, URL path
    the page file's name: see :func:`page_url_path`).
    """
    seen: set[str] = set()
    listed = []
    for task in tasks:
        if not task.available or task.page in seen:
            continue
        seen.add(task.page)
        listed.append(task)
    return listed


def page_url_path(task: TaskSpec) -> str:
    """A demo page's URL path: its file's name (``pages/body.py`` → ``body``), as Streamlit's
    file-based routing would name it, so that a deep link works even before the app's own
    navigation has run (see ``dl_apps.ui.page._leave_legacy_pages_mode``)."""
    return Path(task.page).stem


def build_navigation(lang: str) -> st.navigation:  # type: ignore[valid-type]
    """``st.navigation`` over the home page, every available demo by section, and the About pages."""
    registry = load_registry()
    sections: dict[str, list] = {
        "": [st.Page(str(REPO_ROOT / "pages/home.py"), title=t("nav.home", lang), icon=":material/home:", url_path="home", default=True)]
    }
    for section in SECTION_ORDER:
        pages = [
            st.Page(str(task.page_path), title=t(f"nav.{task.name}", lang), icon=task.icon, url_path=page_url_path(task))
            for task in listed_tasks(registry.tasks_in_order())
            if task.section == section
        ]
        if pages:
            sections[t(f"section.{section}", lang)] = pages
    sections[t("section.about", lang)] = [
        st.Page(str(REPO_ROOT / "pages/cache.py"), title=t("nav.cache", lang), icon=":material/memory:", url_path="cache"),
        st.Page(str(REPO_ROOT / "pages/about.py"), title=t("nav.about", lang), icon=":material/info:", url_path="about"),
    ]
    return st.navigation(sections, expanded=True)  # every page listed: with the Learn section the menu would fold after 10
