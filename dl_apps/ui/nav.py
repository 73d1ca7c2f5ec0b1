"""The app's navigation: sections and pages built from the registry, titles translated."""

from __future__ import annotations

import streamlit as st

from dl_apps.registry import REPO_ROOT, load_registry
from dl_apps.ui.i18n import t

SECTION_ORDER = ("learn", "vision", "language", "audio", "generative", "recommendation", "trust")


def build_navigation(lang: str) -> st.navigation:  # type: ignore[valid-type]
    """``st.navigation`` over the home page, every available demo by section, and the About pages."""
    registry = load_registry()
    sections: dict[str, list] = {
        "": [st.Page(str(REPO_ROOT / "pages/home.py"), title=t("nav.home", lang), icon=":material/home:", url_path="home", default=True)]
    }
    for section in SECTION_ORDER:
        pages = [
            st.Page(str(task.page_path), title=t(f"nav.{task.name}", lang), icon=task.icon, url_path=task.name)
            for task in registry.tasks_in_order()
            if task.section == section and task.available
        ]
        if pages:
            sections[t(f"section.{section}", lang)] = pages
    sections[t("section.about", lang)] = [
        st.Page(str(REPO_ROOT / "pages/cache.py"), title=t("nav.cache", lang), icon=":material/memory:", url_path="cache"),
        st.Page(str(REPO_ROOT / "pages/about.py"), title=t("nav.about", lang), icon=":material/info:", url_path="about"),
    ]
    return st.navigation(sections)
