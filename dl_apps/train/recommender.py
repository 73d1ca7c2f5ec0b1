"""Train and evaluate the film recommenders (``python -m dl_apps train recommender``).

1. Split MovieLens-100k per user, leave-last-out: each user's latest rating is held out.
2. Fit every algorithm on the training part and rank all unseen films for every user;
   report Recall@10, NDCG@10 and catalogue coverage on the held-out films.
3. Refit the neural model on all ratings (same hyper-parameters) into the local cache
   (``$DL_HUB_CACHE_DIR/recommender`` or ``~/.cache/dl_hub/recommender``): MovieLens
   forbids redistribution, so those weights are never committed.
4. Write ``models/recommender/metrics.json`` and ``card.md`` (numbers only, no data).

``--quick`` trains on a small synthetic ratings set into ``--out`` (a temporary folder
in tests) and writes nothing under ``models/``.

The neural model (see :class:`dl_apps.nets.recommenders.NeuralRecommender`) is an
"autoencoder over the user's history": the mean of the rated films' input embeddings,
each scaled by a learned weight for its star rating, goes through a small MLP to a
user vector; a film's score is the dot product of that vector with the film's output
embedding, plus the film's bias.  It is trained to predict films hidden from the
history (half of each history dropped at random every epoch) with a softmax over the
whole catalogue, so a brand-new user is folded in with no gradient step: their picks
are the history.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dl_apps.nets import recommenders
from dl_apps.nets.recommenders import ALGORITHM_TITLES
from dl_apps.datasets.movielens import (
    MOVIELENS_CREDIT,
    MOVIELENS_TERMS,
    RatingsData,
    leave_last_out,
    load_movielens,
    synthetic_ratings,
)

log = logging.getLogger(__name__)

CARD_DIR = Path(__file__).resolve().parents[2] / "models" / "recommender"
TOP_K = 10


@dataclass(frozen=True)
class NeuralConfig:
    """Hyper-parameters of the neural recommender.

    Chosen on a validation split that never sees the test ratings (each user's
    second-to-last rating; ``train recommender --tune`` reruns that comparison).
    """

    dim: int = 64
    hidden: int = 128
    epochs: int = 100
    batch_size: int = 64
    learning_rate: float = 3e-3
    weight_decay: float = 1e-5
    drop_rate: float = 0.5
    seed: int = 0


QUICK_CONFIG = NeuralConfig(dim=16, hidden=32, epochs=30, batch_size=32, learning_rate=1e-2)


# --------------------------------------------------------------------- neural
def fit_neural(
    data: RatingsData,
    config: NeuralConfig = NeuralConfig(),
    progress: Callable[[float], None] | None = None,
) -> dict[str, np.ndarray]:
    """Train the neural recommender on ``data``; return its weights as numpy arrays.

    Deterministic for a given ``config.seed`` (one CPU thread, seeded generators).
    ``progress(fraction)`` is called after each epoch.
    """
    import torch

    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # shared workshop machine; also makes runs reproducible
    try:
        n_users, n_items = data.n_users, data.n_items
        stars = torch.zeros((n_users, n_items), dtype=torch.long)
        stars[torch.as_tensor(data.users), torch.as_tensor(data.items)] = torch.as_tensor(data.ratings)
        active = torch.nonzero(stars.sum(1) > 0).flatten()

        embed_in = torch.nn.Parameter(torch.randn(n_items, config.dim, generator=generator) * 0.1)
        rating_weight = torch.nn.Parameter(torch.ones(6))
        mlp = torch.nn.Sequential(
            torch.nn.Linear(config.dim, config.hidden),
            torch.nn.Tanh(),
            torch.nn.Linear(config.hidden, config.dim),
        )
        embed_out = torch.nn.Parameter(torch.randn(n_items, config.dim, generator=generator) * 0.1)
        item_bias = torch.nn.Parameter(torch.zeros(n_items))
        parameters = [embed_in, rating_weight, embed_out, item_bias, *mlp.parameters()]
        optimiser = torch.optim.Adam(parameters, lr=config.learning_rate, weight_decay=config.weight_decay)
        no_rating = torch.zeros(6)
        no_rating[0] = 1.0  # index 0 = "not rated": its weight is forced to 0

        for epoch in range(config.epochs):
            order = active[torch.randperm(len(active), generator=generator)]
            for start in range(0, len(order), config.batch_size):
                batch = stars[order[start : start + config.batch_size]]
                rated = batch > 0
                keep = rated & (torch.rand(batch.shape, generator=generator) >= config.drop_rate)
                target = rated & ~keep
                has_target = target.any(1) & keep.any(1)
                if not has_target.any():
                    continue
                batch, keep, target = batch[has_target], keep[has_target], target[has_target]
                weights = (rating_weight * (1 - no_rating))[batch] * keep
                user_input = weights @ embed_in / keep.sum(1, keepdim=True)
                user_vector = mlp(user_input)
                logits = user_vector @ embed_out.T + item_bias
                logits = logits.masked_fill(keep, -1e9)  # as at inference: films given are not ranked
                log_probs = torch.log_softmax(logits, dim=1)
                loss = -((log_probs * target).sum(1) / target.sum(1)).mean()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
            if progress is not None:
                progress((epoch + 1) / config.epochs)
            if epoch % 10 == 0 or epoch == config.epochs - 1:
                log.info("epoch %d/%d loss %.4f", epoch + 1, config.epochs, float(loss.detach()))

        with torch.no_grad():
            weight = rating_weight.detach().clone()
            weight[0] = 0.0
            return {
                "embed_in": embed_in.detach().numpy().astype(np.float32),
                "rating_weight": weight.numpy().astype(np.float32),
                "w1": mlp[0].weight.detach().T.numpy().astype(np.float32).copy(),
                "b1": mlp[0].bias.detach().numpy().astype(np.float32),
                "w2": mlp[2].weight.detach().T.numpy().astype(np.float32).copy(),
                "b2": mlp[2].bias.detach().numpy().astype(np.float32),
                "embed_out": embed_out.detach().numpy().astype(np.float32),
                "item_bias": item_bias.detach().numpy().astype(np.float32),
            }
    finally:
        torch.set_num_threads(threads)


# ------------------------------------------------------------------ evaluation
def evaluate(model: Any, train: RatingsData, users: np.ndarray, held_out: np.ndarray, k: int = TOP_K) -> dict[str, float]:
    """Recall@k, NDCG@k and coverage of ``model`` on a leave-last-out split.

    For each evaluated user, the model sees their training ratings (as the page would
    see a profile), ranks every film they have not rated, and is scored on where the
    held-out film lands.  With one held-out film, Recall@k is the hit rate.
    Coverage is the share of the catalogue that appears in at least one top-k list.
    """
    order = np.argsort(train.users, kind="stable")
    sorted_users = train.users[order]
    starts = np.searchsorted(sorted_users, users, side="left")
    ends = np.searchsorted(sorted_users, users, side="right")
    hits, gains = [], []
    shown = np.zeros(train.n_items, dtype=bool)
    for start, end, target in zip(starts, ends, held_out):
        rows = order[start:end]
        items, ratings = train.items[rows], train.ratings[rows]
        scores = np.asarray(model.score(items, ratings), dtype=np.float64).copy()
        scores[items] = -np.inf
        top = _top_k(scores, k)
        shown[top] = True
        position = np.flatnonzero(top == target)
        hits.append(1.0 if position.size else 0.0)
        gains.append(1.0 / np.log2(position[0] + 2) if position.size else 0.0)
    return {
        f"recall@{k}": round(float(np.mean(hits)), 4),
        f"ndcg@{k}": round(float(np.mean(gains)), 4),
        "coverage": round(float(shown.mean()), 4),
        "users": int(len(users)),
    }


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best scores, best first; ties go to the lower index (deterministic)."""
    order = np.lexsort((np.arange(len(scores)), -scores))
    return order[:k]


def evaluate_all(
    data: RatingsData,
    config: NeuralConfig,
    progress: Callable[[float], None] | None = None,
) -> dict[str, dict[str, float]]:
    """Fit every algorithm on the leave-last-out training part and evaluate it."""
    train, users, held_out = leave_last_out(data)
    results: dict[str, dict[str, float]] = {}
    for algorithm in recommenders.ALGORITHMS:
        started = time.perf_counter()
        if algorithm == "neural":
            model = recommenders.NeuralRecommender(train, fit_neural(train, config, progress))
        else:
            model = recommenders.build_recommender(algorithm, train)
        fit_seconds = time.perf_counter() - started
        metrics = evaluate(model, train, users, held_out)
        metrics["fit_s"] = round(fit_seconds, 2)
        results[algorithm] = metrics
        log.info("%s: %s", algorithm, metrics)
    return results


TUNING_GRID: tuple[NeuralConfig, ...] = (
    NeuralConfig(epochs=30),
    NeuralConfig(epochs=60),
    NeuralConfig(),
    NeuralConfig(epochs=150),
    NeuralConfig(dim=32, hidden=64),
    NeuralConfig(drop_rate=0.3),
)


def tune(data: RatingsData, grid: tuple[NeuralConfig, ...] = TUNING_GRID) -> list[dict[str, Any]]:
    """Compare configurations on a validation split: the test ratings are removed first."""
    train, _, _ = leave_last_out(data)
    inner, users, held_out = leave_last_out(train)
    rows = [{"config": "popularity", **evaluate(recommenders.build_recommender("popularity", inner), inner, users, held_out)}]
    for config in grid:
        model = recommenders.NeuralRecommender(inner, fit_neural(inner, config))
        rows.append({"config": asdict(config), **evaluate(model, inner, users, held_out)})
        log.info("%s", rows[-1])
    return rows


# ------------------------------------------------------------------ artefacts
def write_card(folder: Path, data: RatingsData, config: NeuralConfig, results: dict[str, dict[str, float]]) -> Path:
    """Write ``metrics.json`` and ``card.md`` (metrics, data credit and terms; no data)."""
    folder.mkdir(parents=True, exist_ok=True)
    payload = {
        "dataset": data.name,
        "split": "per-user leave-last-out (latest rating of each user with >= 5 ratings held out)",
        "k": TOP_K,
        "config": asdict(config),
        "algorithms": results,
    }
    (folder / "metrics.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    rows = "\n".join(
        f"| {ALGORITHM_TITLES[name]} | {m[f'recall@{TOP_K}']:.4f} | {m[f'ndcg@{TOP_K}']:.4f} | {m['coverage']:.3f} |"
        for name, m in results.items()
    )
    card = f"""# Film recommenders (MovieLens-100k)

Trained by `python -m dl_apps train recommender`; this card and `metrics.json` are
written by that script.  **No weights are committed**: MovieLens forbids
redistribution, so the script (or the page on first use) trains them in seconds into a
local cache (`$DL_HUB_CACHE_DIR/recommender`, default `~/.cache/dl_hub/recommender`).

## Models
- **Neural** (default): PyTorch, trained here. A user is the mean of the input
  embeddings of the films they rated, each scaled by a learned weight per star rating,
  passed through an MLP ({config.dim} → {config.hidden} → {config.dim}, tanh); a film's score is the dot
  product with its output embedding plus a bias.  Trained to predict films hidden
  from a history (drop rate {config.drop_rate}), softmax over the catalogue, {config.epochs} epochs, Adam
  lr {config.learning_rate}; hyper-parameters chosen on a validation split (each user's
  second-to-last rating; `--tune` reruns it), never on the test ratings. A new user is folded in with no gradient step: their picks
  are the history.
- **Item-item (co-occurrence)**: cosine similarity of films' rater sets, summed over the profile.
- **Genres (content, cold start)**: cosine between the profile's genre mix and each film's genres.
- **Popularity** (baseline): number of ratings, the same list for everybody.

## Evaluation
Data: {data.name}, {data.n_ratings:,} ratings, {data.n_users:,} users, {data.n_items:,} films
(films listed twice under the same title and year merged, the "unknown" placeholder dropped).
Split: per user, leave-last-out by timestamp ({results['popularity']['users']:,} users evaluated). Every model
sees the user's training ratings, ranks all films they have not rated, and is scored
on the held-out film.  Coverage = share of the catalogue in at least one top-{TOP_K} list.

| algorithm | Recall@{TOP_K} | NDCG@{TOP_K} | coverage |
|---|---|---|---|
{rows}

The served neural model is refitted on all ratings with the same hyper-parameters.

## Data and licence
{MOVIELENS_CREDIT}

Terms: {MOVIELENS_TERMS} Read in place from the `recbole==1.2.1` wheel (MIT code).

## Limits
Ratings from 1997–98 US users of a research site: old films, a narrow audience.
The offline metrics reward predicting what people watch next, not discovery; the
models optimise short-term accuracy, not long-term satisfaction.
"""
    path = folder / "card.md"
    path.write_text(card, encoding="utf-8")
    return path


def train_into_cache(
    data: RatingsData | None = None,
    config: NeuralConfig = NeuralConfig(),
    folder: Path | None = None,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """Fit the neural model on all ratings and save it in the local cache; return the file."""
    data = data if data is not None else load_movielens()
    weights = fit_neural(data, config, progress)
    return recommenders.save_neural_weights(weights, data, folder or recommenders.cache_dir())


# ------------------------------------------------------------------------ CLI
def main(argv: list[str] | None = None) -> int:
    """``python -m dl_apps train recommender [--quick] [--out DIR] [--epochs N]``."""
    parser = argparse.ArgumentParser(prog="python -m dl_apps train recommender", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="synthetic data, small model (for tests)")
    parser.add_argument("--out", type=Path, help="folder for the weights (default: the local cache)")
    parser.add_argument("--card-dir", type=Path, help="folder for card.md/metrics.json (default: models/recommender, or --out with --quick)")
    parser.add_argument("--epochs", type=int, help="override the number of epochs")
    parser.add_argument("--no-eval", action="store_true", help="only fit the served model (no card)")
    parser.add_argument("--tune", action="store_true", help="only compare hyper-parameters on a validation split")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if args.quick:
        data = synthetic_ratings()
        config = QUICK_CONFIG
        out = args.out or Path("recommender-quick")
        card_dir = args.card_dir or out
    else:
        data = load_movielens()
        config = NeuralConfig()
        out = args.out or recommenders.cache_dir()
        card_dir = args.card_dir or CARD_DIR
    if args.epochs:
        config = NeuralConfig(**{**asdict(config), "epochs": args.epochs})

    started = time.perf_counter()
    if args.tune:
        print(json.dumps(tune(data), indent=2))
        return 0
    if not args.no_eval:
        results = evaluate_all(data, config)
        card = write_card(card_dir, data, config, results)
        print(json.dumps(results, indent=2))
        print(f"card: {card}")
    path = train_into_cache(data, config, out)
    print(f"weights: {path} ({time.perf_counter() - started:.1f} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
