"""Advice rules at each level boundary, the focus list, content hints, and old reports advised.

Reports are written as the JSON a saved report holds (a `SavedReport` reads
it), with no verdicts of their own unless a test gives some: the advice is
then judged from the numbers with the thresholds, exactly as for a report
saved before advice existed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.support.analysis import question, transcript
from voice_mock.analysis.advice import (
    MAX_FOCUS,
    STAR_STARTERS,
    Advised,
    advise,
    advised,
    missed_hints,
    point_hint,
    star_hint,
)
from voice_mock.analysis.report import analyze
from voice_mock.analysis.saved import SavedReport
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.verdicts import Level
from voice_mock.bank import KeyPoint

T = Thresholds()
GOOD, WATCH, WORK_ON = Level.GOOD, Level.WATCH, Level.WORK_ON


def report(**changes: Any) -> dict[str, Any]:
    """A fine 60-second answer; `changes` replace top-level keys (dicts are merged)."""
    base: dict[str, Any] = {
        "question_id": "q",
        "duration_s": 61.0,
        "speaking_s": 60.0,
        "word_count": 140,
        "wpm": 140.0,
        "response_latency_s": 1.0,
        "fillers": {"total": 1, "per_minute": 1.0, "counts": {"um": 1}, "occurrences": []},
        "pauses": {"count": 2, "long_count": 0, "longest_s": 1.0, "occurrences": []},
        "coverage": {
            "ratio": 1.0,
            "covered": [{"id": "a", "label": "Point A", "at_s": 2.0, "evidence": "a"}],
            "missed": [],
        },
        "answer_length": {"target_s": [45.0, 120.0]},
        "repetitions": [],
        "hedges": {"total": 0, "counts": {}, "occurrences": []},
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


def judged(data: dict[str, Any], thresholds: Thresholds = T) -> Advised:
    return advise(SavedReport.from_dict(data), thresholds)


def level(data: dict[str, Any], metric: str, thresholds: Thresholds = T) -> Level | None:
    found = [a for a in judged(data, thresholds).advice if a.metric == metric]
    assert len(found) <= 1, found
    return found[0].level if found else None


def text(data: dict[str, Any], metric: str) -> str:
    return next(a.text for a in judged(data).advice if a.metric == metric)


def focus_metrics(data: dict[str, Any]) -> list[str]:
    return [f.metric for f in judged(data).focus]


# --- each rule at its boundaries --------------------------------------------------------


@pytest.mark.parametrize(
    ("wpm", "expected", "word"),
    [
        (120.0, GOOD, "in the conversational"),
        (160.0, GOOD, "in the conversational"),
        (119.9, WATCH, "slower"),
        (109.9, WORK_ON, "slower"),
        (160.1, WATCH, "faster"),
        (170.1, WORK_ON, "faster"),
    ],
)
def test_pace_levels_and_direction_come_from_the_number(
    wpm: float, expected: Level, word: str
) -> None:
    data = report(wpm=wpm)
    assert level(data, "pace") == expected
    assert word in text(data, "pace")


@pytest.mark.parametrize(
    ("per_minute", "expected"), [(2.0, GOOD), (2.1, WATCH), (4.9, WATCH), (5.0, WORK_ON)]
)
def test_filler_levels(per_minute: float, expected: Level) -> None:
    data = report(fillers={"total": 5, "per_minute": per_minute, "counts": {"like": 4, "um": 1}})
    assert level(data, "fillers") == expected
    if expected != GOOD:
        assert 'mostly "like"' in text(data, "fillers")


@pytest.mark.parametrize(
    ("speaking", "expected", "word"),
    [
        (45.0, GOOD, "within"),
        (120.0, GOOD, "within"),
        (36.0, WATCH, "shorter"),
        (35.9, WORK_ON, "shorter"),
        (144.0, WATCH, "runs past"),
        (144.1, WORK_ON, "runs past"),
    ],
)
def test_length_levels_use_the_questions_band(speaking: float, expected: Level, word: str) -> None:
    data = report(speaking_s=speaking)
    assert level(data, "length") == expected
    assert word in text(data, "length")


def test_length_band_given_by_the_question_wins_over_the_saved_one() -> None:
    data = SavedReport.from_dict(report(speaking_s=80.0))
    rules = advise(data, T, (90.0, 150.0)).advice
    length = next(a for a in rules if a.metric == "length")
    assert length.level == WATCH and "90-150 s" in length.text


@pytest.mark.parametrize(("long_count", "expected"), [(0, GOOD), (1, WATCH), (2, WORK_ON)])
def test_pause_levels(long_count: int, expected: Level) -> None:
    data = report(pauses={"long_count": long_count, "longest_s": 3.5 if long_count else 1.0})
    assert level(data, "pauses") == expected


@pytest.mark.parametrize(("latency", "expected"), [(3.0, GOOD), (3.1, WATCH), (6.1, WORK_ON)])
def test_latency_levels(latency: float, expected: Level) -> None:
    assert level(report(response_latency_s=latency), "latency") == expected


@pytest.mark.parametrize(
    ("count", "speaking", "expected"),
    [(1, 60.0, GOOD), (2, 60.0, WATCH), (3, 60.0, WATCH), (5, 60.0, WORK_ON), (3, 30.0, WORK_ON)],
)
def test_hedge_levels_need_a_habit_not_one_phrase(
    count: int, speaking: float, expected: Level
) -> None:
    occurrences = [{"text": "i think", "start": float(i), "end": i + 0.4} for i in range(count)]
    data = report(
        speaking_s=speaking,
        hedges={"total": count, "counts": {"i think": count}, "occurrences": occurrences},
    )
    assert level(data, "hedges") == expected
    if expected != GOOD:
        assert '"i think"' in text(data, "hedges")


@pytest.mark.parametrize(("count", "expected"), [(1, GOOD), (2, WATCH), (4, WORK_ON)])
def test_restart_levels(count: int, expected: Level) -> None:
    repeats = [
        {"text": "i", "count": 2, "start": i * 5.0, "end": i * 5.0 + 0.4} for i in range(count)
    ]
    assert level(report(repetitions=repeats), "repetitions") == expected


def delivery(**measures: float | None) -> dict[str, Any]:
    values = {"dbfs": -20.0, "semitones": 3.0, "share": 0.1, "clipped": 0.0, **measures}
    return {
        "delivery": {
            "loudness": {"median_dbfs": values["dbfs"]},
            "pitch_variation": {"semitones": values["semitones"]},
            "trailing_off": {"share": values["share"]},
            "clipping": {"clipped_ratio": values["clipped"]},
        }
    }


@pytest.mark.parametrize(
    ("dbfs", "expected"), [(-35.1, WORK_ON), (-35.0, WATCH), (-30.1, WATCH), (-30.0, GOOD)]
)
def test_loudness_levels(dbfs: float, expected: Level) -> None:
    assert level(report(**delivery(dbfs=dbfs)), "loudness") == expected


@pytest.mark.parametrize(("semitones", "expected"), [(1.99, WATCH), (2.0, GOOD)])
def test_pitch_levels(semitones: float, expected: Level) -> None:
    assert level(report(**delivery(semitones=semitones)), "pitch_variation") == expected


@pytest.mark.parametrize(("share", "expected"), [(0.3, GOOD), (0.31, WATCH)])
def test_trailing_off_levels(share: float, expected: Level) -> None:
    assert level(report(**delivery(share=share)), "trailing_off") == expected


@pytest.mark.parametrize(("ratio", "expected"), [(0.001, GOOD), (0.0011, WORK_ON)])
def test_clipping_levels(ratio: float, expected: Level) -> None:
    assert level(report(**delivery(clipped=ratio)), "clipping") == expected


@pytest.mark.parametrize(("spans", "expected"), [(1, GOOD), (2, GOOD), (3, WATCH), (5, WORK_ON)])
def test_hesitations_are_judged_like_fillers(spans: int, expected: Level) -> None:
    occurrences = [{"start": i * 4.0, "end": i * 4.0 + 0.5} for i in range(spans)]
    data = report(**delivery(), hesitations={"occurrences": occurrences})
    assert level(data, "hesitations") == expected


def test_no_audio_means_no_delivery_advice() -> None:
    metrics = {a.metric for a in judged(report()).advice}
    assert not metrics & {"loudness", "pitch_variation", "trailing_off", "clipping", "hesitations"}


def covered(*ids: str) -> list[dict[str, Any]]:
    return [{"id": i, "label": f"Point {i}", "at_s": 1.0, "evidence": i} for i in ids]


def missed(*ids: str) -> list[dict[str, Any]]:
    return [{"id": i, "label": f"Point {i}"} for i in ids]


@pytest.mark.parametrize(
    ("made", "lost", "expected"),
    [(3, 1, GOOD), (2, 2, WATCH), (1, 3, WORK_ON), (0, 4, WORK_ON)],
)
def test_coverage_levels_name_the_missed_points(made: int, lost: int, expected: Level) -> None:
    ids = "abcd"
    data = report(
        coverage={
            "ratio": made / 4,
            "covered": covered(*ids[:made]),
            "missed": missed(*ids[made:]),
        }
    )
    assert level(data, "coverage") == expected
    if lost:
        assert f"Point {ids[made]}" in text(data, "coverage")


def test_a_list_of_words_or_no_story_is_the_first_thing_to_fix() -> None:
    listed = report(coverage={"ratio": 0.0, "covered": [], "missed": missed("a"),
                              "reads_as_list": True})  # fmt: skip
    assert level(listed, "coverage") == WORK_ON and "full sentence" in text(listed, "coverage")
    assert focus_metrics(listed)[0] == "coverage"
    story = report(coverage={"ratio": 0.0, "covered": [], "missed": missed("a"), "no_story": True})
    assert "No story" in text(story, "coverage")


def test_a_free_answer_gets_no_coverage_advice() -> None:
    data = report(question_id=None, coverage={"ratio": None, "covered": [], "missed": []})
    assert level(data, "coverage") is None


def star(
    missing: tuple[str, ...] = (), *, order: bool = True, action: float = 0.5
) -> dict[str, Any]:
    parts = {}
    for k, name in enumerate(("situation", "task", "action", "result")):
        parts[name] = {"present": name not in missing, "at_s": None if name in missing else k * 5.0,
                       "evidence": name, "phrase": name}  # fmt: skip
    return {
        **parts,
        "in_order": order,
        "missing": list(missing),
        "verdict": "whatever words",
        "time_split": {"action": {"seconds": 30.0, "share": action}},
    }


@pytest.mark.parametrize(
    ("missing", "order", "expected"),
    [((), True, GOOD), ((), False, WATCH), (("task",), True, WATCH),
     (("task", "result"), True, WORK_ON)],
)  # fmt: skip
def test_star_levels_and_sentence_starters(
    missing: tuple[str, ...], order: bool, expected: Level
) -> None:
    data = report(star=star(missing, order=order))
    assert level(data, "star") == expected
    for part in missing:
        assert STAR_STARTERS[part][1] in text(data, "star")


@pytest.mark.parametrize(("share", "expected"), [(0.29, WATCH), (0.3, GOOD)])
def test_time_on_actions(share: float, expected: Level) -> None:
    assert level(report(star=star(action=share)), "star_time") == expected


def phone(wpm: float = 130.0, dead: int = 0, spread: float = 1.0) -> dict[str, Any]:
    return {
        "phone": {
            "dead_air": {"count": dead, "occurrences": [{"start": 1.0, "end": 5.0}] * dead},
            "pace": {"wpm": wpm, "band": [110.0, 150.0]},
            "volume": {"spread_db": spread},
            "advice": [],
        }
    }


def test_phone_advice_levels() -> None:
    assert level(report(**phone()), "phone_pace") == GOOD
    assert level(report(**phone(wpm=151.0)), "phone_pace") == WATCH
    assert "fast for a phone line" in text(report(**phone(wpm=151.0)), "phone_pace")
    assert level(report(**phone(wpm=109.0)), "phone_pace") == WATCH
    assert level(report(**phone(dead=0)), "phone_dead_air") == GOOD
    assert level(report(**phone(dead=1)), "phone_dead_air") == WATCH
    assert level(report(**phone(dead=2)), "phone_dead_air") == WORK_ON
    assert level(report(**phone(spread=4.0)), "phone_volume") == GOOD
    assert level(report(**phone(spread=4.1)), "phone_volume") == WATCH
    assert level(report(), "phone_pace") is None


def test_pace_over_the_answer_names_the_rush() -> None:
    windows = [{"start": 0.0, "end": 15.0, "wpm": 140.0}, {"start": 15.0, "end": 30.0,
               "wpm": 185.0}]  # fmt: skip
    data = report(pace_windows=windows)
    assert level(data, "pace_over_time") == WATCH
    assert "sped up to 185" in text(data, "pace_over_time") and "0:15" in text(
        data, "pace_over_time"
    )
    steady = report(pace_windows=[{**windows[0]}, {**windows[1], "wpm": 150.0}])
    assert level(steady, "pace_over_time") == GOOD
    assert level(report(pace_windows=windows[:1]), "pace_over_time") is None


def test_bursts_are_shown_with_their_times() -> None:
    data = report(filler_bursts=[{"start": 64.0, "end": 67.0, "fillers": ["um", "um", "like"]}])
    assert level(data, "filler_bursts") == WATCH
    assert "1:04 (um um like)" in text(data, "filler_bursts")


# --- the focus list ---------------------------------------------------------------------


def weak() -> dict[str, Any]:
    """Everything off: fillers (with a burst), pace, length, pauses, hedges, coverage."""
    return report(
        speaking_s=20.0,
        wpm=190.0,
        response_latency_s=7.0,
        fillers={"total": 12, "per_minute": 36.0, "counts": {"um": 9, "like": 3}},
        filler_bursts=[{"start": 3.0, "end": 6.0, "fillers": ["um", "um", "um"]}],
        pauses={"long_count": 3, "longest_s": 4.0},
        coverage={"ratio": 0.25, "covered": covered("a"), "missed": missed("b", "c", "d")},
    )


def test_focus_is_at_most_three_worst_first_one_per_habit_each_with_a_drill() -> None:
    advice = judged(weak())
    assert 1 <= len(advice.focus) <= MAX_FOCUS == 3
    assert [f.metric for f in advice.focus] == ["coverage", "length", "fillers"]
    fillers = advice.focus[2].text
    assert fillers.startswith('Replace "um" with a silent pause')
    assert "pause where you would say um" in fillers
    # the advice lists every judged measure, worst first
    levels = [a.level.rank for a in advice.advice]
    assert levels == sorted(levels, reverse=True)
    assert {"filler_bursts", "pace", "latency", "pauses"} <= {a.metric for a in advice.to_change()}


def test_a_watch_is_named_only_after_every_work_on() -> None:
    data = report(wpm=165.0, pauses={"long_count": 2, "longest_s": 3.0})
    assert focus_metrics(data) == ["pauses", "pace"]


def test_the_drill_names_the_most_used_filler_a_sound_on_a_tie() -> None:
    data = report(fillers={"total": 4, "per_minute": 8.0, "counts": {"so": 2, "um": 2}})
    assert judged(data).focus[0].text.startswith('Replace "um"')
    data = report(fillers={"total": 4, "per_minute": 8.0, "counts": {"like": 3, "um": 1}})
    assert judged(data).focus[0].text.startswith('Replace "like"')


def test_fillers_and_their_bursts_are_one_thing_to_work_on() -> None:
    data = report(
        fillers={"total": 4, "per_minute": 4.0, "counts": {"um": 4}},
        filler_bursts=[{"start": 3.0, "end": 6.0, "fillers": ["um", "um", "um"]}],
    )
    assert focus_metrics(data) == ["fillers"]


def test_a_good_answer_has_nothing_to_work_on_and_says_what_went_well() -> None:
    advice = judged(report())
    assert advice.focus == ()
    assert {"pace", "fillers", "length", "pauses", "latency", "coverage"} <= {
        a.metric for a in advice.went_well()
    }


def test_no_words_heard_is_one_piece_of_advice_about_the_microphone() -> None:
    silent = report(word_count=0, wpm=0.0, speaking_s=0.0, fillers={"total": 0, "per_minute": 0.0})
    advice = judged(silent)
    assert [a.metric for a in advice.advice] == ["speech"]
    assert "microphone" in advice.advice[0].text and advice.focus[0].metric == "speech"


# --- judged by levels and numbers, not words ------------------------------------------


def test_saved_levels_are_used_whatever_the_words_say() -> None:
    data = report(wpm=190.0, verdicts={"pace": "zoom"}, verdict_levels={"pace": "watch"})
    assert level(data, "pace") == WATCH
    assert "faster" in text(data, "pace")  # the direction comes from the number


def test_an_old_report_is_judged_with_the_users_thresholds() -> None:
    data = report(wpm=112.0)
    assert level(data, "pace") == WATCH
    relaxed = dataclasses.replace(T, wpm_target_low=110.0)
    assert level(data, "pace", relaxed) == GOOD


def test_advised_keeps_a_reports_own_advice_and_advises_an_old_one() -> None:
    own = report(advice=[{"metric": "pace", "level": "watch", "text": "saved words"}],
                 focus=[{"metric": "pace", "text": "saved drill"}])  # fmt: skip
    kept = advised(SavedReport.from_dict(own), T)
    assert [a.text for a in kept.advice] == ["saved words"] and kept.focus[0].text == "saved drill"
    old = advised(SavedReport.from_dict(weak()), T)
    assert old == judged(weak())


def test_a_new_report_carries_the_same_advice_in_its_json() -> None:
    q = question(("listening", ("listen",)), ("refund", ("refund",)))
    answer = "so um i um like listen um to the um customer _2.5 and um that is it"
    data = analyze(transcript(answer, start=1.0), q).to_dict()
    assert isinstance(data["advice"], list) and data["advice"]
    assert {"metric", "level", "text"} == set(data["advice"][0])
    assert data["focus"] and {"metric", "text"} == set(data["focus"][0])
    again = advise(SavedReport.from_dict(data), T, (45.0, 120.0)).to_dict()
    assert data["advice"] == again["advice"] and data["focus"] == again["focus"]
    assert "fillers" in {f["metric"] for f in data["focus"]}


# --- content hints ------------------------------------------------------------------------


def test_a_missed_point_is_hinted_by_its_first_example_else_its_cues() -> None:
    with_examples = KeyPoint("listening", "Listening", ("listen",), ("I let them talk first.",))
    assert point_hint(with_examples) == 'e.g. "I let them talk first."'
    cues_only = KeyPoint("refund", "Refund", ("refund", "money back", "credit", "extra"))
    assert point_hint(cues_only) == 'say it in words like "refund", "money back", "credit"'
    assert point_hint(KeyPoint("x", "X", ())) is None


def test_missed_hints_cover_the_missed_points_the_bank_knows() -> None:
    data = SavedReport.from_dict(report(coverage={"ratio": 0.5, "covered": covered("a"),
                                                  "missed": missed("b", "gone")}))  # fmt: skip
    points = [KeyPoint("a", "A", ("a",)), KeyPoint("b", "B", ("bee",), ("Bees are busy.",))]
    assert missed_hints(data, points) == {"b": 'e.g. "Bees are busy."'}


def test_star_parts_have_sentence_starters() -> None:
    assert star_hint("task") == 'say what you had to achieve: "My job was to ..."'
    assert star_hint("result") is not None and "In the end" in star_hint("result")  # type: ignore[operator]
    assert star_hint("epilogue") is None
