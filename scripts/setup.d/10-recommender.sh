#!/usr/bin/env bash
# MovieLens-100k may not be redistributed, so neither may weights trained on it: the
# neural recommender is trained once (about a minute) into the local cache, not committed.
set -euo pipefail
if .venv/bin/python -c "
import sys
from dl_apps.tasks.recommend import is_trained
from dl_apps.registry import load_registry
sys.exit(0 if is_trained(load_registry().default_for('recommend')) else 1)
"; then
  echo "Recommender already trained in the local cache."
else
  echo "Training the recommender on MovieLens-100k into the local cache (about a minute)..."
  .venv/bin/python -m dl_apps train recommender --no-eval
fi
