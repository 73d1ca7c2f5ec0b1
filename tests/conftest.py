"""Test-wide settings: never touch a model hub; shared fixtures."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# A missing string key or placeholder raises (dl_apps.ui.i18n.TranslationError) instead of showing the raw key.
os.environ.setdefault("DL_HUB_STRICT_I18N", "1")
# results shared between sessions (dl_apps.shared_results) would hide repeated model runs; its own tests turn it on
os.environ.setdefault("DL_HUB_SHARED_RESULTS", "0")

import socket  # noqa: E402

import pytest  # noqa: E402

from dl_apps.cache import ModelCache  # noqa: E402


@pytest.fixture
def cache() -> ModelCache:
    """A fresh, private model cache (generous budget)."""
    fresh = ModelCache(budget_mb=100_000)
    yield fresh
    fresh.clear()


@pytest.fixture
def no_network(monkeypatch):
    """Refuse any socket connection that is not to loopback, for the duration of a test."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("offline_guard", Path(__file__).parent / "offline" / "sitecustomize.py")
    guard = importlib.util.module_from_spec(spec)
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    spec.loader.exec_module(guard)  # patches socket.socket.connect(_ex)
    yield
    socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex
