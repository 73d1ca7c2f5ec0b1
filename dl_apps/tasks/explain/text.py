"""SHAP (partition explainer) and LIME on a text, words as features, with the sentiment model."""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

import numpy as np

from dl_apps.tasks.explain.inputs import MAX_TEXT_WORDS, WORD_PATTERN, words
from dl_apps.tasks.explain.results import Attribution, ExplainResult, _sorted


class _CountingClassifier:
    """The model's ``predict_proba`` on unique texts only (perturbations repeat), reporting progress."""

    def __init__(self, model: Any, expected_calls: int, progress: Callable[[float], None] | None) -> None:
        self.model, self.expected, self.progress, self.done = model, max(1, expected_calls), progress, 0
        self.memo: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t) for t in texts]
        new = [t for t in dict.fromkeys(texts) if t not in self.memo]
        for start in range(0, len(new), 64):
            chunk = new[start : start + 64]
            self.memo.update(zip(chunk, np.asarray(self.model.predict_proba(chunk), dtype=np.float64)))
        self.done += len(texts)
        if self.progress is not None:
            self.progress(min(1.0, self.done / self.expected))
        return np.stack([self.memo[t] for t in texts])


def explain_text(model: Any, text: str, method: str, samples: int, seed: int, progress: Callable[[float], None] | None = None) -> ExplainResult:
    """Which words pushed the sentiment model towards its answer for ``text``."""
    labels = list(model.labels)
    probabilities = np.asarray(model.predict_proba([text])[0], dtype=np.float64)
    label_index = int(np.argmax(probabilities))
    classify = _CountingClassifier(model, samples, progress)
    tokens: list[list[Any]] = []
    if method == "lime":
        from lime.lime_text import LimeTextExplainer

        explainer = LimeTextExplainer(class_names=labels, split_expression=WORD_PATTERN, bow=True, random_state=seed)
        explanation = explainer.explain_instance(text, classify, labels=(label_index,), num_features=MAX_TEXT_WORDS, num_samples=samples)
        weights = {str(explanation.domain_mapper.indexed_string.word(i)): float(w) for i, w in explanation.as_map()[label_index]}
        tokens = [[w, round(weights.get(w, 0.0), 6)] for w in words(text)]
        base = float(np.asarray(explanation.intercept[label_index]))
    else:
        import shap

        masker = shap.maskers.Text(tokenizer=WORD_PATTERN, mask_token=" ", collapse_mask_token=True)
        explainer = shap.Explainer(lambda batch: classify(list(batch))[:, label_index], masker, seed=seed)
        explanation = explainer([text], max_evals=max(samples, 2 * len(words(text)) + 1), batch_size=64, silent=True)
        weights = {}
        for token, value in zip(explanation.data[0], np.asarray(explanation.values[0], dtype=np.float64).reshape(-1)):
            word = re.sub(WORD_PATTERN, "", str(token))  # SHAP's tokens keep their trailing punctuation
            if word:
                tokens.append([word, round(float(value), 6)])
                weights[word] = weights.get(word, 0.0) + float(value)
        base = float(np.asarray(explanation.base_values).reshape(-1)[0])
    if progress is not None:
        progress(1.0)
    features = [Attribution(name, round(w, 6)) for name, w in weights.items()]
    return ExplainResult(
        target="text", method=method, explained_label=labels[label_index], probability=round(float(probabilities[label_index]), 6),
        features=_sorted(features), units="probability", base_value=round(base, 6), tokens=tokens, samples=samples, seed=seed,
    )

