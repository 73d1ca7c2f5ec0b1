"""Film recommendations: "films you liked → films for you", with a reason for each.

Models (declared in ``models/manifest.toml``), all built from MovieLens-100k read in
place from the installed ``recbole`` wheel (see :mod:`dl_apps.datasets.movielens`):

* ``recommend-neural`` (default): a neural recommender trained by this project in
  PyTorch (``python -m dl_apps train recommender``): item embeddings + MLP + dot
  product.  Its weights live in a local cache, never in the repo (MovieLens forbids
  redistribution); the loader trains them on first use if the cache is empty.
  Inference runs in numpy (a few small matrix products).
* ``recommend-itemknn``: item-item cosine similarity of who rated what.
* ``recommend-genre``: genre profile (content-based, works for films nobody rated).
* ``recommend-popularity``: the most rated films, the baseline.

A new user is folded in without any gradient step: the films they pick (with an
optional star rating each, 4 stars when not given) are their history.

Modules: ``dl_apps.nets.recommenders`` (the four algorithms and the neural weights' files),
``dl_apps.datasets.catalogue`` (films and title lookup), ``dl_apps.datasets.movielens`` (the
ratings); this module holds the loader (with first-use training), ``predict``, ``run``, the
page helpers and the CLI / bench hooks.

Pure library: no Streamlit import.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from dl_apps.cache import ModelCache, shared_cache
from dl_apps.core import InputError, TaskResult, notice, run_cached
from dl_apps.datasets.movielens import RatingsData, load_movielens, synthetic_ratings
from dl_apps.registry import MODELS_DIR, ModelSpec, get_model_spec, resolve_model_id
from dl_apps.stats import percentile
from dl_apps.datasets.catalogue import (  # noqa: F401 - the task's public API
    MAX_TITLE_CHARS,
    normalise_title,
    Catalogue,
)
from dl_apps.nets.recommenders import (  # noqa: F401 - the task's public API
    ALGORITHMS,
    ALGORITHM_TITLES,
    Recommender,
    PopularityRecommender,
    GenreRecommender,
    ItemKNNRecommender,
    NeuralRecommender,
    build_recommender,
    cache_dir,
    weights_path,
    save_neural_weights,
    load_neural_weights,
)

log = logging.getLogger(__name__)

TASK = "recommend"
_training_lock = threading.Lock()  # two sessions arriving together train once
DEFAULT_K = 10
MAX_K = 100
MAX_LIKED = 100
MAX_INPUT_TITLES = 2_000  # titles read from one request (matched or not); the first MAX_LIKED films found are used
MAX_INPUT_CHARS = 200_000  # a pasted list longer than this is cut (2,000 titles fit)
DEFAULT_RATING = 4  # a film picked without stars counts as "liked it" (4 of 5)
METRICS_PATH = MODELS_DIR / "recommender" / "metrics.json"

SAMPLE_PROFILES: dict[str, tuple[str, ...]] = {
    "scifi": ("Star Wars (1977)", "Alien (1979)", "Blade Runner (1982)", "Terminator, The (1984)", "2001: A Space Odyssey (1968)"),
    "comedy90s": ("Groundhog Day (1993)", "Mrs. Doubtfire (1993)", "Clueless (1995)", "Birdcage, The (1996)", "Liar Liar (1997)"),
    "family": ("Toy Story (1995)", "Lion King, The (1994)", "Aladdin (1992)", "Beauty and the Beast (1991)", "Babe (1995)"),
    "crime": ("Fargo (1996)", "Pulp Fiction (1994)", "Usual Suspects, The (1995)", "Silence of the Lambs, The (1991)", "Seven (Se7en) (1995)"),
    "classics": ("Casablanca (1942)", "Vertigo (1958)", "Rear Window (1954)", "North by Northwest (1959)", "Notorious (1946)"),
    "romance": ("Sleepless in Seattle (1993)", "When Harry Met Sally... (1989)", "Pretty Woman (1990)", "Sense and Sensibility (1995)", "Titanic (1997)"),
}

# ------------------------------------------------------------------ results
@dataclass
class Recommendation:
    """One recommended film, with why it was chosen."""

    title: str
    score: float
    item: int
    year: int | None = None
    genres: list[str] = field(default_factory=list)
    because: list[str] = field(default_factory=list)
    shared_genres: list[str] = field(default_factory=list)
    popularity: int = 0
    reason: str = ""


@dataclass
class RecommendResult(TaskResult):
    """A ranked list for one profile, best first."""

    items: list[Recommendation] = field(default_factory=list)
    liked: list[str] = field(default_factory=list)
    liked_items: list[int] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    algorithm: str = ""
    fold_in: str = ""




def dataset_for(spec: ModelSpec) -> RatingsData:
    """The ratings a spec is built on: ``options.dataset`` = "movielens" (default) or "synthetic"."""
    if spec.options.get("dataset", "movielens") == "synthetic":
        return synthetic_ratings(seed=int(spec.options.get("seed", 0)))
    return load_movielens()


def is_trained(spec: ModelSpec) -> bool:
    """Whether ``spec`` can load without training first (only the neural model ever trains)."""
    if spec.options.get("algorithm") != "neural":
        return True
    from safetensors import safe_open

    data = dataset_for(spec)
    path = weights_path(data, _spec_folder(spec))
    if not path.is_file():
        return False
    try:  # the metadata only: this runs on every page view
        with safe_open(str(path), framework="numpy") as handle:
            return (handle.metadata() or {}).get("fingerprint") == data.fingerprint()
    except Exception:
        return False


def ensure_trained(spec: ModelSpec, progress: Callable[[float], None] | None = None) -> None:
    """Train the neural model into the cache if it is not there yet (first use)."""
    if spec.options.get("algorithm") != "neural":
        return
    with _training_lock:  # two sessions arriving together train once
        data = dataset_for(spec)
        if load_neural_weights(data, _spec_folder(spec)) is not None:
            return
        from dl_apps.train.recommender import QUICK_CONFIG, NeuralConfig, train_into_cache

        config = QUICK_CONFIG if spec.options.get("dataset") == "synthetic" else NeuralConfig()
        log.info("training the neural recommender into %s (first use)", _spec_folder(spec) or cache_dir())
        train_into_cache(data, config, _spec_folder(spec) or cache_dir(), progress)


def _spec_folder(spec: ModelSpec) -> Path | None:
    folder = spec.options.get("weights_dir")
    return Path(folder) if folder else None


def load_recommender(spec: ModelSpec) -> Recommender:
    """Loader: ``options.algorithm`` on ``options.dataset``; trains the neural model on first use."""
    algorithm = str(spec.options.get("algorithm", "neural"))
    data = dataset_for(spec)
    if algorithm != "neural":
        return build_recommender(algorithm, data)
    ensure_trained(spec)
    weights = load_neural_weights(data, _spec_folder(spec))
    if weights is None:
        raise FileNotFoundError("the neural recommender could not be trained: run `python -m dl_apps train recommender`")
    return NeuralRecommender(data, weights)


def card_metrics() -> dict[str, Any]:
    """The metrics written by the training script (``models/recommender/metrics.json``), or {}."""
    if not METRICS_PATH.is_file():
        return {}
    return json.loads(METRICS_PATH.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ inference
def _escape(text: str) -> str:
    """User text shown inside a Markdown message: cut, and with Markdown/HTML specials escaped."""
    text = text if len(text) <= 80 else text[:77] + "..."
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~$])", r"\\\1", text)


def parse_liked(liked: Any) -> list[str]:
    """``"A;B"`` or ``["A", "B"]`` → non-blank titles, in order."""
    if liked is None:
        return []
    if isinstance(liked, str):
        parts = liked[:MAX_INPUT_CHARS].split(";")
    elif isinstance(liked, (list, tuple)):
        parts = [part for part in liked if isinstance(part, str)]
    else:
        raise InputError("no_liked_films", "Please choose at least one film you liked.")
    return [part.strip() for part in parts if part and part.strip()]


def parse_ratings(ratings: Any, count: int) -> list[int]:
    """Stars for each liked film: a list/``"5;3"`` string parallel to the titles; missing → 4."""
    if ratings is None or ratings == "":
        return [DEFAULT_RATING] * count
    if isinstance(ratings, str):
        ratings = [part.strip() for part in ratings.split(";")]
    if not isinstance(ratings, (list, tuple)):
        raise InputError("bad_stars", "Ratings must be whole stars from 1 to 5.")
    stars = []
    for value in list(ratings)[:count]:
        if value is None or value == "":
            stars.append(DEFAULT_RATING)
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError("bad_stars", "Ratings must be whole stars from 1 to 5.") from None
        if not 1 <= number <= 5 or number != int(number):
            raise InputError("bad_stars", "Ratings must be whole stars from 1 to 5.")
        stars.append(int(number))
    return stars + [DEFAULT_RATING] * (count - len(stars))


def check_k(k: Any) -> tuple[int, list[dict[str, Any]]]:
    """A valid list length: 1..MAX_K (larger values are cut with a notice)."""
    try:
        number = float(k)
    except (TypeError, ValueError):
        raise InputError("bad_list_length", f"The number of films must be a whole number from 1 to {MAX_K}.", limit=MAX_K) from None
    if number != number or number < 1 or number != int(number):
        raise InputError("bad_list_length", f"The number of films must be a whole number from 1 to {MAX_K}.", limit=MAX_K)
    if number > MAX_K:
        return MAX_K, [notice("k_capped", f"At most {MAX_K} films are listed (you asked for {int(number):,}).", asked=int(number), limit=MAX_K)]
    return int(number), []


def _reason_text(rec: Recommendation, algorithm: str) -> str:
    parts = []
    if algorithm == "popularity":
        parts.append(f"popular: rated by {rec.popularity:,} people")
    if rec.because:
        parts.append("because you liked " + " and ".join(rec.because))
    if rec.shared_genres:
        parts.append("shares " + ", ".join(rec.shared_genres))
    if not parts:
        parts.append(f"rated by {rec.popularity:,} people")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def predict(
    model: Recommender,
    liked: Sequence[str],
    ratings: Sequence[int] | None = None,
    k: int = DEFAULT_K,
    genres: Sequence[str] | None = None,
) -> RecommendResult:
    """Rank films for a profile of (already parsed) liked titles on a loaded model.

    Titles are matched case-insensitively; unknown ones are reported in ``unknown``
    (an error if none is known).  The profile's own films are never recommended back.
    ``genres`` keeps only films with at least one of those genres.  Ties are broken by
    item index, so a profile always gets the same list.
    """
    catalogue = model.catalogue
    stars = list(ratings) if ratings is not None else [DEFAULT_RATING] * len(liked)
    profile: dict[int, int] = {}
    unknown: list[str] = []
    for title, star in zip(liked, stars):
        item = catalogue.find(title) if len(title) <= MAX_TITLE_CHARS else None
        if item is None:
            unknown.append(title)
        else:
            profile.pop(item, None)  # a film given twice keeps its last rating
            profile[item] = int(star)
    notices = []
    if len(profile) > MAX_LIKED:
        given = len(profile)
        profile = dict(list(profile.items())[:MAX_LIKED])
        notices.append(notice("too_many_liked", f"Only the first {MAX_LIKED} of the {given:,} films found were used.", given=given, limit=MAX_LIKED))
    if unknown:
        shown = unknown[:5]
        hints = {title: catalogue.suggest(title) for title in shown if len(title) <= MAX_TITLE_CHARS}
        listed = "; ".join(f'"{title[:80]}"' for title in shown) + (f" (+{len(unknown) - 5} more)" if len(unknown) > 5 else "")
        suggestions = list(dict.fromkeys(s for found in hints.values() for s in found))[:6]
        hint = f" Did you mean: {'; '.join(suggestions)}?" if suggestions else ""
        safe_titles = "; ".join(f'"{_escape(title)}"' for title in shown) + (f" (+{len(unknown) - 5})" if len(unknown) > 5 else "")
        safe_hint = "; ".join(_escape(s) for s in suggestions)
        if not profile:
            raise InputError(
                "unknown_titles",
                f"No film of the catalogue matches {listed}.{hint}",
                titles=safe_titles,
                suggestions=safe_hint or "-",
            )
        notices.append(notice("unknown_titles", f"Not in the catalogue, ignored: {listed}.{hint}", titles=safe_titles, suggestions=safe_hint or "-", count=len(unknown)))

    items = np.fromiter(profile.keys(), dtype=np.int64)
    profile_stars = np.fromiter(profile.values(), dtype=np.int64)
    scores = np.asarray(model.score(items, profile_stars), dtype=np.float64).copy()
    scores[items] = -np.inf
    if genres:
        wanted = [catalogue.genre_names.index(g) for g in genres if g in catalogue.genre_names]
        if wanted:
            allowed = catalogue.genre_matrix[:, wanted].sum(axis=1) > 0
            scores[~allowed] = -np.inf
    order = np.lexsort((np.arange(len(scores)), -scores))
    top = [int(i) for i in order[:k] if np.isfinite(scores[i])]
    if genres and not top:
        raise InputError("no_match_for_genres", "No film left with these genres: choose other genres.")

    liked_genres = catalogue.genre_matrix[items[profile_stars >= 3]].sum(axis=0)
    recommendations = []
    for item in top:
        because = [catalogue.titles[i] for i in model.because(item, items, profile_stars)]
        shared = [
            catalogue.genre_names[g]
            for g in np.argsort(-liked_genres, kind="stable")
            if liked_genres[g] > 0 and catalogue.genre_matrix[item, g] > 0
        ][:3]
        rec = Recommendation(
            title=catalogue.titles[item],
            score=round(float(scores[item]), 4),
            item=item,
            year=catalogue.years[item],
            genres=list(catalogue.genres[item]),
            because=because,
            shared_genres=shared,
            popularity=int(catalogue.popularity[item]),
        )
        rec.reason = _reason_text(rec, model.algorithm)
        recommendations.append(rec)
    return RecommendResult(
        items=recommendations,
        liked=[catalogue.titles[i] for i in items],
        liked_items=[int(i) for i in items],
        ratings=[int(s) for s in profile_stars],
        unknown=list(unknown),
        algorithm=model.algorithm,
        fold_in=model.fold_in,
        notices=notices,
    )


def run(
    liked: Any,
    ratings: Any = None,
    k: Any = DEFAULT_K,
    genres: Sequence[str] | None = None,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> RecommendResult:
    """Validate a profile and rank films for it with ``model_id`` (default model if None).

    ``liked``: titles as a list or a ``"A;B"`` string; ``ratings``: optional stars (1–5)
    parallel to the titles.  Raises InputError for no films, bad k or bad stars, or
    when no title is known; more than MAX_LIKED films are cut with a notice (and
    only the first MAX_INPUT_TITLES titles are read).
    """
    titles = parse_liked(liked)
    if not titles:
        raise InputError("no_liked_films", "Please choose at least one film you liked.")
    stars = parse_ratings(ratings, len(titles))
    k_value, notices = check_k(k)
    if len(titles) > MAX_INPUT_TITLES:
        notices.append(notice("titles_cut", f"Only the first {MAX_INPUT_TITLES:,} of the {len(titles):,} titles given were read.", given=len(titles), limit=MAX_INPUT_TITLES))
        titles, stars = titles[:MAX_INPUT_TITLES], stars[:MAX_INPUT_TITLES]
    genre_list = list(genres or [])
    result = run_cached(TASK, model_id, lambda model: predict(model, titles, stars, k_value, genre_list), cache, on_queue)
    result.notices = notices + result.notices
    return result


def item_map(model: Recommender) -> dict[str, Any] | None:
    """Every film's 2-D position in the model's item space (for the map), or None."""
    xy = model.item_xy()
    if xy is None:
        return None
    catalogue = model.catalogue
    return {
        "x": xy[:, 0],
        "y": xy[:, 1],
        "title": list(catalogue.titles),
        "genre": [genres[0] if genres else "-" for genres in catalogue.genres],
        "popularity": catalogue.popularity,
    }


def map_for(model_id: str | None = None, cache: ModelCache | None = None) -> dict[str, Any] | None:
    """The film map of a model from the cache (see :func:`item_map`)."""
    cache = cache or shared_cache()
    with cache.use(resolve_model_id(TASK, model_id), task=TASK) as model:
        return item_map(model)


def star_weights(model_id: str | None = None, cache: ModelCache | None = None) -> list[float] | None:
    """The neural model's learned weight for 1..5 stars (None for other algorithms)."""
    cache = cache or shared_cache()
    with cache.use(resolve_model_id(TASK, model_id), task=TASK) as model:
        if not isinstance(model, NeuralRecommender):
            return None
        return [round(float(w), 3) for w in model.rating_weight[1:6]]


def catalogue_titles(model_id: str | None = None) -> tuple[str, ...]:
    """Every film title a model knows, for the search box (reads the data, not the model)."""
    return dataset_for(get_model_spec(resolve_model_id(TASK, model_id), TASK)).titles


def genre_names(model_id: str | None = None) -> tuple[str, ...]:
    """The genres of a model's catalogue, for the filter."""
    return dataset_for(get_model_spec(resolve_model_id(TASK, model_id), TASK)).genre_names


# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run recommend`` takes ``--liked "TITLE;TITLE"`` [``--k K``] [``--ratings "5;4"``] [``--genres "Comedy;Drama"``]."""
    parser.add_argument("--liked", help='films you liked, separated by ";" (e.g. "Toy Story (1995);Star Wars (1977)")')
    parser.add_argument("--k", type=int, default=DEFAULT_K, help=f"how many films to recommend (1–{MAX_K})")
    parser.add_argument("--ratings", help='optional stars for each liked film, ";"-separated (default 4)')
    parser.add_argument("--genres", help='only recommend films of these genres, ";"-separated')


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> RecommendResult:
    """One CLI/batch call: ``args`` = {"liked": ..., "k": ..., "ratings": ..., "genres": ...}."""
    genres = args.get("genres")
    if isinstance(genres, str):
        genres = [g.strip() for g in genres.split(";") if g.strip()]
    k = args.get("k")
    return run(
        args.get("liked"),
        ratings=args.get("ratings"),
        k=DEFAULT_K if k is None else k,
        genres=genres,
        model_id=model_id,
        cache=cache,
    )


def bench_args() -> dict[str, Any]:
    """A representative input for the benchmark: a 5-film profile."""
    return {"liked": ";".join(SAMPLE_PROFILES["scifi"]), "k": DEFAULT_K}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Extra bench rows: the default model's warm latency for profiles of 1 to 100 films (goal ≤ 50 ms)."""
    import statistics
    import time


    cache = ModelCache(budget_mb=100_000)
    model_id = resolve_model_id(TASK, None)
    started = time.perf_counter()
    titles = catalogue_titles(model_id)
    cache.get(model_id, task=TASK)
    load_s = time.perf_counter() - started
    rows = []
    for size in (1, 5, 20, MAX_LIKED):
        liked = list(titles[:: max(1, len(titles) // size)][:size])
        run(liked, k=DEFAULT_K, model_id=model_id, cache=cache)
        latencies = [run(liked, k=DEFAULT_K, model_id=model_id, cache=cache).latency_ms for _ in range(calls)]
        rows.append({
            "task": TASK,
            "model": model_id,
            "benchmark": f"profile of {size} films, top {DEFAULT_K}",
            "profile_size": size,
            "p50_ms": round(statistics.median(latencies), 3),
            "p95_ms": round(percentile(latencies, 95), 3),
            "goal_ms": 50,
            "cold_load_s": round(load_s, 3),
        })
    cache.clear()
    return rows

