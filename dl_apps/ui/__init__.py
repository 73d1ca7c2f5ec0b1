"""Streamlit helpers shared by the pages (the only part of dl_apps that imports Streamlit,
apart from the string catalogue in ``dl_apps.ui.i18n``, which is plain Python)."""
