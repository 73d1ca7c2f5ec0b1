"""The round trip: text → speech (this task) → text (speech recognition), scored by word error rate.

One function the speech page calls for its *round trip* button and ``bench asr`` uses for
its round-trip rows; it measures both systems at once (a low WER needs a clear voice *and*
a good recogniser).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from dl_apps.cache import ModelCache
from dl_apps.core import TaskResult


@dataclass
class RoundTrip(TaskResult):
    """The synthesised speech, what Whisper heard, and the WER against the original text."""

    text: str = ""
    transcript: str = ""
    wer: float = 0.0
    tts: Any = field(default=None, repr=False)
    asr: Any = field(default=None, repr=False)


def round_trip(
    text: Any,
    language: str = "en",
    tts_model: str | None = None,
    asr_model: str | None = None,
    speed: float = 1.0,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    spoken: Any = None,
) -> RoundTrip:
    """Speak ``text`` in ``language`` (or reuse ``spoken``, a TtsResult of it), transcribe the audio
    with ``asr_model`` (English-only models hand French to the multilingual one) and score it.

    Raises the InputErrors of :func:`dl_apps.tasks.tts.run`.
    """
    from dl_apps.tasks import asr, tts

    if spoken is None:
        spoken = tts.run(text, language, model_id=tts_model, speed=speed, cache=cache, on_queue=on_queue)
    clean, _ = tts.clean_text(text, tts.MAX_CHARS)
    heard = asr.run(spoken.wav, language=spoken.language, model_id=asr_model, cache=cache, on_queue=on_queue)
    result = RoundTrip(text=clean, transcript=heard.text, wer=round(asr.word_error_rate(clean, heard.text), 4), tts=spoken, asr=heard)
    result.model = f"{spoken.model} → {heard.model}"
    result.latency_ms = round(spoken.latency_ms + heard.latency_ms, 2)
    result.notices = list(spoken.notices) + list(heard.notices)
    return result
