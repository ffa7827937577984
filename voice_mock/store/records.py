"""What the store hands out: a session being recorded, a saved session's index row, chart points.

Plain frozen data. A record is built from the index alone (no file is opened
per row, so history lists thousands of sessions at once); its transcript and
report are read from the session's folder only when asked for.

A mock interview is a unit of its own (`MockRecord`): its questions in order,
when it began and ended, and headline numbers over the answers that name it
(``mock_id``); a follow-up answer also names the answer it follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from voice_mock.errors import UserError
from voice_mock.transcript import Transcript

Status = Literal["recording", "untranscribed", "done"]
"""``recording``: created, audio being written (a crash leaves it here);
``untranscribed``: audio saved, no model was available; ``done``: transcript and report saved."""
STATUSES: tuple[Status, ...] = ("recording", "untranscribed", "done")

MockStatus = Literal["running", "done", "left"]
"""``running``: under way (or the app stopped mid-interview); ``done``: every question was
asked; ``left``: the user left before the end (the answers given are kept)."""
MOCK_STATUSES: tuple[MockStatus, ...] = ("running", "done", "left")

SESSION_FILE = "session.json"
TRANSCRIPT_FILE = "transcript.json"
REPORT_FILE = "report.json"

METRIC_COLUMNS = (
    "duration_s",
    "wpm",
    "fillers_per_min",
    "coverage_ratio",
    "pauses",
    "word_count",
)
"""Headline numbers of a report kept in the index, for sorting, filtering and charts."""


def qualified_question_id(bank_id: str | None, question_id: str | None) -> str | None:
    """``bank/id`` for `Library.find` (just ``id`` when the bank is unknown); None without one."""
    if question_id is None:
        return None
    return f"{bank_id}/{question_id}" if bank_id else question_id


@dataclass(frozen=True, slots=True)
class SessionDraft:
    """A session being recorded (or left unfinished by a crash): its folder exists."""

    id: str
    """The folder name; unique and sortable by time."""
    folder: Path
    started_at: datetime
    """When recording started (timezone-aware, UTC)."""
    question_id: str | None
    """The question's id inside its bank; None for a free answer."""
    bank_id: str | None
    question_text: str | None
    category: str | None
    phone: bool
    source: str
    """Who made it: "practice", "tui", "analyze", ..."""
    audio_path: Path
    """Where the answer's audio is (to be) written."""
    status: Status = "recording"
    mock_id: str | None = None
    """The mock interview this answer belongs to, if any."""
    follow_up_of: str | None = None
    """For an interviewer's follow-up: the session of the answer it follows."""

    @property
    def qualified_question_id(self) -> str | None:
        """``bank/id`` for `Library.find`, unambiguous across banks."""
        return qualified_question_id(self.bank_id, self.question_id)

    @property
    def transcript_path(self) -> Path:
        return self.folder / TRANSCRIPT_FILE


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One row of the index: metadata and headline metrics, without reading any file."""

    id: str
    root: Path
    """The store's folder; the session's own folder is ``root / folder_name``."""
    folder_name: str
    """The session folder's name (the same as `id` for every session the store makes)."""
    started_at: datetime
    question_id: str | None
    bank_id: str | None
    question_text: str | None
    category: str | None
    phone: bool
    status: Status
    source: str
    audio_name: str | None
    """File name of the saved recording inside the folder, or None (transcript only)."""
    duration_s: float | None
    wpm: float | None
    fillers_per_min: float | None
    coverage_ratio: float | None
    pauses: int | None
    word_count: int | None
    mock_id: str | None = None
    """The mock interview this answer belongs to, if any."""
    follow_up_of: str | None = None
    """For an interviewer's follow-up: the session of the answer it follows."""

    # Paths are derived on access, not stored: history builds thousands of records at once.
    @property
    def folder(self) -> Path:
        return self.root / self.folder_name

    @property
    def audio_path(self) -> Path | None:
        """The saved recording, or None (a transcript-only session)."""
        return self.root / self.folder_name / self.audio_name if self.audio_name else None

    @property
    def qualified_question_id(self) -> str | None:
        return qualified_question_id(self.bank_id, self.question_id)

    @property
    def transcript_path(self) -> Path:
        return self.folder / TRANSCRIPT_FILE

    @property
    def report_path(self) -> Path:
        return self.folder / REPORT_FILE

    def load_transcript(self) -> Transcript | None:
        """The saved transcript, or None when the session was never transcribed."""
        if not self.transcript_path.is_file():
            return None
        transcript = Transcript.load(self.transcript_path)
        if transcript.duration_s is None and self.duration_s is not None:
            return Transcript(transcript.words, self.duration_s, transcript.utterances)
        return transcript

    def load_report(self) -> dict[str, Any] | None:
        """The saved report dict, or None when there is none yet."""
        from voice_mock.fileio import read_json

        if not self.report_path.is_file():
            return None
        data = read_json(self.report_path)
        if not isinstance(data, dict):
            raise UserError(f"{self.report_path} is not a report (expected a JSON object).")
        return data

    def to_dict(self) -> dict[str, Any]:
        """The session as JSON, one shape for ``history --json`` and every export.

        ``question_id`` is the id inside its bank, as in the report JSON;
        ``bank_id`` and ``qualified_question_id`` (``bank/id``) say which bank.
        """
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(),
            "question_id": self.question_id,
            "bank_id": self.bank_id,
            "qualified_question_id": self.qualified_question_id,
            "question_text": self.question_text,
            "category": self.category,
            "phone": self.phone,
            "status": self.status,
            "source": self.source,
            "audio": self.audio_name,
            "duration_s": self.duration_s,
            "wpm": self.wpm,
            "fillers_per_min": self.fillers_per_min,
            "coverage_ratio": self.coverage_ratio,
            "pauses": self.pauses,
            "word_count": self.word_count,
            "folder": str(self.folder),
            "mock_id": self.mock_id,
            "follow_up_of": self.follow_up_of,
        }

    def to_draft(self) -> SessionDraft:
        """The draft form, so an unfinished or untranscribed session can be finished again."""
        return SessionDraft(
            id=self.id,
            folder=self.folder,
            started_at=self.started_at,
            question_id=self.question_id,
            bank_id=self.bank_id,
            question_text=self.question_text,
            category=self.category,
            phone=self.phone,
            source=self.source,
            audio_path=self.audio_path or self.folder / "answer.wav",
            status=self.status,
            mock_id=self.mock_id,
            follow_up_of=self.follow_up_of,
        )


@dataclass(frozen=True, slots=True)
class MockQuestion:
    """One question of a mock interview, in the order it was asked."""

    position: int
    """1 for the first question."""
    question_id: str | None
    bank_id: str | None
    text: str
    category: str | None = None

    @property
    def qualified_question_id(self) -> str | None:
        return qualified_question_id(self.bank_id, self.question_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "question_id": self.question_id,
            "bank_id": self.bank_id,
            "text": self.text,
            "category": self.category,
        }


@dataclass(frozen=True, slots=True)
class MockRecord:
    """A mock interview as a unit: its plan, and headline numbers over its answers.

    The numbers come from the index rows of the sessions that name the mock,
    so a list of mock interviews opens no file.
    """

    id: str
    started_at: datetime
    finished_at: datetime | None
    status: MockStatus
    phone: bool
    title: str
    questions: tuple[MockQuestion, ...]
    answers: int = 0
    """Answers saved (follow-ups not counted)."""
    follow_ups: int = 0
    """Follow-up answers saved."""
    duration_s: float | None = None
    """Total length of every answer, follow-ups included."""
    wpm: float | None = None
    """Mean pace of the analysed answers."""
    fillers_per_min: float | None = None
    coverage_ratio: float | None = None
    """Mean key point coverage of the analysed answers to questions (not follow-ups)."""

    @property
    def finished(self) -> bool:
        return self.status == "done"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "status": self.status,
            "phone": self.phone,
            "title": self.title,
            "questions": [q.to_dict() for q in self.questions],
            "answers": self.answers,
            "follow_ups": self.follow_ups,
            "duration_s": self.duration_s,
            "wpm": self.wpm,
            "fillers_per_min": self.fillers_per_min,
            "coverage_ratio": self.coverage_ratio,
        }


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """One finished answer on a progress chart."""

    started_at: datetime
    wpm: float | None
    fillers_per_min: float | None
    coverage_ratio: float | None
    duration_s: float | None
    session_id: str = ""
    question_id: str | None = None
    """``bank/id`` of the question answered, None for a free answer."""
    word_count: int | None = None


def progress_of(records: Iterable[SessionRecord]) -> list[ProgressPoint]:
    """The finished answers among `records` as chart points, oldest first.

    A screen that has just listed the sessions builds its charts from that
    list instead of asking the index a second time.
    """
    done = sorted((r for r in records if r.status == "done"), key=lambda r: r.started_at)
    return [
        ProgressPoint(
            started_at=r.started_at,
            wpm=r.wpm,
            fillers_per_min=r.fillers_per_min,
            coverage_ratio=r.coverage_ratio,
            duration_s=r.duration_s,
            session_id=r.id,
            question_id=r.qualified_question_id,
            word_count=r.word_count,
        )
        for r in done
    ]
