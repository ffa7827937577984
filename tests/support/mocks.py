"""A saved mock interview to look at: two answered questions and a follow-up after the second."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.support.app import ANSWER_WORDS, save_session
from voice_mock.analysis.report import analyze
from voice_mock.coach import Coach
from voice_mock.transcript import Transcript


def saved_mock(coach: Coach, *, follow_up: bool = True) -> str:
    """Save a finished two-question mock interview in `coach`'s store; returns its id."""
    library = coach.library
    first, second = library.questions()[:2]
    interview = coach.start_mock([first, second], phone=False)
    store = coach.store
    start = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    for n, question in enumerate((first, second)):
        when = start + timedelta(minutes=n)
        record = save_session(store, library, question=question.qualified_id, started_at=when)
        meta = json.loads((record.folder / "session.json").read_text())
        meta["mock_id"] = interview.id
        (record.folder / "session.json").write_text(json.dumps(meta))
    store.rebuild_index()
    parent = store.mock_sessions(interview.id)[-1]
    if follow_up:
        draft = store.create(
            question=None,
            prompt=second.follow_ups[0],
            mock_id=interview.id,
            follow_up_of=parent.id,
        )
        words = [{"word": w, "start": a, "end": b} for w, a, b in ANSWER_WORDS[:8]]
        transcript = Transcript.from_vosk([{"result": words}])
        store.finish(draft, transcript=transcript, report=analyze(transcript, None).to_dict())
    interview.finish(completed=True)
    return interview.id
