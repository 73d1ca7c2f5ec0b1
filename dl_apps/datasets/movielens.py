"""Ratings data for the recommendation demo: MovieLens-100k read in place, or synthetic ratings.

MovieLens-100k (GroupLens, Harper & Konstan 2015) ships inside the ``recbole==1.2.1``
wheel (``recbole/dataset_example/ml-100k/``).  Its licence allows research and
non-commercial use with credit, and forbids redistribution: this module reads the
files where pip put them (found with ``importlib.util.find_spec``, without importing
recbole) and never copies them.

Tests that must not depend on it use :func:`synthetic_ratings`, a small generator
with genre-driven tastes, so that a recommender has something real to learn.

Both sources give the same :class:`RatingsData`: items indexed ``0..n_items-1`` with a
display title ``"Title (Year)"``, users ``0..n_users-1`` and one row per rating.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

GENRES: tuple[str, ...] = (
    "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary",
    "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi",
    "Thriller", "War", "Western",
)

MOVIELENS_CREDIT = (
    "MovieLens-100k: F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: "
    "History and Context. ACM Transactions on Interactive Intelligent Systems 5, 4, Article 19. "
    "GroupLens Research, University of Minnesota."
)
MOVIELENS_TERMS = (
    "Research and non-commercial use only, with credit to GroupLens; no redistribution; "
    "commercial or marketing use needs GroupLens' permission."
)


@dataclass(frozen=True)
class RatingsData:
    """A catalogue of items and the ratings users gave them.

    ``users``, ``items``, ``ratings`` (1–5) and ``timestamps`` are parallel arrays, one
    entry per rating; ``titles``/``years``/``genres`` are indexed by item.
    """

    name: str
    titles: tuple[str, ...]
    years: tuple[int | None, ...]
    genres: tuple[tuple[str, ...], ...]
    users: np.ndarray
    items: np.ndarray
    ratings: np.ndarray
    timestamps: np.ndarray
    genre_names: tuple[str, ...] = GENRES
    n_users: int = field(default=0)

    @property
    def n_items(self) -> int:
        return len(self.titles)

    @property
    def n_ratings(self) -> int:
        return int(self.users.shape[0])

    def subset(self, keep: np.ndarray, name: str | None = None) -> "RatingsData":
        """The same catalogue with only the ratings where ``keep`` is true."""
        return RatingsData(
            name=name or self.name,
            titles=self.titles,
            years=self.years,
            genres=self.genres,
            users=self.users[keep],
            items=self.items[keep],
            ratings=self.ratings[keep],
            timestamps=self.timestamps[keep],
            genre_names=self.genre_names,
            n_users=self.n_users,
        )

    def genre_matrix(self) -> np.ndarray:
        """A ``(n_items, n_genres)`` 0/1 float32 matrix of the items' genres."""
        index = {genre: column for column, genre in enumerate(self.genre_names)}
        matrix = np.zeros((self.n_items, len(self.genre_names)), dtype=np.float32)
        for item, genres in enumerate(self.genres):
            for genre in genres:
                if genre in index:
                    matrix[item, index[genre]] = 1.0
        return matrix

    def fingerprint(self) -> str:
        """A short hash of the catalogue and the ratings (weights trained on other data are refused)."""
        import hashlib

        digest = hashlib.sha256()
        digest.update("\n".join(self.titles).encode("utf-8"))
        for array in (self.users, self.items, self.ratings):
            digest.update(np.ascontiguousarray(array, dtype=np.int64).tobytes())
        return digest.hexdigest()[:16]


# ------------------------------------------------------------------ MovieLens
def movielens_dir() -> Path | None:
    """Where the installed recbole wheel keeps ml-100k, or None if it is not installed."""
    spec = importlib.util.find_spec("recbole")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "dataset_example" / "ml-100k"
        if (folder / "ml-100k.inter").is_file() and (folder / "ml-100k.item").is_file():
            return folder
    return None


def movielens_available() -> bool:
    """Whether MovieLens-100k can be read (``pip install recbole==1.2.1 --no-deps``)."""
    return movielens_dir() is not None


def display_title(title: str, year: int | None) -> str:
    """``"Star Wars (1977)"``: the title as the CLI and the page show it."""
    return f"{title} ({year})" if year else title


@lru_cache(maxsize=1)
def load_movielens() -> RatingsData:
    """MovieLens-100k from the installed recbole wheel, cleaned for the demo.

    The placeholder item "unknown" is dropped, and the handful of films listed twice
    under the same title and year are merged into one item (their ratings kept; a
    user who rated both copies keeps the later rating), so titles are unique.
    """
    folder = movielens_dir()
    if folder is None:
        raise FileNotFoundError(
            "MovieLens-100k is not installed: run `pip install recbole==1.2.1 --no-deps` "
            "(the data set ships inside that wheel)."
        )
    raw_ids: list[int] = []
    titles: list[str] = []
    years: list[int | None] = []
    genres: list[tuple[str, ...]] = []
    index_of_raw: dict[int, int] = {}
    index_of_title: dict[str, int] = {}
    with open(folder / "ml-100k.item", encoding="utf-8") as handle:
        next(handle)  # header
        for line in handle:
            raw_id, title, year_text, classes = (line.rstrip("\n").split("\t") + ["", "", ""])[:4]
            title = title.strip()
            if not title or title.lower() in ("unknown", "unkonwn"):
                continue
            year = int(year_text) if year_text.strip().isdigit() else None
            shown = display_title(title, year)
            if shown in index_of_title:  # a duplicate entry of the same film
                index_of_raw[int(raw_id)] = index_of_title[shown]
                continue
            item = len(titles)
            index_of_raw[int(raw_id)] = item
            index_of_title[shown] = item
            raw_ids.append(int(raw_id))
            titles.append(shown)
            years.append(year)
            genres.append(tuple(g for g in classes.split() if g in GENRES))

    table = np.loadtxt(folder / "ml-100k.inter", skiprows=1, dtype=np.int64)
    keep = np.array([raw in index_of_raw for raw in table[:, 1]])
    table = table[keep]
    items = np.array([index_of_raw[raw] for raw in table[:, 1]], dtype=np.int64)
    raw_users = table[:, 0]
    user_ids, users = np.unique(raw_users, return_inverse=True)
    ratings = table[:, 2].astype(np.int64)
    timestamps = table[:, 3].astype(np.int64)

    # merged duplicates: one rating per (user, item), the latest one
    order = np.lexsort((timestamps, items, users))
    users, items, ratings, timestamps = users[order], items[order], ratings[order], timestamps[order]
    last = np.ones(len(users), dtype=bool)
    same_next = (users[:-1] == users[1:]) & (items[:-1] == items[1:])
    last[:-1] = ~same_next
    return RatingsData(
        name="movielens-100k",
        titles=tuple(titles),
        years=tuple(years),
        genres=tuple(genres),
        users=users[last],
        items=items[last],
        ratings=ratings[last],
        timestamps=timestamps[last],
        n_users=len(user_ids),
    )


# ------------------------------------------------------------------ synthetic
def synthetic_ratings(
    n_users: int = 300,
    n_items: int = 150,
    ratings_per_user: tuple[int, int] = (15, 40),
    seed: int = 0,
) -> RatingsData:
    """A small, reproducible ratings set where tastes follow genres and a hidden factor.

    Each user likes two genres; each item has one to three genres, a popularity and a
    hidden "style" value.  Users watch items they are likely to like (so collaborative
    filtering has signal beyond popularity), and their ratings follow the same affinity.
    """
    rng = np.random.default_rng(seed)
    genre_names = GENRES[:8]
    n_genres = len(genre_names)
    item_genres = np.zeros((n_items, n_genres), dtype=np.float32)
    for item in range(n_items):
        chosen = rng.choice(n_genres, size=rng.integers(1, 4), replace=False)
        item_genres[item, chosen] = 1.0
    item_style = rng.normal(size=n_items)
    item_popularity = rng.normal(scale=0.7, size=n_items)
    years = rng.integers(1950, 2000, size=n_items)

    user_taste = np.zeros((n_users, n_genres), dtype=np.float32)
    users, items, ratings, timestamps = [], [], [], []
    for user in range(n_users):
        liked = rng.choice(n_genres, size=2, replace=False)
        user_taste[user, liked] = 1.0
        style = rng.normal()
        affinity = 2.0 * item_genres @ user_taste[user] + 0.8 * style * item_style + item_popularity
        probability = np.exp(affinity - affinity.max())
        probability /= probability.sum()
        count = int(rng.integers(*ratings_per_user))
        watched = rng.choice(n_items, size=min(count, n_items), replace=False, p=probability)
        # watch order drifts towards the user's taste, like a real history
        watched = watched[np.argsort(-affinity[watched] * 0.3 + rng.normal(size=len(watched)))]
        start = 900_000_000 + int(rng.integers(0, 10_000_000))
        centre = affinity[watched].mean()
        for step, item in enumerate(watched):
            score = 3.6 + 0.9 * (affinity[item] - centre) + rng.normal(scale=0.6)
            users.append(user)
            items.append(int(item))
            ratings.append(int(np.clip(round(score), 1, 5)))
            timestamps.append(start + 3600 * step)
    return RatingsData(
        name=f"synthetic-{n_users}x{n_items}-seed{seed}",
        titles=tuple(f"Synthetic film {i + 1:03d} ({years[i]})" for i in range(n_items)),
        years=tuple(int(y) for y in years),
        genres=tuple(
            tuple(genre_names[g] for g in np.flatnonzero(item_genres[i])) for i in range(n_items)
        ),
        users=np.array(users, dtype=np.int64),
        items=np.array(items, dtype=np.int64),
        ratings=np.array(ratings, dtype=np.int64),
        timestamps=np.array(timestamps, dtype=np.int64),
        genre_names=genre_names,
        n_users=n_users,
    )


# ---------------------------------------------------------------------- split
def leave_last_out(data: RatingsData, min_ratings: int = 5) -> tuple[RatingsData, np.ndarray, np.ndarray]:
    """Per-user leave-last-out split: each user's latest rating is held out.

    Returns the training ratings (everything but the held-out ones) and two arrays:
    the users evaluated (those with at least ``min_ratings`` ratings) and, for each,
    the held-out item.  Ties in time are broken by item index, so the split is
    deterministic.
    """
    order = np.lexsort((data.items, data.timestamps, data.users))
    users_sorted = data.users[order]
    is_last = np.ones(len(order), dtype=bool)
    is_last[:-1] = users_sorted[:-1] != users_sorted[1:]
    counts = np.bincount(data.users, minlength=data.n_users)
    held = order[is_last & (counts[users_sorted] >= min_ratings)]
    keep = np.ones(data.n_ratings, dtype=bool)
    keep[held] = False
    return data.subset(keep, name=f"{data.name}-train"), data.users[held], data.items[held]
