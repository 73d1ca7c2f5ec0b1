"""The shared model cache, on real packaged models (VADER and multilingual-e5)."""

import threading
import time

import pytest

from dl_apps.cache import ModelCache

SMALL = "sentiment-vader"      # declared 5 MB
LARGER = "sentiment-e5-multilingual"  # declared 95 MB


def test_sixteen_threads_one_load():
    cache = ModelCache(budget_mb=100_000)
    barrier = threading.Barrier(16)
    models = []

    def ask():
        barrier.wait()
        models.append(cache.get(LARGER))

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = cache.stats()[LARGER]
    assert stats.loads == 1 and stats.misses == 1
    assert stats.hits == 15
    assert len({id(model) for model in models}) == 1
    assert stats.load_seconds > 0 and stats.approx_bytes > 0


def test_other_ids_not_blocked_by_a_slow_load(monkeypatch):
    """While one model loads, another id can be fetched (per-id locks, not one global lock)."""
    import dl_apps.tasks.sentiment as sentiment

    real = sentiment.load_embedding_classifier
    loading = threading.Event()

    def slow_loader(spec):
        loading.set()
        time.sleep(1.5)
        return real(spec)

    monkeypatch.setattr(sentiment, "load_embedding_classifier", slow_loader)
    cache = ModelCache(budget_mb=100_000)
    slow = threading.Thread(target=cache.get, args=(LARGER,))
    slow.start()
    loading.wait(10)
    started = time.perf_counter()
    cache.get(SMALL)
    assert time.perf_counter() - started < 1.0
    slow.join()
    assert cache.is_loaded(LARGER) and cache.is_loaded(SMALL)


def test_lru_eviction_under_tiny_budget():
    cache = ModelCache(budget_mb=1)
    cache.get(SMALL)
    cache.get(LARGER)  # does not fit with SMALL: SMALL (idle, least recent) goes
    assert cache.is_loaded(LARGER) and not cache.is_loaded(SMALL)
    assert cache.stats()[SMALL].evictions == 1
    cache.get(SMALL)
    assert cache.is_loaded(SMALL) and not cache.is_loaded(LARGER)


def test_model_in_use_is_never_evicted():
    cache = ModelCache(budget_mb=1)
    with cache.use(SMALL) as model:
        cache.get(LARGER)  # over budget, but SMALL is pinned
        assert cache.is_loaded(SMALL)
        assert model.predict_proba(["still works"]).shape == (1, 3)
        assert cache.evict(SMALL) is False
    assert cache.evict(SMALL) is True


def test_stats_hits_misses_last_use():
    cache = ModelCache(budget_mb=100_000)
    before = time.time()
    cache.get(SMALL)
    cache.get(SMALL)
    with cache.use(SMALL):
        assert cache.stats()[SMALL].in_use == 1
    stats = cache.stats()[SMALL]
    assert (stats.misses, stats.hits, stats.loads) == (1, 2, 1)
    assert stats.loaded and stats.in_use == 0 and stats.last_used >= before
    assert cache.clear() == [SMALL]
    assert not cache.stats()[SMALL].loaded


def test_global_cap_queues_and_tells_the_waiter():
    cache = ModelCache(budget_mb=100_000, max_concurrent=1)
    cache.get(SMALL)
    holding, release = threading.Event(), threading.Event()
    positions = []

    def hold():
        with cache.use(SMALL):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    waiter = threading.Thread(target=lambda: cache.use(SMALL, on_queue=positions.append).__enter__())
    waiter.start()
    deadline = time.time() + 5
    while not positions and time.time() < deadline:
        time.sleep(0.01)
    assert positions == [1] and cache.waiting == 1
    release.set()
    holder.join()
    waiter.join(5)
    assert cache.waiting == 0


def test_not_thread_safe_models_are_serialised():
    """Two threads using a non-thread-safe model never run inside it at the same time."""
    cache = ModelCache(budget_mb=100_000, max_concurrent=4)
    inside, overlaps = [0], [0]
    lock = threading.Lock()

    def work():
        with cache.use(LARGER):
            with lock:
                inside[0] += 1
                overlaps[0] = max(overlaps[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps[0] == 1


def test_failed_load_leaves_cache_usable(monkeypatch):
    import dl_apps.tasks.sentiment as sentiment

    cache = ModelCache(budget_mb=100_000)
    monkeypatch.setattr(sentiment, "load_vader", lambda spec: (_ for _ in ()).throw(OSError("disk error")))
    with pytest.raises(OSError):
        cache.get(SMALL)
    monkeypatch.undo()
    assert cache.get(SMALL) is not None
    report = cache.warmup(["no-such-model", SMALL])
    assert [line["ok"] for line in report] == [False, True]
