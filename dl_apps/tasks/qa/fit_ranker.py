"""Learn the span reader's rank weights from the tuning, development and training questions.

``python -m dl_apps.tasks.qa.fit_ranker [--splits tuning,development,training] [--drop PART] [--json]``

A span's rank (:mod:`dl_apps.tasks.qa.span_reader`, step 4) adds six parts — the model's
log-probability of the span, its sentence's retrieval score (relative to the best
sentence), how well its form fits the question type, how near it sits to the question's
telling words, whether it holds a whole list, whether it only echoes the question — each
with a weight (``--drop`` holds a part at 0, to see what it adds).  Instead of setting
those weights by hand, this script reads every question of the given splits once with the
reader, keeps every candidate span with its parts and whether it matches the expected
answer, and fits the weights by maximum likelihood of a
conditional logit (a softmax over each question's candidates: the probability of picking a
matching one), with an L2 penalty on standardised parts.

The penalty is chosen by leave-one-passage-out: each passage's questions are answered with
weights fitted on the other passages only, so the accuracy printed for each penalty is a
figure on questions the fit did not see.  The held-out splits are refused: they only report.
It prints the weights (scaled so that the log-probability's is 1, i.e. the manifest's
``sentence_weight``, ``type_weight``, ``near_weight``, ``list_bonus``, ``echo_penalty``)
and how many questions the current weights and the fitted ones answer.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from dl_apps.tasks.qa.span_reader import RANK_FEATURES, RANK_WEIGHTS

PENALTIES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1)


@dataclass
class QuestionCandidates:
    """One question's candidate spans: their rank parts (rows of ``features``) and which match the answer."""

    split: str
    passage: str
    lang: str
    question: str
    features: np.ndarray  # (candidates, len(RANK_FEATURES))
    matches: np.ndarray  # (candidates,) bool

    @property
    def answerable(self) -> bool:
        """Whether some candidate matches (only those questions teach the ranker anything)."""
        return bool(self.matches.any())


def collect(reader: Any, splits: Sequence[str], data: dict[str, Any]) -> list[QuestionCandidates]:
    """Read every answerable question of ``splits`` of the evaluation set with ``reader`` (an LMSpanReader)."""
    from dl_apps.tasks.qa.evaluate import matched

    questions = []
    for split in splits:
        for passage in data[split]:
            context = passage["context"]
            for item in passage["questions"]:
                if not item.get("answer"):
                    continue
                reading = reader.read(item["question"], context)
                best = float(reading.relevance.max())
                rows, hits = [], []
                for candidate in reading.candidates:
                    start, end = candidate.answer
                    rows.append(candidate.rank_features(best))
                    hits.append(matched(context[start:end], item["answer"]))
                features = np.array(rows, dtype=np.float64).reshape(-1, len(RANK_FEATURES))
                questions.append(QuestionCandidates(split, passage["id"], passage["lang"], item["question"], features, np.array(hits, dtype=bool)))
    return questions


def picks_right(question: QuestionCandidates, weights: np.ndarray) -> bool:
    """Whether the best-ranked candidate under ``weights`` matches the answer (no candidate: no)."""
    if not len(question.features):
        return False
    return bool(question.matches[int(np.argmax(question.features @ weights))])


def fit_weights(questions: Sequence[QuestionCandidates], penalty: float, dropped: Sequence[str] = ()) -> np.ndarray:
    """Conditional-logit weights (log-probability's weight scaled to 1) fitted on ``questions``.

    The parts named in ``dropped`` (names of RANK_FEATURES) keep a weight of 0.
    """
    from scipy.optimize import minimize

    taught = [q for q in questions if q.answerable]
    if not taught:
        raise ValueError("no question has a matching candidate to learn from")
    kept = np.array([name not in dropped for name in RANK_FEATURES], dtype=np.float64)
    stacked = np.vstack([q.features for q in taught])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    standard = [((q.features - mean) / scale * kept, q.matches) for q in taught]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for x, hit in standard:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            p_hit = p[hit].sum() + 1e-12
            total -= np.log(p_hit)
            grad -= (x[hit].T @ p[hit]) / p_hit - x.T @ p
        n = len(standard)
        return total / n + penalty * float(w @ w), grad / n + 2 * penalty * w

    start = np.zeros(len(RANK_FEATURES))
    start[0] = 1.0
    raw = minimize(loss, start, jac=True, method="L-BFGS-B").x / scale * kept
    if raw[0] <= 0:
        raise ValueError("the fit gave the model's log-probability no positive weight")
    return raw / raw[0]


def leave_one_passage_out(questions: Sequence[QuestionCandidates], penalty: float, dropped: Sequence[str] = ()) -> int:
    """How many questions are answered right by weights fitted without their passage."""
    right = 0
    for passage in sorted({q.passage for q in questions}):
        train = [q for q in questions if q.passage != passage]
        weights = fit_weights(train, penalty, dropped)
        right += sum(picks_right(q, weights) for q in questions if q.passage == passage)
    return right


def choose(questions: Sequence[QuestionCandidates], penalties: Sequence[float] = PENALTIES, dropped: Sequence[str] = ()) -> dict[str, Any]:
    """Leave-one-passage-out accuracy per penalty; the best (ties: the larger penalty), refitted on all."""
    scores = {penalty: leave_one_passage_out(questions, penalty, dropped) for penalty in penalties}
    best = max(scores.values())
    penalty = max(p for p, s in scores.items() if s == best)
    weights = fit_weights(questions, penalty, dropped)
    return {"left_out_right": {str(p): s for p, s in scores.items()}, "penalty": penalty, "weights": weights}


def main(argv: Sequence[str] | None = None) -> int:
    """Read the splits, fit, print (or ``--json``) the figures and the manifest options to use."""
    parser = argparse.ArgumentParser(prog="python -m dl_apps.tasks.qa.fit_ranker", description=__doc__.splitlines()[0])
    parser.add_argument("--splits", default="tuning,development,training", help="comma-separated splits of qa_eval.json (not the held-out ones)")
    parser.add_argument("--model", default="qa-gemma3-span-reader", help="the span reader entry whose current weights are compared")
    parser.add_argument("--drop", action="append", default=[], choices=RANK_FEATURES[1:], help="a part of the rank to leave out (weight 0); repeatable")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from dl_apps.tasks.qa.evaluate import EVAL_SET_PATH, HELDOUT_SPLITS

    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    if any(s in HELDOUT_SPLITS for s in splits):
        print(json.dumps({"error": "the held-out splits only report; fit on tuning, development and training"}))
        return 2
    from dl_apps.cache import shared_cache

    with open(EVAL_SET_PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    unknown = [s for s in splits if s not in data or s.startswith("_")]
    if unknown or not splits:
        print(json.dumps({"error": f"unknown splits: {unknown or splits}"}))
        return 2
    reader = shared_cache().get(args.model, task="qa")
    questions = collect(reader, splits, data)
    current = np.array(reader.rank_weights())
    chosen = choose(questions, dropped=args.drop)
    rounded = np.round(chosen["weights"], 1)  # what the manifest keeps
    rounded[0] = 1.0
    report = {
        "splits": splits,
        "dropped": args.drop,
        "questions": len(questions),
        "with_a_matching_candidate": sum(q.answerable for q in questions),
        "current_weights": dict(zip(RANK_WEIGHTS, current[1:].tolist())),
        "current_right": sum(picks_right(q, current) for q in questions),
        "current_right_per_split": {s: [sum(picks_right(q, current) for q in questions if q.split == s), sum(q.split == s for q in questions)] for s in splits},
        "left_out_right_per_penalty": chosen["left_out_right"],
        "penalty": chosen["penalty"],
        "fitted_weights": dict(zip(RANK_WEIGHTS, np.round(chosen["weights"][1:], 2).tolist())),
        "rounded_weights": dict(zip(RANK_WEIGHTS, rounded[1:].tolist())),
        "rounded_right": sum(picks_right(q, rounded) for q in questions),
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"{report['questions']} questions of {', '.join(splits)}; {report['with_a_matching_candidate']} have a matching candidate")
    print(f"current weights {report['current_weights']}: {report['current_right']} right; per split (right, questions): {report['current_right_per_split']}")
    for penalty, right in report["left_out_right_per_penalty"].items():
        print(f"  penalty {penalty}: {right} right with each passage left out of the fit")
    print(f"chosen penalty {report['penalty']}: weights {report['fitted_weights']}")
    print(f"rounded {report['rounded_weights']}: {report['rounded_right']} right (in-sample)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
