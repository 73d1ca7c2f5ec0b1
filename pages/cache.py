"""Model cache dashboard: every registered model, its cache stats, memory against the budget.

Read-only for everyone; evict / clear / warm-up buttons only for the admin (token in
DL_HUB_ADMIN_TOKEN or .streamlit/secrets.toml ``admin_token``).
"""

import hmac
import os
from datetime import datetime

import pandas as pd
import streamlit as st

from dl_apps import shared_results
from dl_apps.cache import MB, process_rss_bytes
from dl_apps.registry import load_registry
from dl_apps.ui import charts
from dl_apps.ui import page as ui

lang = ui.current_language()
st.title(ui.tr("cache.title"))
st.markdown(ui.tr("cache.tagline"))

cache = ui.model_cache()
stats = cache.stats()
registry = load_registry()

metrics = st.columns(4)
metrics[0].metric(ui.tr("cache.rss"), f"{process_rss_bytes() / MB:,.0f} MB")
metrics[1].metric(ui.tr("cache.models_memory"), f"{cache.used_bytes() / MB:,.0f} MB")
metrics[2].metric(ui.tr("cache.budget"), f"{cache.budget_bytes / MB:,.0f} MB")
metrics[3].metric(ui.tr("cache.queue"), f"{cache.active} / {cache.waiting}")
if shared_results.enabled():
    st.caption(ui.tr("cache.shared_results", **shared_results.stats(), limit=shared_results.MAX_ENTRIES))
else:
    st.caption(ui.tr("cache.shared_results_off"))


@st.fragment(run_every=5)
def tier_view() -> None:
    """The Ray Serve tier's deployments, replicas and queues (DL_HUB_BACKEND=ray), refreshed every 5 s."""
    from dl_apps.serving import client as tier

    st.subheader(ui.tr("cache.tier.title"), anchor=False)
    st.caption(ui.tr("cache.tier.using", url=tier.tier_config().url, tasks=", ".join(tier.served_tasks())))
    try:
        rows = tier.status_table(tier.tier_status())
    except tier.TierError as error:
        st.warning(ui.tr("cache.tier.down", error=ui.error_message(error)), icon=":material/cloud_off:")
        return
    columns = {key: ui.tr(f"cache.tier.col.{key}") for key in ("deployment", "status", "running", "ongoing", "waiting", "served", "models", "memory")}
    st.dataframe(pd.DataFrame(rows).rename(columns=columns), hide_index=True, width="stretch")
    st.caption(ui.tr("cache.tier.inflight", n=tier.inflight()))


if os.environ.get("DL_HUB_BACKEND", "embedded") == "ray":
    tier_view()
else:
    st.caption(ui.tr("cache.tier.embedded"))


def last_used(timestamp: float | None) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%H:%M:%S") if timestamp else ""


rows = []
for spec in registry.models:
    s = stats.get(spec.id)
    rows.append(
        {
            ui.tr("cache.col.id"): spec.id,
            ui.tr("cache.col.title"): spec.title_in(lang),
            ui.tr("cache.col.task"): ui.tr(f"nav.{spec.task}"),
            ui.tr("cache.col.source"): ui.tr(f"source.{spec.source}"),
            ui.tr("cache.col.loaded"): bool(s and s.loaded),
            ui.tr("cache.col.hits"): s.hits if s else 0,
            ui.tr("cache.col.misses"): s.misses if s else 0,
            ui.tr("cache.col.load_s"): round(s.load_seconds, 2) if s and s.load_seconds else None,
            ui.tr("cache.col.memory"): round(s.approx_bytes / MB, 1) if s and s.loaded and s.approx_bytes else None,
            ui.tr("cache.col.last_used"): last_used(s.last_used if s else None),
            ui.tr("cache.col.size"): spec.size_mb,
            ui.tr("cache.col.licence"): spec.licence_in(lang),
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

loaded = [(model_id, s.approx_bytes / MB) for model_id, s in stats.items() if s.loaded and s.approx_bytes]
if loaded:
    st.caption(ui.tr("cache.chart_title"))
    st.vega_lite_chart(charts.memory_against_budget(dict(loaded), cache.budget_bytes / MB), width="stretch")


def admin_token() -> str:
    token = os.environ.get("DL_HUB_ADMIN_TOKEN", "")
    if not token:
        try:
            token = str(st.secrets.get("admin_token", ""))
        except Exception:  # no secrets file: read-only page
            token = ""
    return token


st.subheader(ui.tr("cache.admin"), anchor=False)
expected = admin_token()
if not expected:
    st.info(ui.tr("cache.read_only"), icon=":material/lock:")
else:
    st.caption(ui.tr("cache.admin_help"))
    given = st.text_input(ui.tr("cache.admin_token"), type="password", key="cache_admin_token")
    if given and not hmac.compare_digest(given, expected):
        st.error(ui.tr("cache.wrong_token"))
    elif given:
        loaded_ids = [model_id for model_id, s in stats.items() if s.loaded]
        left, middle, right = st.columns(3)
        with left:
            victim = st.selectbox(ui.tr("cache.evict_model"), loaded_ids or ["—"], key="cache_victim")
            if st.button(ui.tr("cache.evict"), disabled=not loaded_ids):
                message = "cache.evicted" if cache.evict(victim) else "cache.not_evicted"
                st.toast(ui.tr(message, model=victim))
        with middle:
            if st.button(ui.tr("cache.clear")):
                shared_results.clear()  # answers of released models would outlive them otherwise
                st.toast(ui.tr("cache.cleared", models=", ".join(cache.clear()) or "—"))
        with right:
            if st.button(ui.tr("cache.warmup")):
                defaults = [registry.default_for(t.name).id for t in registry.tasks_in_order() if any(s.default for s in registry.models_for(t.name))]
                with st.spinner(ui.tr("common.loading_model")):
                    report = cache.warmup(defaults)
                for line in report:
                    if not line["ok"]:
                        st.error(ui.tr("cache.warm_failed", model=line["model"], error=line["error"]))
                st.success(ui.tr("cache.warmed", seconds=sum(line.get("seconds", 0) for line in report)))

ui.how_it_works("cache")
