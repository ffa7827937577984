"""Atomic writes leave the old file or the new one, never half of either."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voice_mock import fileio


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a" / "report.json"
    fileio.atomic_write_json(target, {"x": 1})
    fileio.atomic_write_json(target, {"x": 2, "ü": "é"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"x": 2, "ü": "é"}
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_failure_keeps_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "session"
    folder.mkdir()
    target = folder / "report.json"
    target.write_text("old")
    with pytest.raises(TypeError):
        fileio.atomic_write_json(target, {"bad": object()})

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", full_disk)
    with pytest.raises(OSError):
        fileio.atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in folder.iterdir()] == ["report.json"]
