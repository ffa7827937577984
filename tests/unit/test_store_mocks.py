"""A mock interview saved as a unit: its file, its answers' mock_id, the index, reindex."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.app import save_session
from voice_mock.bank import load_library
from voice_mock.errors import UserError
from voice_mock.store import INDEX_NAME, Store
from voice_mock.store.folders import MOCKS_DIR


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "sessions")


def test_a_mock_with_its_answers_and_a_follow_up_is_one_unit(store: Store) -> None:
    library = load_library()
    first, second = library.questions()[:2]
    mock = store.create_mock([first, second], phone=True)
    assert mock.status == "running" and mock.finished_at is None and mock.phone
    assert [q.qualified_question_id for q in mock.questions] == [
        first.qualified_id,
        second.qualified_id,
    ]
    answer = store.create(question=first, mock_id=mock.id)
    saved = store.finish(answer, transcript=None, report=None)
    follow = store.create(
        question=None, prompt="And how did that turn out?", mock_id=mock.id, follow_up_of=saved.id
    )
    store.finish(follow, transcript=None, report=None)
    store.create(question=second)  # not part of it
    listed = store.mock_sessions(mock.id)
    assert [r.id for r in listed] == [saved.id, follow.id]
    follow_record = listed[1]
    assert follow_record.follow_up_of == saved.id
    assert follow_record.question_text is not None
    assert follow_record.question_text.startswith("And how")
    assert "follow-up" in follow.id
    record = store.mocks()[0]
    assert (record.answers, record.follow_ups) == (1, 1)
    done = store.finish_mock(mock.id[-6:])  # its random part is enough, like a session's
    assert done.status == "done" and done.finished_at is not None
    assert done.started_at == mock.started_at and done.questions == mock.questions
    session_meta = json.loads((saved.folder / "session.json").read_text())
    assert session_meta["mock_id"] == mock.id
    path = store.root / MOCKS_DIR / f"{mock.id}.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_reindex_restores_mocks_from_their_files_and_from_their_answers(store: Store) -> None:
    library = load_library()
    first, second = library.questions()[:2]
    kept = store.create_mock([first, second])
    lost = store.create_mock([second])
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for n, (mock_id, question) in enumerate([(kept.id, first), (lost.id, second)]):
        record = save_session(store, library, started_at=start + timedelta(minutes=n))
        meta = json.loads((record.folder / "session.json").read_text())
        meta["mock_id"] = mock_id
        meta["question_id"], meta["bank_id"] = question.id, question.bank_id
        meta["question_text"] = question.text
        (record.folder / "session.json").write_text(json.dumps(meta))
    store.finish_mock(kept.id)
    (store.root / MOCKS_DIR / f"{lost.id}.json").unlink()
    (store.root / INDEX_NAME).unlink()
    again = Store(store.root)
    mocks = {m.id: m for m in again.mocks()}
    assert set(mocks) == {kept.id, lost.id}
    assert mocks[kept.id].status == "done" and len(mocks[kept.id].questions) == 2
    assert mocks[kept.id].answers == 1 and mocks[kept.id].wpm is not None
    rebuilt = mocks[lost.id]  # from its one answer: the question it asked, in order
    assert [q.text for q in rebuilt.questions] == [second.text]
    assert again.rebuild_index().count == 2
    assert {m.id for m in again.mocks()} == {kept.id, lost.id}


def test_an_old_index_is_rebuilt_with_the_new_tables(store: Store) -> None:
    library = load_library()
    save_session(store, library)
    store.close()
    db = sqlite3.connect(store.root / INDEX_NAME)
    db.execute("PRAGMA user_version = 1")
    db.execute("DROP TABLE mocks")
    db.commit()
    db.close()
    again = Store(store.root)
    assert again.count() == 1 and again.mocks() == []
    assert again.count_mocks() == 0


def test_a_hand_edited_mock_id_never_becomes_a_path(store: Store) -> None:
    library = load_library()
    record = save_session(store, library)
    meta = json.loads((record.folder / "session.json").read_text())
    meta["mock_id"] = "../../etc/passwd"
    (record.folder / "session.json").write_text(json.dumps(meta))
    assert store.rebuild_index().count == 1
    assert store.get(record.id).mock_id is None and store.mocks() == []
    with pytest.raises(UserError, match="not a mock interview id"):
        store.create(question=None, mock_id="../x")
    with pytest.raises(UserError, match="no saved mock interview"):
        store.mock("nothing-like-it")


def test_a_mock_left_before_any_answer_can_be_discarded(store: Store) -> None:
    library = load_library()
    mock = store.create_mock(library.questions()[:1])
    store.discard_mock(mock.id)
    assert store.mocks() == [] and not (store.root / MOCKS_DIR / f"{mock.id}.json").exists()
    kept = store.create_mock(library.questions()[:1])
    store.finish(store.create(question=None, mock_id=kept.id), transcript=None, report=None)
    with pytest.raises(UserError, match="holds answers"):
        store.discard_mock(kept.id)
