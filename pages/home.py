"""Home: a gallery card per demo, from the registry; demos not built yet say 'coming soon'."""

import streamlit as st

from dl_apps.registry import REPO_ROOT, load_registry
from dl_apps.ui import page as ui

lang = ui.current_language()
st.title(ui.tr("home.title"))
st.markdown(ui.tr("home.intro"))
st.caption(ui.tr("home.how_to"))

tasks = load_registry().tasks_in_order()
columns = st.columns(3)
for index, task in enumerate(tasks):
    with columns[index % 3].container(border=True):
        picture = REPO_ROOT / task.picture if task.picture else None
        if picture is not None and picture.is_file():
            st.image(str(picture), width="stretch")
        st.subheader(ui.tr(f"nav.{task.name}"), anchor=False)
        st.write(ui.tr(f"gallery.{task.name}.blurb"))
        if task.available:
            st.page_link(str(task.page_path), label=ui.tr("common.open"), icon=":material/arrow_forward:", query_params={"lang": lang})
        else:
            st.badge(ui.tr("common.coming_soon"), icon=":material/construction:", color="gray")
