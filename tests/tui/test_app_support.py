"""The TUI test support builds a complete saved session."""

from __future__ import annotations

from pathlib import Path

from tests.support.app import ANSWER_WORDS, build_app, save_session, services_for


def test_saved_session_is_complete(isolated_home: Path) -> None:
    _app, library, store = build_app(services_for())
    record = save_session(store, library)
    assert record.status == "done"
    assert record.word_count == len(ANSWER_WORDS)
    assert record.load_transcript() is not None
