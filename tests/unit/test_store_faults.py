"""The store names what really stops a write (found by tests/e2e).

- A full disk was reported as "the data folder is read-only": there SQLite
  cannot size the index's -shm file, so the index opens read-only.
- A folder where the index belongs was reported as a read-only data folder.
- ``delete`` in a folder made read-only with chmod said only "Permission denied".
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from voice_mock.errors import UserError
from voice_mock.store import Store
from voice_mock.store import index as index_module
from voice_mock.store import sessions as sessions_module
from voice_mock.transcript import Transcript, Word


def saved_session(root: Path, question_text: str | None = None) -> str:
    with Store(root) as store:
        draft = store.create(question=None)
        store.finish(draft, transcript=Transcript.from_words([Word("hi", 0.5, 0.9)]), report=None)
        if question_text is not None:
            meta_path = draft.folder / "session.json"
            meta = json.loads(meta_path.read_text())
            meta["question_text"] = question_text
            meta_path.write_text(json.dumps(meta))
            store.rebuild_index()
        return draft.id


# --- the store's diagnosis of a failed write --------------------------------------------------


def fake_statvfs(*, free: int, read_only: bool = False) -> Any:
    return lambda _path: SimpleNamespace(
        f_flag=os.ST_RDONLY if read_only else 0, f_bavail=free // 4096, f_frsize=4096
    )


def test_disk_problem_tells_a_full_disk_from_a_read_only_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module.os, "statvfs", fake_statvfs(free=0))
    assert index_module.disk_problem(tmp_path).errno == errno.ENOSPC
    monkeypatch.setattr(index_module.os, "statvfs", fake_statvfs(free=10**9, read_only=True))
    assert index_module.disk_problem(tmp_path).errno == errno.EROFS
    monkeypatch.setattr(index_module.os, "statvfs", fake_statvfs(free=10**9))
    assert index_module.disk_problem(tmp_path).errno == errno.EROFS  # only the index file


def test_a_writer_on_a_full_disk_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a full disk SQLite opens the index read-only (no room for its -shm file)."""
    root = tmp_path / "sessions"
    saved_session(root)
    store = Store(root)
    try:
        store._index.read_only = True  # what opening it on the full disk ends with
        monkeypatch.setattr(index_module.os, "statvfs", fake_statvfs(free=0))
        with pytest.raises(UserError, match="the disk is full"):
            store.create(question=None)
        with pytest.raises(UserError, match="the disk is full"):
            store.rebuild_index()
    finally:
        store.close()


def test_a_folder_in_place_of_the_index_is_named(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    session = saved_session(root)
    for name in ("index.sqlite3", "index.sqlite3-wal", "index.sqlite3-shm"):
        (root / name).unlink(missing_ok=True)
    (root / "index.sqlite3").mkdir()
    with Store(root) as store:
        assert [r.id for r in store.sessions()] == [session]  # reading still works
        with pytest.raises(UserError, match="is a folder, not an index file") as caught:
            store.rebuild_index()
        assert "read-only" not in str(caught.value)
    assert (root / "index.sqlite3").is_dir()  # never removed


def test_delete_in_a_write_protected_folder_says_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "sessions"
    session = saved_session(root)

    def refused(path: Any, onerror: Any) -> None:  # as rmtree after chmod a-w, as a user
        error = PermissionError(errno.EACCES, "Permission denied")
        onerror(os.unlink, str(Path(path) / "session.json"), (PermissionError, error, None))

    monkeypatch.setattr(sessions_module.shutil, "rmtree", refused)
    with Store(root) as store:
        with pytest.raises(UserError, match="read-only") as caught:
            store.delete(session)
        assert "its files are still in" in str(caught.value)
        assert store.get(session).id == session  # the row stays with the files
