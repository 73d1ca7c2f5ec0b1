"""Film recommendation page: films you liked → films for you, with reasons, a map and a comparison."""

import re

import pandas as pd
import streamlit as st

from dl_apps.datasets import movielens
from dl_apps.tasks import recommend
from dl_apps.tasks.recommend.picture import LIKED_COLOUR, OTHER_COLOUR, RECOMMENDED_COLOUR, film_map_png
from dl_apps.registry import get_model_spec, load_registry
from dl_apps.ui import charts
from dl_apps.ui import page as ui

TASK = "recommend"
NEURAL_ID = load_registry().model_with_role(TASK, "film-map").id  # the model that has the film map (a manifest role)
GENRE_BADGE = {
    "Action": "red", "Adventure": "orange", "Animation": "violet", "Children's": "violet", "Comedy": "yellow",
    "Crime": "gray", "Documentary": "green", "Drama": "blue", "Fantasy": "violet", "Film-Noir": "gray",
    "Horror": "red", "Musical": "yellow", "Mystery": "gray", "Romance": "orange", "Sci-Fi": "blue",
    "Thriller": "red", "War": "gray", "Western": "orange",
}


def md(text: str) -> str:
    """Catalogue text shown inside Markdown: escape its special characters (e.g. M*A*S*H)."""
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~$:-])", r"\\\1", text)


def genre_name(genre: str) -> str:
    return ui.tr(f"recommend.genre.{genre}")


def reason(rec: recommend.Recommendation, algorithm: str) -> str:
    """The translated "because …" line of one recommendation."""
    parts = []
    if algorithm == "popularity":
        parts.append(ui.tr("recommend.popular", n=rec.popularity))
    if rec.because:
        parts.append(ui.tr("recommend.because", titles=ui.tr("recommend.and").join(md(t) for t in rec.because)))
    if rec.shared_genres:
        parts.append(ui.tr("recommend.shares", genres=", ".join(genre_name(g) for g in rec.shared_genres)))
    if not parts:
        parts.append(ui.tr("recommend.rated_by", n=rec.popularity))
    text = " · ".join(parts)
    return text[0].upper() + text[1:]


def show_list(result: recommend.RecommendResult) -> None:
    """The ranked films: title, year and genre badges (no poster downloads), score, reason."""
    for rank, rec in enumerate(result.items, start=1):
        badges = " ".join(f":{GENRE_BADGE.get(g, 'gray')}-badge[{md(genre_name(g))}]" for g in rec.genres)
        year = f":gray-badge[{rec.year}]" if rec.year else ""
        with st.container(border=True):
            st.markdown(f"**{rank}. {md(rec.title)}** {year} {badges}")
            st.caption(f"{reason(rec, result.algorithm)} · {ui.tr('recommend.score', score=f'{rec.score:.3g}')}")


def film_map(points: dict, result: recommend.RecommendResult) -> dict:
    """Every film as a grey dot; the user's films in blue and the recommendations in orange (Vega-Lite)."""
    titles = list(points["title"])
    liked, recommended = list(result.liked_items), [rec.item for rec in result.items]
    groups = [
        (name, points["x"][items], points["y"][items], [titles[i] for i in items], colour, shape)
        for name, items, colour, shape in (
            (ui.tr("recommend.map.liked"), liked, LIKED_COLOUR, "circle"),
            (ui.tr("recommend.map.recommended"), recommended, RECOMMENDED_COLOUR, "diamond"),
        )
    ]
    return charts.point_map((points["x"], points["y"], titles), groups, background_name=ui.tr("recommend.map.other"), background_colour=OTHER_COLOUR)


def metrics_table() -> None:
    """The card's held-out metrics, one row per algorithm."""
    metrics = recommend.card_metrics()
    algorithms = metrics.get("algorithms", {})
    if not algorithms:
        st.caption(ui.tr("recommend.metrics_missing"))
        return
    frame = pd.DataFrame(
        {
            ui.tr("recommend.col.algorithm"): [ui.tr(f"recommend.algo.{name}") for name in algorithms],
            ui.tr("recommend.col.recall"): [m["recall@10"] for m in algorithms.values()],
            ui.tr("recommend.col.ndcg"): [m["ndcg@10"] for m in algorithms.values()],
            ui.tr("recommend.col.coverage"): [m["coverage"] for m in algorithms.values()],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch", column_config={ui.tr("recommend.col.coverage"): st.column_config.NumberColumn(format="percent")})
    users = next(iter(algorithms.values())).get("users", 0)
    st.caption(ui.tr("recommend.metrics_help", users=users))


lang = ui.setup_page(TASK)
st.caption(ui.tr("recommend.credit"))
if not movielens.movielens_available():
    st.error(ui.tr("recommend.no_data"), icon=":material/database:")
    st.stop()

model_id = ui.model_selector(TASK, include_hub=False)
with st.expander(ui.tr("recommend.metrics_title"), icon=":material/leaderboard:"):
    metrics_table()

spec = get_model_spec(model_id, TASK)
if not recommend.is_trained(spec):  # first use on this server: train once, with progress
    bar = st.progress(0.0, text=ui.tr("recommend.training", done=0.0))
    with ui.guard():
        recommend.ensure_trained(spec, progress=lambda done: bar.progress(done, text=ui.tr("recommend.training", done=done)))
        bar.empty()
        st.success(ui.tr("recommend.trained"), icon=":material/check:")

@st.fragment
def profile_and_recommendations(model_id: str) -> None:
    """The profile (samples, films, stars, genres) and the recommendations: a click reruns only this part."""
    st.caption(ui.tr("recommend.profiles"))
    profile = ui.sample_buttons([(ui.tr(f"recommend.profile.{name}"), titles) for name, titles in recommend.SAMPLE_PROFILES.items()], key="recommend_profile")
    if profile is not None:
        st.session_state["recommend_liked"] = list(profile)
        st.session_state["recommend_paste"] = ""

    titles = recommend.catalogue_titles(model_id)
    chosen = st.multiselect(
        ui.tr("recommend.liked_label"),
        options=titles,
        key="recommend_liked",
        max_selections=recommend.MAX_LIKED,
        placeholder=ui.tr("recommend.liked_placeholder"),
        help=ui.tr("recommend.liked_help", limit=recommend.MAX_LIKED),
    )
    with st.expander(ui.tr("recommend.paste_expander"), icon=":material/content_paste:"):
        pasted = st.text_area(ui.tr("recommend.paste_label"), key="recommend_paste", help=ui.tr("recommend.paste_help"), height=80)
    liked = list(chosen) + recommend.parse_liked(pasted)

    stars: list[int] | None = None
    if st.toggle(ui.tr("recommend.rate_toggle"), key="recommend_rate", help=ui.tr("recommend.rate_help")) and liked:
        film_col, stars_col = ui.tr("recommend.col.film"), ui.tr("recommend.col.stars")
        edited = st.data_editor(
            pd.DataFrame({film_col: liked, stars_col: [recommend.DEFAULT_RATING] * len(liked)}),
            hide_index=True,
            width="stretch",
            disabled=[film_col],
            key="recommend_stars",
            column_config={stars_col: st.column_config.NumberColumn(min_value=1, max_value=5, step=1, format="%d ⭐")},
        )
        stars = [int(s) if pd.notna(s) else recommend.DEFAULT_RATING for s in edited[stars_col]]

    left, right = st.columns(2)
    genres = left.multiselect(ui.tr("recommend.genres_label"), options=list(recommend.genre_names(model_id)), format_func=genre_name, key="recommend_genres", placeholder=ui.tr("recommend.genres_placeholder"))
    k = right.slider(ui.tr("recommend.k_label"), min_value=5, max_value=50, value=recommend.DEFAULT_K, step=5, key="recommend_k")
    compare = st.toggle(ui.tr("recommend.compare_toggle"), key="recommend_compare")

    if st.button(ui.tr("recommend.go"), type="primary", icon=":material/movie_filter:") or profile is not None:
        st.session_state.pop("recommend_last", None)
        with ui.guard():
            with st.spinner(ui.tr("common.loading_model")):
                result = recommend.run(liked, ratings=stars, k=k, genres=genres, model_id=model_id, cache=ui.model_cache(), on_queue=ui.queue_notice())
                others = {}
                if compare:
                    for other in load_registry().models_for(TASK):
                        if other.source != "hub" and other.id != model_id:
                            others[other.id] = recommend.run(liked, ratings=stars, k=k, genres=genres, model_id=other.id, cache=ui.model_cache())
                points = recommend.map_for(model_id, cache=ui.model_cache())
                map_from_neural = points is None
                if map_from_neural:
                    points = recommend.map_for(NEURAL_ID, cache=ui.model_cache())
                picture = None if points is None else film_map_png(points["x"], points["y"], result.liked_items, [rec.item for rec in result.items])
            st.session_state["recommend_last"] = (result, others, points, picture, map_from_neural)

    if "recommend_last" in st.session_state:
        result, others, points, picture, map_from_neural = st.session_state["recommend_last"]
        ui.show_notices(result.notices)
        st.subheader(ui.tr("recommend.results"))
        st.caption(ui.tr(f"recommend.fold_in.{result.fold_in}"))
        listing, mapping = st.columns([0.55, 0.45])
        with listing:
            show_list(result)
            ui.show_latency(result.latency_ms)
        with mapping:
            st.markdown(f"**{ui.tr('recommend.map_title')}**")
            if points is not None:
                # The picture is cheap for the browser to redraw on every answer; the chart (hover, zoom) is opt-in.
                if st.toggle(ui.tr("recommend.map_interactive"), key="recommend_map_interactive"):
                    st.vega_lite_chart(film_map(points, result), width="stretch", key="recommend_map")
                    st.caption(ui.tr("recommend.map_help"))
                else:
                    st.image(picture, width="stretch", output_format="PNG")  # as it is: "auto" would re-encode it as JPEG every rerun
                    st.caption(ui.tr("recommend.map_picture_help"))
                if map_from_neural:
                    st.caption(ui.tr("recommend.map_other_model"))
        if others:
            st.subheader(ui.tr("recommend.compare_title"))
            columns = st.columns(len(others) + 1)
            for column, item in zip(columns, [result, *others.values()]):
                with column:
                    st.markdown(f"**{ui.tr('recommend.algo.' + item.algorithm)}**")
                    st.markdown("\n".join(f"{rank}. {md(rec.title)}" for rank, rec in enumerate(item.items, start=1)))
                    ui.show_latency(item.latency_ms)
            metrics_table()


profile_and_recommendations(model_id)

ui.how_it_works(TASK)
if load_registry().model(model_id).has_role("star-weights"):
    with st.expander(ui.tr("recommend.star_weights_title"), icon=":material/star:"):
        with ui.guard():
            weights = recommend.star_weights(model_id, cache=ui.model_cache())
            if weights:
                frame = pd.DataFrame({ui.tr("recommend.col.stars"): ["⭐" * s for s in range(1, 6)], ui.tr("recommend.col.weight"): weights})
                st.bar_chart(frame, x=ui.tr("recommend.col.stars"), y=ui.tr("recommend.col.weight"), height=220)
                st.caption(ui.tr("recommend.star_weights_help"))
