"""``bench asr`` rows for French: WER per offline model on the French set, and the TTS → ASR round trip.

Kept apart from the task's ``__init__`` (which is near the 700-line limit); called by
:func:`dl_apps.tasks.asr.bench_extra`.
"""

from __future__ import annotations

from typing import Any

ROUND_TRIP_TEXTS = {
    "en": (
        "The weather is lovely today and the sun is shining on the city.",
        "Neural networks learn to recognise speech from thousands of hours of recordings.",
    ),
    "fr": (
        "Le train pour Lyon part à huit heures du matin.",
        "Merci beaucoup pour votre aide et à demain.",
    ),
}


def french_rows() -> list[dict[str, Any]]:
    """One row per offline model that speaks French (WER per kind of clip), then one round-trip row per language."""
    from dl_apps.cache import ModelCache
    from dl_apps.media.audio import load_audio_file
    from dl_apps.registry import load_registry
    from dl_apps.tasks import asr
    from dl_apps.tasks.asr import french_set
    from dl_apps.tasks import tts

    cache = ModelCache(budget_mb=100_000)
    clips = french_set.clips()
    rows: list[dict[str, Any]] = []
    for spec in load_registry().models_for(asr.TASK):
        if spec.source == "hub" or "fr" not in spec.languages:
            continue
        scores: dict[str, list[tuple[float, int]]] = {}
        for clip in clips:
            result = asr.run(load_audio_file(clip.file), language="fr", model_id=spec.id, cache=cache)
            scores.setdefault(clip.kind, []).append((asr.word_error_rate(clip.transcript, result.text), len(asr.normalise_words(clip.transcript))))
        row: dict[str, Any] = {"task": asr.TASK, "model": spec.id, "benchmark": "French WER (assets/samples/asr/fr_eval)"}
        for kind, pairs in scores.items():
            row[f"wer_fr_{kind}"] = round(sum(w * n for w, n in pairs) / sum(n for _, n in pairs), 3)
        rows.append(row)
    default_asr = load_registry().default_for(asr.TASK).id
    for language, texts in ROUND_TRIP_TEXTS.items():
        spoken = [tts.run(text, language, cache=cache) for text in texts]  # the task's own voices (asr never imports tts.roundtrip: no cycle)
        heard = [asr.run(item.wav, language=language, model_id=default_asr, cache=cache) for item in spoken]
        words = [len(asr.normalise_words(text)) for text in texts]
        errors = [asr.word_error_rate(text, item.text) for text, item in zip(texts, heard)]
        rows.append(
            {
                "task": asr.TASK,
                "benchmark": f"round trip TTS -> ASR ({language})",
                "model": f"{spoken[0].model} -> {heard[0].model}",
                "sentences": len(texts),
                "wer": round(sum(w * n for w, n in zip(errors, words)) / sum(words), 3),
                "tts_ms_p50": sorted(item.latency_ms for item in spoken)[len(spoken) // 2],
                "asr_ms_p50": sorted(item.latency_ms for item in heard)[len(heard) // 2],
            }
        )
    cache.clear()
    return rows
