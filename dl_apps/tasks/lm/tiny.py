"""A tiny, randomly initialised Gemma 3 with a tiny tokenizer, for tests that do not need the real model.

Same architecture and code path as the real model (``Gemma3ForCausalLM``, eager attention,
key/value cache), a few hundred kilobytes, built in well under a second.  Its text is
gibberish: only the mechanics (shapes, probabilities, determinism, offsets) are tested on it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from dl_apps.registry import ModelSpec
from dl_apps.tasks.lm.model import LanguageModel

TINY_ID = "tiny-gemma3-random"
_CORPUS = (
    "The Eiffel Tower was finished in March 1889 for the World's Fair in Paris. "
    "Gustave Eiffel's company designed and built the tower. It is 330 metres tall. "
    "La tour Eiffel a été achevée en mars 1889 pour l'Exposition universelle de Paris. "
    "Marie Curie was born in Warsaw. Elle a découvert le polonium et le radium. "
    "Once upon a time there was a small robot who wanted to learn how to paint. "
    "Il était une fois un petit robot qui voulait apprendre à peindre. Question: Answer: Réponse: "
)


@lru_cache(maxsize=1)
def tiny_tokenizer() -> Any:
    """A 400-token BPE tokenizer (SentencePiece-style ▁ spaces) trained on a few sentences."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE(unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first")
    core.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="first")
    alphabet = sorted(set(_CORPUS + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,;:!?'\"-()\n"))
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<pad>", "<eos>", "<bos>", "<unk>"], initial_alphabet=alphabet)
    core.train_from_iterator([_CORPUS] * 4, trainer=trainer)
    return PreTrainedTokenizerFast(tokenizer_object=core, bos_token="<bos>", eos_token="<eos>", pad_token="<pad>", unk_token="<unk>")


def tiny_language_model(seed: int = 0, max_prompt_tokens: int = 64) -> LanguageModel:
    """A fresh random tiny Gemma 3 (2 layers, 2 heads, width 32) wrapped as a LanguageModel."""
    import torch
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    tokenizer = tiny_tokenizer()
    config = Gemma3TextConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=16,
        max_position_embeddings=512,
        sliding_window=16,
        layer_types=["sliding_attention", "full_attention"],
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        attn_implementation="eager",
    )
    torch.manual_seed(seed)
    model = Gemma3ForCausalLM(config).eval()
    with torch.no_grad():  # sharpen the random logits a little so that distributions are not flat
        model.lm_head.weight.mul_(8.0) if not config.tie_word_embeddings else model.model.embed_tokens.weight.mul_(8.0)
    return LanguageModel(model, tokenizer, name=TINY_ID, max_prompt_tokens=max_prompt_tokens)


def load_tiny(spec: ModelSpec) -> LanguageModel:
    """Loader for tests: the tiny random model (``spec.options['seed']``, default 0)."""
    return tiny_language_model(seed=int(spec.options.get("seed", 0)), max_prompt_tokens=int(spec.options.get("max_prompt_tokens", 64)))


def tiny_spec(model_id: str = TINY_ID, task: str = "lm", **options: Any) -> ModelSpec:
    """A registry-like spec for the tiny model (tests pass it through ``ModelCache(spec_resolver=...)``)."""
    return ModelSpec(
        id=model_id,
        task=task,
        title="tiny random Gemma 3 (tests)",
        source="trained",
        licence="test fixture, random weights",
        loader="dl_apps.tasks.lm.tiny:load_tiny",
        thread_safe=True,
        options=dict(options),
    )
