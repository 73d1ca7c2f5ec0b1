"""About: what the hub is, and every model with its source and licence (from the registry)."""

import pandas as pd
import streamlit as st

from dl_apps.registry import load_registry
from dl_apps.ui import page as ui

lang = ui.current_language()
st.title(ui.tr("about.title"))
st.markdown(ui.tr("about.intro"))
st.subheader(ui.tr("about.models"), anchor=False)
rows = [
    {
        ui.tr("cache.col.id"): spec.title_in(lang),
        ui.tr("cache.col.task"): ui.tr(f"nav.{spec.task}"),
        ui.tr("cache.col.source"): ui.tr(f"source.{spec.source}"),
        ui.tr("cache.col.licence"): spec.licence_in(lang),
    }
    for spec in load_registry().models
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
st.markdown(ui.tr("about.privacy"))
