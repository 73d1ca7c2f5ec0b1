"""One package per demo: each holds the task's public API (TASK, run, predict, results, CLI and bench hooks), its loaders and its strings."""
