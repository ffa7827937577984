"""Nothing voice-mock writes is readable by another local user (report MEDIUM 2).

With the usual umask 022, a practice turn (recording, transcript, report),
``analyze --save`` of a transcript, an export into the data folder and a reindex must
leave every folder under the data folder 0700 and every file 0600: the
recording, the transcript, the report, the index and its -wal/-shm files
(looked at while a process holds the index open, when they exist).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support import crafted
from tests.support.cli import run
from tests.support.turns import PracticeRun


def umask_022() -> None:
    os.umask(0o022)


def modes(home: Path) -> dict[str, str]:
    """Every path under `home` (itself included) with its permission bits, as octal text."""
    found = {".": oct(stat.S_IMODE(home.stat().st_mode))}
    for root, dirs, files in os.walk(home):
        for name in (*dirs, *files):
            path = Path(root) / name
            try:
                found[str(path.relative_to(home))] = oct(stat.S_IMODE(path.lstat().st_mode))
            except FileNotFoundError:  # a -wal/-shm file closed meanwhile
                continue
    return found


def too_open(found: dict[str, str], home: Path) -> dict[str, str]:
    return {
        name: mode
        for name, mode in found.items()
        if int(mode, 8) != (0o700 if (home / name).is_dir() else 0o600)
    }


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.vosk
def test_everything_in_the_data_folder_is_private(
    tmp_path: Path, umask: None, ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    home = tmp_path / "home"  # voice-mock creates it
    speech = espeak_ko(crafted.SHORT_KO)
    transcript = crafted.write_json(tmp_path / "t.json", crafted.THREE_WORDS)
    config = "[audio]\nsilence_stop_s = 1.0\nmax_answer_s = 30.0\n"

    # First a transcript (voice-mock creates the data folder), then the config for short takes.
    saved = run("analyze", transcript, "--save", home=home, preexec=umask_022)
    assert saved.returncode == 0, saved.describe()
    session = saved.stderr.strip().removeprefix("Saved as session ").rstrip(".")
    crafted.write_config(home, config)
    os.chmod(home / "config.toml", 0o600)  # the test's own file, not voice-mock's

    args = ["--question", "what-is-customer-service", "--model", str(ko_model_path)]
    turn = PracticeRun(speech, args, home=home, preexec=umask_022)
    assert turn.wait_for("Recording:", timeout=90) is not None, turn.stderr
    seen_live = modes(home)  # the index is open: its -wal and -shm files exist now
    assert turn.finish(timeout=90) == 0, turn.stderr
    exported = run("export", session, "-o", home / "exports" / "answer.md", home=home,
                   preexec=umask_022)  # fmt: skip
    assert exported.returncode == 0, exported.describe()
    assert run("reindex", home=home, preexec=umask_022).returncode == 0

    after = modes(home)
    names = set(seen_live) | set(after)
    for needed in ("sessions/index.sqlite3-wal", "sessions/index.sqlite3-shm"):
        assert needed in seen_live, sorted(seen_live)
    assert any(n.endswith("answer.wav") for n in after), sorted(names)
    assert any(n.endswith("transcript.json") for n in after)
    assert "exports/answer.md" in after
    assert too_open(seen_live, home) == {}, "open while recording"
    assert too_open(after, home) == {}
