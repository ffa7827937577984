"""How the answer sounded: hesitations, loudness, trailing off, clipping, pitch, phone advice.

These need `AudioFeatures` (per-frame loudness, voicing, pitch); the words
alone cannot tell a mumbled "mmm" from silence. Every measure carries a plain
explanation because "-38 dBFS" means nothing to someone practising answers.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from voice_mock.analysis.features import AudioFeatures
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.timing import Pause, Span, find_gaps
from voice_mock.analysis.tokens import TIME_EPSILON_S, Token, r2
from voice_mock.analysis.verdicts import Verdict, good, nothing, watch, work_on

# How the measures are taken. The limits they are judged by (too quiet, trailing
# off, clipping, monotone, uneven on the phone) are user settings in `Thresholds`.
A_LITTLE_QUIET_DB = 5.0
"""Up to this many dB above ``thresholds.quiet_dbfs``, speech is audible but soft."""
TAIL_S = 0.5
"""The end of a speech stretch examined for trailing off."""
TRAIL_MIN_STRETCH_S = 1.5
"""Stretches shorter than this are too short to compare their end with their middle."""
TRAIL_SHARE = 0.3
"""Trailing off in more than this share of stretches is a habit worth fixing."""
MIN_PITCH_FRAMES = 10
"""Fewer pitched frames than this give no trustworthy spread."""
VAD_BRIDGE_S = 0.1
"""Voiced runs this close are one run: voice activity flickers inside a sound."""


def loudness_verdict(median_dbfs: float | None, thresholds: Thresholds) -> Verdict:
    """Too quiet below ``quiet_dbfs``, soft just above it; None means no speech was heard."""
    if median_dbfs is None:
        return nothing("no speech detected")
    if median_dbfs < thresholds.quiet_dbfs:
        return work_on("too quiet")
    if median_dbfs < thresholds.quiet_dbfs + A_LITTLE_QUIET_DB:
        return watch("a little quiet")
    return good()


def trailing_verdict(share: float | None) -> Verdict:
    """Trailing off now and then is natural; in more than TRAIL_SHARE of stretches it is a habit.

    The drop that counts as trailing off (``thresholds.trailing_off_db``) is
    applied when the stretches are measured, so the share is already judged.
    """
    if share is None:
        return nothing("not enough speech to tell")
    return watch("trails off often") if share > TRAIL_SHARE else good()


def is_clipping(clipped_ratio: float, peak: float, thresholds: Thresholds) -> bool:
    """Whether the input distorted: more samples at the ceiling than ``clipped_ratio_max``.

    One full-scale sample is an ordinary plosive ("p", "b") close to the
    microphone, not distortion, so the peak alone never counts.
    """
    return clipped_ratio > thresholds.clipped_ratio_max


def clipping_verdict(clipped_ratio: float, peak: float, thresholds: Thresholds) -> Verdict:
    return work_on("clipping") if is_clipping(clipped_ratio, peak, thresholds) else good()


def pitch_verdict(semitones: float | None, thresholds: Thresholds) -> Verdict:
    """A pitch spread under ``monotone_semitones`` sounds flat; None means too little voice."""
    if semitones is None:
        return nothing("not enough voiced speech to tell")
    return watch("monotone") if semitones < thresholds.monotone_semitones else good()


def phone_pace_verdict(wpm: float, thresholds: Thresholds, *, spoke: bool = True) -> Verdict:
    """Pace against the narrower phone band (a phone line blurs fast speech)."""
    if not spoke:
        return nothing("no speech")
    if wpm < thresholds.phone_wpm_low:
        return watch("slow for the phone")
    if wpm > thresholds.phone_wpm_high:
        return watch("fast for the phone")
    return good()


def phone_volume_verdict(spread_db: float | None, thresholds: Thresholds) -> Verdict:
    """Sentence loudness spreading more than ``phone_volume_uneven_db`` sounds uneven."""
    if spread_db is None:
        return nothing("unknown (no audio)")
    return watch("uneven") if spread_db > thresholds.phone_volume_uneven_db else good()


def voiced_runs(audio: AudioFeatures, bridge_s: float) -> list[Span]:
    """Voiced frames grouped into runs; runs separated by less than ``bridge_s`` merge."""
    runs: list[Span] = []
    step = audio.frame_s
    k = 0
    n = len(audio.voiced)
    while k < n:
        if not audio.voiced[k]:
            k += 1
            continue
        first = k
        while k < n and audio.voiced[k]:
            k += 1
        span = Span(first * step, k * step)
        if runs and span.start - runs[-1].end < bridge_s - TIME_EPSILON_S:
            runs[-1] = Span(runs[-1].start, span.end)
        else:
            runs.append(span)
    return runs


def find_hesitations(
    tokens: Sequence[Token], audio: AudioFeatures, thresholds: Thresholds
) -> tuple[Span, ...]:
    """Voiced stretches of at least ``hesitation_min_s`` that no recognised word overlaps.

    That is sound the recogniser did not turn into words: a drawn-out "mmm",
    a false start, a sigh. Silence is a pause, never a hesitation.
    """
    found: list[Span] = []
    limit = thresholds.hesitation_min_s - TIME_EPSILON_S
    k = 0
    for run in voiced_runs(audio, VAD_BRIDGE_S):
        while k < len(tokens) and tokens[k].end <= run.start:
            k += 1
        cursor = run.start
        m = k
        while m < len(tokens) and tokens[m].start < run.end:
            if tokens[m].start > cursor and tokens[m].start - cursor >= limit:
                found.append(Span(cursor, tokens[m].start))
            cursor = max(cursor, tokens[m].end)
            m += 1
        if run.end - cursor >= limit:
            found.append(Span(cursor, run.end))
    return tuple(found)


def _frames(audio: AudioFeatures, span: Span) -> range:
    step = audio.frame_s
    first = max(0, math.floor(span.start / step + TIME_EPSILON_S))
    last = min(len(audio.rms_dbfs), math.ceil(span.end / step - TIME_EPSILON_S))
    return range(first, last)


@dataclass(frozen=True, slots=True)
class Delivery:
    """Audio-based measures; None where the recording gave nothing to measure."""

    hesitations: tuple[Span, ...]
    loudness_dbfs: float | None
    stretch_count: int
    trailing_count: int
    clipped_ratio: float
    peak: float
    pitch_spread_st: float | None
    stretch_loudness: tuple[float, ...]
    thresholds: Thresholds
    """The limits the verdicts use (the same the measures were taken with)."""

    @property
    def loudness_verdict(self) -> Verdict:
        return loudness_verdict(self.loudness_dbfs, self.thresholds)

    @property
    def trailing_share(self) -> float | None:
        return self.trailing_count / self.stretch_count if self.stretch_count else None

    @property
    def trailing_verdict(self) -> Verdict:
        return trailing_verdict(self.trailing_share)

    @property
    def clipping(self) -> bool:
        return is_clipping(self.clipped_ratio, self.peak, self.thresholds)

    @property
    def clipping_verdict(self) -> Verdict:
        return clipping_verdict(self.clipped_ratio, self.peak, self.thresholds)

    @property
    def pitch_verdict(self) -> Verdict:
        return pitch_verdict(self.pitch_spread_st, self.thresholds)

    def to_dict(self) -> dict[str, object]:
        share = self.trailing_share
        t = self.thresholds
        return {
            "loudness": {
                "median_dbfs": None if self.loudness_dbfs is None else r2(self.loudness_dbfs),
                "verdict": str(self.loudness_verdict),
                "explain": (
                    "Typical loudness of your voice in dB below the loudest possible signal "
                    f"(0 dBFS). Below {t.quiet_dbfs:g} dBFS is hard to hear: move closer to "
                    "the microphone or speak up."
                ),
            },
            "trailing_off": {
                "stretches": self.stretch_count,
                "trailing": self.trailing_count,
                "share": None if share is None else r2(share),
                "verdict": str(self.trailing_verdict),
                "explain": (
                    f"How often the last {TAIL_S:g} s of a stretch of speech is at least "
                    f"{t.trailing_off_db:g} dB quieter than the rest: sentence ends that fade "
                    "away are the words listeners miss."
                ),
            },
            "clipping": {
                "clipped_ratio": round(self.clipped_ratio, 5),
                "peak": round(self.peak, 3),
                "clipped": self.clipping,
                "verdict": str(self.clipping_verdict),
                "explain": (
                    "Whether the signal hit the ceiling and distorted. If it did, lower the "
                    "input gain or sit a little further from the microphone."
                ),
            },
            "pitch_variation": {
                "semitones": None if self.pitch_spread_st is None else r2(self.pitch_spread_st),
                "verdict": str(self.pitch_verdict),
                "explain": (
                    "How much your pitch moves (standard deviation in semitones). Under "
                    f"{t.monotone_semitones:g} sounds flat; natural, engaged speech usually "
                    "moves more."
                ),
            },
        }


def analyse_delivery(
    tokens: Sequence[Token], audio: AudioFeatures, thresholds: Thresholds
) -> Delivery:
    """All audio measures in one pass over the frames (plus one per speech stretch)."""
    voiced_db = [db for db, v in zip(audio.rms_dbfs, audio.voiced, strict=False) if v]
    loudness = statistics.median(voiced_db) if voiced_db else None

    stretches = voiced_runs(audio, thresholds.pause_s)
    stretch_loudness: list[float] = []
    eligible = trailing = 0
    for stretch in stretches:
        frames = _frames(audio, stretch)
        if not frames:
            continue
        voiced = [audio.rms_dbfs[k] for k in frames if audio.voiced[k]]
        if not voiced:
            continue
        level = statistics.median(voiced)
        stretch_loudness.append(level)
        if stretch.duration < TRAIL_MIN_STRETCH_S - TIME_EPSILON_S:
            continue
        tail = _frames(audio, Span(stretch.end - TAIL_S, stretch.end))
        if not tail:
            continue
        eligible += 1
        if statistics.median(audio.rms_dbfs[k] for k in tail) <= level - thresholds.trailing_off_db:
            trailing += 1

    pitches = [p for p, v in zip(audio.pitch_hz, audio.voiced, strict=False) if v and p and p > 0]
    spread: float | None = None
    if len(pitches) >= MIN_PITCH_FRAMES:
        centre = statistics.median(pitches)
        spread = statistics.pstdev(12.0 * math.log2(p / centre) for p in pitches)

    return Delivery(
        hesitations=find_hesitations(tokens, audio, thresholds),
        loudness_dbfs=loudness,
        stretch_count=eligible,
        trailing_count=trailing,
        clipped_ratio=audio.clipped_ratio,
        peak=audio.peak,
        pitch_spread_st=spread,
        stretch_loudness=tuple(stretch_loudness),
        thresholds=thresholds,
    )


@dataclass(frozen=True, slots=True)
class PhoneAdvice:
    """What matters on a phone line: no faces, so silence and pace carry everything."""

    dead_air: tuple[Pause, ...]
    wpm: float
    band: tuple[float, float]
    volume_spread_db: float | None
    spoke: bool
    thresholds: Thresholds
    """The phone band and volume limit the verdicts use."""

    @property
    def pace_verdict(self) -> Verdict:
        return phone_pace_verdict(self.wpm, self.thresholds, spoke=self.spoke)

    @property
    def volume_verdict(self) -> Verdict:
        return phone_volume_verdict(self.volume_spread_db, self.thresholds)

    @property
    def advice(self) -> list[str]:
        tips: list[str] = []
        if self.dead_air:
            tips.append(
                f"{len(self.dead_air)} stretch(es) of dead air: on the phone silence sounds "
                'like a dropped call; say "let me think about that for a second" instead.'
            )
        if self.spoke and self.wpm > self.band[1]:
            tips.append("Slow down: phone lines cut the high frequencies, so fast speech blurs.")
        elif self.spoke and self.wpm < self.band[0]:
            tips.append("Pick up the pace a little: without a face to watch, slow speech drags.")
        if not self.volume_verdict.ok:
            tips.append(
                "Keep the same distance from the microphone: your volume jumps between sentences."
            )
        if not tips and self.spoke:
            tips.append("Good phone delivery: steady, no dead air, comfortable pace.")
        return tips

    def to_dict(self) -> dict[str, object]:
        return {
            "dead_air": {
                "count": len(self.dead_air),
                "occurrences": [p.to_dict() for p in self.dead_air],
            },
            "pace": {
                "wpm": r2(self.wpm),
                "band": [r2(self.band[0]), r2(self.band[1])],
                "verdict": str(self.pace_verdict),
            },
            "volume": {
                "spread_db": None if self.volume_spread_db is None else r2(self.volume_spread_db),
                "verdict": str(self.volume_verdict),
                "explain": (
                    "How much the loudness of your sentences differs (standard deviation, dB)."
                ),
            },
            "advice": self.advice,
        }


def phone_advice(
    tokens: Sequence[Token],
    wpm: float,
    thresholds: Thresholds,
    delivery: Delivery | None,
) -> PhoneAdvice:
    """Dead air (including a slow start), pace against the phone band, volume steadiness."""
    dead = list(find_gaps(tokens, thresholds.phone_dead_air_s))
    if tokens and tokens[0].start >= thresholds.phone_dead_air_s - TIME_EPSILON_S:
        dead.insert(0, Pause(0.0, tokens[0].start))
    spread: float | None = None
    if delivery is not None:
        levels = delivery.stretch_loudness
        spread = statistics.pstdev(levels) if len(levels) >= 2 else 0.0
    return PhoneAdvice(
        dead_air=tuple(dead),
        wpm=wpm,
        band=(thresholds.phone_wpm_low, thresholds.phone_wpm_high),
        volume_spread_db=spread,
        spoke=bool(tokens),
        thresholds=thresholds,
    )
