"""Helpers for the review and history tests: a player that plays until stopped, answers to save.

`HeldPlayer` stands for a sound card that takes time: `play` blocks until the
test stops it, so the review's playback worker stays running while a test
moves the clock the highlight follows. The answers are Vosk-form word lists
with fixed times (deterministic for snapshots).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

WEAK = (
    "um so customer service is um like being polite and um you know helpful "
    "i think it is basically about um helping people i guess"
)
WEAK_WORDS: list[tuple[str, float, float]] = [
    (w, round(4.0 + i * 0.4, 2), round(4.3 + i * 0.4, 2)) for i, w in enumerate(WEAK.split())
]
"""A weak answer to what-is-customer-service: slow start, fillers in bursts, hedges, short."""

STORY = (
    "so there was a time when i was working at a shop and a customer was angry because "
    "his order was late i said sorry and i called the warehouse to ask about it"
)
STORY_WORDS: list[tuple[str, float, float]] = [
    (w, round(1.0 + i * 0.38, 2), round(1.3 + i * 0.38, 2)) for i, w in enumerate(STORY.split())
]
"""A story with no task and no result (for a behavioural question)."""


class HeldPlayer:
    """A player double whose `play` lasts until `stop()` (or `release()`), like real audio."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self._done = threading.Event()
        self.played: list[int] = []

    def play(
        self, audio: Any, rate: int | None = None, *, phone: bool = False, volume: float = 1.0
    ) -> bool:
        self.played.append(len(audio))
        self._done.clear()
        self.started.set()
        self._done.wait(30.0)
        return True

    def stop(self) -> None:
        self._done.set()

    release = stop


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def wait_until(pilot: Any, check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until `check()` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)
