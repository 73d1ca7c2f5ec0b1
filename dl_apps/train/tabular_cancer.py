"""Train the explain page's tabular model: ``python -m dl_apps train tabular-cancer [--quick] [--out DIR]``.

Data: scikit-learn's bundled Breast Cancer Wisconsin (Diagnostic) table (569 patients,
30 numeric features computed from images of a fine-needle aspirate; target malignant
or benign), read in place from the installed scikit-learn.  A stratified 75 / 25 split
(seed 0) keeps 143 patients aside for testing.

Model: ``sklearn.ensemble.GradientBoostingClassifier`` (100 trees of depth 3, learning
rate 0.1).  Its trees are exported as plain arrays into ``weights.safetensors`` (no
pickle: loading never runs code) and evaluated by :class:`dl_apps.nets.tree_ensemble.TreeEnsemble`,
which SHAP's TreeExplainer reads directly.  The script checks that the exported trees
reproduce scikit-learn's own probabilities, then writes ``metrics.json`` and ``card.md``.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from dl_apps.datasets.breast_cancer import SEED, load_data, split
from dl_apps.nets.tree_ensemble import TreeEnsemble
from dl_apps.registry import MODELS_DIR

NAME = "tabular-cancer"
FULL = {"n_estimators": 100, "max_depth": 3, "learning_rate": 0.1}
QUICK = {"n_estimators": 20, "max_depth": 2, "learning_rate": 0.3}


def export_trees(model: Any) -> tuple[dict[str, np.ndarray], float]:
    """A fitted binary GradientBoostingClassifier → concatenated tree arrays + the base log-odds.

    Leaf values are multiplied by the learning rate, so the raw output (log-odds of the
    positive class) is ``base + sum of the leaves reached``.
    """
    lefts, rights, features, thresholds, values, weights, offsets = [], [], [], [], [], [], [0]
    for estimator in model.estimators_[:, 0]:
        tree = estimator.tree_
        lefts.append(tree.children_left)
        rights.append(tree.children_right)
        features.append(tree.feature)
        thresholds.append(tree.threshold)
        values.append(tree.value[:, 0, 0] * model.learning_rate)
        weights.append(tree.weighted_n_node_samples)
        offsets.append(offsets[-1] + tree.node_count)
    prior = float(np.clip(model.init_.class_prior_[1], 1e-12, 1 - 1e-12))
    arrays = {
        "children_left": np.concatenate(lefts).astype(np.int32),
        "children_right": np.concatenate(rights).astype(np.int32),
        "features": np.concatenate(features).astype(np.int32),
        "thresholds": np.concatenate(thresholds).astype(np.float64),
        "values": np.concatenate(values).astype(np.float64),
        "node_sample_weight": np.concatenate(weights).astype(np.float64),
        "offsets": np.asarray(offsets, dtype=np.int64),
    }
    return arrays, float(np.log(prior / (1 - prior)))


def write_weights(path: Path, arrays: dict[str, np.ndarray], base: float, feature_names: list[str], class_names: list[str], x_train: np.ndarray) -> None:
    """safetensors with the trees, the training ranges/medians (for LIME and the what-if) and names."""
    from safetensors.numpy import save_file

    tensors = {key: np.ascontiguousarray(value) for key, value in arrays.items()}
    tensors["train_min"] = x_train.min(axis=0)
    tensors["train_max"] = x_train.max(axis=0)
    tensors["train_median"] = np.median(x_train, axis=0)
    tensors["train_sample"] = np.ascontiguousarray(x_train)  # LIME's statistics; 426 × 30 floats ≈ 100 KB
    metadata = {"base_offset": repr(base), "features": "|".join(feature_names), "classes": "|".join(class_names), "positive": class_names[1]}
    save_file(tensors, str(path), metadata=metadata)


def main(argv: list[str] | None = None) -> int:
    """Train, export, check, evaluate; write weights, metrics.json and card.md."""
    parser = argparse.ArgumentParser(prog="python -m dl_apps train tabular-cancer", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller model (for tests)")
    parser.add_argument("--out", type=Path, default=MODELS_DIR / NAME, help="output folder (default models/tabular-cancer)")
    args = parser.parse_args(argv)

    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.metrics import accuracy_score, roc_auc_score

    params = QUICK if args.quick else FULL
    x, y, feature_names, class_names = load_data()
    x_train, x_test, y_train, y_test = split(x, y)
    started = time.perf_counter()
    model = GradientBoostingClassifier(random_state=SEED, **params).fit(x_train, y_train)
    seconds = time.perf_counter() - started

    arrays, base = export_trees(model)
    args.out.mkdir(parents=True, exist_ok=True)
    weights_path = args.out / "weights.safetensors"
    write_weights(weights_path, arrays, base, feature_names, class_names, x_train)
    exported = TreeEnsemble.load(weights_path)
    gap = float(np.abs(exported.predict_proba(x_test) - model.predict_proba(x_test)).max())
    if gap > 1e-6:
        raise SystemExit(f"exported trees disagree with scikit-learn (max gap {gap:.2e})")

    proba = exported.predict_proba(x_test)[:, 1]
    importances = sorted(zip(feature_names, model.feature_importances_), key=lambda item: -item[1])[:5]
    metrics = {
        "model": NAME,
        "quick": args.quick,
        "params": params,
        "seed": SEED,
        "n_train": int(len(y_train)),
        "n_test": int(len(y_test)),
        "test_accuracy": round(float(accuracy_score(y_test, proba >= 0.5)), 4),
        "test_roc_auc": round(float(roc_auc_score(y_test, proba)), 4),
        "majority_baseline_accuracy": round(float(max(np.mean(y_test), 1 - np.mean(y_test))), 4),
        "export_max_probability_gap": gap,
        "train_seconds": round(seconds, 2),
        "top_impurity_importances": [[name, round(float(value), 4)] for name, value in importances],
        "date": date.today().isoformat(),
        "sklearn": __import__("sklearn").__version__,
    }
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (args.out / "card.md").write_text(card(metrics, weights_path.stat().st_size), encoding="utf-8")
    print(json.dumps({key: metrics[key] for key in ("test_accuracy", "test_roc_auc", "n_test", "train_seconds")}))
    return 0


def card(metrics: dict[str, Any], weight_bytes: int) -> str:
    """The model card's Markdown, every number from ``metrics``."""
    params = metrics["params"]
    top = ", ".join(f"`{name}` ({value:.2f})" for name, value in metrics["top_impurity_importances"])
    return f"""# tabular-cancer: gradient boosting on the breast-cancer table

**What it does.** Predicts from 30 measurements of cell nuclei (radius, texture, concavity, …,
computed from a digitised image of a fine-needle aspirate of a breast mass) whether the mass is
**benign** or **malignant**. It is the tabular model of the explanations page, chosen because
SHAP's TreeExplainer computes exact Shapley values for trees in milliseconds.

**Model.** scikit-learn `GradientBoostingClassifier`: {params['n_estimators']} trees of depth
{params['max_depth']}, learning rate {params['learning_rate']}, seed {metrics['seed']}. The trees are
exported as plain arrays (`weights.safetensors`, {weight_bytes / 1024:.0f} KB, no pickle) and evaluated
in numpy; the export reproduces scikit-learn's probabilities (max gap {metrics['export_max_probability_gap']:.1e}).

**Reproduce.** `python -m dl_apps train tabular-cancer` ({metrics['train_seconds']} s of training on the
machine that wrote this card, {metrics['date']}, scikit-learn {metrics['sklearn']}).

## Data
- Breast Cancer Wisconsin (Diagnostic), Wolberg, Street & Mangasarian (UCI, CC BY 4.0), as bundled in
  scikit-learn (BSD-3-Clause) and read in place: 569 patients, 212 malignant, 357 benign.
- Stratified split: {metrics['n_train']} patients for training, {metrics['n_test']} held out for testing.

## Licence
- Weights: trained by this project (code MIT). Data: CC BY 4.0 (UCI), shipped in scikit-learn (BSD-3-Clause).

## Metrics (held-out patients, written by the training script)
- Accuracy: {metrics['test_accuracy']:.1%} (majority-class baseline {metrics['majority_baseline_accuracy']:.1%}), ROC AUC {metrics['test_roc_auc']:.3f}, n = {metrics['n_test']}.
- Largest impurity importances: {top}.

## Limits
- A teaching model on a small, old (1995) data set from one hospital: **not** for diagnosis.
- The features are correlated (radius, perimeter and area measure almost the same thing), so
  attributions can move between them: read explanations of correlated features together.
"""


if __name__ == "__main__":
    raise SystemExit(main())
