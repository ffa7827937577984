"""Live nudges while the user speaks: a pace gauge, a filler counter and a gentle nudge.

Fed by the practice turn from what it already has, so nothing extra listens to
the audio: the recogniser's live text (closed utterances and the open one) and
the recorder's meter readings (is the user speaking now). Partial results carry
no word timings, so every word is timed by when its text first arrived; that
is late by the recogniser's lag (about a second), which a 20-second pace window
does not notice.

Pace is words over *speaking* time in the window, not over the clock: a
thinking pause of six seconds must not read as a slow pace. A nudge is gentle
and rare: only when the pace runs beyond the slow or fast flags (not merely
outside the target band) or fillers bunch up (`filler_burst_min` within
`filler_burst_window_s`, the report's own burst rule), at most one every
`NUDGE_GAP_S`, each shown for `NUDGE_SHOW_S`.

Cost: the closed part of the text is tokenised and scanned for fillers only
when it grows (once per utterance); each partial result scans only the open
utterance. Pure: no audio, engine, settings or clock of its own.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

from voice_mock.analysis.fillers import find_fillers
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.tokens import Token, normalise
from voice_mock.transcript import NOISE_TOKENS

PACE_WINDOW_S = 20.0
"""Recording time the live pace is measured over."""
MIN_SPEECH_S = 8.0
"""Speaking time the window must hold before a pace is shown (a few words prove nothing)."""
NUDGE_GAP_S = 20.0
"""At least this long between two nudges: a coach who talks all the time is ignored."""
NUDGE_SHOW_S = 6.0
"""How long a nudge stays up."""

PACE_STEP = 5
"""The gauge shows the pace to the nearest this many words a minute."""
FILLER_TIMES_KEPT = 64
"""Arrival times kept for the burst rule (far more than any burst needs)."""

PaceState = Literal["slow", "good", "fast"]


@dataclass(frozen=True, slots=True)
class LiveReading:
    """What the practice screen shows under the meter; a new one only when something changed."""

    wpm: float | None
    """Pace over the last `PACE_WINDOW_S` of speaking, None until there is enough of it."""
    pace: PaceState | None
    """`wpm` against the target band (good inside it); None with no pace yet."""
    fillers: int
    """Filler words so far in this answer."""
    nudge: str | None
    """A short, gentle sentence to show now, or None."""


def _tokens(text: str, at_s: float) -> list[Token]:
    """The words of live text as analysis tokens, all timed `at_s` (partials carry no times)."""
    out: list[Token] = []
    for raw in text.split():
        word = normalise(raw)
        if word and word not in NOISE_TOKENS:
            out.append(Token(word, at_s, at_s, 1.0, raw))
    return out


class LiveCoach:
    """Turns live text and meter readings into `LiveReading`s; see the module docstring.

    Not thread-safe: feed it from one thread (the turn's own loop does).
    """

    def __init__(
        self,
        thresholds: Thresholds,
        *,
        phone: bool = False,
        window_s: float = PACE_WINDOW_S,
        min_speech_s: float = MIN_SPEECH_S,
        nudge_gap_s: float = NUDGE_GAP_S,
        nudge_show_s: float = NUDGE_SHOW_S,
    ) -> None:
        self.t = thresholds
        self.band = (
            (thresholds.phone_wpm_low, thresholds.phone_wpm_high)
            if phone
            else (thresholds.wpm_target_low, thresholds.wpm_target_high)
        )
        """The target band the gauge shows the pace against."""
        self.flags = (thresholds.wpm_low, thresholds.wpm_high)
        """Beyond these the pace is far outside the band: worth a nudge."""
        self.window_s = window_s
        self.min_speech_s = min_speech_s
        self.nudge_gap_s = nudge_gap_s
        self.nudge_show_s = nudge_show_s
        self._final = ""
        self._final_words = 0
        self._final_fillers: list[str] = []
        self._partial = ""
        self._partial_words = 0
        self._partial_fillers: list[str] = []
        self._fillers_seen = 0
        self._filler_times: deque[float] = deque()
        """When each filler counted so far arrived (the newest few, for the burst rule)."""
        self._samples: deque[tuple[float, int, float]] = deque()
        """(recording time, words so far, speaking seconds so far) over the last window,
        oldest first (older ones are dropped, so memory stays flat)."""
        self._speech_s = 0.0
        self._last_tick: float | None = None
        self._nudge: str | None = None
        self._nudge_until = 0.0
        self._last_nudge_at: float | None = None
        self._last: LiveReading | None = None

    # --- feeding --------------------------------------------------------------------

    def heard(self, final: str, partial: str, at_s: float) -> None:
        """The recogniser's text changed: `final` (closed utterances) and `partial` (open)."""
        if final != self._final:
            tokens = _tokens(final, at_s)
            self._final_words = len(tokens)
            self._final_fillers = [f.text for f in find_fillers(tokens, self.t)]
            self._final = final
        if partial != self._partial:
            tokens = _tokens(partial, at_s)
            self._partial_words = len(tokens)
            self._partial_fillers = [f.text for f in find_fillers(tokens, self.t)]
            self._partial = partial
        # New fillers are timed now; a revised partial that took some back drops the newest.
        count = self.fillers
        change = count - self._fillers_seen
        if change > 0:
            self._filler_times.extend([at_s] * change)
        for _ in range(min(-change, len(self._filler_times))):
            self._filler_times.pop()
        self._fillers_seen = count
        while len(self._filler_times) > FILLER_TIMES_KEPT:
            self._filler_times.popleft()

    @property
    def words(self) -> int:
        """Words heard so far (closed and open utterances)."""
        return self._final_words + self._partial_words

    @property
    def fillers(self) -> int:
        return len(self._final_fillers) + len(self._partial_fillers)

    def tick(self, at_s: float, speaking: bool) -> LiveReading | None:
        """A meter reading at recording time `at_s`; a new reading when the display changes."""
        if self._last_tick is not None and at_s > self._last_tick and speaking:
            self._speech_s += at_s - self._last_tick
        self._last_tick = at_s
        self._samples.append((at_s, self.words, self._speech_s))
        while self._samples[0][0] < at_s - self.window_s:
            self._samples.popleft()
        wpm = self._pace(at_s)
        pace: PaceState | None = None
        if wpm is not None:
            low, high = self.band
            pace = "slow" if wpm < low else "fast" if wpm > high else "good"
        nudge = self._update_nudge(at_s, wpm)
        # Shown to the nearest 5 wpm: a gauge that flickers by one at every tick is noise.
        shown = None if wpm is None else float(PACE_STEP * round(wpm / PACE_STEP))
        reading = LiveReading(wpm=shown, pace=pace, fillers=self.fillers, nudge=nudge)
        if reading == self._last:
            return None
        self._last = reading
        return reading

    # --- judging ----------------------------------------------------------------------

    def _pace(self, at_s: float) -> float | None:
        """Words a minute over the speaking time of the last `window_s`."""
        if not self._samples:
            return None
        base = self._samples[0]  # the oldest reading still inside the window
        words = self.words - base[1]
        speech = self._speech_s - base[2]
        if speech < self.min_speech_s or words <= 0:
            return None
        return words * 60.0 / speech

    def _burst(self, at_s: float) -> int:
        """Fillers that arrived within the burst window before `at_s`."""
        window = self.t.filler_burst_window_s
        return sum(1 for when in self._filler_times if when >= at_s - window)

    def _update_nudge(self, at_s: float, wpm: float | None) -> str | None:
        if self._nudge is not None and at_s >= self._nudge_until:
            self._nudge = None
        if self._nudge is not None:
            return self._nudge
        if self._last_nudge_at is not None and at_s - self._last_nudge_at < self.nudge_gap_s:
            return None
        text: str | None = None
        if self._burst(at_s) >= max(2, self.t.filler_burst_min):
            text = "Fillers are bunching up: a short silent pause works better than “um”."
        elif wpm is not None and wpm > self.flags[1]:
            text = f"You are speeding up ({wpm:.0f} wpm): take a breath and slow down a little."
        elif wpm is not None and wpm < self.flags[0]:
            text = f"The pace is slow ({wpm:.0f} wpm): keep your sentences moving."
        if text is not None:
            self._nudge = text
            self._nudge_until = at_s + self.nudge_show_s
            self._last_nudge_at = at_s
        return text
