"""Text-to-speech on the real engines: Piper (packaged English voice) and espeak-ng (French), as separate processes."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from dl_apps.cache import ModelCache
from dl_apps.core import InputError
from dl_apps.registry import REPO_ROOT, load_registry
from dl_apps.tasks import tts
from dl_apps.ui import nav


@pytest.fixture(scope="module")
def tts_cache() -> ModelCache:
    shared = ModelCache(budget_mb=10_000)
    yield shared
    shared.clear()


def test_registry_has_a_voice_per_language_and_piper_by_default():
    registry = load_registry()
    english, french = registry.model_with_role("tts", "voice-en"), registry.model_with_role("tts", "voice-fr")
    assert english.default and english.languages == ("en",) and french.languages == ("fr",)
    for spec in (english, french):
        assert spec.title_fr and "GPL" in spec.licence and "GPL" in spec.licence_fr


def test_the_speech_page_is_listed_once_in_the_navigation():
    registry = load_registry()
    listed = [task.name for task in nav.listed_tasks(registry.tasks_in_order())]
    assert "asr" in listed and "tts" not in listed
    assert registry.task("tts").page == registry.task("asr").page


def test_piper_speaks_english_as_a_wav(tts_cache, tmp_path):
    out = tmp_path / "hello.wav"
    result = tts.run("Hello, this is the speech demo of the hub.", "en", out=out, cache=tts_cache)
    assert result.model == "piper-joe-en" and result.engine == "piper" and result.sample_rate == 22050
    assert 1.5 < result.duration_s < 6 and out.read_bytes() == result.wav and result.file == str(out)
    samples, rate = tts.wav_samples(result.wav)
    assert rate == 22050 and np.abs(samples).max() > 0.1  # real sound, not silence
    faster = tts.run("Hello, this is the speech demo of the hub.", "en", speed=2.0, cache=tts_cache)
    assert faster.duration_s < 0.7 * result.duration_s


def test_espeak_speaks_french(tts_cache):
    result = tts.run("Bonjour, il fait beau aujourd'hui.", "fr", cache=tts_cache)
    assert result.model == "espeak-ng-fr" and result.language == "fr" and result.duration_s > 1
    assert "wav" not in result.to_dict() and json.dumps(result.to_dict())


@pytest.mark.parametrize("text", ["", "   \n ", None, 42])
def test_empty_text_is_a_clear_error(text):
    with pytest.raises(InputError) as error:
        tts.run(text, "en")
    assert error.value.code == "empty_text"


def test_huge_text_is_cut_with_a_notice(tts_cache):
    result = tts.run("la " * 50_000, "fr", cache=tts_cache)
    assert result.chars <= tts.MAX_CHARS
    assert [item["code"] for item in result.notices] == ["truncated"]


@pytest.mark.parametrize("language", ["de", "english", "x" * 500])
def test_unsupported_language_is_a_clear_error(language):
    with pytest.raises(InputError) as error:
        tts.run("hello", language)
    assert error.value.code == "tts_bad_language"


def test_voice_and_language_must_agree():
    with pytest.raises(InputError) as error:
        tts.run("bonjour", "fr", model_id="piper-joe-en")
    assert error.value.code == "tts_voice_language"


@pytest.mark.parametrize("speed", [0, -1, 5, float("nan"), "fast"])
def test_absurd_speed_is_a_clear_error(speed):
    with pytest.raises(InputError) as error:
        tts.run("hello", "en", speed=speed)
    assert error.value.code == "tts_bad_speed"


def test_unwritable_outputs_are_refused_before_synthesis(tmp_path):
    cases = {tmp_path: "tts_output_is_folder", tmp_path / "missing" / "a.wav": "tts_output_no_folder"}
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        cases[locked / "a.wav"] = "tts_output_denied"
    for path, code in cases.items():
        with pytest.raises(InputError) as error:
            tts.run("hello", "en", out=path)
        assert error.value.code == code


def test_cli_tts_json_works_without_network(tmp_path):
    """`run tts` in a process whose non-loopback sockets are refused (tests/offline): nothing is downloaded."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO_ROOT / "tests" / "offline")}
    out = tmp_path / "speech.wav"
    for language in ("en", "fr"):
        done = subprocess.run(
            [sys.executable, "-m", "dl_apps", "run", "tts", "--text", "Hello world, bonjour tout le monde.", "--language", language, "--out", str(out), "--json"],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        payload = json.loads(done.stdout)
        assert {"file", "duration_s", "sample_rate", "voice", "model", "latency_ms"} <= set(payload)
        assert payload["file"] == str(out) and payload["duration_s"] > 1 and out.stat().st_size > 10_000
    done = subprocess.run(
        [sys.executable, "-m", "dl_apps", "run", "tts", "--text", "x", "--out", str(tmp_path / "no" / "a.wav"), "--json"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2 and "does not exist" in json.loads(done.stdout)["error"]


def test_round_trip_english_is_understood(tts_cache):
    from dl_apps.tasks.tts import roundtrip

    text = "The weather is lovely today and the sun is shining on the city."
    result = roundtrip.round_trip(text, "en", cache=tts_cache)
    assert result.wer < 0.3, result.transcript
    assert result.tts.model == "piper-joe-en" and result.asr.text
