#!/usr/bin/env bash
# Gemma 3 270M (language model page, QA span reader): the packaged GGUF is converted once
# into the local cache ($DL_HUB_CACHE_DIR/gemma3-270m, default ~/.cache/dl_hub) as float16
# safetensors + tokenizer files, so that the hub loads it in seconds. A second run skips it.
set -euo pipefail
if .venv/bin/python -c "
import sys
from dl_apps.tasks.lm.convert import is_converted
sys.exit(0 if is_converted() else 1)
"; then
  echo "Gemma 3 270M already converted in the local cache."
else
  echo "Converting Gemma 3 270M from its packaged GGUF into the local cache (one to two minutes)..."
  .venv/bin/python -m dl_apps.tasks.lm.convert
fi
