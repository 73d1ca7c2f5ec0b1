"""Explanations: SHAP and LIME side by side on a table, a text and an image, with the hub's own models.

Three targets, each explained by both methods on the same input:

* ``tabular``: the project's gradient-boosting model of the breast-cancer table
  (registry id ``tabular-cancer-gb``, this task's default).  SHAP uses TreeExplainer
  (exact Shapley values of the trees, in log-odds of "malignant"); LIME fits a
  weighted linear surrogate on perturbed patients (in probability of "malignant").
* ``text``: the sentiment model of the sentiment page (``sentiment-e5-multilingual``
  by default), taken from the shared cache.  Words are the features: LIME removes
  words at random; SHAP's partition explainer masks groups of neighbouring words.
* ``image``: the MNIST digit CNN of the adversarial page (``mnist-cnn``).  Superpixels
  (scikit-image SLIC) are the features of LIME; SHAP's GradientExplainer (expected
  gradients) gives per-pixel values, summed per superpixel to compare.  Gradient
  saliency and Grad-CAM are computed too, for comparison.

For every pair: an *agreement* figure (Spearman rank correlation of the shared
features' weights, and the overlap of the top-k features) and, on request, a
*stability* figure (the same explanation under several seeds).

Pure library: no Streamlit import; heavy libraries are imported inside functions.
"""

from __future__ import annotations

import argparse
import math
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, clean_text, notice, run_cached
from dl_apps.registry import ModelSpec, get_model_spec, load_registry

TASK = "explain"
METHODS: tuple[str, ...] = ("shap", "lime")
TARGETS: tuple[str, ...] = ("tabular", "text", "image")
# Which registry task may serve each target, and its default model there.
TARGET_TASKS = {"tabular": "explain", "text": "sentiment", "image": "attack"}
DEFAULT_IMAGE_MODEL = "mnist-cnn"

# Page defaults: LIME perturbed samples / SHAP model evaluations per target (tabular SHAP is exact).
DEFAULT_LIME_SAMPLES = {"tabular": 1000, "text": 150, "image": 300}
DEFAULT_SHAP_EVALS = {"tabular": 0, "text": 120, "image": 100}
MIN_SAMPLES = 20
MAX_SAMPLES = {"tabular": 20_000, "text": 2_000, "image": 5_000}
# Seconds per SHAP evaluation / LIME sample, from `bench explain` on the 2-core server (2026-11-27)
# with a 1.5× margin for a busy workshop: the page's time estimate.
SECONDS_PER_EVAL = {"tabular": (0.0, 0.00008), "text": (0.014, 0.016), "image": (0.003, 0.002)}
TOP_K = 5
MAX_TEXT_CHARS = 600  # every word is a feature: longer texts need far more samples
MAX_TEXT_WORDS = 60
IMAGE_SIDE = 28
SEGMENTS = 40
MAX_REPEATS = 10
BENCH_MAX_CALLS = 20
WORD_PATTERN = r"\W+"  # words are runs of letters/digits (Unicode: accents stay inside words)

TEXT_SAMPLES: tuple[tuple[str, str], ...] = (
    ("en_pos", "The workshop was fantastic and the speaker was brilliant."),
    ("en_neg", "The food was awful and the waiter was rude."),
    ("en_mixed", "Great actors, but the plot was boring and far too long."),
    ("fr_pos", "Une formation géniale, les explications étaient claires et passionnantes."),
    ("fr_neg", "Le colis est arrivé cassé et le service client est nul."),
)


# ----------------------------------------------------------------- the trees
@dataclass
class TreeEnsemble:
    """A binary gradient-boosted tree ensemble stored as plain arrays (see ``train/tabular_cancer.py``).

    ``raw(x)`` is the log-odds of ``class_names[1]``; node arrays of all trees are
    concatenated and ``offsets[t]`` is where tree ``t`` starts (children are local ids).
    """

    arrays: dict[str, np.ndarray]
    base_offset: float
    feature_names: list[str]
    class_names: list[str]
    _explainer: Any = field(default=None, repr=False)
    _lock: Any = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(cls, path: Any) -> "TreeEnsemble":
        from safetensors import safe_open

        with safe_open(str(path), framework="numpy") as handle:
            meta = handle.metadata()
            arrays = {key: handle.get_tensor(key) for key in handle.keys()}
        return cls(arrays, float(meta["base_offset"]), meta["features"].split("|"), meta["classes"].split("|"))

    @property
    def n_features(self) -> int:
        return len(self.feature_names)

    @property
    def train_sample(self) -> np.ndarray:
        return self.arrays["train_sample"]

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Log-odds of ``class_names[1]`` for rows ``x`` (n, n_features): all trees at once."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        a = self.arrays
        starts = a["offsets"][:-1]
        nodes = np.broadcast_to(starts, (x.shape[0], starts.size)).copy()
        offset = nodes.copy()
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(64):  # deeper than any tree we train
            left = a["children_left"][nodes]
            leaf = left < 0
            if leaf.all():
                break
            feature = np.where(leaf, 0, a["features"][nodes])
            go_left = x[rows, feature] <= a["thresholds"][nodes]
            child = np.where(go_left, left, a["children_right"][nodes]) + offset
            nodes = np.where(leaf, nodes, child)
        return self.base_offset + a["values"][nodes].sum(axis=1)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Probabilities (n, 2) over ``class_names``."""
        p = 1.0 / (1.0 + np.exp(-self.raw(x)))
        return np.stack([1.0 - p, p], axis=1)

    def shap_model(self) -> dict[str, Any]:
        """The trees in SHAP's dictionary format (TreeExplainer reads it without sklearn)."""
        a, trees = self.arrays, []
        offsets = a["offsets"]
        for start, end in zip(offsets[:-1], offsets[1:]):
            left = a["children_left"][start:end]
            trees.append(
                {
                    "children_left": left,
                    "children_right": a["children_right"][start:end],
                    "children_default": left.copy(),
                    "features": np.where(left < 0, -2, a["features"][start:end]),
                    "thresholds": a["thresholds"][start:end],
                    "values": a["values"][start:end][:, None],
                    "node_sample_weight": a["node_sample_weight"][start:end],
                }
            )
        return {"trees": trees, "base_offset": self.base_offset, "tree_output": "log_odds", "objective": "binary_crossentropy", "input_dtype": np.float64}

    def tree_explainer(self) -> Any:
        """SHAP's TreeExplainer for these trees, built once (path-dependent: no background data needed)."""
        with self._lock:
            if self._explainer is None:
                import shap

                self._explainer = shap.TreeExplainer(self.shap_model())
            return self._explainer

    def approx_bytes(self) -> int:
        return int(sum(value.nbytes for value in self.arrays.values()))


def load_tree_ensemble(spec: ModelSpec) -> TreeEnsemble:
    """Loader: the exported trees ``options.weights`` (safetensors, no pickle)."""
    path = spec.option_path("weights")
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `python -m dl_apps train tabular-cancer`")
    return TreeEnsemble.load(path)


# ------------------------------------------------------------------ results
@dataclass
class Attribution:
    """One feature's share of the prediction (positive: pushes towards the explained class)."""

    name: str
    weight: float
    value: float | None = None  # the feature's value (tabular) or None


@dataclass
class ExplainResult(TaskResult):
    """One explanation by one method.  ``features`` are sorted by |weight|, largest first."""

    target: str = ""
    method: str = ""
    explained_label: str = ""
    probability: float = 0.0
    features: list[Attribution] = field(default_factory=list)
    units: str = ""  # "log-odds" or "probability"
    base_value: float | None = None  # SHAP: the average prediction the attributions start from
    tokens: list[list[Any]] | None = None  # text: [word, weight] in reading order
    heatmap: list[list[float]] | None = None  # image: per-pixel attribution, the input's size
    segments: list[list[int]] | None = None  # image: superpixel id of each pixel
    samples: int = 0
    seed: int = 0

    def weights(self) -> dict[str, float]:
        return {item.name: item.weight for item in self.features}


@dataclass
class Agreement:
    """How much SHAP and LIME agree: rank correlation over shared features, top-k overlap."""

    spearman: float
    top_k_overlap: float
    k: int
    shared_features: int


@dataclass
class Comparison(TaskResult):
    """SHAP and LIME on the same input, their agreement and (image) two gradient maps."""

    target: str = ""
    shap: ExplainResult | None = None
    lime: ExplainResult | None = None
    agreement: Agreement | None = None
    saliency: dict[str, list[list[float]]] = field(default_factory=dict)
    image: list[list[int]] | None = None  # image: the 28×28 input as explained
    label: str = ""
    probabilities: dict[str, float] = field(default_factory=dict)


@dataclass
class Stability(TaskResult):
    """The same explanation under several seeds: mean pairwise rank correlation and top-k overlap."""

    target: str = ""
    method: str = ""
    seeds: list[int] = field(default_factory=list)
    mean_spearman: float = 1.0
    min_spearman: float = 1.0
    top_k_overlap: float = 1.0
    k: int = TOP_K
    runs: list[dict[str, float]] = field(default_factory=list)


# ------------------------------------------------------------ measurements
def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman rank correlation (average ranks for ties); 1.0 when both are constant, 0.0 if one is."""
    from scipy.stats import rankdata

    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.size < 2:
        return 1.0
    ra, rb = rankdata(a), rankdata(b)
    sa, sb = ra.std(), rb.std()
    if sa == 0 and sb == 0:
        return 1.0
    if sa == 0 or sb == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def top_k(weights: dict[str, float], k: int) -> list[str]:
    """The ``k`` names with the largest |weight| (ties broken by name, for determinism)."""
    return [name for name, _ in sorted(weights.items(), key=lambda item: (-abs(item[1]), item[0]))[:k]]


def agreement(first: dict[str, float], second: dict[str, float], k: int = TOP_K) -> Agreement:
    """Spearman correlation of the signed weights over the features both name, and top-k overlap."""
    shared = sorted(set(first) & set(second))
    k = max(1, min(k, len(shared) or 1))
    overlap = len(set(top_k(first, k)) & set(top_k(second, k))) / k
    rho = spearman([first[n] for n in shared], [second[n] for n in shared]) if shared else 0.0
    return Agreement(spearman=round(rho, 4), top_k_overlap=round(overlap, 4), k=k, shared_features=len(shared))


def _sorted(attributions: list[Attribution]) -> list[Attribution]:
    return sorted(attributions, key=lambda item: (-abs(item.weight), item.name))


# --------------------------------------------------------------- validation
def check_method(method: Any) -> str:
    method = str(method or "").strip().lower()
    if method not in METHODS:
        raise InputError("explain_bad_method", f"Unknown method {method!r}: choose shap or lime.", method=method)
    return method


def check_target(target: Any) -> str:
    target = str(target or "").strip().lower()
    if target not in TARGETS:
        raise InputError("explain_bad_target", f"Unknown target {target!r}: choose tabular, text or image.", target=target)
    return target


def check_samples(samples: Any, target: str, method: str) -> tuple[int, list[dict[str, Any]]]:
    """The number of LIME samples / SHAP evaluations: a whole number, capped into [MIN_SAMPLES, MAX]."""
    if samples is None:
        default = DEFAULT_LIME_SAMPLES if method == "lime" else DEFAULT_SHAP_EVALS
        return default[target], []
    try:
        value = float(samples)
    except (TypeError, ValueError):
        raise InputError("explain_bad_samples", f"The number of samples must be a whole number, got {samples!r}.", value=str(samples)) from None
    if not math.isfinite(value):
        raise InputError("explain_bad_samples", f"The number of samples must be a whole number, got {samples!r}.", value=str(samples))
    wanted = int(value)
    if method == "shap" and target == "tabular":
        return 0, []  # exact: TreeExplainer needs no samples
    limit = MAX_SAMPLES[target]
    capped = min(max(wanted, MIN_SAMPLES), limit)
    notices = []
    if capped != wanted:
        notices.append(
            notice(
                "explain_samples_capped",
                f"{wanted:,} samples is outside the allowed range; {capped:,} were used (between {MIN_SAMPLES} and {limit:,}).",
                asked=wanted,
                used=capped,
                low=MIN_SAMPLES,
                high=limit,
            )
        )
    return capped, notices


def check_seed(seed: Any) -> int:
    try:
        return int(seed or 0) % (2**31)
    except (TypeError, ValueError):
        raise InputError("explain_bad_seed", f"The seed must be a whole number, got {seed!r}.", value=str(seed)) from None


def model_for(target: str, model_id: str | None) -> ModelSpec:
    """The registry spec serving ``target`` (its default if ``model_id`` is None); refuses a model of another kind."""
    task = TARGET_TASKS[target]
    if model_id is None:
        model_id = DEFAULT_IMAGE_MODEL if target == "image" else load_registry().default_for(task).id
    spec = get_model_spec(model_id, task if model_id.startswith("hub:") else None)
    if spec.task != task or (target == "image" and spec.options.get("input") != "digits"):
        raise InputError(
            "explain_wrong_model",
            f"Model {model_id!r} cannot be explained on the {target} target.",
            model=model_id,
            target=target,
        )
    return spec


def _run(target: str, model_id: str | None, work: Callable[[Any], Any], cache: ModelCache | None, on_queue: Any) -> Any:
    spec = model_for(target, model_id)
    return run_cached(spec.task, spec.id, work, cache, on_queue)


# ------------------------------------------------------------------ tabular
@lru_cache(maxsize=1)
def tabular_data() -> dict[str, Any]:
    """The held-out patients of the model's split (the page's and CLI's samples)."""
    from dl_apps.train.tabular_cancer import load_data, split

    x, y, names, classes = load_data()
    _, x_test, _, y_test = split(x, y)
    return {"x": x_test, "y": y_test, "features": names, "classes": classes}


def tabular_sample(index: Any) -> tuple[np.ndarray, str]:
    """Held-out patient ``index``: (30 feature values, true diagnosis)."""
    data = tabular_data()
    index = _sample_index(index, len(data["y"]))
    return data["x"][index].copy(), data["classes"][int(data["y"][index])]


def _sample_index(index: Any, count: int) -> int:
    try:
        value = int(str(index).strip())
    except ValueError:
        raise InputError("explain_bad_sample", f"The sample must be a number from 0 to {count - 1}.", last=count - 1) from None
    if not 0 <= value < count:
        raise InputError("explain_bad_sample", f"There is no sample {value}: choose 0 to {count - 1}.", last=count - 1)
    return value


def what_if(model: TreeEnsemble, row: np.ndarray, overrides: dict[str, Any] | None) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """``row`` with some features changed; a value outside the training range is allowed and flagged."""
    row = np.asarray(row, dtype=np.float64).copy()
    notices = []
    for name, value in (overrides or {}).items():
        if name not in model.feature_names:
            raise InputError("explain_unknown_feature", f"Unknown feature {name!r}.", feature=str(name))
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not math.isfinite(number):
            raise InputError("explain_bad_value", f"The value of {name} must be a number, got {value!r}.", feature=name, value=str(value))
        index = model.feature_names.index(name)
        low, high = float(model.arrays["train_min"][index]), float(model.arrays["train_max"][index])
        if not low <= number <= high:
            notices.append(
                notice(
                    "explain_extrapolation",
                    f"{name} = {number:g} is outside the training range [{low:g}, {high:g}]: the model extrapolates, trust it less.",
                    feature=name,
                    value=number,
                    low=low,
                    high=high,
                )
            )
        row[index] = number
    return row, notices


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


# --------------------------------------------------------------------- text
def words(text: str) -> list[str]:
    """The words of ``text`` as both explainers see them (split on non-word characters)."""
    return [w for w in re.split(WORD_PATTERN, text) if w]


def check_text(text: Any) -> tuple[str, list[dict[str, Any]]]:
    cleaned, notices = clean_text(text, MAX_TEXT_CHARS)
    found = words(cleaned)
    if not found:
        raise InputError("explain_no_words", "The text has no words to explain.")
    if len(found) > MAX_TEXT_WORDS:
        raise InputError("explain_too_many_words", f"The text has {len(found)} words; explain at most {MAX_TEXT_WORDS} at a time.", words=len(found), limit=MAX_TEXT_WORDS)
    return cleaned, notices


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


# -------------------------------------------------------------------- image
def image_sample(index: Any) -> tuple[np.ndarray, int]:
    """Held-out MNIST digit ``index`` (the adversarial page's test split): (28×28 uint8, label)."""
    from dl_apps.datasets import mnist

    split = mnist.test_split()
    value = _sample_index(index, len(split))
    return split.images[value].copy(), int(split.labels[value])


def check_image(image: Any) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """A 28×28 uint8 digit (white on black) from bytes or an array; other sizes refused with a clear message.

    Uploads are decoded by the adversarial page's reader; a photo of a digit is not
    silently squeezed: the digit model only reads 28×28 MNIST-style images.
    """
    if image is None:
        raise InputError("explain_no_image", "Choose a sample or upload a 28×28 digit image.")
    if isinstance(image, (bytes, bytearray, memoryview)):
        from dl_apps.tasks import attack

        pil, notices = attack.decode_image(bytes(image))
        array = np.asarray(pil.convert("L"), dtype=np.uint8)
    else:
        array, notices = np.asarray(image), []
        if array.ndim == 3 and array.shape[2] in (1, 3, 4):
            array = array[:, :, :3].mean(axis=2) if array.shape[2] >= 3 else array[:, :, 0]
        if array.dtype != np.uint8:
            finite = np.nan_to_num(array.astype(np.float64))
            array = (finite * (255.0 if finite.size and finite.max() <= 1.0 else 1.0)).clip(0, 255).astype(np.uint8)
    if array.shape != (IMAGE_SIDE, IMAGE_SIDE):
        raise InputError(
            "explain_image_size",
            f"The digit model reads 28×28 grey images; this one is {'×'.join(str(s) for s in array.shape[:2][::-1])}. Use the adversarial page's download or a sample.",
            size="×".join(str(s) for s in array.shape[:2][::-1]),
        )
    if array.mean() > 127:  # dark ink on light paper → MNIST style
        array = 255 - array
        notices.append(notice("explain_inverted", "Dark ink on light paper was inverted to white on black, like MNIST."))
    return array.astype(np.uint8), notices


def superpixels(image: np.ndarray, n_segments: int = SEGMENTS) -> np.ndarray:
    """SLIC superpixels of a 28×28 digit (ids 0..n-1); a regular grid if SLIC finds too few."""
    from skimage.segmentation import slic

    grey = image.astype(np.float64) / 255.0
    segments = slic(grey, n_segments=n_segments, compactness=0.2, channel_axis=None, start_label=0, enforce_connectivity=True)
    if len(np.unique(segments)) < 8:
        cell = IMAGE_SIDE // 7
        rows, cols = np.indices(grey.shape) // cell
        segments = rows * 7 + cols
    _, segments = np.unique(segments, return_inverse=True)
    return segments.reshape(grey.shape).astype(np.int64)


def _probabilities(classifier: Any, batch: np.ndarray) -> np.ndarray:
    """Digit probabilities for uint8/float images (n, 28, 28[, 3]) in [0, 255] or [0, 1]."""
    import torch

    batch = np.asarray(batch, dtype=np.float32)
    if batch.ndim == 4:
        batch = batch.mean(axis=3)
    if batch.max(initial=0.0) > 1.0:
        batch = batch / 255.0
    with torch.inference_mode():
        return torch.softmax(classifier.net(torch.from_numpy(np.ascontiguousarray(batch))[:, None]), dim=1).numpy()


def _segment_weights(heatmap: np.ndarray, segments: np.ndarray) -> np.ndarray:
    return np.bincount(segments.reshape(-1), weights=heatmap.reshape(-1), minlength=int(segments.max()) + 1)


def explain_image(classifier: Any, image: np.ndarray, method: str, samples: int, seed: int, progress: Callable[[float], None] | None = None) -> ExplainResult:
    """Which parts of the digit made the CNN answer what it answers (probability of its top class)."""
    import torch

    segments = superpixels(image)
    probabilities = _probabilities(classifier, image[None])[0]
    label_index = int(np.argmax(probabilities))
    if method == "lime":
        from lime import lime_image
        from lime.lime_image import LimeImageExplainer

        # lime 0.2.0.1 always draws a tqdm bar on stderr (no switch): silence it for server logs
        lime_image.tqdm = lambda rows, *args, **kwargs: rows

        calls = {"done": 0}

        def classify(batch: np.ndarray) -> np.ndarray:
            calls["done"] += len(batch)
            if progress is not None:
                progress(min(1.0, calls["done"] / samples))
            return _probabilities(classifier, batch)

        rgb = np.repeat(image[:, :, None], 3, axis=2).astype(np.float64)
        explanation = LimeImageExplainer(random_state=seed).explain_instance(
            rgb, classify, labels=(label_index,), top_labels=None, hide_color=0, num_samples=samples,
            batch_size=100, segmentation_fn=lambda _: segments, random_seed=seed,
        )
        segment_weights = np.zeros(int(segments.max()) + 1)
        for segment, weight in explanation.local_exp[label_index]:
            segment_weights[segment] = weight
        heatmap = segment_weights[segments] / np.maximum(np.bincount(segments.reshape(-1))[segments], 1)
        base = float(np.asarray(explanation.intercept[label_index]))
    else:
        import shap

        background = _background_digits()
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            explainer = shap.GradientExplainer(class_probability(classifier.net, label_index), background)
            values = explainer.shap_values(torch.from_numpy(image.astype(np.float32)[None, None] / 255.0), nsamples=samples, rseed=seed)
        heatmap = np.asarray(values, dtype=np.float64).reshape(IMAGE_SIDE, IMAGE_SIDE)
        segment_weights = _segment_weights(heatmap, segments)
        base = float(_probabilities(classifier, (background.numpy()[:, 0] * 255.0))[:, label_index].mean())
    if progress is not None:
        progress(1.0)
    features = [Attribution(f"segment {i}", round(float(w), 6)) for i, w in enumerate(segment_weights)]
    return ExplainResult(
        target="image", method=method, explained_label=classifier.labels[label_index], probability=round(float(probabilities[label_index]), 6),
        features=_sorted(features), units="probability", base_value=round(base, 6), heatmap=np.round(heatmap, 6).tolist(),
        segments=segments.tolist(), samples=samples, seed=seed,
    )


def class_probability(net: Any, index: int) -> Any:
    """A module whose (N, 1) output is the softmax probability of class ``index`` (what SHAP explains)."""
    from torch import nn

    class ClassProbability(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, x: Any) -> Any:
            return self.net(x).softmax(dim=1)[:, index : index + 1]

    return ClassProbability().eval()


@lru_cache(maxsize=1)
def _background_digits(count: int = 50) -> Any:
    """Expected gradients' reference distribution: ``count`` training digits (5 of each), fixed."""
    import torch

    from dl_apps.datasets import mnist

    split = mnist.train_split()
    picks = np.concatenate([np.flatnonzero(split.labels == d)[: count // 10] for d in range(10)])
    return torch.from_numpy(split.images[picks].astype(np.float32)[:, None] / 255.0)


def gradient_maps(classifier: Any, image: np.ndarray, label_index: int) -> dict[str, np.ndarray]:
    """Gradient saliency (|∂p/∂x|) and Grad-CAM (last conv layer) for the class, both 28×28."""
    import torch
    from torch.nn import functional as F

    import copy

    net = copy.deepcopy(classifier.net)  # a private copy: the hook below must not fire on other users' calls
    x = torch.from_numpy(image.astype(np.float32)[None, None] / 255.0).requires_grad_(True)
    convs = [m for m in net.modules() if isinstance(m, torch.nn.Conv2d)]
    captured: dict[str, Any] = {}
    handle = convs[-1].register_forward_hook(lambda _m, _i, out: captured.__setitem__("a", out)) if convs else None
    try:
        with torch.enable_grad():
            probability = net(x).softmax(dim=1)[0, label_index]
            activation = captured.get("a")
            targets = [x] + ([activation] if activation is not None else [])
            grads = torch.autograd.grad(probability, targets)
    finally:
        if handle is not None:
            handle.remove()
    maps = {"gradient": grads[0][0, 0].abs().numpy().astype(np.float64)}
    if activation is not None:
        weights = grads[1].mean(dim=(2, 3), keepdim=True)
        cam = F.relu((weights * activation).sum(dim=1, keepdim=True))
        cam = F.interpolate(cam, size=image.shape, mode="bilinear", align_corners=False)[0, 0]
        maps["gradcam"] = cam.detach().numpy().astype(np.float64)
    return maps


# ---------------------------------------------------------------- pictures
# One diverging, colour-blind-safe scale for every signed attribution (ColorBrewer PuOr):
# purple = pushes against the explained class, white = nothing, orange = pushes towards it.
AGAINST_RGB = (94, 60, 153)
TOWARDS_RGB = (230, 97, 1)
AGAINST_HEX, TOWARDS_HEX = "#5e3c99", "#e66101"


def shared_scale(*arrays: Any) -> float:
    """The largest |value| over several attributions: one colour scale for both methods."""
    values = [float(np.max(np.abs(np.asarray(a, dtype=np.float64)))) for a in arrays if a is not None and np.size(a)]
    return max(values + [1e-12])


def signed_colours(values: Any, scale: float) -> np.ndarray:
    """Signed values → RGB uint8 on the shared scale (white at 0, full colour at ±scale)."""
    v = np.clip(np.asarray(values, dtype=np.float64) / max(scale, 1e-12), -1.0, 1.0)[..., None]
    white = np.array([255.0, 255.0, 255.0])
    towards = white + (np.array(TOWARDS_RGB) - white) * np.clip(v, 0, 1)
    against = white + (np.array(AGAINST_RGB) - white) * np.clip(-v, 0, 1)
    return np.where(v >= 0, towards, against).round().astype(np.uint8)


def heatmap_rgb(heatmap: Any, scale: float, image: Any = None, size: int = 168) -> np.ndarray:
    """A signed heat map as an RGB picture (``size`` pixels wide), the digit's outline drawn faintly on top."""
    from PIL import Image

    rgb = signed_colours(heatmap, scale).astype(np.float64)
    if image is not None:  # keep the digit visible: darken where the ink is
        ink = np.asarray(image, dtype=np.float64)[..., None] / 255.0
        rgb = rgb * (1.0 - 0.35 * ink)
    picture = Image.fromarray(rgb.clip(0, 255).astype(np.uint8))
    return np.asarray(picture.resize((size, size), Image.NEAREST))


def magnitude_rgb(values: Any, size: int = 168) -> np.ndarray:
    """An unsigned map (saliency, Grad-CAM) in cividis (colour-blind safe), normalised to its max."""
    from matplotlib import colormaps
    from PIL import Image

    v = np.asarray(values, dtype=np.float64)
    v = v / max(float(v.max(initial=0.0)), 1e-12)
    rgb = (colormaps["cividis"](v)[..., :3] * 255).round().astype(np.uint8)
    return np.asarray(Image.fromarray(rgb).resize((size, size), Image.NEAREST))


def grey_rgb(image: Any, size: int = 168) -> np.ndarray:
    """The 28×28 input, enlarged without smoothing."""
    from PIL import Image

    return np.asarray(Image.fromarray(np.asarray(image, dtype=np.uint8)).resize((size, size), Image.NEAREST))


def highlight_html(tokens: Sequence[Sequence[Any]], scale: float) -> str:
    """Words with a background in the shared scale; the text is escaped (user input is never markup)."""
    import html

    spans = []
    for word, weight in tokens:
        r, g, b = (int(c) for c in signed_colours([float(weight)], scale)[0])
        title = f"{float(weight):+.3f}"
        spans.append(
            f'<span class="explain-word" title="{title}" style="background: rgb({r},{g},{b}); padding: 0.1em 0.25em; '
            f'border-radius: 0.25em; margin: 0 0.1em; color: #111">{html.escape(str(word))}</span>'
        )
    return '<div class="explain-text" style="line-height: 2.1">' + " ".join(spans) + "</div>"


# ------------------------------------------------------------------ dispatch
def prepare_input(target: str, sample: Any = None, text: Any = None, image: Any = None, overrides: dict[str, Any] | None = None, model: Any = None) -> tuple[Any, list[dict[str, Any]]]:
    """Validate the input of ``target`` (a bundled sample if nothing else is given)."""
    if target == "text":
        if text is None:
            index = _sample_index(0 if sample is None else sample, len(TEXT_SAMPLES))
            text = TEXT_SAMPLES[index][1]
        return check_text(text)
    if target == "image":
        if image is None:
            image, _ = image_sample(0 if sample is None else sample)
        return check_image(image)
    row, _ = tabular_sample(0 if sample is None else sample)
    if model is not None:
        return what_if(model, row, overrides)
    return row, []


def explain(model: Any, target: str, method: str, value: Any, samples: int, seed: int = 0, progress: Callable[[float], None] | None = None) -> ExplainResult:
    """One explanation of an already validated input on a loaded model (pure)."""
    if target == "tabular":
        return explain_tabular(model, value, method, samples, seed, progress)
    if target == "text":
        return explain_text(model, value, method, samples, seed, progress)
    return explain_image(model, value, method, samples, seed, progress)


def _validated(target: Any, method: Any, samples: Any, seed: Any) -> tuple[str, str, int, int, list[dict[str, Any]]]:
    target, method = check_target(target), check_method(method)
    count, notices = check_samples(samples, target, method)
    return target, method, count, check_seed(seed), notices


def run(
    target: Any,
    method: Any,
    sample: Any = None,
    text: Any = None,
    image: Any = None,
    overrides: dict[str, Any] | None = None,
    samples: Any = None,
    seed: Any = 0,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    progress: Callable[[float], None] | None = None,
) -> ExplainResult:
    """Validate, then explain one input of ``target`` with ``method`` on the target's model from the cache.

    ``samples`` is LIME's number of perturbed samples or SHAP's evaluation budget (capped
    with a notice); ``overrides`` ({feature: value}) is the tabular what-if.
    """
    target, method, count, seed, notices = _validated(target, method, samples, seed)
    prepared: dict[str, Any] = {}
    if target != "tabular":
        prepared["value"], prepared["notices"] = prepare_input(target, sample, text, image)

    def work(model: Any) -> ExplainResult:
        if target == "tabular":  # the what-if needs the model's feature names and training ranges
            prepared["value"], prepared["notices"] = prepare_input(target, sample, overrides=overrides, model=model)
        return explain(model, target, method, prepared["value"], count, seed, progress)

    result = _run(target, model_id, work, cache, on_queue)
    result.notices.extend(notices + prepared.get("notices", []))
    return result


def run_comparison(
    target: Any,
    sample: Any = None,
    text: Any = None,
    image: Any = None,
    overrides: dict[str, Any] | None = None,
    lime_samples: Any = None,
    shap_evals: Any = None,
    seed: Any = 0,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Comparison:
    """SHAP and LIME on the same input with one loaded model, their agreement, and (image) gradient maps."""
    target = check_target(target)
    lime_count, lime_notices = check_samples(lime_samples, target, "lime")
    shap_count, shap_notices = check_samples(shap_evals, target, "shap")
    seed = check_seed(seed)
    prepared: dict[str, Any] = {}
    if target != "tabular":
        prepared["value"], prepared["notices"] = prepare_input(target, sample, text, image)
    # progress: SHAP first, then LIME, weighted by their expected cost
    shap_share = 0.05 if target == "tabular" else shap_count / max(1, shap_count + lime_count)

    def part(offset: float, share: float) -> Callable[[float], None] | None:
        return None if progress is None else (lambda done: progress(min(1.0, offset + share * done)))

    def work(model: Any) -> Comparison:
        if target == "tabular":
            prepared["value"], prepared["notices"] = prepare_input(target, sample, overrides=overrides, model=model)
        value = prepared["value"]
        shap_result = explain(model, target, "shap", value, shap_count, seed, part(0.0, shap_share))
        lime_result = explain(model, target, "lime", value, lime_count, seed, part(shap_share, 1.0 - shap_share))
        comparison = Comparison(target=target, shap=shap_result, lime=lime_result, agreement=agreement(shap_result.weights(), lime_result.weights()))
        if target == "tabular":
            p = model.predict_proba(np.asarray(value)[None])[0]
            comparison.probabilities = {name: round(float(q), 6) for name, q in zip(model.class_names, p)}
        elif target == "text":
            p = model.predict_proba([value])[0]
            comparison.probabilities = {name: round(float(q), 6) for name, q in zip(model.labels, p)}
        else:
            p = _probabilities(model, value[None])[0]
            comparison.probabilities = {name: round(float(q), 6) for name, q in zip(model.labels, p)}
            comparison.image = value.tolist()
            comparison.saliency = {k: np.round(v, 6).tolist() for k, v in gradient_maps(model, value, int(np.argmax(p))).items()}
        comparison.label = max(comparison.probabilities, key=comparison.probabilities.get)
        return comparison

    result = _run(target, model_id, work, cache, on_queue)
    result.notices.extend(lime_notices + shap_notices + prepared.get("notices", []))
    return result


def run_stability(
    target: Any,
    method: Any,
    sample: Any = None,
    text: Any = None,
    image: Any = None,
    overrides: dict[str, Any] | None = None,
    samples: Any = None,
    repeats: Any = 3,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Stability:
    """The same explanation with seeds 0..repeats-1: how much do the weights' ranks move?"""
    target, method, count, _, notices = _validated(target, method, samples, 0)
    try:
        repeats = int(repeats)
    except (TypeError, ValueError):
        raise InputError("explain_bad_repeats", f"Repeats must be a whole number from 2 to {MAX_REPEATS}.", limit=MAX_REPEATS) from None
    if not 2 <= repeats <= MAX_REPEATS:
        raise InputError("explain_bad_repeats", f"Repeats must be a whole number from 2 to {MAX_REPEATS}.", limit=MAX_REPEATS)
    prepared: dict[str, Any] = {}
    if target != "tabular":
        prepared["value"], prepared["notices"] = prepare_input(target, sample, text, image)

    def work(model: Any) -> Stability:
        if target == "tabular":
            prepared["value"], prepared["notices"] = prepare_input(target, sample, overrides=overrides, model=model)
        runs = []
        for seed in range(repeats):
            step = None if progress is None else (lambda done, s=seed: progress(min(1.0, (s + done) / repeats)))
            runs.append(explain(model, target, method, prepared["value"], count, seed, step).weights())
        pairs = [agreement(runs[i], runs[j]) for i in range(repeats) for j in range(i + 1, repeats)]
        rhos = [pair.spearman for pair in pairs]
        return Stability(
            target=target, method=method, seeds=list(range(repeats)),
            mean_spearman=round(float(np.mean(rhos)), 4), min_spearman=round(float(np.min(rhos)), 4),
            top_k_overlap=round(float(np.mean([pair.top_k_overlap for pair in pairs])), 4), k=pairs[0].k,
            runs=[{name: round(w, 6) for name, w in r.items()} for r in runs],
        )

    result = _run(target, model_id, work, cache, on_queue)
    result.notices.extend(notices + prepared.get("notices", []))
    return result


def _on_tabular_model(model_id: str | None, cache: ModelCache | None, read: Callable[[TreeEnsemble], Any]) -> Any:
    """``read(model)`` on the tabular model taken from the cache (for page helpers that are not explanations)."""
    holder: dict[str, Any] = {}

    def work(model: TreeEnsemble) -> TaskResult:
        holder["value"] = read(model)
        return TaskResult()

    _run("tabular", model_id, work, cache, None)
    return holder["value"]


def training_range(feature: str, model_id: str | None = None, cache: ModelCache | None = None) -> tuple[float, float]:
    """The (min, max) of a tabular feature in the model's training data (the what-if slider's safe range)."""

    def read(model: TreeEnsemble) -> tuple[float, float]:
        if feature not in model.feature_names:
            raise InputError("explain_unknown_feature", f"Unknown feature {feature!r}.", feature=str(feature))
        index = model.feature_names.index(feature)
        return float(model.arrays["train_min"][index]), float(model.arrays["train_max"][index])

    return _on_tabular_model(model_id, cache, read)


def run_global_summary(model_id: str | None = None, cache: ModelCache | None = None, top: int = 10) -> dict[str, Any]:
    """:func:`global_summary` on the tabular model from the cache."""
    return _on_tabular_model(model_id, cache, lambda model: global_summary(model, top))


def estimated_seconds(target: str, lime_samples: int, shap_evals: int) -> float:
    """A rough time estimate for one comparison on the workshop server (shown before running)."""
    per_shap, per_lime = SECONDS_PER_EVAL[target]
    return round(0.2 + per_shap * shap_evals + per_lime * lime_samples, 1)


# ----------------------------------------------------------------------- CLI
def _parse_overrides(items: Sequence[str] | None) -> dict[str, str]:
    overrides = {}
    for item in items or []:
        name, sep, value = str(item).partition("=")
        if not sep:
            raise InputError("explain_bad_value", f"--set wants FEATURE=VALUE, got {item!r}.", feature=str(item), value="")
        overrides[name.strip()] = value.strip()
    return overrides


def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run explain`` arguments (shared/cli.md)."""
    parser.add_argument("--method", choices=METHODS, default="shap")
    parser.add_argument("--target", choices=TARGETS, default="tabular")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--sample", type=int, help="a bundled example of the target (held-out patient, sample text or test digit)")
    source.add_argument("--text", help="text to explain (target text)")
    source.add_argument("--image", type=Path, help="a 28×28 digit image (target image)")
    parser.add_argument("--samples", type=int, help="LIME samples or SHAP evaluations (default: the page's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", metavar="FEATURE=VALUE", help="tabular what-if: change a feature (repeatable)")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> ExplainResult:
    """One CLI/batch call (argument names without dashes)."""
    data = None
    if args.get("image"):
        path = Path(args["image"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError("explain_file_not_found", f"Cannot read {path}: {error.strerror or error}.", path=str(path)) from None
    overrides = args.get("set")
    overrides = overrides if isinstance(overrides, dict) else _parse_overrides(overrides)
    return run(
        args.get("target") or "tabular", args.get("method") or "shap", sample=args.get("sample"), text=args.get("text"),
        image=data, overrides=overrides, samples=args.get("samples"), seed=args.get("seed") or 0, model_id=model_id, cache=cache,
    )


def bench_args() -> dict[str, Any]:
    """``bench``'s representative input: tabular SHAP on held-out patient 0."""
    return {"target": "tabular", "method": "shap", "sample": 0}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Seconds per explanation for each method × target at the page's defaults, with the goals."""
    import statistics
    import time

    goals = {("tabular", "shap"): 0.5, ("text", "lime"): 5.0, ("image", "lime"): 10.0}
    rows = []
    cache = ModelCache(budget_mb=100_000)
    for target in TARGETS:
        for method in METHODS:
            args = {"target": target, "method": method, "sample": 0}
            repeats = max(1, min(calls, 20 if target == "tabular" else 3))
            try:
                cli_run(dict(args), None, cache)  # load + warm
                seconds = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    cli_run(dict(args), None, cache)
                    seconds.append(time.perf_counter() - started)
            except Exception as error:  # one target's failure must not hide the others
                rows.append({"task": TASK, "benchmark": f"{target}-{method}", "error": f"{type(error).__name__}: {error}"})
                continue
            samples = check_samples(None, target, method)[0]
            row = {
                "task": TASK,
                "model": model_for(target, None).id,
                "benchmark": f"{target}-{method}",
                "samples": samples,
                "p50_s": round(statistics.median(seconds), 4),
                "p50_ms": round(statistics.median(seconds) * 1000.0, 2),
                "runs": repeats,
            }
            if (target, method) in goals:
                row["goal_s"] = goals[(target, method)]
                row["meets_goal"] = row["p50_s"] <= goals[(target, method)]
            rows.append(row)
    cache.clear()
    return rows
