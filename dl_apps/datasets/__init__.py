"""Readers of the packaged data sets the hub trains and evaluates on (no downloads)."""
