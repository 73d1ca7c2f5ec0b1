"""The language model task: the generation loop on a tiny random Gemma 3, bad input, one real-model test."""

import json
import math
import subprocess
import sys

import pytest

from dl_apps.cache import ModelCache
from dl_apps.core import InputError
from dl_apps.registry import REPO_ROOT, get_model_spec, load_registry
from dl_apps.tasks import lm
from dl_apps.tasks.lm import convert
from dl_apps.tasks.lm.tiny import TINY_ID, tiny_spec

PROMPT = "The Eiffel Tower was finished in"


@pytest.fixture(scope="module")
def tiny_cache():
    """A cache whose only model is the tiny random Gemma 3 (no file, no network)."""
    fresh = ModelCache(budget_mb=10_000, spec_resolver=lambda model_id, task=None: tiny_spec(model_id, max_prompt_tokens=32))
    yield fresh
    fresh.clear()


def run_tiny(tiny_cache, prompt=PROMPT, **settings):
    return lm.run(prompt, model_id=TINY_ID, cache=tiny_cache, **settings)


def test_greedy_is_deterministic_and_follows_the_argmax(tiny_cache):
    first = run_tiny(tiny_cache, max_new_tokens=6, temperature=0)
    second = run_tiny(tiny_cache, max_new_tokens=6, temperature=0)
    assert [t.id for t in first.tokens] == [t.id for t in second.tokens]
    assert 1 <= len(first.tokens) <= 6
    for step in first.tokens:
        assert step.id == step.top[0].id  # greedy = the most likely token
        assert step.prob == step.top[0].prob
        assert len(step.top) == 10
        probs = [alt.prob for alt in step.top]
        assert probs == sorted(probs, reverse=True)
        assert 0 < sum(probs) <= 1.0 + 1e-4
    assert first.text == "".join(t.token for t in first.tokens) or first.text.strip()
    assert first.tokens_per_s > 0 and first.prefill_ms > 0 and first.latency_ms > 0
    assert first.model == TINY_ID


def test_sampling_is_seeded_and_differs_from_greedy(tiny_cache):
    sampled = [run_tiny(tiny_cache, max_new_tokens=12, temperature=1.5, seed=seed) for seed in (1, 1, 2)]
    assert [t.id for t in sampled[0].tokens] == [t.id for t in sampled[1].tokens]
    greedy = run_tiny(tiny_cache, max_new_tokens=12, temperature=0)
    differing = {tuple(t.id for t in r.tokens) for r in sampled + [greedy]}
    assert len(differing) >= 2
    assert any(step.sampled_prob < 1.0 for step in sampled[0].tokens)


def test_top_k_one_is_greedy(tiny_cache):
    greedy = run_tiny(tiny_cache, max_new_tokens=6, temperature=0)
    top1 = run_tiny(tiny_cache, max_new_tokens=6, temperature=1.0, top_k=1, seed=5)
    assert [t.id for t in top1.tokens] == [t.id for t in greedy.tokens]
    tiny_p = run_tiny(tiny_cache, max_new_tokens=6, temperature=1.0, top_p=0.01, seed=5)
    assert [t.id for t in tiny_p.tokens] == [t.id for t in greedy.tokens]  # the nucleus is the top token only


def test_forced_token_continues_from_the_users_choice(tiny_cache):
    greedy = run_tiny(tiny_cache, max_new_tokens=5)
    alternative = greedy.tokens[0].top[3]
    steered = lm.run(PROMPT, max_new_tokens=5, forced_ids=[alternative.id], model_id=TINY_ID, cache=tiny_cache)
    assert steered.tokens[0].id == alternative.id and steered.tokens[0].forced
    assert steered.tokens[0].prob == pytest.approx(alternative.prob, abs=1e-5)  # the model's probability of the user's token
    assert not any(step.forced for step in steered.tokens[1:])


def test_tokenizer_view_offsets_cover_the_prompt(tiny_cache):
    result = run_tiny(tiny_cache, max_new_tokens=1)
    assert result.prompt_tokens
    for token in result.prompt_tokens:
        assert 0 <= token.start <= token.end <= len(result.prompt)
    assert result.prompt_tokens[-1].end == len(result.prompt)


def test_attention_of_the_last_layer_is_a_distribution(tiny_cache):
    result = run_tiny(tiny_cache, max_new_tokens=2, want_attention=True)
    heads = result.attention["heads"]
    assert len(heads) == 2  # the tiny model's heads
    size = len(result.attention["tokens"])
    assert size == len(result.prompt_tokens) + 1  # with <bos>
    for head in heads:
        for index, row in enumerate(head):
            assert sum(row) == pytest.approx(1.0, abs=1e-3)
            assert all(v == pytest.approx(0.0, abs=1e-6) for v in row[index + 1:])  # causal: no look-ahead


@pytest.mark.parametrize("bad", ["", "   \n ", None, 12, "\x00\x00"])
def test_empty_prompt_is_a_clear_error(tiny_cache, bad):
    with pytest.raises(InputError) as error:
        run_tiny(tiny_cache, prompt=bad)
    assert error.value.code == "empty_prompt"


def test_enormous_prompt_is_cut_to_the_window_with_notices(tiny_cache):
    result = run_tiny(tiny_cache, prompt="Paris " * 20_000 + "THE END", max_new_tokens=1)
    codes = [n["code"] for n in result.notices]
    assert "prompt_chars_cut" in codes and "prompt_tokens_cut" in codes
    assert len(result.prompt_tokens) <= 32
    assert result.prompt.endswith("THE END")


@pytest.mark.parametrize(
    "raw,expected,code",
    [(0, 1, "setting_clamped"), (10_000, 256, "setting_clamped"), (-5, 1, "setting_clamped"), ("abc", 40, "setting_invalid"), ("12", 12, None), (float("nan"), 40, "setting_invalid")],
)
def test_max_tokens_are_clamped_with_a_notice(raw, expected, code):
    settings, notices = lm.validate_settings(max_new_tokens=raw)
    assert settings.max_new_tokens == expected
    assert [n["code"] for n in notices] == ([code] if code else [])


def test_every_setting_is_clamped_never_raises():
    settings, notices = lm.validate_settings(max_new_tokens="1e9", temperature="-3", top_k="9999999", top_p="7", seed="-1")
    assert (settings.max_new_tokens, settings.temperature, settings.top_k, settings.top_p, settings.seed) == (256, 0.0, 1000, 1.0, 0)
    assert len(notices) == 5
    assert {n["name"] for n in notices} == {"max_new_tokens", "temperature", "top_k", "top_p", "seed"}


def test_invalid_forced_ids_are_ignored(tiny_cache):
    result = lm.run(PROMPT, max_new_tokens=2, forced_ids=[-4, 10**9, "x"], model_id=TINY_ID, cache=tiny_cache)
    assert not any(step.forced for step in result.tokens)


def test_manifest_entry_strings_and_cache_folder(tmp_path, monkeypatch):
    spec = load_registry().default_for("lm")
    assert spec.id == "gemma3-270m" and spec.source == "packaged" and spec.size_mb >= 1000
    assert "Gemma Terms of Use" in spec.licence and "Gemma" in spec.licence_in("fr") and spec.title_fr
    assert "Gemma Terms of Use" in spec.card_text()
    assert load_registry().task("lm").section == "language"
    monkeypatch.setenv("DL_HUB_CACHE_DIR", str(tmp_path))
    assert convert.converted_dir() == tmp_path / "gemma3-270m"
    assert not convert.is_converted()
    from dl_apps.tasks.lm.strings import STRINGS

    for key in ("nav.lm", "gallery.lm.blurb", "lm.how", "lm.limits", "lm.licence_note", "error.empty_prompt", "notice.setting_clamped"):
        english, french = STRINGS[key]
        assert english.strip() and french.strip() and english != french


def test_cli_empty_prompt_exits_2():
    done = subprocess.run([sys.executable, "-m", "dl_apps", "run", "lm", "--prompt", "  ", "--json"], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert done.returncode == 2
    assert "error" in json.loads(done.stdout)


@pytest.mark.slow
def test_real_gemma_greedy_cli_shape_and_licence():
    """The one test on the real model (converted into the local cache by set-up, or now)."""
    done = subprocess.run(
        [sys.executable, "-m", "dl_apps", "run", "lm", "--prompt", "The Eiffel Tower is in the city of", "--max-new-tokens", "3", "--temperature", "0", "--json"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    payload = json.loads(done.stdout)
    assert payload["model"] == "gemma3-270m" and payload["latency_ms"] > 0 and payload["tokens_per_s"] > 0
    assert payload["notices"] == [] and 1 <= len(payload["tokens"]) <= 3
    assert payload["text"].startswith(" Paris")
    first = payload["tokens"][0]
    assert set(first) >= {"token", "id", "prob", "top"} and len(first["top"]) == 10
    assert first["top"][0]["prob"] >= first["top"][-1]["prob"] and first["id"] == first["top"][0]["id"]
    assert all(0 < t["prob"] <= 1 and not math.isnan(t["prob"]) for t in payload["tokens"])
    assert convert.is_converted()
    assert get_model_spec("gemma3-270m").size_mb * 1024 * 1024 > 0.9 * 268e6 * 4  # float32 in memory
