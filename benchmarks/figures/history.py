"""Figure 7: history at scale, 5,000 saved sessions.

The sessions are made through the real `Store` API (``create`` then
``finish`` with a transcript and a report, as a practice turn saves them),
spread over a year and over the bundled questions; only ``os.fsync`` is
switched off while they are made, because durability is not what is measured
and 15,000 fsyncs would take minutes. Then, timed:

- the full list (``Store.sessions()``, every row turned into a `SessionRecord`),
- a filtered query (one question, the last 90 days, a transcript search),
- opening the history screen of the Textual app (headless ``run_test``) until
  its table holds its first page of rows; then ctrl+end, which fetches the
  rest, until the cursor is on the last session.

The query baseline is a bare ``sqlite3`` ``SELECT *`` of the same index; the
screen's baseline is the same screen over an empty store.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

from benchmarks.runner import Baseline, Context, Measurement

if TYPE_CHECKING:
    from benchmarks.tui_probe import HistoryTimes


def _samples(questions: list[Any]) -> list[tuple[Any, Any, dict[str, Any]]]:
    """A few (question, transcript, report) answers to save over and over."""
    from benchmarks.transcripts import vosk_results
    from voice_mock.transcript import Transcript

    out = []
    for n in range(6):
        transcript = Transcript.from_vosk(vosk_results(1.0 + 0.25 * n, seed=100 + n))
        question = questions[n % len(questions)] if questions else None
        try:
            from voice_mock.analysis.report import analyze

            report = analyze(transcript, question).to_dict()
        except ImportError:  # analysis not there: the contract's keys are enough for the index
            report = {"duration_s": transcript.end_s, "word_count": len(transcript.words)}
        out.append((question, transcript, report))
    return out


def clone_rows(index: Path, count: int) -> int:
    """Grow the index to `count` rows by copying the store's own rows under new ids and times.

    Each copy keeps its original's folder, so opening it shows a real saved
    answer; only the id and the start time differ. Used by quick mode, where
    saving thousands of sessions through the API would take most of the budget.
    """
    db = sqlite3.connect(index)
    try:
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute("SELECT * FROM sessions")]
        have = len(rows)
        copies: list[dict[str, Any]] = []
        k = 0
        while have + len(copies) < count:
            k += 1
            for row in rows:
                if have + len(copies) >= count:
                    break
                started = datetime.fromisoformat(row["started_at"]) - timedelta(
                    days=3 * k, minutes=k
                )
                copies.append(
                    {
                        **row,
                        "id": f"{row['id']}-c{k}",
                        "started_at": started.isoformat(timespec="microseconds"),
                    }
                )
        if copies:
            columns = list(copies[0])
            sql = (
                f"INSERT INTO sessions ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            with db:
                db.executemany(sql, [tuple(c[name] for name in columns) for c in copies])
        return have + len(copies)
    finally:
        db.close()


def populate(root: Path, count: int, saved: int | None = None) -> int:
    """Save `count` sessions into the store at `root` (fast: fsync off); returns the count.

    With `saved` below `count`, only `saved` go through the API and the rest
    are index rows cloned from them (`clone_rows`).
    """
    from voice_mock.bank import load_library
    from voice_mock.store import Store

    questions = load_library().questions()
    samples = _samples(questions)
    now = datetime.now(UTC)
    saved = count if saved is None else min(saved, count)
    with mock.patch.object(os, "fsync", lambda fd: None), Store(root) as store:
        for n in range(saved):
            question = questions[n % len(questions)] if questions else None
            _, transcript, report = samples[n % len(samples)]
            started = now - timedelta(minutes=n * 97 % (365 * 24 * 60), seconds=n)
            draft = store.create(question=question, phone=n % 7 == 0, started_at=started)
            store.finish(draft, transcript=transcript, report=report)
        index = store.index_path
    return clone_rows(index, count) if saved < count else count


def query_times(root: Path, runs: int) -> dict[str, list[float]]:
    """Timed list and filter queries, and the bare-SQLite baseline, on an existing store."""
    from voice_mock.bank import load_library
    from voice_mock.store import Store

    question = load_library().questions()[0]
    since = datetime.now(UTC) - timedelta(days=90)
    times: dict[str, list[float]] = {"list": [], "filter": [], "sqlite": []}
    rows: dict[str, int] = {}
    with Store(root) as store:
        for _ in range(runs):
            began = time.perf_counter()
            rows["list"] = len(store.sessions())
            times["list"].append(time.perf_counter() - began)
            began = time.perf_counter()
            rows["filter"] = len(
                store.sessions(question_id=question.qualified_id, since=since)
            ) + len(store.sessions(search="warehouse", limit=200))
            times["filter"].append(time.perf_counter() - began)
            db = sqlite3.connect(store.index_path)
            began = time.perf_counter()
            rows["sqlite"] = len(
                db.execute("SELECT * FROM sessions ORDER BY started_at DESC").fetchall()
            )
            times["sqlite"].append(time.perf_counter() - began)
            db.close()
    times["rows"] = [float(rows["list"]), float(rows["filter"]), float(rows["sqlite"])]
    return times


def screen_time(root: Path) -> HistoryTimes:
    """Open the history screen headless: seconds until its first rows, and for ctrl+end."""
    from benchmarks.tui_probe import open_history

    return open_history(root)


def _screen_measurement(root: Path, empty: Path, runs: int) -> Measurement:
    """Time the history screen over `root`, against the same screen over an empty store.

    The figure is the time until the table holds the rows it shows before its
    first draw (a page, `history.PAGE_ROWS`); the time ctrl+end takes to reach
    the last session (fetching all the others) is reported beside it.
    """
    title = "7. history screen open"
    try:
        from voice_mock.store import Store

        Store(empty).close()
        shown_runs: list[float] = []
        last_runs: list[float] = []
        empty_runs: list[float] = []
        rows = 0
        for _ in range(max(1, runs // 2)):
            empty_runs.append(screen_time(empty).shown_s)
            times = screen_time(root)
            shown_runs.append(times.shown_s)
            last_runs.append(times.last_s)
            rows = times.rows
    except Exception as exc:  # the TUI may be missing or broken; the queries still count
        return Measurement(
            key="history_screen_s",
            title=title,
            unit="s",
            target=0.3,
            error=f"{type(exc).__name__}: {exc}",
        )
    last = statistics.median(last_runs)
    return Measurement(
        key="history_screen_s",
        title=title,
        unit="s",
        runs=shown_runs,
        target=0.3,
        baseline=Baseline("the same screen over an empty store", empty_runs),
        notes=f"first {rows} rows in; ctrl+end to the last session {last:.2f} s (median)",
        extra={"rows_shown": rows, "last_row_s": last_runs},
    )


def measure(
    count: int, runs: int, *, work: Path, screen: bool = True, saved: int | None = None
) -> list[Measurement]:
    """Populate a store with `count` sessions under `work` and time queries (and the screen).

    `saved` sessions go through the store's API, the rest are cloned index rows.
    """
    root = work / "history" / "sessions"
    began = time.perf_counter()
    populate(root, count, saved)
    made_s = time.perf_counter() - began
    times = query_times(root, runs)
    out = [
        Measurement(
            key="history_list_s",
            title="7. history: list all",
            unit="s",
            runs=times["list"],
            target=0.3,
            baseline=Baseline("bare sqlite3 SELECT * of the index", times["sqlite"]),
            notes=f"{count} sessions ({saved or count} saved via the API in {made_s:.1f} s)",
            extra={
                "sessions": count,
                "saved_via_api": saved or count,
                "rows": times["rows"][0],
                "populate_s": made_s,
            },
        ),
        Measurement(
            key="history_filter_s",
            title="7. history: filter queries",
            unit="s",
            runs=times["filter"],
            target=0.3,
            baseline=Baseline("bare sqlite3 SELECT * of the index", times["sqlite"]),
            notes="one question in the last 90 days + a transcript search",
            extra={"rows": times["rows"][1]},
        ),
    ]
    if screen:
        out.append(_screen_measurement(root, work / "history-empty" / "sessions", runs))
    return out


def run(ctx: Context) -> list[Measurement]:
    return measure(5000, ctx.pick(3, 7), work=ctx.work, saved=ctx.pick(500, 5000))
