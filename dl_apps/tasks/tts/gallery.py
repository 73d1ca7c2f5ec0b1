"""Gallery hook: the home card of text-to-speech (the waveform of a sentence the default voice just spoke)."""

from __future__ import annotations

from typing import Any

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: the waveform of one sentence synthesised by the default (Piper) voice."""
    import io

    import numpy as np
    from scipy.io import wavfile

    from dl_apps.tasks import tts

    result = tts.run("Deep learning, live in your browser.", language="en")
    rate, samples = wavfile.read(io.BytesIO(result.wav))
    samples = samples.astype(np.float32) / 32768.0
    fig, axes = card.figure()
    times = np.arange(len(samples)) / rate
    axes.fill_between(times, samples, -samples, color="#0072b2", linewidth=0)
    axes.set_xlim(0, times[-1] if len(times) else 1)
    axes.set_axis_off()
    fig.tight_layout(pad=0)
    return card.figure_to_image(fig)
