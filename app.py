"""DL Demo Hub: entry point.  `streamlit run app.py`

Navigation over the demo pages (built from the model registry), the EN/FR switch
(kept in the URL as ?lang=), then the chosen page runs.  Heavy libraries are only
imported by the pages that need them, so the home page opens fast.
"""

import streamlit as st

from dl_apps.ui.nav import build_navigation
from dl_apps.ui.page import language_switch, respect_reduced_motion

st.set_page_config(page_title="DL Demo Hub", page_icon=":material/neurology:", layout="wide")
respect_reduced_motion()
lang = language_switch()
build_navigation(lang).run()
