"""Rendering helpers of the QA page: the passage with the answer highlighted (escaped HTML)."""

from __future__ import annotations

from typing import Sequence


def highlight_html(
    context: str,
    start: int,
    end: int,
    window: tuple[int, int] | None = None,
    sentences: Sequence[tuple[int, int]] = (),
) -> str:
    """The context as escaped HTML: ``context[start:end]`` in a ``<mark>``, ``sentences`` underlined.

    Only the tags are ours; every character of the user's text goes through
    ``html.escape``, so markup in a passage is shown, never run.  ``window``
    restricts the output to part of the context (with ellipses).
    """
    import html

    first, last = window if window else (0, len(context))
    first, last = max(0, first), min(len(context), last)
    cuts = {first, last}
    for a, b in [(start, end), *sentences]:
        cuts.update(x for x in (a, b) if first < x < last)
    ordered = sorted(cuts)
    pieces = ["…" if first > 0 else ""]
    for a, b in zip(ordered, ordered[1:]):
        text = html.escape(context[a:b])
        if start <= a and b <= end and end > start:
            text = f'<mark class="qa-answer">{text}</mark>'
        if any(s <= a and b <= e for s, e in sentences):
            text = f'<span class="qa-sentence">{text}</span>'
        pieces.append(text)
    pieces.append("…" if last < len(context) else "")
    return "".join(pieces).replace("\n", "<br>")


def answer_window(context: str, start: int, end: int, radius: int = 700) -> tuple[int, int]:
    """A part of a long context around the answer, cut at spaces: what the page shows first."""
    if len(context) <= 2 * radius:
        return 0, len(context)
    first = max(0, start - radius)
    last = min(len(context), end + radius)
    if first > 0:
        space = context.find(" ", first)
        first = space + 1 if 0 <= space < start else first
    if last < len(context):
        space = context.rfind(" ", end, last)
        last = space if space > end else last
    return first, last
