"""Audio decoding for the speech demos: any common file → 16 kHz mono float32, in memory.

PyAV (``av``) bundles FFmpeg's libraries, so wav, mp3, ogg/opus, flac, m4a and webm
decode without an ``ffmpeg`` program and without writing the upload to disk.
Every problem a workshop can throw at it (empty file, a picture renamed ``.mp3``,
a cut-off file, two hours of audio, a 200 MB upload) becomes an ``InputError``.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dl_apps.core import InputError, notice

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000  # what Whisper expects
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # 10 min of 16-bit stereo 44.1 kHz WAV is ~100 MB; compressed files are far smaller
MAX_WAV_BYTES = 120 * 1024 * 1024
MAX_DURATION_S = 600.0  # longer input is refused (the page transcribes up to 10 minutes, in chunks)
ACCEPTED_EXTENSIONS: tuple[str, ...] = ("wav", "mp3", "ogg", "opus", "flac", "m4a", "webm")


@dataclass
class DecodedAudio:
    """Decoded audio at 16 kHz mono, and what the original file was."""

    samples: np.ndarray  # float32 in [-1, 1], shape (n,)
    source_rate: int = SAMPLE_RATE
    source_channels: int = 1
    codec: str = ""
    notices: list[dict[str, Any]] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def _too_long(seconds: float, limit: float) -> InputError:
    return InputError(
        "asr_too_long",
        f"The audio is too long ({seconds / 60:.1f} min; the limit is {limit / 60:.0f} min).",
        minutes=round(seconds / 60, 1),
        limit_minutes=round(limit / 60),
    )


def check_upload_size(size: int, limit: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse empty or oversized files before reading them (InputError)."""
    if size <= 0:
        raise InputError("empty_file", "The file is empty.")
    if size > limit:
        raise InputError(
            "file_too_large",
            f"The file is too large ({size // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB).",
            size_kb=size // 1024,
            limit_kb=limit // 1024,
        )


def upload_limit(filename: str | None) -> int:
    """Uncompressed WAV needs more bytes per minute than compressed formats."""
    return MAX_WAV_BYTES if (filename or "").lower().endswith(".wav") else MAX_UPLOAD_BYTES


def decode_audio(data: bytes, max_seconds: float = MAX_DURATION_S, max_bytes: int = MAX_WAV_BYTES) -> DecodedAudio:
    """Decode an audio file's bytes to 16 kHz mono float32 (PyAV, in memory).

    Raises InputError: ``empty_file``, ``file_too_large``, ``asr_not_audio`` (not a file
    PyAV can read, or no audio stream), ``asr_no_audio`` (nothing decodable),
    ``asr_too_long`` (over ``max_seconds``, checked from the header and while decoding).
    A file that breaks off mid-way gives what could be decoded and an ``asr_partly_decoded``
    notice; audio below 16 kHz or with several channels gets an ``asr_resampled`` notice.
    """
    import av

    check_upload_size(len(data or b""), max_bytes)
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.error.FFmpegError, ValueError, OSError) as error:
        log.info("not audio: %s", error)
        raise InputError("asr_not_audio", "This file is not audio that can be read (wav, mp3, ogg/opus, flac, m4a, webm).") from None
    with container:
        if not container.streams.audio:
            raise InputError("asr_not_audio", "This file has no audio track.")
        stream = container.streams.audio[0]
        declared = None
        if stream.duration is not None and stream.time_base is not None:
            declared = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            declared = container.duration / 1_000_000  # AV_TIME_BASE
        if declared is not None and declared > max_seconds + 1.0:
            raise _too_long(declared, max_seconds)
        source_rate = int(stream.codec_context.sample_rate or stream.rate or 0)
        source_channels = int(stream.codec_context.channels or 0)
        codec = stream.codec_context.name or ""

        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        total = 0
        limit_samples = int((max_seconds + 1.0) * SAMPLE_RATE)
        notices: list[dict[str, Any]] = []
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += len(chunk)
                if total > limit_samples:  # the header lied or had no duration
                    raise _too_long(total / SAMPLE_RATE, max_seconds)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except InputError:
            raise
        except (av.error.FFmpegError, ValueError, OSError) as error:
            log.info("decoding stopped early: %s", error)
            if not chunks:
                raise InputError("asr_not_audio", "This file is not audio that can be read (wav, mp3, ogg/opus, flac, m4a, webm).") from None
            notices.append(notice("asr_partly_decoded", "The file seems damaged or cut off: only its readable part was used."))

    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, dtype=np.float32)
    if samples.size == 0:
        raise InputError("asr_no_audio", "No sound could be decoded from this file.")
    if samples.size > int(max_seconds * SAMPLE_RATE) + SAMPLE_RATE:
        raise _too_long(samples.size / SAMPLE_RATE, max_seconds)
    np.clip(samples, -1.0, 1.0, out=samples)
    if declared and samples.size / SAMPLE_RATE < 0.8 * declared and not notices:
        notices.append(notice("asr_partly_decoded", "The file seems damaged or cut off: only its readable part was used."))
    if (source_rate and source_rate < SAMPLE_RATE) or source_channels > 1:
        notices.append(
            notice(
                "asr_resampled",
                f"Converted from {source_rate} Hz, {source_channels} channel(s) to 16 kHz mono"
                + (" (below 16 kHz the recognition may be worse)." if source_rate < SAMPLE_RATE else "."),
                rate=source_rate,
                channels=source_channels,
            )
        )
    return DecodedAudio(samples=samples, source_rate=source_rate, source_channels=source_channels, codec=codec, notices=notices)


def load_audio_file(path: str | Path, max_seconds: float = MAX_DURATION_S) -> DecodedAudio:
    """Decode an audio file from disk (the CLI's ``--audio FILE``)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("asr_file_not_found", f"No such file: {path}", path=str(path))
    check_upload_size(path.stat().st_size, MAX_WAV_BYTES)
    return decode_audio(path.read_bytes(), max_seconds=max_seconds)


def encode_audio(samples: np.ndarray, fmt: str, sample_rate: int = SAMPLE_RATE, channels: int = 1) -> bytes:
    """Encode float32 mono samples into a file of format ``fmt`` (wav, mp3, ogg, opus, flac, m4a, webm).

    Used by tests (every accepted format) and by the page to play back decoded audio.
    ``channels=2`` duplicates the signal; ``sample_rate`` resamples first.
    """
    import av

    container_format, codec = {
        "wav": ("wav", "pcm_s16le"),
        "mp3": ("mp3", "libmp3lame"),
        "ogg": ("ogg", "vorbis"),  # FFmpeg's own Vorbis encoder (marked experimental)
        "opus": ("ogg", "libopus"),
        "flac": ("flac", "flac"),
        "m4a": ("ipod", "aac"),
        "webm": ("webm", "libopus"),
    }[fmt]
    if codec == "libopus" and sample_rate not in (8000, 12000, 16000, 24000, 48000):
        sample_rate = 48000
    layout = "stereo" if channels == 2 or codec == "vorbis" else "mono"  # FFmpeg's Vorbis encoder is stereo-only
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as out:
        stream = out.add_stream(codec, rate=sample_rate, layout=layout)
        if codec == "vorbis":
            stream.codec_context.options = {"strict": "experimental"}
        source = av.AudioFrame.from_ndarray(np.asarray(samples, dtype=np.float32).reshape(1, -1), format="flt", layout="mono")
        source.sample_rate = SAMPLE_RATE
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=sample_rate)
        frame_size = stream.codec_context.frame_size or 1024
        fifo = av.AudioFifo()
        for frame in resampler.resample(source) + resampler.resample(None):
            fifo.write(frame)
        pts = 0
        while fifo.samples:
            frame = fifo.read(min(frame_size, fifo.samples))
            if frame is None:
                break
            frame.pts = pts
            pts += frame.samples
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()
