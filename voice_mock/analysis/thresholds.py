"""Every number the analysis judges by, with its default from DESIGN.md.

Users change them in the config file (`[thresholds]`); the analysis takes a
`Thresholds` value as an argument and never reads settings itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Limits used to count and judge; all times in seconds."""

    pause_s: float = 0.5
    """A gap between consecutive words at least this long is a pause."""
    long_pause_s: float = 2.0
    """A pause at least this long is a long pause (coaching tools warn at 2-2.5 s)."""
    wpm_low: float = 110.0
    """Below this pace the answer is flagged as slow."""
    wpm_high: float = 170.0
    """Above this pace the answer is flagged as rushed."""
    wpm_target_low: float = 120.0
    """Lower end of the conversational band (NCVS / coaching tools)."""
    wpm_target_high: float = 160.0
    """Upper end of the conversational band."""
    fillers_fluent_per_min: float = 2.0
    """At or below this many fillers a minute the answer reads as fluent."""
    fillers_hesitant_per_min: float = 5.0
    """At or above this many fillers a minute the answer reads as hesitant."""
    filler_burst_window_s: float = 5.0
    """Fillers this close together form a burst..."""
    filler_burst_min: int = 3
    """...when at least this many fall in the window."""
    pace_window_s: float = 15.0
    """Window length for pace over the answer (shows a rush or a stall)."""
    low_conf_drop: float = 0.5
    """Isolated "the"/"huh" below this confidence, surrounded by silence, are dropped."""
    isolated_gap_s: float = 1.0
    """Silence on both sides that makes a word "isolated" for that rule."""
    hesitation_min_s: float = 0.3
    """Voiced stretch with no recognised word at least this long is a hesitation."""
    phone_dead_air_s: float = 3.0
    """On the phone, silence at least this long is dead air."""
    phone_wpm_low: float = 110.0
    """Phone target pace, lower end."""
    phone_wpm_high: float = 150.0
    """Phone target pace, upper end."""
    latency_slow_s: float = 3.0
    """Silence before the first word beyond this reads as a slow start."""
    latency_very_slow_s: float = 6.0
    """...and beyond this as a very slow start."""
    coverage_good_ratio: float = 0.75
    """Share of key points covered that counts as a good answer."""
    coverage_partial_ratio: float = 0.5
    """Below this share, most key points were missed."""
    quiet_dbfs: float = -35.0
    """Median speech loudness below this (dBFS) is too quiet."""
    trailing_off_db: float = 6.0
    """The last 0.5 s of a speech stretch this much below its median trails off."""
    clipped_ratio_max: float = 0.001
    """More clipped samples than this share means the input is too loud."""
    monotone_semitones: float = 2.0
    """Pitch spread below this many semitones sounds monotone."""
    phone_volume_uneven_db: float = 4.0
    """On the phone, speech stretches whose loudness spreads more than this sound uneven."""
    general_target_s: tuple[float, float] = (45.0, 120.0)
    """Default answer length for general, scenario and company questions."""
    star_target_s: tuple[float, float] = (90.0, 150.0)
    """Default answer length for behavioural (STAR) questions."""
