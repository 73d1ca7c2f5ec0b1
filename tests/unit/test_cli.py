"""The command line of docs/cli.md, run as a real subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dl_apps.registry import REPO_ROOT, load_registry

OFFLINE_DIR = REPO_ROOT / "tests" / "offline"


def cli(*args: str, offline: bool = False, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    if offline:
        env["PYTHONPATH"] = str(OFFLINE_DIR)
    return subprocess.run([sys.executable, "-m", "dl_apps", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_run_sentiment_json_shape_without_network():
    """With every non-loopback connection refused, `run sentiment` still works."""
    done = cli("run", "sentiment", "--text", "I really love this workshop!", "--json", offline=True)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)  # exactly one JSON object on stdout
    assert result["label"] == "positive"
    assert result["model"] == "sentiment-e5-multilingual"
    assert set(result["scores"]) == {"negative", "neutral", "positive"}
    assert result["latency_ms"] > 0


def test_offline_guard_really_blocks():
    done = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), timeout=2)"],
        env={**os.environ, "PYTHONPATH": str(OFFLINE_DIR)}, capture_output=True, text=True,
    )
    assert done.returncode != 0 and "blocked by tests/offline" in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("run", "sentiment", "--text", "   ", "--json"),
        ("run", "sentiment", "--json"),
        ("run", "sentiment", "--model", "no-such-model", "--text", "hi", "--json"),
        ("run", "no-such-task", "--json"),
        ("run", "sentiment", "--no-such-flag", "--json"),
    ],
)
def test_bad_input_exits_2_with_error_json(args):
    done = cli(*args)
    assert done.returncode == 2, done.stderr
    payload = json.loads(done.stdout)
    assert list(payload) == ["error"] and payload["error"]


def test_task_without_implementation_says_not_available(monkeypatch, capsys):
    """A task declared for the gallery but not built yet answers a clear error, exit 2."""
    import dataclasses

    import dl_apps.__main__ as cli_main
    from dl_apps.registry import Registry

    real = load_registry()
    unbuilt = {name: dataclasses.replace(task, module=None) if name == "explain" else task for name, task in real.tasks.items()}
    monkeypatch.setattr(cli_main, "load_registry", lambda: Registry(tasks=unbuilt, models=real.models))
    assert cli_main.main(["run", "explain", "--json"]) == 2
    assert "not available yet" in json.loads(capsys.readouterr().out)["error"]


def test_batch_jsonl_keeps_order_and_reports_bad_lines(tmp_path: Path):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"text": "I love it"}\n{"text": ""}\nnot json\n{"text": "I hate it"}\n', encoding="utf-8")
    done = cli("run", "sentiment", "--model", "sentiment-vader", "--batch", str(batch))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0]["label"] == "positive" and lines[3]["label"] == "negative"
    assert "error" in lines[1] and "error" in lines[2]


def test_models_json_lists_the_registry():
    done = cli("models", "--json")
    assert done.returncode == 0
    rows = json.loads(done.stdout)
    ids = {row["id"] for row in rows}
    assert {"sentiment-e5-multilingual", "sentiment-vader"} <= ids
    assert all(row["licence"] and row["source"] in {"packaged", "trained", "hub"} for row in rows)
    registry = load_registry()
    for row in rows:  # French title and licence, and the roles pages ask for, as in the manifest
        spec = registry.model(row["id"])
        assert (row["title_fr"], row["licence_fr"], row["roles"]) == (spec.title_fr, spec.licence_fr, list(spec.roles))
    vader = next(row for row in rows if row["id"] == "sentiment-vader")
    assert vader["title_fr"].startswith("VADER") and "baseline" in vader["roles"]


def test_warmup_loads_the_sentiment_default():
    done = cli("warmup", "sentiment")
    assert done.returncode == 0, done.stderr
    assert "sentiment-e5-multilingual" in done.stdout and "ok" in done.stdout


@pytest.mark.slow
def test_train_sentiment_quick_writes_head_metrics_and_card(tmp_path: Path):
    done = cli("train", "sentiment", "--quick", "--encoder", "e5", "--out", str(tmp_path), timeout=600)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "sentiment-e5"
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["train_size"] == 300 and metrics["held_out_tweets"]["n"] == 100
    assert metrics["held_out_tweets"]["accuracy_3class"] > 0.45  # above the majority-class rate even on 300 tweets
    assert (folder / "head.safetensors").stat().st_size < 100_000
    assert "Licence" in (folder / "card.md").read_text()


def test_bench_json_rows_have_the_contract_keys():
    done = cli("bench", "sentiment", "--json", "--calls", "5", timeout=600)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    model_rows = [row for row in rows if "load_s" in row]
    assert {row["model"] for row in model_rows} >= {"sentiment-e5-multilingual", "sentiment-vader"}
    for row in model_rows:
        assert {"task", "model", "load_s", "p50_ms", "p95_ms", "rss_mb", "baseline", "baseline_p50_ms", "ratio"} <= set(row)
    load_once = [row for row in rows if row.get("threads") == 16]
    assert load_once and load_once[0]["loads"] == 1 and load_once[0]["errors"] == 0
