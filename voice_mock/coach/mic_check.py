"""The microphone check: record a few seconds of "say something", measure it, and judge it.

A wrong input, a muted microphone or one turned up until it distorts spoils
every answer recorded after it, and the report only says so afterwards. The
check records through the same `Services.mic_source` as an answer, measures
with the same code as the report (`audio.features.compute_features`: voiced
frames, their median level, the share of clipped samples) and judges with the
same rules and the user's own thresholds (``quiet_dbfs``,
``clipped_ratio_max``: `analysis.delivery`), so "fine" here means the report
will not call the answer too quiet or clipped.

`MicCheck.run()` blocks (fronts call it from a worker) and reports the live
level to `on_level` about ten times a second from the calling thread; it ends
after `seconds`, 1.5 s after the user stops speaking, or at `stop()`. The
result keeps the recording so it can be played back.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from voice_mock.errors import UserError

if TYPE_CHECKING:
    import numpy as np

    from voice_mock.analysis.features import AudioFeatures
    from voice_mock.analysis.thresholds import Thresholds
    from voice_mock.audio.sources import MicSource

DEFAULT_SECONDS = 5.0
"""The longest a check records: long enough for a sentence."""
END_AFTER_SILENCE_S = 1.5
"""Once speech was heard, this much silence ends the check early (the user has said it)."""
MIN_SECONDS = 1.0
"""A check never ends earlier than this on its own."""
FIRST_AUDIO_TIMEOUT_S = 3.0
"""A microphone that delivers nothing for this long after opening is broken or taken."""
END_OF_SOURCE_S = 1.0
"""A source that delivered and then goes quiet this long has ended (a file, a lost device)."""
LEVEL_EVERY_S = 0.1
"""How often `on_level` hears about the level."""
MIN_SPEECH_S = 0.3
"""Less voiced sound than this is no speech to judge (a cough, a click)."""
SILENT_PEAK_DBFS = -60.0
"""A peak below this is a dead or muted input, not a quiet voice."""


class MicVerdict(StrEnum):
    """What the check found (the worst problem first)."""

    FINE = "fine"
    TOO_QUIET = "too quiet"
    CLIPPING = "clipping"
    SILENT = "nothing heard"


@dataclass(frozen=True, slots=True)
class MicReading:
    """The live level while the check records."""

    dbfs: float
    """Loudness of the latest block."""
    speaking: bool
    """Whether speech is heard now."""
    elapsed_s: float
    """Seconds recorded so far."""
    seconds: float
    """The longest the check will record."""


@dataclass(frozen=True, slots=True)
class MicCheckResult:
    """The verdict, the numbers behind it, and the recording (for a play-back)."""

    verdict: MicVerdict
    advice: str
    """One or two sentences for the user: what was measured and what to do."""
    speech_dbfs: float | None
    """Median level of the voiced frames (what the report calls loudness); None: no speech."""
    peak_dbfs: float
    """The loudest sample, in dBFS."""
    clipped_ratio: float
    """Share of samples at the ceiling."""
    speech_s: float
    """Seconds of voiced sound heard."""
    duration_s: float
    device: str | None
    """The input it recorded from, when known."""
    samples: np.ndarray = field(repr=False)
    """The recording, int16 mono."""
    rate: int

    @property
    def ok(self) -> bool:
        return self.verdict is MicVerdict.FINE

    @property
    def summary(self) -> str:
        """The verdict and the advice in one line: "Fine: ..."."""
        return f"{self.verdict.value.capitalize()}: {self.advice}"


def judge(
    features: AudioFeatures, thresholds: Thresholds, device: str | None = None
) -> tuple[MicVerdict, str, float | None, float]:
    """(verdict, advice, speech level, seconds of speech) of a recording's measures.

    The same rules as the report's loudness and clipping verdicts, with the
    same thresholds; clipping is the worst (distortion cannot be undone),
    then no speech at all, then too quiet.
    """
    import statistics

    from voice_mock.analysis.delivery import is_clipping, loudness_verdict
    from voice_mock.analysis.verdicts import Level

    voiced = [db for db, v in zip(features.rms_dbfs, features.voiced, strict=False) if v]
    speech_s = len(voiced) * features.frame_s
    level = float(statistics.median(voiced)) if voiced and speech_s >= MIN_SPEECH_S else None
    peak = _db(features.peak)
    where = f" from {device}" if device else ""
    if is_clipping(features.clipped_ratio, features.peak, thresholds):
        share = features.clipped_ratio * 100
        return (
            MicVerdict.CLIPPING,
            f"{share:.1f}% of the sound hit the ceiling (more than "
            f"{thresholds.clipped_ratio_max * 100:g}% distorts): turn the input volume down or "
            "move back from the microphone.",
            level,
            speech_s,
        )
    if level is None:
        if peak < SILENT_PEAK_DBFS:
            advice = (
                f"no sound came{where} (the loudest moment was {peak:.0f} dBFS): check that it "
                "is the right input, plugged in and not muted, then try again."
            )
        else:
            advice = (
                f"sound came{where} but no speech (the loudest moment was {peak:.0f} dBFS): "
                "say a full sentence close to the microphone, or choose another input."
            )
        return MicVerdict.SILENT, advice, None, speech_s
    verdict = loudness_verdict(level, thresholds)
    if verdict.level is Level.WORK_ON:
        return (
            MicVerdict.TOO_QUIET,
            f"your voice came in at {level:.0f} dBFS, below {thresholds.quiet_dbfs:g} dBFS: "
            "move closer to the microphone, speak up, or turn the input volume up.",
            level,
            speech_s,
        )
    if verdict.level is Level.WATCH:
        advice = (
            f"your voice came in at {level:.0f} dBFS, a little quiet (too quiet below "
            f"{thresholds.quiet_dbfs:g} dBFS): a touch closer or louder would help."
        )
    else:
        advice = (
            f"your voice came in at {level:.0f} dBFS (too quiet below "
            f"{thresholds.quiet_dbfs:g} dBFS) with no clipping."
        )
    return MicVerdict.FINE, advice, level, speech_s


def _db(amplitude: float) -> float:
    return 20.0 * math.log10(max(float(amplitude), 1e-5))


class MicCheck:
    """One microphone check: `run()` records and judges (blocking), `stop()` ends it early."""

    def __init__(
        self,
        source: MicSource,
        thresholds: Thresholds,
        *,
        seconds: float = DEFAULT_SECONDS,
        on_level: Callable[[MicReading], None] | None = None,
        end_after_silence_s: float | None = END_AFTER_SILENCE_S,
        device: str | None = None,
    ) -> None:
        if not seconds > 0:
            raise UserError(f"A microphone check needs a length above 0 s, not {seconds:g}.")
        self.source = source
        self.thresholds = thresholds
        self.seconds = float(seconds)
        self.on_level = on_level
        self.end_after_silence_s = end_after_silence_s
        self.device = device
        self._stop = threading.Event()

    def stop(self) -> None:
        """End the recording now (from any thread); `run()` judges what it has."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self) -> MicCheckResult:
        """Record, then measure and judge; a `UserError` when the microphone gives nothing."""
        import numpy as np

        from voice_mock.audio.features import compute_features
        from voice_mock.audio.vad import VoiceActivityDetector

        blocks: queue.SimpleQueue[np.ndarray] = queue.SimpleQueue()
        rate = int(self.source.sample_rate)
        vad = VoiceActivityDetector(rate)
        kept: list[np.ndarray] = []
        total = 0
        limit = round(self.seconds * rate)
        last_level = -math.inf
        self.source.start(blocks.put)
        try:
            waited_since = time.monotonic()
            while total < limit and not self._stop.is_set():
                try:
                    block = blocks.get(timeout=0.05)
                except queue.Empty:
                    quiet_for = time.monotonic() - waited_since
                    if not kept and quiet_for > FIRST_AUDIO_TIMEOUT_S:
                        name = f"'{self.device}'" if self.device else "The microphone"
                        raise UserError(
                            f"{name} delivered no sound in {FIRST_AUDIO_TIMEOUT_S:g} s; it may "
                            "be in use by another program or not working."
                        ) from None
                    if kept and quiet_for > END_OF_SOURCE_S:
                        break
                    continue
                waited_since = time.monotonic()
                block = np.asarray(block, dtype=np.int16).reshape(-1)[: limit - total]
                if block.size == 0:
                    continue
                kept.append(block)
                total += block.size
                activity = vad.process(block)
                elapsed = total / rate
                if self.on_level is not None and elapsed - last_level >= LEVEL_EVERY_S:
                    last_level = elapsed
                    self.on_level(
                        MicReading(activity.dbfs, activity.speaking, elapsed, self.seconds)
                    )
                if (
                    self.end_after_silence_s is not None
                    and activity.heard_speech
                    and elapsed >= MIN_SECONDS
                    and activity.silence_s >= self.end_after_silence_s
                ):
                    break
        finally:
            self.source.stop()
        samples = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int16)
        features = compute_features(samples, rate)
        verdict, advice, level, speech_s = judge(features, self.thresholds, self.device)
        return MicCheckResult(
            verdict=verdict,
            advice=advice,
            speech_dbfs=level,
            peak_dbfs=_db(features.peak),
            clipped_ratio=features.clipped_ratio,
            speech_s=speech_s,
            duration_s=samples.size / rate if rate else 0.0,
            device=self.device,
            samples=samples,
            rate=rate,
        )
