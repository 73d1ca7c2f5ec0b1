"""The Ray Serve model tier behind the same task functions: same answers, same errors, faults handled."""

from __future__ import annotations

import http.client
import os
import signal
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dl_apps.core import InputError, run_cached
from dl_apps.serving import client, protocol
from dl_apps.serving.client import TierError
from dl_apps.tasks import detection, sentiment
from dl_apps.ui.i18n import t

pytestmark = pytest.mark.slow

TEXTS = [
    "The workshop was fantastic, I learned so much and the team was lovely!",
    "Je suis très déçu, le colis est arrivé cassé et personne ne répond.",
    "The food was not good at all, and I won't be coming back.",
]


def without_latency(result) -> dict:
    data = result.to_dict()
    data.pop("latency_ms")
    return data


def embedded(monkeypatch, call):
    """``call()`` on the embedded backend, then back to the tier."""
    monkeypatch.setenv("DL_HUB_BACKEND", "embedded")
    try:
        return call()
    finally:
        monkeypatch.setenv("DL_HUB_BACKEND", "ray")


def test_serve_printed_ready_and_every_deployment_runs(on_tier):
    assert "ready" in on_tier.ready_line and "sentiment×2" in on_tier.ready_line
    status = client.tier_status()
    rows = {row["deployment"]: row for row in status["deployments"]}
    assert rows["sentiment"]["running"] == 2 and rows["detection"]["running"] == 1
    time.sleep(1.5)  # replicas report their facts every second
    rows = {row["deployment"]: row for row in client.tier_status()["deployments"]}
    assert "sentiment-e5-multilingual" in rows["sentiment"]["replica_facts"][0]["models"]


def test_sentiment_through_the_tier_answers_as_embedded(on_tier, monkeypatch):
    served_before = sum(r["served"] for r in client.tier_status()["deployments"] if r["deployment"] == "sentiment")
    for text in TEXTS:
        remote = sentiment.run(text)
        local = embedded(monkeypatch, lambda: sentiment.run(text))
        assert type(remote) is sentiment.SentimentResult
        assert without_latency(remote) == without_latency(local)
        assert remote.latency_ms > 0  # the replica's own inference time
    time.sleep(1.5)
    served = sum(r["served"] for r in client.tier_status()["deployments"] if r["deployment"] == "sentiment")
    assert served >= served_before + len(TEXTS)  # really answered by the tier


def test_detection_through_the_tier_answers_as_embedded(on_tier, monkeypatch):
    image = detection.samples()[0].path.read_bytes()
    remote = detection.run(image, threshold=0.3)
    local = embedded(monkeypatch, lambda: detection.run(image, threshold=0.3))
    assert remote.detections, "the sample has objects"
    assert without_latency(remote) == without_latency(local)


def test_bad_input_in_the_replica_comes_back_as_the_same_input_error(on_tier):
    def refuse(model):
        raise InputError("detection_bad_threshold", "The threshold must be between 0 and 1.", value=7)

    with pytest.raises(InputError) as caught:
        run_cached("detection", None, refuse)
    assert not isinstance(caught.value, TierError)
    assert caught.value.code == "detection_bad_threshold"
    assert str(caught.value) == "The threshold must be between 0 and 1."
    assert caught.value.params == {"value": 7}


def test_a_queued_request_is_told_its_place(on_tier):
    """Detection has one replica with 2 inference slots: the 3rd and 4th requests wait there."""

    def slow(model):
        import time as _time

        _time.sleep(1.5)
        return detection.DetectionResult()

    positions: list[int] = []
    workers = [threading.Thread(target=lambda: run_cached("detection", None, slow, on_queue=positions.append)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert positions and min(positions) >= 1


def test_a_replica_killed_mid_request_gives_a_clear_error_and_the_next_request_works(on_tier, tmp_path):
    marker = tmp_path / "replica.pid"

    def slow(model, marker=str(marker)):
        import os as _os
        import time as _time

        from dl_apps.tasks import sentiment as _sentiment

        Path(marker).write_text(str(_os.getpid()))
        _time.sleep(30)
        return _sentiment.predict(model, "never")

    def kill_when_started() -> None:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.3)
        os.kill(int(marker.read_text()), signal.SIGKILL)

    killer = threading.Thread(target=kill_when_started)
    killer.start()
    started = time.monotonic()
    with pytest.raises(TierError) as caught:
        run_cached("sentiment", None, slow)
    killer.join()
    assert caught.value.code == "tier_failed"
    assert time.monotonic() - started < 25  # not the 30 s sleep, nor the timeout: nothing hangs
    assert t("error.tier_failed", "fr") != "error.tier_failed"
    answer = sentiment.run(TEXTS[0])  # the other replica (or the restarted one) answers
    assert answer.label == "positive"


def test_an_unsigned_request_is_refused_before_unpickling(on_tier):
    body = protocol.encode_request("sentiment", "sentiment-vader", lambda model: None)
    parts = urlsplit(on_tier.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("POST", "/sentiment", body=body)
    assert connection.getresponse().status == 403
    connection.close()


def test_a_wrong_token_gives_a_clear_message(on_tier, monkeypatch):
    monkeypatch.setenv("DL_HUB_TIER_TOKEN", "not-the-token")
    with pytest.raises(TierError) as caught:
        sentiment.run(TEXTS[0])
    assert caught.value.code == "tier_refused"


def test_tasks_the_tier_does_not_serve_stay_embedded(on_tier, monkeypatch):
    seen = []
    monkeypatch.setattr(client, "run_embedded", lambda task, *args, **kwargs: seen.append(task) or "local")
    assert client.run_on_tier("qa", "any", lambda model: None) == "local"
    assert seen == ["qa"]
