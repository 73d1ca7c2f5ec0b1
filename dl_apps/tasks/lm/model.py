"""The language model object and the token-by-token generation loop (the lesson of the page).

``LanguageModel`` wraps a transformers causal LM and its tokenizer.  :func:`generate_steps`
is written out by hand on purpose: one forward pass per token over a key/value cache, the
probability of every token of the vocabulary, the ten most likely ones, then the choice —
greedy (``temperature == 0``) or sampled from the distribution reshaped by transformers'
own logits warpers (temperature, top-k, top-p).  Tokens the student forces (clicking an
alternative on the page) are fed in instead of the model's choice, with their
probabilities still measured.

torch and transformers are imported inside functions (lazy).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

TOP_ALTERNATIVES = 10


@dataclass
class Alternative:
    """One of the most likely next tokens: its text, id and probability."""

    token: str
    id: int
    prob: float


@dataclass
class TokenStep:
    """One generated token: its text and id, the model's probability of it and the top alternatives.

    ``prob`` is the model's own probability (softmax of the logits, temperature 1);
    ``sampled_prob`` the probability it had in the distribution actually sampled
    from (after temperature, top-k, top-p; 1.0 under greedy); ``forced`` marks a
    token chosen by the user rather than the model.
    """

    token: str
    id: int
    prob: float
    top: list[Alternative] = field(default_factory=list)
    sampled_prob: float = 1.0
    forced: bool = False


@dataclass
class Settings:
    """Sampling settings (already validated): ``temperature == 0`` means greedy."""

    max_new_tokens: int = 40
    temperature: float = 0.0
    top_k: int = 0
    top_p: float = 1.0
    seed: int = 0


class LanguageModel:
    """A causal LM + tokenizer, as the cache holds it (one copy shared by every session)."""

    def __init__(self, model: Any, tokenizer: Any, name: str = "", max_prompt_tokens: int = 512) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.name = name
        self.max_prompt_tokens = max_prompt_tokens
        config = model.config
        self.num_layers = int(getattr(config, "num_hidden_layers", 0))
        self.num_heads = int(getattr(config, "num_attention_heads", 0))
        self.vocab_size = int(getattr(config, "vocab_size", 0))
        self.stop_ids = _stop_ids(tokenizer, config)
        self._decode_lock = threading.Lock()  # fast tokenizers are not safe to share across threads mid-call

    def approx_bytes(self) -> int:
        """Memory of the weights (tied embeddings counted once)."""
        seen: set[int] = set()
        total = 0
        for tensor in list(self.model.parameters()) + list(self.model.buffers()):
            if tensor.data_ptr() in seen:
                continue
            seen.add(tensor.data_ptr())
            total += tensor.numel() * tensor.element_size()
        return total

    # ------------------------------------------------------------ tokenizer
    def encode(self, text: str, add_bos: bool = True) -> tuple[list[int], list[tuple[int, int]]]:
        """Token ids of ``text`` and each token's character span in it (BOS has span (0, 0))."""
        with self._decode_lock:
            encoded = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        ids = list(encoded["input_ids"])
        offsets = [tuple(pair) for pair in encoded["offset_mapping"]]
        bos = getattr(self.tokenizer, "bos_token_id", None)
        if add_bos and bos is not None:
            ids, offsets = [int(bos)] + ids, [(0, 0)] + offsets
        return ids, offsets

    def token_text(self, token_id: int) -> str:
        """The text one token stands for (special tokens by name)."""
        with self._decode_lock:
            return self.tokenizer.decode([int(token_id)], skip_special_tokens=False)

    def decode(self, ids: Sequence[int]) -> str:
        """The text of a token sequence (special tokens dropped)."""
        with self._decode_lock:
            return self.tokenizer.decode([int(i) for i in ids], skip_special_tokens=True)

    # -------------------------------------------------------------- forward
    def forward(self, ids: Sequence[int], past: Any = None, attentions: bool = False) -> tuple[Any, Any, Any]:
        """One forward pass on new ``ids`` after ``past``: (last-position logits, new past, attentions or None)."""
        import torch

        input_ids = torch.tensor([list(ids)], dtype=torch.long)
        with torch.inference_mode():
            out = self.model(
                input_ids=input_ids,
                cache=past,
                use_cache=True,
                output_attentions=attentions,
                logits_to_keep=1,
            )
        attention = out.attentions[-1][0] if attentions and out.attentions else None
        return out.logits[0, -1].float(), out.cache, attention


def _stop_ids(tokenizer: Any, config: Any) -> set[int]:
    """Ids that end a generation: EOS (config and tokenizer) and Gemma's end-of-turn."""
    stops: set[int] = set()
    for value in (getattr(config, "eos_token_id", None), getattr(tokenizer, "eos_token_id", None)):
        if isinstance(value, int):
            stops.add(value)
        elif isinstance(value, (list, tuple)):
            stops.update(int(v) for v in value)
    try:
        end_turn = tokenizer.convert_tokens_to_ids("<end_of_turn>")
        if isinstance(end_turn, int) and end_turn != getattr(tokenizer, "unk_token_id", None):
            stops.add(end_turn)
    except (KeyError, ValueError, TypeError):
        pass
    return stops


def warpers(settings: Settings) -> Any:
    """transformers' logits warpers for the settings (temperature, top-k, top-p), in their usual order."""
    from transformers import LogitsProcessorList, TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

    chain = LogitsProcessorList()
    if settings.temperature > 0:
        chain.append(TemperatureLogitsWarper(settings.temperature))
        if settings.top_k > 0:
            chain.append(TopKLogitsWarper(settings.top_k))
        if settings.top_p < 1.0:
            chain.append(TopPLogitsWarper(settings.top_p))
    return chain


@dataclass
class Generation:
    """What :func:`generate_steps` measured besides the tokens (filled as it runs)."""

    prefill_ms: float = 0.0
    seconds: float = 0.0
    attention: Any = None  # last layer, (heads, prompt, prompt) tensor when asked for


def generate_steps(
    lm: LanguageModel,
    prompt_ids: Sequence[int],
    settings: Settings,
    forced: Sequence[int] = (),
    stats: Generation | None = None,
    want_attention: bool = False,
) -> Iterator[TokenStep]:
    """Generate token by token after ``prompt_ids``; yield one :class:`TokenStep` per token.

    The first ``len(forced)`` tokens are the user's (their probabilities are still
    the model's); then the model chooses — argmax when ``temperature == 0``, else a
    draw (seeded by ``settings.seed``) from the warped distribution.  Stops after
    ``max_new_tokens`` tokens or at an end-of-text token (which is not yielded).
    """
    import torch

    stats = stats if stats is not None else Generation()
    generator = torch.Generator().manual_seed(int(settings.seed))
    chain = warpers(settings)
    started = time.perf_counter()
    logits, past, attention = lm.forward(prompt_ids, attentions=want_attention)
    stats.prefill_ms = (time.perf_counter() - started) * 1000.0
    stats.attention = attention
    history = torch.tensor([list(prompt_ids)], dtype=torch.long)
    for step in range(settings.max_new_tokens):
        probs = torch.softmax(logits, dim=-1)
        top = torch.topk(probs, k=min(TOP_ALTERNATIVES, probs.shape[-1]))
        if step < len(forced):
            chosen, sampled_prob, is_forced = int(forced[step]), 1.0, True
        elif settings.temperature <= 0:
            chosen, sampled_prob, is_forced = int(top.indices[0]), 1.0, False
        else:
            warped = chain(history, logits.unsqueeze(0))[0]
            distribution = torch.softmax(warped, dim=-1)
            chosen = int(torch.multinomial(distribution, 1, generator=generator))
            sampled_prob, is_forced = float(distribution[chosen]), False
        if chosen in lm.stop_ids and not is_forced:
            break
        yield TokenStep(
            token=lm.token_text(chosen),
            id=chosen,
            prob=round(float(probs[chosen]), 5),
            top=[
                Alternative(token=lm.token_text(int(i)), id=int(i), prob=round(float(p), 5))
                for p, i in zip(top.values.tolist(), top.indices.tolist())
            ],
            sampled_prob=round(sampled_prob, 5),
            forced=is_forced,
        )
        stats.seconds = time.perf_counter() - started
        history = torch.cat([history, torch.tensor([[chosen]])], dim=1)
        if step + 1 < settings.max_new_tokens:
            logits, past, _ = lm.forward([chosen], past)
    stats.seconds = time.perf_counter() - started


def load_language_model(folder: str, name: str = "", max_prompt_tokens: int = 512, progress: Callable[[str], None] | None = None) -> LanguageModel:
    """Load a converted model folder (safetensors + tokenizer) as float32 with eager attention."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    return LanguageModel(model, tokenizer, name=name, max_prompt_tokens=max_prompt_tokens)
