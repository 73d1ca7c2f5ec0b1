"""Compression task: every method on the digit CNN with its accuracy bound, the request checks,
the CLI contract, the background jobs and the cache slot; slower models are marked slow."""

import json
import threading

import pytest

from dl_apps import __main__ as cli
from dl_apps.cache import ModelCache
from dl_apps.core import InputError
from dl_apps.registry import UnknownModelError, load_registry
from dl_apps.tasks import compress
from dl_apps.tasks.compress import jobs


@pytest.fixture(scope="module")
def shared() -> ModelCache:
    """One cache for the module: the digit CNN is loaded once."""
    fresh = ModelCache(budget_mb=100_000)
    yield fresh
    fresh.clear()


def fresh_result(method: str, model_id: str = "mnist-cnn", cache: ModelCache | None = None) -> compress.CompressResult:
    return compress.compress(model_id, method, cache=cache, use_results=False)


# ------------------------------------------------------------------ requests
@pytest.mark.parametrize(
    ("method", "expected"),
    [("int8", ("int8", None)), ("INT8", ("int8", None)), (" prune:50 ", ("prune", 50)), ("prune-ft:1", ("prune-ft", 1)),
     ("prune:99", ("prune", 99)), ("prune:50.0", ("prune", 50)), ("distill", ("distill", None)), ("bf16", ("bf16", None))],
)
def test_parse_method_accepts_the_documented_spellings(method, expected):
    assert compress.parse_method(method) == expected


@pytest.mark.parametrize("method", ["prune:0", "prune:100", "prune:-5", "prune:abc", "prune", "prune:", "prune:1e9", "prune:12.5"])
def test_amount_outside_1_to_99_is_refused(method):
    with pytest.raises(InputError) as error:
        compress.parse_method(method)
    assert error.value.code == "compress_bad_amount"


@pytest.mark.parametrize("method", ["zip", "int4", "int8:50", "", None, "x" * 10_000])
def test_unknown_method_is_refused(method):
    with pytest.raises(InputError) as error:
        compress.parse_method(method)
    assert error.value.code in ("compress_unknown_method", "compress_no_method")
    assert len(str(error.value)) < 300


def test_methods_that_do_not_apply_are_refused():
    for model_id, method in [("yolov3-tiny-coco", "int8"), ("sentiment-minilm-en", "distill"), ("efficientnet-lite0", "prune-ft:50"), ("whisper-tiny-en", "prune:50")]:
        with pytest.raises(InputError) as error:
            compress.check_request(model_id, method)
        assert error.value.code == "compress_not_applicable", model_id


def test_only_compressible_models_are_accepted():
    with pytest.raises(InputError) as error:
        compress.check_request("sentiment-vader", "int8")
    assert error.value.code == "compress_not_compressible"
    with pytest.raises(UnknownModelError):
        compress.check_request("no-such-model", "int8")


def test_registry_roles_name_the_compressible_models():
    ids = {spec.id for spec in compress.compressible_models()}
    assert {"mnist-cnn", "sentiment-minilm-en", "efficientnet-lite0", "yolov3-tiny-coco", "whisper-tiny-en"} <= ids
    assert compress.compressible_models()[0].id == compress.DEFAULT_TARGET
    engine = load_registry().default_for("compress")
    assert engine.title_fr and engine.licence_fr
    for spec in compress.compressible_models():
        assert compress.kind_of(spec) in compress.KIND_METHODS


# ---------------------------------------------------- digit CNN, per method
def test_int8_dynamic_is_at_least_2x_smaller_and_loses_at_most_1_point(shared):
    result = fresh_result("int8", cache=shared)
    assert result.size_ratio >= 2.0
    assert result.accuracy_before - result.accuracy_after <= 0.01
    assert result.accuracy_before >= 0.95 and result.eval["n"] == 1000
    assert result.parameters_after == result.parameters_before
    assert result.latency_ms_before > 0 and result.latency_ms_after > 0
    from safetensors.torch import load

    tensors = load(result.artifact)  # the download is a real safetensors file with int8 weights
    assert any(name.endswith(".int8") for name in tensors)
    assert len(result.artifact) == pytest.approx(result.size_mb_after * 1024 * 1024, rel=0.01)


def test_static_int8_quantizes_convolutions_too(shared):
    result = fresh_result("int8-static", cache=shared)
    assert result.size_ratio >= 3.0  # int8 convolutions as well: more than dynamic's Linear-only
    assert result.accuracy_before - result.accuracy_after <= 0.015
    assert result.extra["calibration_inputs"] > 0


def test_fp16_halves_the_file_without_losing_accuracy(shared):
    result = fresh_result("fp16", cache=shared)
    assert 1.9 <= result.size_ratio <= 2.1
    assert abs(result.accuracy_before - result.accuracy_after) <= 0.005


def test_bf16_halves_the_file_and_stays_within_a_point(shared):
    result = fresh_result("bf16", cache=shared)
    assert 1.9 <= result.size_ratio <= 2.1
    assert result.accuracy_before - result.accuracy_after <= 0.01


def test_pruning_zeroes_the_share_asked_and_only_the_zipped_file_shrinks(shared):
    result = fresh_result("prune:50", cache=shared)
    assert result.extra["sparsity"] == pytest.approx(0.5, abs=0.01)
    assert result.nonzero_parameters_after == pytest.approx(result.parameters_before * 0.5, rel=0.02)
    assert result.size_mb_after == pytest.approx(result.size_mb_before, rel=0.001)  # zeros take room too
    assert result.zip_mb_after < 0.75 * result.zip_mb_before
    assert result.accuracy_before - result.accuracy_after <= 0.03


def test_fine_tune_repairs_heavy_pruning_and_50_percent_loses_at_most_1_point(shared):
    plain = fresh_result("prune:90", cache=shared)
    tuned = fresh_result("prune-ft:90", cache=shared)
    assert tuned.extra["sparsity"] == pytest.approx(0.9, abs=0.01)
    assert tuned.accuracy_after > plain.accuracy_after
    half = fresh_result("prune-ft:50", cache=shared)
    assert half.accuracy_before - half.accuracy_after <= 0.01


@pytest.mark.slow
def test_distilled_student_is_ten_times_smaller_and_closer_to_the_teacher(shared):
    result = fresh_result("distill", cache=shared)
    extra = result.extra
    assert extra["teacher_parameters"] / extra["student_parameters"] >= 10
    assert result.accuracy_after >= 0.93 and extra["accuracy_alone"] >= 0.90
    assert extra["agreement_distilled"] > extra["agreement_alone"]  # fixed seeds: the bench target, reproducibly
    assert extra["distill_seconds"] < 60
    assert [v.method for v in result.variants] == ["original", "distill", "distill-alone"]


def test_the_cached_model_is_never_changed(shared):
    with shared.use("mnist-cnn", task="attack") as model:
        before = {k: v.clone() for k, v in model.net.state_dict().items()}
    fresh_result("prune:80", cache=shared)
    with shared.use("mnist-cnn", task="attack") as model:
        after = model.net.state_dict()
    assert all((before[k] == after[k]).all() for k in before)


# ------------------------------------------------------------ results, jobs
def test_results_are_reused_per_model_and_method(shared):
    first = compress.compress("mnist-cnn", "fp16", cache=shared)
    assert compress.compress("mnist-cnn", "FP16", cache=shared) is first
    assert compress.RESULTS.get("mnist-cnn", "fp16") is first


def test_a_background_job_reports_progress_and_joins_a_running_twin(shared):
    compress.RESULTS.clear()
    stages = []
    job = jobs.start("mnist-cnn", "prune:30", shared)
    twin = jobs.start("mnist-cnn", "prune:30", shared)
    assert twin is job or twin.result is not None
    while not job.wait(0.05):
        stages.append(job.stage)
    assert job.result is not None and job.error is None and job.progress == 1.0
    assert job.result.method == "prune:30"
    again = jobs.start("mnist-cnn", "prune:30", shared)
    assert again.done and again.result is job.result


def test_a_bad_request_fails_before_any_thread_starts(shared):
    with pytest.raises(InputError):
        jobs.start("mnist-cnn", "prune:500", shared)


def test_cache_slot_counts_against_inference_slots():
    cache = ModelCache(budget_mb=100_000, max_concurrent=1)
    queued, entered = [], threading.Event()
    with cache.slot():
        assert cache.active == 1

        def other() -> None:
            with cache.slot(on_queue=queued.append):
                entered.set()

        thread = threading.Thread(target=other)
        thread.start()
        assert not entered.wait(0.3)  # the only slot is taken
    thread.join(5)
    assert entered.is_set() and queued == [1] and cache.active == 0


# ----------------------------------------------------------------------- CLI
def run_cli(capsys, *args: str) -> tuple[int, dict]:
    code = cli.main(["run", "compress", *args, "--json"])
    return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_cli_prints_the_contract_keys(capsys):
    code, payload = run_cli(capsys, "--model", "mnist-cnn", "--method", "int8")
    assert code == 0
    for key in ("size_mb_before", "size_mb_after", "latency_ms_before", "latency_ms_after", "accuracy_before", "accuracy_after", "eval", "model", "latency_ms"):
        assert key in payload, key
    assert payload["model"] == "mnist-cnn" and payload["eval"]["n"] == 1000
    assert "artifact" not in payload


@pytest.mark.parametrize(
    "args",
    [("--method", "zip"), ("--method", "prune:0"), ("--method", "prune:100"), ("--model", "yolov3-tiny-coco", "--method", "int8"),
     ("--model", "sentiment-vader", "--method", "int8"), ("--model", "nope", "--method", "int8"), ()],
)
def test_cli_bad_requests_exit_2_with_an_error(capsys, args):
    code, payload = run_cli(capsys, *args)
    assert code == 2 and set(payload) == {"error"}


# ------------------------------------------------------------ other models
@pytest.mark.slow
def test_minilm_int8_is_smaller_and_loses_at_most_2_points(shared):
    result = fresh_result("int8", "sentiment-minilm-en", shared)
    assert result.eval["n"] >= 30
    assert result.size_mb_after < 0.75 * result.size_mb_before  # the embedding table stays float32
    assert result.accuracy_before - result.accuracy_after <= 0.02
    shared.evict("sentiment-minilm-en")


@pytest.mark.slow
def test_yolo_fp16_finds_the_same_known_objects(shared):
    result = fresh_result("fp16", "yolov3-tiny-coco", shared)
    assert result.eval["n"] == 9 and result.accuracy_before >= 0.75
    assert abs(result.accuracy_after - result.accuracy_before) <= 1 / 9 + 1e-9
    assert result.size_ratio == pytest.approx(2.0, rel=0.05)
    shared.evict("yolov3-tiny-coco")


@pytest.mark.slow
def test_whisper_pair_compares_float32_and_int8_on_the_recorded_clips(shared):
    result = fresh_result("int8", "whisper-tiny-en", shared)
    assert result.kind == "whisper" and result.eval["n"] > 20  # words of the recorded clips
    assert result.size_mb_after < result.size_mb_before / 3  # int8 vs float32 weights as loaded
    assert abs(result.accuracy_after - result.accuracy_before) <= 0.1
    assert result.artifact is None and result.extra["ctranslate2_file_mb"] > 10
    for model_id in result.extra["engines"]:
        shared.evict(model_id)
