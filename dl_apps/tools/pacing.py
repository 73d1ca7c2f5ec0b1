"""When the load driver's sessions click: spread starts and varied reading pauses (see :class:`Pacing`)."""

from __future__ import annotations

import random
from dataclasses import dataclass

THINK_SPREAD = 0.5  # each pause is drawn from think × [1 - spread, 1 + spread]


@dataclass
class Pacing:
    """When one session clicks: a first delay (the sessions' starts spread over one mean pause, as
    attendees do not all arrive in the same tenth of a second), then a pause after each answer drawn
    uniformly around ``think_s`` (a reader's time varies; equal pauses keep the sessions clicking
    in step, bursts that a room of readers does not make).  ``lockstep``: no spread at all
    (every session starts at once and pauses exactly ``think_s``).  Seeded by the session's
    index: a run's pauses are the same from one run to the next."""

    index: int
    sessions: int
    think_s: float
    lockstep: bool = False

    def __post_init__(self) -> None:
        self._random = random.Random(self.index)

    def start_delay_s(self) -> float:
        """Seconds to wait before this session opens its first page."""
        if self.lockstep or self.think_s <= 0:
            return 0.0
        return self.think_s * self.index / max(1, self.sessions)

    def pause_s(self) -> float:
        """Seconds of reading after one answer (0 when ``think_s`` is 0)."""
        if self.lockstep or self.think_s <= 0:
            return self.think_s
        return self.think_s * self._random.uniform(1.0 - THINK_SPREAD, 1.0 + THINK_SPREAD)
