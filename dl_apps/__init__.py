"""DL Demo Hub library: registry, model cache and one pure module per task."""
