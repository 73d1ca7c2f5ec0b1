"""The four recommenders of the recommendation page, and the neural model's weight files.

* ``popularity``: the same list for everyone (the baseline);
* ``genre``: content-based, the profile's genre mix against each film's genres;
* ``itemknn``: item-item cosine similarity of who rated what;
* ``neural``: item embeddings + MLP history encoder + dot product, trained in PyTorch by
  ``python -m dl_apps train recommender`` and run here in numpy.

Weights are safetensors in the local cache (``$DL_HUB_CACHE_DIR/recommender``), tagged with the
fingerprint of the ratings they were trained on.  numpy only (safetensors imported lazily).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Mapping

import numpy as np

from dl_apps.datasets.catalogue import Catalogue
from dl_apps.datasets.movielens import RatingsData

log = logging.getLogger(__name__)

ALGORITHMS: tuple[str, ...] = ("neural", "itemknn", "genre", "popularity")
ALGORITHM_TITLES: dict[str, str] = {
    "neural": "Neural (embeddings + MLP)",
    "itemknn": "Item-item (co-occurrence)",
    "genre": "Genres (content)",
    "popularity": "Popularity (baseline)",
}


# --------------------------------------------------------------------- models
class Recommender:
    """Base of every algorithm: a catalogue and ``score(items, ratings)`` over all films."""

    algorithm = ""
    fold_in = ""

    def __init__(self, data: RatingsData) -> None:
        self.catalogue = Catalogue(data)

    def score(self, items: np.ndarray, ratings: np.ndarray) -> np.ndarray:
        """A score per film (higher = better) for a profile of rated ``items``."""
        raise NotImplementedError

    def because(self, item: int, items: np.ndarray, ratings: np.ndarray) -> list[int]:
        """Which of the profile's films explain recommending ``item`` (most similar first)."""
        return []

    def item_xy(self) -> np.ndarray | None:
        """2-D coordinates of every film (a map of the model's item space), if it has one."""
        return None

    def approx_bytes(self) -> int:
        arrays = [value for value in vars(self).values() if isinstance(value, np.ndarray)]
        arrays.append(self.catalogue.genre_matrix)
        return int(sum(array.nbytes for array in arrays)) + 2_000_000


class PopularityRecommender(Recommender):
    """The same list for everyone: films by number of ratings."""

    algorithm = "popularity"
    fold_in = "none"

    def score(self, items: np.ndarray, ratings: np.ndarray) -> np.ndarray:
        return self.catalogue.popularity.astype(np.float64)


class GenreRecommender(Recommender):
    """Content-based: cosine between the profile's genre mix and each film's genres.

    Needs no ratings of a film, so it also works for new films (cold start); a little
    popularity breaks the many ties.
    """

    algorithm = "genre"
    fold_in = "genre_profile"

    def __init__(self, data: RatingsData) -> None:
        super().__init__(data)
        matrix = self.catalogue.genre_matrix
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.unit_genres = matrix / np.maximum(norms, 1e-9)
        popularity = np.log1p(self.catalogue.popularity.astype(np.float64))
        self.tie_break = 0.05 * popularity / max(popularity.max(), 1e-9)

    def score(self, items: np.ndarray, ratings: np.ndarray) -> np.ndarray:
        weights = (np.asarray(ratings, dtype=np.float64) - 2.5)  # 1–2 stars push away
        profile = weights @ self.catalogue.genre_matrix[items]
        norm = np.linalg.norm(profile)
        if norm == 0:
            return self.tie_break.copy()
        return self.unit_genres @ (profile / norm) + self.tie_break

    def because(self, item: int, items: np.ndarray, ratings: np.ndarray) -> list[int]:
        overlap = self.catalogue.genre_matrix[items] @ self.catalogue.genre_matrix[item]
        return _strongest(items, overlap * (np.asarray(ratings) >= 3))

    def item_xy(self) -> np.ndarray:
        return _pca_2d(self.unit_genres + 0.02 * _stable_jitter(self.catalogue.n_items, self.unit_genres.shape[1]))


class ItemKNNRecommender(Recommender):
    """Item-item collaborative filtering: films rated by the same people are similar.

    Similarity = cosine of the films' rater sets (rated or not; implicit feedback);
    a film's score = sum of its similarity to each profile film, weighted by stars.
    """

    algorithm = "itemknn"
    fold_in = "item_similarity"

    def __init__(self, data: RatingsData, neighbours: int = 100) -> None:
        super().__init__(data)
        n_items = data.n_items
        rated = np.zeros((data.n_users, n_items), dtype=np.float32)
        rated[data.users, data.items] = 1.0
        co = rated.T @ rated
        counts = np.sqrt(np.maximum(np.diag(co), 1.0))
        similarity = co / counts[:, None] / counts[None, :]
        np.fill_diagonal(similarity, 0.0)
        if neighbours < n_items:  # keep each film's strongest neighbours only (less noise)
            cut = np.partition(similarity, -neighbours, axis=1)[:, -neighbours][:, None]
            similarity = np.where(similarity >= cut, similarity, 0.0)
        self.similarity = similarity.astype(np.float32)

    def score(self, items: np.ndarray, ratings: np.ndarray) -> np.ndarray:
        weights = np.asarray(ratings, dtype=np.float32) - 2.5
        return (weights @ self.similarity[items]).astype(np.float64)

    def because(self, item: int, items: np.ndarray, ratings: np.ndarray) -> list[int]:
        return _strongest(items, self.similarity[items, item] * (np.asarray(ratings) - 2.5))


class NeuralRecommender(Recommender):
    """The project's neural recommender (trained by :mod:`dl_apps.train.recommender`).

    user = MLP(mean over rated films of rating_weight[stars] × embed_in[film]);
    score(film) = user · embed_out[film] + item_bias[film].
    """

    algorithm = "neural"
    fold_in = "history_encoder"

    def __init__(self, data: RatingsData, weights: Mapping[str, np.ndarray]) -> None:
        super().__init__(data)
        self.embed_in = np.asarray(weights["embed_in"], dtype=np.float32)
        self.rating_weight = np.asarray(weights["rating_weight"], dtype=np.float32)
        self.w1 = np.asarray(weights["w1"], dtype=np.float32)
        self.b1 = np.asarray(weights["b1"], dtype=np.float32)
        self.w2 = np.asarray(weights["w2"], dtype=np.float32)
        self.b2 = np.asarray(weights["b2"], dtype=np.float32)
        self.embed_out = np.asarray(weights["embed_out"], dtype=np.float32)
        self.item_bias = np.asarray(weights["item_bias"], dtype=np.float32)
        if self.embed_out.shape[0] != data.n_items:
            raise ValueError("the neural weights were trained on another catalogue")
        norms = np.linalg.norm(self.embed_out, axis=1, keepdims=True)
        self.unit_out = self.embed_out / np.maximum(norms, 1e-9)

    def user_vector(self, items: np.ndarray, ratings: np.ndarray) -> np.ndarray:
        """Fold a profile in: no training, one forward pass of the history encoder."""
        stars = np.clip(np.asarray(ratings, dtype=np.int64), 1, 5)
        pooled = self.rating_weight[stars] @ self.embed_in[items] / max(len(items), 1)
        hidden = np.tanh(pooled @ self.w1 + self.b1)
        return hidden @ self.w2 + self.b2

    def score(self, items: np.ndarray, ratings: np.ndarray) -> np.ndarray:
        return (self.embed_out @ self.user_vector(items, ratings) + self.item_bias).astype(np.float64)

    def because(self, item: int, items: np.ndarray, ratings: np.ndarray) -> list[int]:
        similarity = self.unit_out[items] @ self.unit_out[item]
        return _strongest(items, similarity * (np.asarray(ratings) >= 3))

    def item_xy(self) -> np.ndarray:
        """Every film's 2-D map position (PCA of the item embeddings), computed once per model.

        The SVD costs ~0.2 s; recomputing it on every page rerun was most of a recommendation
        click's server time (bench reruns).  The model is read-only, so the map never changes.
        """
        cached = getattr(self, "_item_xy", None)
        if cached is None:
            cached = _pca_2d(self.unit_out)
            cached.setflags(write=False)
            self._item_xy = cached
        return cached


def _strongest(items: np.ndarray, strength: np.ndarray, most: int = 2, share: float = 0.7) -> list[int]:
    """The profile films that best explain a recommendation: the strongest, plus any close second."""
    order = np.lexsort((items, -strength))
    if not len(order) or strength[order[0]] <= 0:
        return []
    best = strength[order[0]]
    return [int(items[i]) for i in order[:most] if strength[i] > 0 and strength[i] >= share * best]


def _pca_2d(vectors: np.ndarray) -> np.ndarray:
    """First two principal components (signs fixed so the map never flips between runs)."""
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    axes = components[:2]
    signs = np.sign(axes[np.arange(2), np.abs(axes).argmax(axis=1)])
    return (centred @ (axes * signs[:, None]).T).astype(np.float32)


def _stable_jitter(rows: int, columns: int) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(rows, columns))


def build_recommender(algorithm: str, data: RatingsData, weights: Mapping[str, np.ndarray] | None = None) -> Recommender:
    """The recommender ``algorithm`` fitted on ``data`` (``weights`` for the neural one)."""
    if algorithm == "popularity":
        return PopularityRecommender(data)
    if algorithm == "genre":
        return GenreRecommender(data)
    if algorithm == "itemknn":
        return ItemKNNRecommender(data)
    if algorithm == "neural":
        if weights is None:
            raise ValueError("the neural recommender needs its trained weights")
        return NeuralRecommender(data, weights)
    raise ValueError(f"unknown algorithm {algorithm!r} (known: {', '.join(ALGORITHMS)})")


# ------------------------------------------------------------ weights & cache
def cache_dir() -> Path:
    """Where trained recommender weights live: ``$DL_HUB_CACHE_DIR/recommender`` or ``~/.cache/dl_hub/recommender``."""
    root = os.environ.get("DL_HUB_CACHE_DIR") or str(Path.home() / ".cache" / "dl_hub")
    return Path(root).expanduser() / "recommender"


def weights_path(data: RatingsData, folder: Path | None = None) -> Path:
    """The weight file of the neural model trained on ``data``."""
    return (folder or cache_dir()) / f"neural-{data.name}.safetensors"


def save_neural_weights(weights: Mapping[str, np.ndarray], data: RatingsData, folder: Path) -> Path:
    """Write the weights as safetensors, tagged with the data's fingerprint (atomic replace)."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    path = weights_path(data, folder)
    partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    save_file({k: np.ascontiguousarray(v) for k, v in weights.items()}, str(partial), metadata={"data": data.name, "fingerprint": data.fingerprint()})
    os.replace(partial, path)
    return path


def load_neural_weights(data: RatingsData, folder: Path | None = None) -> dict[str, np.ndarray] | None:
    """The cached weights for ``data``, or None if missing or trained on other data."""
    from safetensors import safe_open

    path = weights_path(data, folder)
    if not path.is_file():
        return None
    try:
        with safe_open(str(path), framework="numpy") as handle:
            if (handle.metadata() or {}).get("fingerprint") != data.fingerprint():
                log.warning("%s was trained on other data: retraining", path)
                return None
            return {key: handle.get_tensor(key) for key in handle.keys()}
    except Exception:  # a truncated or corrupt file: retrain rather than fail
        log.exception("could not read %s: retraining", path)
        return None
