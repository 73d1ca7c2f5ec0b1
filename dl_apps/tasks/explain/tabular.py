"""SHAP (exact Tree SHAP) and LIME on the breast-cancer table, and the global SHAP summary."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from dl_apps.nets.tree_ensemble import TreeEnsemble
from dl_apps.tasks.explain.inputs import tabular_data
from dl_apps.tasks.explain.results import Attribution, ExplainResult, _sorted


MALIGNANT = 0  # class index explained on the table: "malignant" (the model's raw output is "benign")


def explain_tabular(model: TreeEnsemble, row: np.ndarray, method: str, samples: int, seed: int, progress: Callable[[float], None] | None = None) -> ExplainResult:
    """Why the model gives this patient its probability of *malignant*."""
    row = np.asarray(row, dtype=np.float64)
    p_malignant = float(model.predict_proba(row[None])[0, MALIGNANT])
    if method == "shap":
        explainer = model.tree_explainer()
        values = -np.asarray(explainer.shap_values(row[None]), dtype=np.float64).reshape(-1)  # benign → malignant
        base = -float(np.asarray(explainer.expected_value).reshape(-1)[0])
        units = "log-odds"
    else:
        from lime.lime_tabular import LimeTabularExplainer

        explainer = LimeTabularExplainer(
            model.train_sample,
            feature_names=model.feature_names,
            class_names=model.class_names,
            discretize_continuous=True,
            random_state=seed,
        )
        explanation = explainer.explain_instance(row, model.predict_proba, labels=(MALIGNANT,), num_features=model.n_features, num_samples=samples)
        values = np.zeros(model.n_features)
        for index, weight in explanation.as_map()[MALIGNANT]:
            values[index] = weight
        base = float(np.asarray(explanation.intercept[MALIGNANT]))
        units = "probability"
    if progress is not None:
        progress(1.0)
    features = [Attribution(name, round(float(w), 6), round(float(v), 6)) for name, w, v in zip(model.feature_names, values, row)]
    return ExplainResult(
        target="tabular", method=method, explained_label=model.class_names[MALIGNANT], probability=round(p_malignant, 6),
        features=_sorted(features), units=units, base_value=round(base, 6), samples=samples, seed=seed,
    )


def shap_additivity_gap(model: TreeEnsemble, row: np.ndarray, result: ExplainResult) -> float:
    """|base + Σ SHAP − log-odds(malignant)|: zero up to rounding for exact Tree SHAP."""
    log_odds = -float(model.raw(np.asarray(row)[None])[0])
    return abs((result.base_value or 0.0) + sum(item.weight for item in result.features) - log_odds)


def global_summary(model: TreeEnsemble, top: int = 10) -> dict[str, Any]:
    """SHAP values (log-odds of malignant) of every held-out patient: the beeswarm's data.

    Returns ``features`` (the ``top`` by mean |SHAP|), ``shap`` (n, top), ``values`` (n, top)
    and ``mean_abs`` (top,).
    """
    data = tabular_data()
    values = -np.asarray(model.tree_explainer().shap_values(data["x"]), dtype=np.float64)
    mean_abs = np.abs(values).mean(axis=0)
    order = np.argsort(-mean_abs)[:top]
    return {
        "features": [model.feature_names[i] for i in order],
        "shap": values[:, order],
        "values": data["x"][:, order],
        "mean_abs": mean_abs[order],
    }

