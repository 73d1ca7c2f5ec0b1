"""The results shared between sessions (dl_apps.shared_results) and the way core uses them."""

import threading
import time

import pytest

from dl_apps import core, shared_results
from dl_apps.cache import ModelCache
from dl_apps.core import TaskResult


@pytest.fixture(autouse=True)
def memo_on(monkeypatch):
    monkeypatch.setenv(shared_results.ENV, "1")
    shared_results.clear()
    yield
    shared_results.clear()


def computed(calls: list, latency_ms: float = 42.0, label: str = "answer"):
    def compute() -> TaskResult:
        calls.append(label)
        return TaskResult(model=label, latency_ms=latency_ms, notices=[{"code": "truncated", "message": "cut"}])

    return compute


def test_a_repeated_request_is_computed_once_and_the_copy_says_so():
    calls: list = []
    first = shared_results.remembered(("qa", "m", "q", "c"), computed(calls))
    second = shared_results.remembered(("qa", "m", "q", "c"), computed(calls))
    assert calls == ["answer"]
    assert first.latency_ms == 42.0 and not shared_results.is_shared(first)
    assert second.latency_ms == 0.0 and shared_results.is_shared(second)
    assert second.notices[-1]["code"] == "shared_result" and second.notices[-1]["ms"] == 42
    assert second.notices[0] == {"code": "truncated", "message": "cut"}  # the first answer's own notices stay
    assert shared_results.stats() == {"entries": 1, "hits": 1, "misses": 1}


def test_one_sessions_copy_cannot_change_anothers():
    calls: list = []
    first = shared_results.remembered(("k",), computed(calls))
    first.notices.append({"code": "mine"})
    second = shared_results.remembered(("k",), computed(calls))
    second.notices.clear()
    third = shared_results.remembered(("k",), computed(calls))
    assert [n["code"] for n in third.notices] == ["truncated", "shared_result"]


def test_different_inputs_are_not_shared_and_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(shared_results, "MAX_ENTRIES", 3)
    calls: list = []
    for index in range(5):
        shared_results.remembered(("k", index), computed(calls, label=str(index)))
    assert calls == ["0", "1", "2", "3", "4"]
    assert shared_results.stats()["entries"] == 3
    shared_results.remembered(("k", 0), computed(calls, label="0 again"))  # the oldest was dropped
    assert calls[-1] == "0 again"
    assert shared_results.is_shared(shared_results.remembered(("k", 4), computed(calls)))


def test_the_same_request_at_the_same_moment_is_computed_once():
    calls: list = []
    started = threading.Event()

    def slow() -> TaskResult:
        started.set()
        time.sleep(0.3)
        calls.append("slow")
        return TaskResult(latency_ms=300.0)

    results = []
    first = threading.Thread(target=lambda: results.append(shared_results.remembered(("same",), slow)))
    first.start()
    started.wait(5)
    second = threading.Thread(target=lambda: results.append(shared_results.remembered(("same",), slow)))
    second.start()
    first.join(5)
    second.join(5)
    assert calls == ["slow"]
    assert sorted(shared_results.is_shared(r) for r in results) == [False, True]


def test_a_failed_computation_is_not_remembered():
    def failing() -> TaskResult:
        raise core.InputError("empty_text", "Please enter some text.")

    with pytest.raises(core.InputError):
        shared_results.remembered(("bad",), failing)
    calls: list = []
    result = shared_results.remembered(("bad",), computed(calls))
    assert calls == ["answer"] and not shared_results.is_shared(result)


def test_run_cached_shares_only_on_the_shared_cache_and_when_enabled(monkeypatch):
    calls: list = []
    monkeypatch.setattr(core, "run_embedded", lambda task, model_id, predict, cache, on_queue: computed(calls)())
    key = ("question", "passage")
    core.run_cached("qa", None, lambda model: None, share_key=key)
    assert shared_results.is_shared(core.run_cached("qa", None, lambda model: None, share_key=key))
    assert len(calls) == 1
    own_cache = ModelCache(budget_mb=10)  # a test's or a benchmark's own cache never receives a shared result
    assert not shared_results.is_shared(core.run_cached("qa", None, lambda model: None, cache=own_cache, share_key=key))
    assert not shared_results.is_shared(core.run_cached("qa", None, lambda model: None))  # no key: the task did not opt in
    monkeypatch.setenv(shared_results.ENV, "off")
    assert not shared_results.enabled()
    assert not shared_results.is_shared(core.run_cached("qa", None, lambda model: None, share_key=key))
    assert len(calls) == 4


def test_qa_shares_by_every_input_that_changes_the_answer():
    from dl_apps.tasks import qa

    sample = qa.samples()[0]
    question, context = sample["questions"][0]["question"], sample["context"]
    first = qa.run(question, context)
    again = qa.run(question, context)
    other_setting = qa.run(question, context, top_k=2)
    assert not shared_results.is_shared(first) and shared_results.is_shared(again)
    assert (again.answer, again.start, again.end, again.score) == (first.answer, first.start, first.end, first.score)
    assert not shared_results.is_shared(other_setting)
    assert again.model == first.model and again.latency_ms == 0.0


def test_detection_shares_a_sample_image_but_never_live_frames():
    import numpy as np

    from dl_apps.tasks import detection

    image = np.zeros((64, 96, 3), dtype=np.uint8)
    image[16:48, 24:72] = 200
    first = detection.run(image)
    again = detection.run(image.copy())  # the same pixels from another session
    other_threshold = detection.run(image, threshold=0.6)
    assert not shared_results.is_shared(first) and shared_results.is_shared(again)
    assert again.detections == first.detections and again.latency_ms == 0.0
    assert not shared_results.is_shared(other_threshold)
    entries = shared_results.stats()["entries"]
    live = detection.LiveAnnotator()  # on the shared cache, as the page's video thread
    live(image)
    live(image)
    assert live.frames == 2 and live.last_error is None
    assert shared_results.stats()["entries"] == entries  # the video's frames stay out of the memo
