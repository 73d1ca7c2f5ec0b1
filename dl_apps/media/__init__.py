"""Decoding user uploads safely (images, audio, text), shared by every page and the CLI."""
