#!/usr/bin/env bash
# Idempotent set-up of DL Demo Hub on a Debian/Ubuntu machine with Python 3.11:
#   Debian packages the defaults need (and, with --test, the browser for end-to-end tests),
#   a virtual environment in .venv with the pinned requirements, and the models that are
#   trained locally because their data may not be redistributed.
# A second run skips everything already done.
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TEST=0
for arg in "$@"; do
  case "$arg" in
    --test) WITH_TEST=1 ;;
    *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
  esac
done

say() { printf '\n==> %s\n' "$*"; }
# pip on these machines warns once per package about an optional local index folder: hide that noise only
pip_quiet() { .venv/bin/python -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }

# ---------------------------------------------------------------- Debian packages
apt_packages=()
# espeak-ng: the French text-to-speech voice and the phonemizer of the Piper English voice (GPL-3, run as a separate process)
command -v espeak-ng >/dev/null 2>&1 || apt_packages+=(espeak-ng)
# nginx: the sticky-session proxy in front of several Streamlit replicas (scripts/stack.sh, docs/scaling.md)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || apt_packages+=(nginx)
if [ "$WITH_TEST" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
  # colour emoji for the flags on sample buttons in screenshots
  [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || apt_packages+=(fonts-noto-color-emoji)
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  say "Installing Debian packages: ${apt_packages[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
fi

# ---------------------------------------------------------------- Python environment
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  say "Creating the virtual environment in .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha256
wanted=$(cat requirements.txt requirements-nodeps.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  say "Installing Python packages (pinned; torch is the CPU build)"
  pip_quiet install --quiet --upgrade pip
  pip_quiet install --quiet -r requirements.txt
  # Packages whose declared dependencies would drag in TensorFlow, Triton/CUDA or a 2020 OpenCV:
  pip_quiet install --quiet --no-deps -r requirements-nodeps.txt
  echo "$wanted" > "$stamp"
else
  echo "Python packages already installed (requirements unchanged)."
fi

# ---------------------------------------------------------------- locally trained models
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
for script in scripts/setup.d/*.sh; do
  [ -e "$script" ] || continue
  bash "$script"
done
say "Set-up complete."
