#!/usr/bin/env bash
# Set everything up (idempotent), then serve the app on http://localhost:8501 with its offline models.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# few malloc arenas: the server's memory would otherwise creep up with each session's thread
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" --server.address "${ADDRESS:-0.0.0.0}"
