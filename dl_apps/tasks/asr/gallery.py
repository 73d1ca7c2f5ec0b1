"""Gallery hook: the home card of the speech recognition demo (spectrogram of a bundled clip)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: the spectrogram of the first bundled clip, as the model hears it (16 kHz)."""
    from dl_apps.media import audio
    from dl_apps.tasks import asr

    clip = asr.samples()[0]
    samples = audio.decode_audio(Path(clip.file).read_bytes()).samples
    fig, axes = card.figure()
    axes.specgram(samples, Fs=16_000, NFFT=400, noverlap=240, cmap="magma")
    axes.set_axis_off()
    fig.tight_layout(pad=0)
    return card.figure_to_image(fig)
