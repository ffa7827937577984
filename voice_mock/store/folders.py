"""Session folders on disk: names, ``session.json``, what a folder holds, who is recording it.

Each session lives in ``<root>/<YYYYmmdd-HHMMSS>-<question id or "free">-<random>/``
holding the audio (``answer.wav``, or ``answer.<ext>`` for ``analyze --save``),
``transcript.json`` (Vosk's own form), ``report.json`` and ``session.json``
(the metadata). The folders are the truth; the index only repeats them.

A mock interview is one small file, ``<root>/mocks/<id>.json`` (its questions
in order, start, end, status), and each of its answers names it in its own
``session.json`` (``mock_id``, and ``follow_up_of`` for a follow-up). Should
the mock's file be lost, the answers are enough to rebuild the unit.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import sys
import wave
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from voice_mock.errors import UserError
from voice_mock.fileio import atomic_write_json, private_dir
from voice_mock.store.records import (
    METRIC_COLUMNS,
    MOCK_STATUSES,
    REPORT_FILE,
    SESSION_FILE,
    STATUSES,
    TRANSCRIPT_FILE,
    SessionDraft,
    Status,
)
from voice_mock.transcript import Transcript

SCHEMA_VERSION = 1
"""Version written into ``session.json``."""

_SLUG_RE = re.compile(r"[^a-z0-9]+")
_FOLDER_RE = re.compile(r"^(\d{8})-(\d{6})-[a-z0-9-]+-[0-9a-f]{6}$")
"""What the store names a session folder; a folder named otherwise is not a session."""
MOCKS_DIR = "mocks"
"""The folder of mock interview files, inside the sessions folder."""
MOCK_SCHEMA_VERSION = 1
_MOCK_ID_RE = re.compile(r"^\d{8}-\d{6}-mock-[0-9a-f]{6}$")
"""What a mock id looks like; anything else (a hand-edited file) never becomes a path."""


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Fixed-width UTC ISO text, so that string order in SQLite is time order."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # naive means local time
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def slug(text: str) -> str:
    value = _SLUG_RE.sub("-", text.lower()).strip("-")
    return value[:48].strip("-") or "question"


def new_session_id(started: datetime, label: str) -> str:
    local = started.astimezone().strftime("%Y%m%d-%H%M%S")
    return f"{local}-{label}-{secrets.token_hex(3)}"


def wav_duration(path: Path) -> float | None:
    """Length of a WAV from its header (cheap); None for other formats or a broken file."""
    try:
        with wave.open(str(path), "rb") as handle:
            rate = handle.getframerate()
            return handle.getnframes() / rate if rate else None
    except (OSError, EOFError, wave.Error):
        return None


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def metrics_of(report: Mapping[str, Any] | None) -> dict[str, Any]:
    """The indexed metrics of a report dict (tolerant of missing keys)."""
    if not report:
        return {name: None for name in METRIC_COLUMNS}
    from voice_mock.analysis.saved import SavedReport

    saved = SavedReport.from_dict(report)
    return {
        "duration_s": saved.duration_s,
        "wpm": saved.wpm,
        "fillers_per_min": saved.fillers.per_minute,
        "coverage_ratio": saved.coverage.ratio,
        "pauses": saved.pauses.count,
        "word_count": saved.word_count,
    }


# --- who is recording ----------------------------------------------------------------


@cache
def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


def process_identity(pid: int) -> str | None:
    """Something that names one run of a process: boot id and start time (Linux), or None.

    A pid alone is not enough: after a crash and a reboot, or just a long
    time, another process may get the same number.
    """
    boot = _boot_id()
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after the last ")".
    fields = stat.rpartition(")")[2].split()
    if boot is None or len(fields) < 20:
        return None
    return f"{boot}:{fields[19]}"


def recorder_stamp() -> dict[str, Any]:
    """What ``session.json`` records about the process making a session."""
    stamp: dict[str, Any] = {"host": socket.gethostname(), "pid": os.getpid()}
    identity = process_identity(os.getpid())
    if identity is not None:
        stamp["identity"] = identity
    return stamp


def recorded_by_live_process(meta: Mapping[str, Any]) -> bool:
    """True while the process that made the session (this one included) is still running.

    Such a session is being recorded, not abandoned: recovery must leave it
    alone. The process is matched by pid and, where the system tells, by its
    start time, so a crashed session whose pid now belongs to another program
    is recovered.
    """
    recorder = meta.get("recorder")
    if not isinstance(recorder, Mapping):
        return False
    pid, host = recorder.get("pid"), recorder.get("host")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    if host != socket.gethostname():
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process there
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, owned by someone else
    except OSError:
        return False
    saved = recorder.get("identity")
    if isinstance(saved, str):
        current = process_identity(pid)
        if current is not None and current != saved:
            return False  # the pid was reused by another process
    return True


# --- session.json ----------------------------------------------------------------------


def draft_meta(draft: SessionDraft, *, status: Status, audio_name: str | None) -> dict[str, Any]:
    return {
        "id": draft.id,
        "started_at": iso(draft.started_at),
        "question_id": draft.question_id,
        "bank_id": draft.bank_id,
        "question_text": draft.question_text,
        "category": draft.category,
        "phone": draft.phone,
        "status": status,
        "source": draft.source,
        "audio": audio_name,
        "schema": SCHEMA_VERSION,
        "mock_id": draft.mock_id,
        "follow_up_of": draft.follow_up_of,
    }


def read_meta(folder: Path) -> dict[str, Any] | None:
    """The folder's ``session.json`` as a dict, or None when missing or unreadable."""
    try:
        data = json.loads((folder / SESSION_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def write_meta(folder: Path, meta: Mapping[str, Any]) -> None:
    atomic_write_json(folder / SESSION_FILE, dict(meta))


# --- scanning a folder (rebuilding the index) ------------------------------------------


@dataclass(slots=True)
class Entry:
    """What the index holds about one session folder."""

    meta: dict[str, Any]
    metrics: dict[str, Any]
    text: str
    """The words said, for search."""
    repaired: bool = False
    """True when ``session.json`` was missing or broken and the metadata was
    reconstructed from the folder's name and files."""


@dataclass(slots=True)
class Scan:
    """The result of scanning a store's folders."""

    entries: list[Entry] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """Folders that look like sessions but hold nothing readable to index."""
    mocks: list[dict[str, Any]] = field(default_factory=list)
    """Mock interviews, as `read_mock` gives them (rebuilt from their answers when the
    mock's own file is gone)."""


def _meta_from_name(folder: Path) -> dict[str, Any] | None:
    """Metadata for a session folder whose ``session.json`` is gone, from its name."""
    match = _FOLDER_RE.match(folder.name)
    if match is None:
        return None
    try:
        started = datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S").astimezone()
    except ValueError:
        return None
    return {
        "id": folder.name,
        "started_at": iso(started),
        "question_id": None,
        "bank_id": None,
        "question_text": None,
        "category": None,
        "phone": False,
        "status": "recording",
        "source": "recovered",
        "audio": None,
    }


def _audio_in(folder: Path, named: Any) -> str | None:
    if isinstance(named, str) and named and "/" not in named and (folder / named).is_file():
        return named
    found = sorted(p.name for p in folder.glob("answer.*") if p.is_file())
    return found[0] if found else None


def scan_folder(folder: Path) -> Entry | None:
    """The index entry of one session folder, from its files; None if it is not a session.

    A folder whose ``session.json`` is missing or broken but that holds audio
    or a transcript is still indexed (with metadata from its name), so the
    user's recording stays visible and can be recovered.
    """
    meta = read_meta(folder)
    repaired = False
    if meta is not None:
        try:
            meta["started_at"] = iso(parse_time(str(meta["started_at"])))
        except (KeyError, ValueError, TypeError, OverflowError):
            meta = None
    if meta is None:
        has_data = any(folder.glob("answer.*")) or (folder / TRANSCRIPT_FILE).is_file()
        meta = _meta_from_name(folder) if has_data else None
        if meta is None:
            return None
        repaired = True
    meta["id"] = folder.name
    report: dict[str, Any] | None = None
    text = ""
    try:
        if (folder / REPORT_FILE).is_file():
            loaded = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
            report = loaded if isinstance(loaded, dict) else None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        report = None
    has_transcript = False
    try:
        if (folder / TRANSCRIPT_FILE).is_file():
            text = Transcript.load(folder / TRANSCRIPT_FILE).spoken_text()
            has_transcript = True
    except UserError:
        text = ""
    status = meta.get("status")
    if status not in STATUSES:
        status = "recording"
    if status == "done" and (report is None or not has_transcript):
        status = "untranscribed"
    if repaired and report is not None and has_transcript:
        status = "done"
    meta["status"] = status
    meta["audio"] = _audio_in(folder, meta.get("audio"))
    metrics = metrics_of(report) if status == "done" else metrics_of(None)
    if metrics["duration_s"] is None:
        duration = number(meta.get("duration_s"))
        if duration is None and meta["audio"]:
            duration = wav_duration(folder / meta["audio"])
        metrics["duration_s"] = duration
    return Entry(meta, metrics, text, repaired)


def scan(root: Path) -> Scan:
    """Every session folder under `root` (in name order, which is time order), and every
    mock interview."""
    result = Scan()
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and p.name != MOCKS_DIR)
    except FileNotFoundError:
        return result
    except OSError as exc:
        raise UserError(f"The sessions folder {root} could not be read: {exc.strerror}.") from None
    for folder in folders:
        entry = scan_folder(folder)
        if entry is not None:
            result.entries.append(entry)
        elif _FOLDER_RE.match(folder.name):
            result.unreadable.append(folder.name)
    result.mocks = scan_mocks(root, result.entries)
    return result


# --- mock interviews -------------------------------------------------------------------


def is_mock_id(value: Any) -> bool:
    return isinstance(value, str) and _MOCK_ID_RE.match(value) is not None


def new_mock_id(started: datetime) -> str:
    return new_session_id(started, "mock")


def mock_file(root: Path, mock_id: str) -> Path:
    if not is_mock_id(mock_id):
        raise UserError(f"'{mock_id}' is not a mock interview id.")
    return root / MOCKS_DIR / f"{mock_id}.json"


def write_mock(root: Path, meta: Mapping[str, Any]) -> None:
    """Write a mock interview's file (its folder 0700, the file 0600 like every other)."""
    path = mock_file(root, str(meta["id"]))
    private_dir(path.parent)
    atomic_write_json(path, {**meta, "schema": MOCK_SCHEMA_VERSION})


def _question_items(value: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if not isinstance(value, list):
        return items
    for n, item in enumerate(value, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("text"), str):
            continue
        position = item.get("position")
        items.append(
            {
                "position": position if isinstance(position, int) and position > 0 else n,
                "question_id": _str_or_none(item.get("question_id")),
                "bank_id": _str_or_none(item.get("bank_id")),
                "text": item["text"],
                "category": _str_or_none(item.get("category")),
            }
        )
    return items


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def read_mock(path: Path) -> dict[str, Any] | None:
    """A mock interview's file as a clean dict, or None when missing or unreadable.

    Every value is checked (the file may have been edited by hand): the id must
    match the file's name, the times must parse, unknown statuses read as running.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("id") != path.stem or not is_mock_id(path.stem):
        return None
    try:
        started = iso(parse_time(str(data["started_at"])))
        ended = data.get("finished_at")
        finished = iso(parse_time(str(ended))) if ended else None
    except (KeyError, ValueError, TypeError, OverflowError):
        return None
    status = data.get("status")
    title = data.get("title")
    return {
        "id": path.stem,
        "started_at": started,
        "finished_at": finished,
        "status": status if status in MOCK_STATUSES else "running",
        "phone": data.get("phone") is True,
        "title": title if isinstance(title, str) and title.strip() else "Mock interview",
        "questions": _question_items(data.get("questions")),
    }


def scan_mocks(root: Path, entries: list[Entry]) -> list[dict[str, Any]]:
    """Every mock interview: from its file, else from the answers that name it."""
    found: dict[str, dict[str, Any]] = {}
    folder = root / MOCKS_DIR
    try:
        files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    except OSError:
        files = []
    for path in files:
        meta = read_mock(path)
        if meta is not None:
            found[meta["id"]] = meta
    for entry in entries:  # time order: the first answer of a lost mock is its start
        mock_id = entry.meta.get("mock_id")
        if not isinstance(mock_id, str) or not is_mock_id(mock_id):
            continue
        if mock_id in found and not found[mock_id].get("rebuilt"):
            continue
        meta = found.setdefault(
            mock_id,
            {
                "id": mock_id,
                "started_at": entry.meta["started_at"],
                "finished_at": None,
                "status": "done",
                "phone": entry.meta.get("phone") is True,
                "title": "Mock interview",
                "questions": [],
                "rebuilt": True,
            },
        )
        text = entry.meta.get("question_text")
        if entry.meta.get("follow_up_of") is None and isinstance(text, str):
            meta["questions"].append(
                {
                    "position": len(meta["questions"]) + 1,
                    "question_id": _str_or_none(entry.meta.get("question_id")),
                    "bank_id": _str_or_none(entry.meta.get("bank_id")),
                    "text": text,
                    "category": _str_or_none(entry.meta.get("category")),
                }
            )
    for meta in found.values():
        meta.pop("rebuilt", None)
    return sorted(found.values(), key=lambda m: str(m["started_at"]))
