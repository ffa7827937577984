"""The session store: folders are the truth, the SQLite index is a fast, rebuildable copy."""

from __future__ import annotations

import json
import sqlite3
import wave
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.sessions import crashed
from voice_mock.bank import Question
from voice_mock.errors import UserError
from voice_mock.store import Store
from voice_mock.transcript import Transcript, Word


def bank_question(question_id: str, bank_id: str, text: str, category: str) -> Question:
    """A real bank `Question`; the store reads only these four fields, the rest stay empty."""
    return Question(
        id=question_id,
        text=text,
        category=category,
        target_seconds=(45.0, 120.0),
        star=False,
        why="",
        tips=(),
        follow_ups=(),
        key_points=(),
        bank_id=bank_id,
    )


Q1 = bank_question(
    "what-is-customer-service", "customer-service", "What is customer service?", "general"
)
Q2 = bank_question(
    "angry-customer", "customer-service", "Tell me about an angry customer.", "behavioral"
)
Q_OTHER_BANK = bank_question(
    "what-is-customer-service", "retail", "What is service to you?", "general"
)

T0 = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def transcript(*words: str, gap: float = 0.4) -> Transcript:
    out = []
    t = 0.5
    for w in words:
        out.append(Word(w, t, t + 0.3, 0.95))
        t += 0.3 + gap
    return Transcript.from_words(out, duration_s=t + 1.0)


def report(
    *,
    wpm: float,
    fillers: float,
    coverage: float | None,
    words: int,
    pauses: int,
    duration: float = 60.0,
    question_id: str | None = None,
) -> dict[str, Any]:
    return {
        "question_id": question_id,
        "duration_s": duration,
        "speaking_s": duration - 2,
        "word_count": words,
        "wpm": wpm,
        "response_latency_s": 0.5,
        "fillers": {"total": 3, "per_minute": fillers, "counts": {"um": 3}, "occurrences": []},
        "pauses": {"count": pauses, "long_count": 1, "longest_s": 2.5, "occurrences": []},
        "coverage": {
            "ratio": coverage,
            "covered": [{"id": "listening", "label": "Listen", "at_s": 1.2, "cue": "listen"}],
            "missed": [{"id": "follow-up", "label": "Follow up"}],
        },
    }


def write_wav(path: Path, seconds: float, rate: int = 16000) -> None:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(b"\0\0" * int(seconds * rate))


def add(
    store: Store,
    question: Question | None,
    *,
    at: datetime,
    wpm: float,
    fillers: float = 2.0,
    coverage: float | None = 0.5,
    words: int = 100,
    pauses: int = 3,
    phone: bool = False,
    text: tuple[str, ...] = ("i", "listen", "to", "the", "customer"),
) -> str:
    draft = store.create(question=question, phone=phone, source="test", started_at=at)
    write_wav(draft.audio_path, 0.5)
    rec = store.finish(
        draft,
        transcript=transcript(*text),
        report=report(wpm=wpm, fillers=fillers, coverage=coverage, words=words, pauses=pauses),
    )
    return rec.id


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "sessions")
    yield s
    s.close()


def test_create_makes_folder_metadata_and_recording_row(store: Store) -> None:
    draft = store.create(question=Q1, phone=True, source="practice", started_at=T0)
    assert draft.folder.is_dir()
    assert draft.folder.parent == store.root
    name = draft.folder.name
    local = T0.astimezone().strftime("%Y%m%d-%H%M%S")
    assert name.startswith(f"{local}-what-is-customer-service-")
    assert len(name.rsplit("-", 1)[1]) == 6
    assert draft.audio_path == draft.folder / "answer.wav"
    meta = json.loads((draft.folder / "session.json").read_text())
    assert meta["status"] == "recording"
    assert meta["question_id"] == "what-is-customer-service"
    assert meta["bank_id"] == "customer-service"
    assert meta["phone"] is True
    rec = store.get(draft.id)
    assert rec.status == "recording"
    assert rec.phone is True
    assert rec.qualified_question_id == "customer-service/what-is-customer-service"
    assert rec.started_at == T0
    free = store.create(question=None, source="analyze", audio_suffix="flac")
    assert "-free-" in free.id
    assert free.audio_path.name == "answer.flac"
    assert store.get(free.id).question_id is None


def test_finish_writes_files_atomically_and_indexes_metrics(store: Store) -> None:
    draft = store.create(question=Q1, source="practice", started_at=T0)
    write_wav(draft.audio_path, 1.5)
    t = transcript("i", "um", "listen")
    rec = store.finish(
        draft, transcript=t, report=report(wpm=142.5, fillers=4.0, coverage=0.75, words=3, pauses=2)
    )
    assert rec.status == "done"
    assert rec.wpm == 142.5
    assert rec.fillers_per_min == 4.0
    assert rec.coverage_ratio == 0.75
    assert rec.pauses == 2
    assert rec.word_count == 3
    assert rec.duration_s == 60.0
    assert rec.audio_path == draft.audio_path
    saved = json.loads((draft.folder / "transcript.json").read_text())
    assert isinstance(saved, list) and saved[0]["result"][1]["word"] == "um"
    loaded = rec.load_transcript()
    assert loaded is not None
    assert [w.text for w in loaded.words] == ["i", "um", "listen"]
    loaded_report = rec.load_report()
    assert loaded_report is not None and loaded_report["wpm"] == 142.5
    assert json.loads((draft.folder / "session.json").read_text())["status"] == "done"
    assert not list(draft.folder.glob("*.tmp"))


def test_finish_accepts_report_objects_with_to_dict(store: Store) -> None:
    class Obj:
        def to_dict(self) -> dict[str, Any]:
            return report(wpm=99.0, fillers=1.0, coverage=None, words=10, pauses=0)

    draft = store.create(question=None, source="analyze")
    rec = store.finish(draft, transcript=transcript("hello"), report=Obj())
    assert rec.wpm == 99.0
    assert rec.coverage_ratio is None
    assert rec.audio_path is None


def test_finish_without_transcript_is_untranscribed_with_wav_length(store: Store) -> None:
    draft = store.create(question=Q2, source="practice")
    write_wav(draft.audio_path, 2.0)
    rec = store.finish(draft, transcript=None, report=None)
    assert rec.status == "untranscribed"
    assert rec.duration_s == pytest.approx(2.0)
    assert rec.wpm is None
    assert not (draft.folder / "transcript.json").exists()
    assert [d.id for d in store.unfinished()] == [rec.id]
    assert store.unfinished(include_untranscribed=False) == []


def test_unfinished_finds_crashed_recordings_oldest_first(store: Store) -> None:
    late = crashed(store.create(question=Q1, started_at=T0 + timedelta(hours=1)))
    early = crashed(store.create(question=None, started_at=T0))
    add(store, Q2, at=T0 + timedelta(hours=2), wpm=120)
    drafts = store.unfinished()
    assert [d.id for d in drafts] == [early.id, late.id]
    assert drafts[1].qualified_question_id == "customer-service/what-is-customer-service"
    assert drafts[1].status == "recording"
    assert drafts[1].audio_path == late.folder / "answer.wav"
    # A new Store (the next start of the app) sees the same unfinished sessions.
    again = Store(store.root)
    assert [d.id for d in again.unfinished()] == [early.id, late.id]
    write_wav(late.audio_path, 1.0)
    again.finish(
        drafts[1],
        transcript=transcript("hello"),
        report=report(wpm=100, fillers=0, coverage=0.0, words=1, pauses=0),
    )
    assert [d.id for d in again.unfinished()] == [early.id]
    again.close()


def test_list_filters(store: Store) -> None:
    a = add(store, Q1, at=T0, wpm=120, phone=True, text=("i", "always", "listen"))
    b = add(store, Q2, at=T0 + timedelta(days=1), wpm=150, text=("the", "refund", "arrived"))
    c = add(store, Q_OTHER_BANK, at=T0 + timedelta(days=2), wpm=90)
    d = add(store, None, at=T0 + timedelta(days=3), wpm=200)
    pending = store.create(question=Q1, started_at=T0 + timedelta(days=4)).id

    def ids(**kw: Any) -> list[str]:
        return [r.id for r in store.sessions(**kw)]

    assert ids() == [pending, d, c, b, a]
    assert ids(question_id="what-is-customer-service") == [pending, c, a]
    assert ids(question_id="customer-service/what-is-customer-service") == [pending, a]
    assert ids(question_id="retail/what-is-customer-service") == [c]
    assert ids(bank_id="customer-service") == [pending, b, a]
    assert ids(category="behavioral") == [b]
    assert ids(search="ANGRY") == [b]  # question text, case-insensitive
    assert ids(search="refund") == [b]  # transcript text
    assert ids(search="100%") == []  # LIKE wildcards are literal
    assert ids(since=T0 + timedelta(days=2)) == [pending, d, c]
    assert ids(since="2026-01-06", until=T0 + timedelta(days=2)) == [b]
    assert ids(phone=True) == [a]
    assert ids(status="recording") == [pending]
    assert ids(status=["done"], limit=2) == [d, c]
    assert ids(status="done", limit=2, offset=2) == [b, a]
    assert store.count() == 5
    assert store.count(status="done") == 4
    assert store.count(question_id="what-is-customer-service", status="done") == 2
    with pytest.raises(UserError, match="status"):
        store.sessions(status="finished")
    with pytest.raises(UserError, match="not a date"):
        store.sessions(since="last tuesday")


def test_list_orders_by_any_metric_with_missing_values_last(store: Store) -> None:
    slow = add(store, Q1, at=T0, wpm=100, fillers=1.0, coverage=0.25, words=50, pauses=9)
    fast = add(
        store,
        Q1,
        at=T0 + timedelta(hours=1),
        wpm=170,
        fillers=6.0,
        coverage=1.0,
        words=300,
        pauses=1,
    )
    mid = add(
        store,
        Q1,
        at=T0 + timedelta(hours=2),
        wpm=140,
        fillers=3.0,
        coverage=None,
        words=120,
        pauses=4,
    )
    pending = store.create(question=Q1, started_at=T0 + timedelta(hours=3)).id

    def ids(order_by: str, descending: bool = True) -> list[str]:
        return [r.id for r in store.sessions(order_by=order_by, descending=descending)]

    assert ids("wpm") == [fast, mid, slow, pending]
    assert ids("wpm", descending=False) == [slow, mid, fast, pending]
    assert ids("fillers_per_min", descending=False) == [slow, mid, fast, pending]
    assert ids("coverage_ratio") == [fast, slow, pending, mid]  # no value: last, newest first
    assert ids("word_count") == [fast, mid, slow, pending]
    assert ids("pauses") == [slow, mid, fast, pending]
    assert ids("started_at", descending=False) == [slow, fast, mid, pending]
    with pytest.raises(UserError, match="order"):
        store.sessions(order_by="wpm; DROP TABLE sessions")


def test_get_by_full_id_prefix_or_random_part_never_by_substring(store: Store) -> None:
    sid = add(store, Q1, at=T0, wpm=120)
    suffix = sid.rsplit("-", 1)[1]
    assert store.get(suffix).id == sid
    assert store.get(sid + "/").id == sid
    assert store.get(sid[:20]).id == sid
    with pytest.raises(UserError, match="no saved session"):
        store.get("nope-nope")
    with pytest.raises(UserError, match="no saved session"):
        store.get("what-is-customer-service")  # a part of the question is not an id
    with pytest.raises(UserError, match="no saved session"):
        store.get("r")
    with pytest.raises(UserError, match="no saved session"):
        store.get("bad\udcff")  # a non-UTF-8 argument is one sentence, not a traceback
    add(store, Q1, at=T0 + timedelta(seconds=1), wpm=120)
    with pytest.raises(UserError, match="ambiguous"):
        store.get(sid[:9])


def test_delete_removes_folder_and_row(store: Store) -> None:
    keep = add(store, Q1, at=T0, wpm=120)
    gone = add(store, Q1, at=T0 + timedelta(minutes=1), wpm=130)
    folder = store.get(gone).folder
    store.delete(gone)
    assert not folder.exists()
    assert [r.id for r in store.sessions()] == [keep]
    with pytest.raises(UserError):
        store.get(gone)
    assert store.get(keep).folder.is_dir()


def test_update_analysis_replaces_transcript_and_report(store: Store) -> None:
    sid = add(store, Q1, at=T0, wpm=120, coverage=0.25)
    rec = store.update_analysis(
        sid,
        transcript("we", "follow", "up"),
        report(wpm=155.0, fillers=0.5, coverage=1.0, words=3, pauses=0),
    )
    assert rec.id == sid
    assert rec.wpm == 155.0 and rec.coverage_ratio == 1.0
    loaded = rec.load_transcript()
    assert loaded is not None and loaded.text == "we follow up"
    assert [r.id for r in store.sessions(search="follow")] == [sid]
    assert rec.audio_path is not None and rec.audio_path.is_file()
    # untranscribed sessions become done when analysed later
    draft = store.create(question=Q2)
    write_wav(draft.audio_path, 1.0)
    store.finish(draft, transcript=None, report=None)
    done = store.update_analysis(
        draft.id, transcript("ok"), report(wpm=80, fillers=0, coverage=0, words=1, pauses=0)
    )
    assert done.status == "done"
    assert store.unfinished() == []


def test_rebuild_index_from_folders(store: Store) -> None:
    a = add(store, Q1, at=T0, wpm=120, phone=True, text=("hello", "there"))
    b = add(store, Q2, at=T0 + timedelta(days=1), wpm=150)
    draft = store.create(question=None, started_at=T0 + timedelta(days=2))
    write_wav(draft.audio_path, 3.0)
    store.finish(draft, transcript=None, report=None)
    left = crashed(store.create(question=Q1, started_at=T0 + timedelta(days=3))).id
    (store.root / "not-a-session").mkdir()
    before = [(r.id, r.status, r.wpm, r.phone, r.duration_s) for r in store.sessions()]

    with sqlite3.connect(store.index_path) as db:
        db.execute("DELETE FROM sessions")
    assert store.count() == 0
    assert store.rebuild_index().count == 4
    after = [(r.id, r.status, r.wpm, r.phone, r.duration_s) for r in store.sessions()]
    assert after == before
    assert [r.id for r in store.sessions(search="there")] == [a]
    assert {d.id for d in store.unfinished()} == {draft.id, left}
    assert store.get(b).question_text == "Tell me about an angry customer."
    store.close()

    # Losing the index file entirely: the next Store rebuilds it by itself.
    for leftover in store.root.glob("index.sqlite3*"):
        leftover.unlink()
    fresh = Store(store.root)
    assert [(r.id, r.status, r.wpm, r.phone, r.duration_s) for r in fresh.sessions()] == before
    fresh.close()


def test_rebuild_tolerates_damaged_session_files(store: Store) -> None:
    good = add(store, Q1, at=T0, wpm=120)
    bad = add(store, Q2, at=T0 + timedelta(hours=1), wpm=130)
    (store.get(bad).folder / "session.json").write_text("{broken")
    no_report = add(store, Q2, at=T0 + timedelta(hours=2), wpm=140)
    (store.get(no_report).folder / "report.json").unlink()
    rebuilt = store.rebuild_index()
    # The folder with the broken session.json still holds its answer: indexed from its files.
    assert rebuilt.count == 3 and rebuilt.repaired == (bad,)
    assert store.get(good).status == "done"
    assert store.get(no_report).status == "untranscribed"
    assert store.get(bad).status == "done"
    assert (store.root / bad).is_dir()  # the user's data is never deleted by a rebuild


def test_progress_and_attempts(store: Store) -> None:
    first = add(store, Q1, at=T0, wpm=100, fillers=6.0, coverage=0.25)
    add(store, Q2, at=T0 + timedelta(days=1), wpm=180)
    second = add(store, Q1, at=T0 + timedelta(days=2), wpm=140, fillers=2.0, coverage=0.75)
    store.create(question=Q1, started_at=T0 + timedelta(days=3))  # still recording
    points = store.progress("what-is-customer-service")
    assert [p.session_id for p in points] == [first, second]
    assert [p.wpm for p in points] == [100, 140]
    assert [p.fillers_per_min for p in points] == [6.0, 2.0]
    assert [p.coverage_ratio for p in points] == [0.25, 0.75]
    assert points[0].started_at == T0
    assert points[0].duration_s == 60.0
    assert len(store.progress()) == 3
    assert [r.id for r in store.attempts("customer-service/what-is-customer-service")][:2] == [
        first,
        second,
    ]
    assert len(store.attempts("what-is-customer-service")) == 3


def test_store_is_usable_from_threads(store: Store) -> None:
    import threading

    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            add(store, Q1, at=T0 + timedelta(minutes=n), wpm=100 + n)
            store.sessions(order_by="wpm")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count() == 8


def test_unfinished_skips_sessions_another_live_process_is_recording(store: Store) -> None:
    import subprocess
    import sys

    left = crashed(store.create(question=Q1, started_at=T0))
    busy = store.create(question=Q2, started_at=T0 + timedelta(minutes=1))
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        crashed(busy, pid=other.pid)  # as if the other process were recording it
        assert [d.id for d in store.unfinished()] == [left.id]
    finally:
        other.kill()
        other.wait()
    # Once that process is gone, its session is abandoned and can be recovered.
    assert [d.id for d in store.unfinished()] == [left.id, busy.id]


def test_this_process_own_take_is_never_taken_as_abandoned(store: Store) -> None:
    """The app runs recovery while a take may be recording: its own draft is live."""
    own = store.create(question=Q1, started_at=T0)
    assert store.unfinished() == []
    assert Store(store.root).unfinished() == []
    crashed(own)
    assert [d.id for d in store.unfinished()] == [own.id]


def test_a_reused_pid_does_not_keep_a_crashed_session_stuck(store: Store) -> None:
    """A crashed session whose old pid now belongs to another process is recovered."""
    draft = store.create(question=Q1, started_at=T0)
    meta = json.loads((draft.folder / "session.json").read_text())
    assert "identity" in meta["recorder"]  # boot id and start time of the recorder
    meta["recorder"]["pid"] = 1  # init: alive, but not the process that recorded it
    (draft.folder / "session.json").write_text(json.dumps(meta))
    assert [d.id for d in store.unfinished()] == [draft.id]


def test_files_and_folders_are_private_from_creation(tmp_path: Path) -> None:
    import os
    import stat

    old = os.umask(0o022)
    try:
        store = Store(tmp_path / "data" / "sessions")
        record = add(store, Q1, at=T0, wpm=120)
        folder = store.get(record).folder
        write_wav(folder / "answer.wav", 1.0)
    finally:
        os.umask(old)

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(store.root) == 0o700 and mode(tmp_path / "data") == 0o700
    assert mode(folder) == 0o700
    for name in ("session.json", "transcript.json", "report.json"):
        assert mode(folder / name) == 0o600, name
    for leftover in store.root.glob("index.sqlite3*"):
        assert mode(leftover) == 0o600, leftover.name
    store.close()


def test_opening_and_reading_write_nothing(tmp_path: Path) -> None:
    """Commands that only read must work on a read-only or full disk: no write on open."""
    root = tmp_path / "sessions"
    writer = Store(root)
    kept = add(writer, Q1, at=T0, wpm=120)
    writer.close()
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    reader = Store(root)
    assert [r.id for r in reader.sessions()] == [kept]
    assert reader.get(kept).status == "done" and reader.count() == 1
    reader.close()
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before
    empty = Store(tmp_path / "never-used")
    assert empty.sessions() == [] and not (tmp_path / "never-used").exists()


def test_a_damaged_or_foreign_index_is_rebuilt_from_the_folders(store: Store) -> None:
    sid = add(store, Q1, at=T0, wpm=120)
    store.close()
    for leftover in store.root.glob("index.sqlite3-*"):
        leftover.unlink()
    store.index_path.write_bytes(b"this is not a database" * 100)
    again = Store(store.root)
    assert [r.id for r in again.sessions()] == [sid]
    again.close()
    with sqlite3.connect(store.index_path) as db:
        db.execute("DROP TABLE sessions")
        db.execute("CREATE TABLE sessions (x TEXT)")
    foreign = Store(store.root)
    assert [r.id for r in foreign.sessions()] == [sid]
    assert foreign.rebuild_index().count == 1
    foreign.close()


def test_delete_that_cannot_remove_the_files_says_so_and_keeps_the_row(store: Store) -> None:
    import os

    sid = add(store, Q1, at=T0, wpm=120)
    folder = store.get(sid).folder
    os.chmod(folder, 0o500)
    try:
        if os.access(folder, os.W_OK):  # root ignores the mode: make the removal fail instead
            os.chmod(folder, 0o700)
            import shutil

            real = shutil.rmtree

            def refuse(path: str, onerror: object = None, **_: object) -> None:
                assert callable(onerror)
                onerror(os.unlink, str(Path(path) / "answer.wav"), PermissionError(13, "denied"))

            shutil.rmtree = refuse  # type: ignore[assignment]
            try:
                with pytest.raises(UserError, match="could not be deleted"):
                    store.delete(sid)
            finally:
                shutil.rmtree = real
        else:
            with pytest.raises(UserError, match="could not be deleted"):
                store.delete(sid)
    finally:
        os.chmod(folder, 0o700)
    assert store.get(sid).folder.is_dir()


def test_reindex_while_writers_save_loses_no_row(tmp_path: Path) -> None:
    import threading

    root = tmp_path / "sessions"
    seed = Store(root)
    for n in range(60):
        add(seed, Q1, at=T0 + timedelta(minutes=n), wpm=100)
    done = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        own = Store(root)
        try:
            for n in range(25):
                add(own, Q2, at=T0 + timedelta(days=1, minutes=n), wpm=110)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            own.close()

    def rebuilder() -> None:
        own = Store(root)
        try:
            while not done.is_set():
                own.rebuild_index()
                done.wait(0.02)  # as a user would run it: now and then, not back to back
        finally:
            own.close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    rebuild = threading.Thread(target=rebuilder)
    rebuild.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    rebuild.join()
    assert errors == []
    folders = [p for p in root.iterdir() if p.is_dir()]
    assert seed.count() == len(folders) == 110
    seed.close()


def test_records_follow_the_folder_column(store: Store) -> None:
    """A row may name another folder than its id (index copies, as the benchmarks make)."""
    original = add(store, Q1, at=T0, wpm=120, text=("hello", "there"))
    with sqlite3.connect(store.index_path) as db:
        db.execute(
            "INSERT INTO sessions (id, folder, started_at, status, audio_name) "
            "SELECT id || '-copy', folder, started_at, status, audio_name FROM sessions"
        )
    copy = store.get(f"{original}-copy")
    assert copy.folder == store.get(original).folder
    assert copy.audio_path is not None and copy.audio_path.is_file()
    transcript = copy.load_transcript()
    assert transcript is not None and transcript.text == "hello there"
