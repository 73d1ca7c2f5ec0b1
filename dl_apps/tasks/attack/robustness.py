"""Accuracy vs ε of the digit models, and what the defence buys, from the training script's metrics."""

from __future__ import annotations

import json
from typing import Any

from dl_apps.registry import get_model_spec, load_registry

TASK = "attack"


def robustness_curves() -> list[dict[str, Any]]:
    """Accuracy vs ε of the digit models, as measured by ``python -m dl_apps train mnist-cnn``.

    Long format, one row per (model, attack, ε): ``model``, ``method``, ``eps``,
    ``eps_255``, ``accuracy``, ``n``.  Read from each model's ``metrics.json``
    (``options.metrics``); models without one are skipped.
    """
    rows = []
    for spec in load_registry().models_for(TASK):
        path_key = spec.options.get("metrics")
        if not path_key:
            continue
        path = spec.option_path("metrics")
        if not path.is_file():
            continue
        evaluation = json.loads(path.read_text(encoding="utf-8"))["evaluation"]
        curve = evaluation["curve"]
        for method in ("fgsm", "pgd"):
            title = "FGSM" if method == "fgsm" else f"PGD-{evaluation['pgd_steps']}"
            for eps, value in zip(curve["eps"], curve[method]):
                rows.append(
                    {"model": spec.id, "method": title, "eps": eps, "eps_255": round(eps * 255), "accuracy": value, "n": evaluation["n_test"]}
                )
    return rows


def _metrics(model_id: str) -> dict[str, Any] | None:
    try:
        path = get_model_spec(model_id, TASK).option_path("metrics")
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, KeyError, ValueError):
        return None


def defence_summary(standard_id: str = "mnist-cnn", robust_id: str = "mnist-cnn-robust") -> dict[str, Any] | None:
    """What adversarial training buys and costs, from the two cards' metrics.

    Keys: ``eps`` (the reference ε in grey levels), ``standard`` / ``robust`` (PGD accuracy
    at that ε), ``clean_standard`` / ``clean_robust``, ``cost`` (training-time ratio).
    None when either metrics file is missing.
    """
    standard, robust = _metrics(standard_id), _metrics(robust_id)
    if not standard or not robust:
        return None
    eps = standard["evaluation"]["reference_eps"]

    def attacked(metrics: dict[str, Any]) -> float:
        curve = metrics["evaluation"]["curve"]
        return float(curve["pgd"][curve["eps"].index(eps)])

    return {
        "eps": round(eps * 255),
        "standard": attacked(standard),
        "robust": attacked(robust),
        "clean_standard": float(standard["evaluation"]["clean_accuracy"]),
        "clean_robust": float(robust["evaluation"]["clean_accuracy"]),
        "cost": robust["train_seconds"] / max(standard["train_seconds"], 1e-9),
    }

