"""Progress that reads at a glance: chart data, the this-week summary, per-question stats."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.app import save_session
from voice_mock.analysis.summary import week_summary
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.bank import load_library
from voice_mock.render.charts import chart_series
from voice_mock.store import Store

T = Thresholds()
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Point:
    started_at: datetime
    wpm: float | None = 140.0
    fillers_per_min: float | None = 1.0
    coverage_ratio: float | None = 0.8
    duration_s: float | None = 60.0
    word_count: int | None = 140


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def days_ago(days: float, **values: float | int | None) -> Point:
    return Point(NOW - timedelta(days=days), **values)  # type: ignore[arg-type]


# --- chart data -----------------------------------------------------------------------


def test_answers_with_no_words_are_not_charted() -> None:
    points = [days_ago(2, wpm=150.0), days_ago(1, wpm=0.0, word_count=0), days_ago(0, wpm=130.0)]
    series = chart_series(points, "wpm", T)
    assert series is not None
    assert series.y == (150.0, 130.0) and series.answers == 2
    assert chart_series([days_ago(0, wpm=0.0, word_count=0)], "wpm", T) is None


def test_each_chart_has_its_band_and_unit() -> None:
    points = [days_ago(3), days_ago(0)]
    pace = chart_series(points, "wpm", T)
    fillers = chart_series(points, "fillers_per_min", T)
    cover = chart_series(points, "coverage_ratio", T)
    assert pace is not None and pace.band == (120.0, 160.0) and pace.band_label == "120-160"
    assert fillers is not None and fillers.band == (0.0, 2.0)
    assert cover is not None and cover.y == (80.0, 80.0) and cover.band == (75.0, 100.0)
    mixed = chart_series(points, "duration_s", T)
    assert mixed is not None and mixed.band is None and mixed.band_label == "differs by question"
    one = chart_series(points, "duration_s", T, target=(45.0, 90.0))
    assert one is not None and one.band == (45.0, 90.0)
    relaxed = chart_series(points, "wpm", dataclasses.replace(T, wpm_target_high=170.0))
    assert relaxed is not None and relaxed.band == (120.0, 170.0)


def test_the_time_axis_is_labelled_with_dates_oldest_first() -> None:
    points = [days_ago(d, wpm=100.0 + d) for d in (0, 10, 5, 20)]
    series = chart_series(points, "wpm", T)
    assert series is not None
    assert series.y == (120.0, 110.0, 105.0, 100.0)  # sorted by time, oldest first
    labels = [label for _, label in series.ticks]
    assert labels[0] == "Nov 12" and labels[-1] == "Dec 02"
    assert [x for x, _ in series.ticks] == sorted(x for x, _ in series.ticks)
    same_day = chart_series([days_ago(0.1), days_ago(0.0)], "wpm", T)
    assert same_day is not None and same_day.ticks[0][1] == "09:36"
    single = chart_series([days_ago(0)], "wpm", T)
    assert single is not None and single.span == (-0.5, 0.5) and len(single.ticks) == 1


def test_thousands_of_answers_are_averaged_into_a_line() -> None:
    points = [days_ago(i / 100, wpm=float(100 + i % 7)) for i in range(5000)]
    series = chart_series(points, "wpm", T, max_points=100)
    assert series is not None and series.averaged and series.answers == 5000
    assert len(series.x) <= 100
    assert all(100.0 <= y <= 106.0 for y in series.y)


# --- this week ------------------------------------------------------------------------


def test_the_week_names_what_improved_and_what_did_not() -> None:
    before = [days_ago(10 + d, fillers_per_min=8.0, wpm=185.0, coverage_ratio=0.4) for d in (0, 1)]
    week = [days_ago(d, fillers_per_min=2.0, wpm=190.0, coverage_ratio=0.42) for d in (0, 1, 2)]
    summary = week_summary([*before, *week], T, NOW)
    assert summary is not None and summary.answers == 3
    assert [c.metric for c in summary.improved] == ["fillers_per_min"]
    assert {c.metric for c in summary.not_improved} == {"wpm", "coverage_ratio"}
    text = summary.text
    assert text.startswith("This week, 3 answers: better fillers 8.0 → 2.0/min")
    assert "not yet" in text and "pace 185 → 190 wpm" in text and "key points 40% → 42%" in text


def test_a_week_with_no_earlier_answers_compares_its_halves() -> None:
    week = [days_ago(3, fillers_per_min=9.0), days_ago(2, fillers_per_min=9.0),
            days_ago(1, fillers_per_min=3.0), days_ago(0, fillers_per_min=1.0)]  # fmt: skip
    summary = week_summary(week, T, NOW)
    assert summary is not None and summary.compared_with == "its first answers"
    assert [c.metric for c in summary.improved] == ["fillers_per_min"]


def test_steady_and_on_target_is_neither_better_nor_not_yet() -> None:
    same = [days_ago(9), days_ago(1)]
    summary = week_summary(same, T, NOW)
    assert summary is not None and summary.improved == () and summary.not_improved == ()
    assert "steady and on target" in summary.text


def test_nothing_this_week_or_a_single_answer() -> None:
    assert week_summary([days_ago(9)], T, NOW) is None
    single = week_summary([days_ago(1)], T, NOW)
    assert single is not None and single.compared_with is None
    assert "practise again" in single.text
    silent = week_summary([days_ago(1, word_count=0, wpm=0.0)], T, NOW)
    assert silent is None


# --- per-question stats from the store ----------------------------------------------


def test_question_stats_count_answers_and_keep_the_last_and_best(isolated_home: Path) -> None:
    library = load_library()
    store = Store(isolated_home / "sessions")
    question = "customer-service/what-is-customer-service"
    words = [("i", 1.0, 1.2), ("listen", 1.3, 1.6), ("to", 1.7, 1.8), ("customers", 1.9, 2.4)]
    first = datetime(2026, 3, 1, 9, tzinfo=UTC)
    save_session(store, library, question=question, started_at=first, with_audio=False)
    save_session(store, library, question=question, started_at=first + timedelta(days=1),
                 words=words, with_audio=False)  # fmt: skip
    stats = store.question_stats()
    assert set(stats) == {question}
    got = stats[question]
    assert got.answers == 2
    assert got.last_at == first + timedelta(days=1)
    records = store.attempts(question)
    assert got.last_wpm == records[-1].wpm
    assert got.best_coverage_ratio == max(r.coverage_ratio or 0 for r in records)
    assert got.best_fillers_per_min == min(r.fillers_per_min or 0 for r in records)
    assert store.question_stats() == stats  # reading writes nothing


# --- the habits across answers carry the same drills as one answer's focus -----------


def test_weakest_habits_say_what_to_practise() -> None:
    from voice_mock.analysis.saved import SavedReport
    from voice_mock.analysis.summary import weakest_habits

    def saved(**values: object) -> SavedReport:
        data: dict[str, object] = {
            "wpm": 190.0,
            "fillers": {"per_minute": 9.0, "counts": {"like": 5, "um": 2}},
            "pauses": {"long_count": 2},
            "coverage": {"ratio": 0.25, "missed": [{"id": "a", "label": "Listen first"}]},
            **values,
        }
        return SavedReport.from_dict(data)

    habits = {h.metric: h.text for h in weakest_habits([saved(), saved()], T)}
    assert habits["fillers"].endswith('Replace "like" with a silent pause: practise this answer '
                                      "again and pause where you would say like.")  # fmt: skip
    assert "take one breath at every full stop" in habits["pace"]
    assert "say the next point out loud" in habits["pauses"]
    assert 'start with "Listen first"' in habits["coverage"]
