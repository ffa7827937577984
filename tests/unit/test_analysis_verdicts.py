"""Every verdict function: boundaries with the default thresholds, and moved thresholds."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.support.analysis import report
from voice_mock.analysis.coverage import coverage_verdict
from voice_mock.analysis.delivery import (
    clipping_verdict,
    loudness_verdict,
    phone_pace_verdict,
    phone_volume_verdict,
    pitch_verdict,
    trailing_verdict,
)
from voice_mock.analysis.fillers import fillers_verdict
from voice_mock.analysis.report import coverage_level, headline_verdicts, star_level
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.timing import (
    latency_verdict,
    length_verdict,
    pace_verdict,
    pauses_verdict,
)
from voice_mock.analysis.verdicts import Level, Verdict

T = Thresholds()


def moved(**changes: float) -> Thresholds:
    # callers move float thresholds only; as dict[str, float] mypy would hold **changes
    # against every field, the int and tuple ones too
    fields: dict[str, Any] = changes
    return dataclasses.replace(T, **fields)


@pytest.mark.parametrize(
    ("latency", "verdict"),
    [
        (0.0, "good"),
        (3.0, "good"),
        (3.01, "slow start"),
        (6.0, "slow start"),
        (6.01, "very slow start"),
    ],
)
def test_latency_verdict_boundaries(latency: float, verdict: str) -> None:
    assert str(latency_verdict(latency, T)) == verdict


def test_latency_verdict_follows_the_thresholds() -> None:
    patient = moved(latency_slow_s=5.0, latency_very_slow_s=10.0)
    assert str(latency_verdict(4.0, T)) == "slow start"
    assert str(latency_verdict(4.0, patient)) == "good"
    assert str(latency_verdict(8.0, patient)) == "slow start"
    assert str(latency_verdict(1.0, T, spoke=False)) == "no speech"


@pytest.mark.parametrize(
    ("ratio", "verdict"),
    [
        (1.0, "good"),
        (0.75, "good"),
        (0.74, "some key points missed"),
        (0.5, "some key points missed"),
        (0.49, "most key points missed"),
        (0.0, "no key points covered"),
    ],
)
def test_coverage_verdict_boundaries(ratio: float, verdict: str) -> None:
    assert coverage_verdict(ratio, T) == verdict


def test_coverage_verdict_follows_the_thresholds_and_says_why_there_is_no_ratio() -> None:
    strict = moved(coverage_good_ratio=1.0, coverage_partial_ratio=0.8)
    assert str(coverage_verdict(0.75, strict)) == "most key points missed"
    assert str(coverage_verdict(0.8, strict)) == "some key points missed"
    assert str(coverage_verdict(None, T)) == "no key points to check"
    assert str(coverage_verdict(None, T, has_question=False)) == "no question"


def test_fillers_verdict_boundaries_and_thresholds() -> None:
    assert str(fillers_verdict(2.0, T)) == "good"
    assert str(fillers_verdict(2.01, T)) == "a few too many"
    assert str(fillers_verdict(5.0, T)) == "too many"
    assert str(fillers_verdict(4.0, moved(fillers_fluent_per_min=4.0))) == "good"
    assert str(fillers_verdict(0.0, T, spoke=False)) == "no speech"


def test_pace_length_and_pauses_verdicts() -> None:
    assert str(pace_verdict(120.0, T)) == "good"
    assert str(pace_verdict(119.9, T)) == "a little slow"
    assert str(pace_verdict(119.9, moved(wpm_target_low=100.0))) == "good"
    assert str(length_verdict(45.0, (45.0, 120.0))) == "good"
    assert str(length_verdict(44.9, (45.0, 120.0))) == "too short"
    assert str(length_verdict(0.0, (45.0, 120.0))) == "no speech"
    assert str(pauses_verdict(0)) == "good"
    assert str(pauses_verdict(1)) == "one long pause"
    assert str(pauses_verdict(2)) == "several long pauses"
    assert str(pauses_verdict(0, spoke=False)) == "no speech"


def test_loudness_verdict_moves_with_quiet_dbfs() -> None:
    assert str(loudness_verdict(-35.01, T)) == "too quiet"
    assert str(loudness_verdict(-35.0, T)) == "a little quiet"
    assert str(loudness_verdict(-30.0, T)) == "good"
    assert str(loudness_verdict(-38.0, moved(quiet_dbfs=-40.0))) == "a little quiet"
    assert str(loudness_verdict(None, T)) == "no speech detected"


def test_clipping_pitch_trailing_and_phone_verdicts() -> None:
    assert str(clipping_verdict(0.001, 0.5, T)) == "good"
    assert str(clipping_verdict(0.0011, 0.5, T)) == "clipping"
    assert str(clipping_verdict(0.0011, 0.5, moved(clipped_ratio_max=0.01))) == "good"
    # One full-scale sample is a plosive, not distortion (the UX audit's false "clipping").
    assert str(clipping_verdict(0.0, 1.0, T)) == "good"
    assert str(pitch_verdict(1.99, T)) == "monotone"
    assert str(pitch_verdict(2.0, T)) == "good"
    assert str(pitch_verdict(2.5, moved(monotone_semitones=3.0))) == "monotone"
    assert str(pitch_verdict(None, T)) == "not enough voiced speech to tell"
    assert str(trailing_verdict(0.3)) == "good"
    assert str(trailing_verdict(0.31)) == "trails off often"
    assert str(trailing_verdict(None)) == "not enough speech to tell"
    assert str(phone_volume_verdict(4.0, T)) == "good"
    assert str(phone_volume_verdict(4.01, T)) == "uneven"
    assert str(phone_volume_verdict(4.01, moved(phone_volume_uneven_db=6.0))) == "good"
    assert str(phone_volume_verdict(None, T)) == "unknown (no audio)"
    assert str(phone_pace_verdict(109.0, T)) == "slow for the phone"
    assert str(phone_pace_verdict(151.0, T)) == "fast for the phone"
    assert str(phone_pace_verdict(130.0, T, spoke=False)) == "no speech"


def words(verdicts: dict[str, Verdict]) -> dict[str, str]:
    return {key: verdict.text for key, verdict in verdicts.items()}


def test_headline_verdicts_judge_only_the_known_numbers() -> None:
    assert words(headline_verdicts(T, spoke=True, wpm=130.0)) == {"pace": "good"}
    got = headline_verdicts(T, spoke=True, latency_s=4.0, coverage_ratio=0.75, long_pauses=1)
    assert words(got) == {"latency": "slow start", "coverage": "good", "pauses": "one long pause"}
    assert words(headline_verdicts(T, spoke=False, has_question=False)) == {
        "coverage": "no question"
    }


@pytest.mark.parametrize(
    ("verdict", "level"),
    [
        (pace_verdict(100.0, T), Level.WORK_ON),
        (pace_verdict(115.0, T), Level.WATCH),
        (pace_verdict(140.0, T), Level.GOOD),
        (pace_verdict(165.0, T), Level.WATCH),
        (pace_verdict(175.0, T), Level.WORK_ON),
        (pace_verdict(0.0, T, spoke=False), Level.NONE),
        (fillers_verdict(2.0, T), Level.GOOD),
        (fillers_verdict(3.0, T), Level.WATCH),
        (fillers_verdict(5.0, T), Level.WORK_ON),
        (pauses_verdict(1), Level.WATCH),
        (pauses_verdict(2), Level.WORK_ON),
        (length_verdict(40.0, (45.0, 120.0)), Level.WATCH),
        (length_verdict(30.0, (45.0, 120.0)), Level.WORK_ON),
        (length_verdict(140.0, (45.0, 120.0)), Level.WATCH),
        (length_verdict(150.0, (45.0, 120.0)), Level.WORK_ON),
        (latency_verdict(4.0, T), Level.WATCH),
        (latency_verdict(7.0, T), Level.WORK_ON),
        (loudness_verdict(-36.0, T), Level.WORK_ON),
        (loudness_verdict(-32.0, T), Level.WATCH),
        (pitch_verdict(1.0, T), Level.WATCH),
        (clipping_verdict(0.01, 1.0, T), Level.WORK_ON),
        (phone_pace_verdict(160.0, T), Level.WATCH),
    ],
)
def test_every_verdict_has_a_level_judged_by_its_number(verdict: Verdict, level: Level) -> None:
    assert verdict.level == level


def test_coverage_and_star_levels_follow_the_numbers() -> None:
    assert coverage_level(0.8, T) == Level.GOOD
    assert coverage_level(0.6, T) == Level.WATCH
    assert coverage_level(0.2, T) == Level.WORK_ON
    assert coverage_level(None, T) == Level.NONE
    assert star_level(0, True) == Level.GOOD
    assert star_level(0, False) == Level.WATCH
    assert star_level(1, True) == Level.WATCH
    assert star_level(2, True) == Level.WORK_ON


def test_report_carries_the_latency_verdict_with_its_thresholds() -> None:
    late = report("_4 i helped the customer")
    assert late.verdicts()["latency"].text == "slow start"
    assert late.to_dict()["verdict_levels"]["latency"] == "watch"
    assert late.to_dict()["verdicts"]["latency"] == "slow start"
    patient = report("_4 i helped the customer", thresholds=moved(latency_slow_s=5.0))
    assert patient.verdicts()["latency"].text == "good"
