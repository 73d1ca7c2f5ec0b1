"""The span reader's rank weights are fitted, not guessed: the fit on synthetic candidates, and its guard rails."""

import json

import numpy as np
import pytest

from dl_apps.tasks.qa import fit_ranker
from dl_apps.tasks.qa.span_reader import RANK_FEATURES, LMSpanReader, SpanCandidate


def synthetic(passages: int = 6, per_passage: int = 5, seed: int = 0) -> list[fit_ranker.QuestionCandidates]:
    """Questions whose matching candidate has the best sentence score and a slightly better log-probability."""
    rng = np.random.default_rng(seed)
    questions = []
    for p in range(passages):
        for q in range(per_passage):
            features = rng.normal(size=(8, len(RANK_FEATURES)))
            features[:, 1] = -np.abs(features[:, 1])
            right = int(rng.integers(8))
            features[right, 1] = 0.5  # best sentence
            features[right, 0] += 0.5  # a little more likely to the model: not enough alone
            matches = np.zeros(8, dtype=bool)
            matches[right] = True
            questions.append(fit_ranker.QuestionCandidates("development", f"p{p}", "en", f"q{q}", features, matches))
    return questions


def test_fit_learns_what_tells_the_right_span():
    questions = synthetic()
    plain = np.zeros(len(RANK_FEATURES))
    plain[0] = 1.0  # log-probability alone
    weights = fit_ranker.fit_weights(questions, penalty=0.0)
    assert weights[0] == pytest.approx(1.0) and weights[1] > 5.0
    assert sum(fit_ranker.picks_right(q, weights) for q in questions) > sum(fit_ranker.picks_right(q, plain) for q in questions)
    assert fit_ranker.leave_one_passage_out(questions, 0.01) >= 0.9 * len(questions)


def test_choose_reports_every_penalty_and_prefers_the_larger_one_on_ties():
    chosen = fit_ranker.choose(synthetic(passages=4), penalties=(0.0, 0.001))
    assert set(chosen["left_out_right"]) == {"0.0", "0.001"}
    best = max(chosen["left_out_right"].values())
    assert chosen["penalty"] == max(p for p in (0.0, 0.001) if chosen["left_out_right"][str(p)] == best)


def test_questions_without_a_matching_candidate_teach_nothing():
    empty = fit_ranker.QuestionCandidates("tuning", "p", "fr", "q", np.zeros((0, len(RANK_FEATURES))), np.zeros(0, dtype=bool))
    assert not fit_ranker.picks_right(empty, np.ones(len(RANK_FEATURES)))
    with pytest.raises(ValueError):
        fit_ranker.fit_weights([empty], 0.0)


def test_the_reader_ranks_with_the_same_parts_and_weights():
    reader = LMSpanReader(lm=object(), retriever_id=None, sentence_weight=60.0, type_weight=4.0, near_weight=4.0, list_bonus=8.0, echo_penalty=7.0)
    candidate = SpanCandidate(0, 4, 0, logprob=-2.0, first_logprob=-1.0, tokens=2, relevance=0.4, fit=1.0, near=0.5, whole_list=True, echo=True)
    parts = candidate.rank_features(best_relevance=0.5)
    assert len(parts) == len(RANK_FEATURES) == len(reader.rank_weights())
    rank = sum(w * x for w, x in zip(reader.rank_weights(), parts))
    assert rank == pytest.approx(-2.0 + 60.0 * -0.1 + 4.0 + 2.0 + 8.0 - 7.0)


@pytest.mark.parametrize("splits", ["heldout", "development,heldout2", "nowhere"])
def test_the_held_out_splits_and_unknown_ones_are_refused(splits, capsys, monkeypatch):
    monkeypatch.setattr("dl_apps.cache.shared_cache", lambda: pytest.fail("no model is loaded for a refused split"))
    assert fit_ranker.main(["--splits", splits]) == 2
    assert "error" in json.loads(capsys.readouterr().out)
