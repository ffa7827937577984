"""Smoke test of the benchmarks: the cheapest figures run through the real benchmark code.

Analysis at scale on a few minutes of synthetic transcript and history at
scale on a small store (queries and the history screen, headless), checking
the shape of what the runner writes to JSON and prints. The full figures are
`python -m benchmarks`; their numbers are not part of the suite's pass/fail.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.figures import ALL
from benchmarks.figures import analysis as analysis_figure
from benchmarks.figures import history as history_figure
from benchmarks.runner import Context, Measurement, format_table, report
from benchmarks.transcripts import vosk_results
from voice_mock.transcript import Transcript

KEYS = {
    "key", "title", "unit", "stat", "value", "median", "min", "max", "n", "runs", "target",
    "op", "target_on", "passed", "baseline", "ratio", "notes", "extra", "error",
}  # fmt: skip


def check_shape(m: Measurement) -> dict[str, object]:
    data = m.to_dict()
    assert set(data) == KEYS, data.keys()
    assert m.error is None, m.error
    assert data["n"] == len(m.runs) > 0
    assert all(isinstance(v, float) and v >= 0 for v in m.runs)
    assert isinstance(data["value"], float)
    assert data["passed"] in (True, False)
    baseline = data["baseline"]
    assert isinstance(baseline, dict) and baseline["median"] > 0
    assert isinstance(data["ratio"], float) and data["ratio"] > 0
    json.dumps(data)  # everything is JSON-ready
    return data


def test_synthetic_transcript_is_valid_vosk_json() -> None:
    results = vosk_results(2.0)
    transcript = Transcript.from_vosk(results)
    assert 200 < len(transcript.words) < 400  # about 150 words a minute
    assert 110 < transcript.words[-1].end < 125
    ends = [w.end for w in transcript.words]
    assert ends == sorted(ends)


def test_analysis_figure_reports_median_and_ratio() -> None:
    (m,) = analysis_figure.measure(minutes=3.0, runs=3)
    data = check_shape(m)
    assert m.key == "analysis_s" and m.unit == "s" and m.target == 0.1
    extra = data["extra"]
    assert isinstance(extra, dict)
    assert extra["tokens"] > 300 and extra["report_word_count"] > 300
    assert extra["report_fillers_total"] > 0


def test_history_figure_queries_and_screen(tmp_path: Path) -> None:
    results = history_figure.measure(30, 2, work=tmp_path, saved=10)
    by_key = {m.key: m for m in results}
    assert set(by_key) == {"history_list_s", "history_filter_s", "history_screen_s"}
    for m in results:
        check_shape(m)
    assert by_key["history_list_s"].extra["rows"] == 30
    assert by_key["history_screen_s"].extra["rows_shown"] == 30


def test_runner_table_and_json(tmp_path: Path) -> None:
    ctx = Context(quick=True, work=tmp_path)
    assert ctx.pick(1, 2) == 1
    (m,) = analysis_figure.measure(minutes=1.0, runs=2)
    broken = Measurement(key="x", title="9. broken", unit="s", error="RuntimeError: no sink")
    table = format_table([m, broken])
    assert "8. analysis at scale" in table and "ERROR" in table and "no sink" in table
    data = report([m, broken], {"analysis": 0.1}, quick=True, began=0.0)
    assert data["mode"] == "quick" and len(data["figures"]) == 2
    json.dumps(data)
    assert sorted(f.number for f in ALL) == list(range(1, 9))
