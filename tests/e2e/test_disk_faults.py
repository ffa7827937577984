"""A full disk and a read-only data folder (report HIGH 3, MEDIUM 7 and 8).

The promises: commands that only read keep working; a writer fails with one
sentence that says what happened (and that the audio is kept); a failed save
leaves no orphan session folder; and a practice turn that runs out of space
mid-answer keeps what it recorded, which the next start finishes.

As root (CI) the data folder is a 2 MB tmpfs, filled and then remounted
read-only; otherwise a file-size limit and ``chmod`` stand in (see
`tests.support.faults`), so the test runs everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import crafted
from tests.support.cli import Ran, failure_problem, one_sentence_problem, run
from tests.support.faults import FaultyFolder, faulty_folder
from tests.support.turns import PracticeRun, playable_problem, wav_state

QUESTION = "what-is-customer-service"


def folders(home: Path) -> set[str]:
    root = home / "sessions"
    return {p.name for p in root.iterdir() if p.is_dir()} if root.exists() else set()


def listed(ran: Ran) -> set[str]:
    assert ran.returncode == 0, ran.describe()
    assert ran.stderr == "", ran.describe()
    return {row["id"] for row in json.loads(ran.stdout)}


def last_line_problem(text: str, *needles: str) -> str | None:
    """Why the last stderr line of a practice turn is not one sentence saying `needles`."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "nothing on stderr"
    if "Traceback" in text:
        return "a traceback"
    problem = one_sentence_problem(lines[-1] if lines[-1].startswith("voice-mock: ") else
                                   "voice-mock: " + lines[-1])  # fmt: skip
    if problem:
        return problem
    missing = [n for n in needles if n.lower() not in lines[-1].lower()]
    return f"the last line does not say {missing}" if missing else None


def read_only_problem(ran: Ran, disk: FaultyFolder) -> str | None:
    """Why `ran` is not one sentence saying the data folder is read-only."""
    problem = failure_problem(ran)
    if problem:
        return problem
    said = ran.stderr.lower()
    if "read-only" in said:
        return None
    if not disk.mounted and ran.args[0] == "export" and "permission denied" in said:
        return None  # -o names any path: the system's own words for it, after chmod a-w
    return "the sentence does not say the folder is read-only"


@pytest.mark.vosk
def test_full_then_read_only_data_folder(
    tmp_path: Path, ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    transcript = crafted.write_json(tmp_path / "t.json", crafted.THREE_WORDS)
    speech = espeak_ko(crafted.SHORT_KO)
    with faulty_folder(tmp_path / "disk") as disk:
        home = disk.home
        saved = crafted.make_sessions(home / "sessions", free=1, questions=(QUESTION,))
        crafted.write_config(home, "[audio]\nsilence_stop_s = 1.0\nmax_answer_s = 30.0\n")
        before = folders(home)

        # --- the disk is full -------------------------------------------------------------
        disk.fill()
        assert listed(run("history", "--json", home=home, **disk.child())) == set(saved)
        exported = run("export", saved[0], home=home, **disk.child())
        assert exported.returncode == 0 and saved[0] in exported.stdout, exported.describe()
        full = "disk is full" if disk.mounted else "could not be saved"
        for command in (("analyze", transcript, "--save"), ("reindex",)):
            ran = run(*command, home=home, **disk.child())
            assert failure_problem(ran, full) is None, ran.describe()
        assert folders(home) == before, "a failed save left a session folder behind"

        # --- the disk fills up mid-answer ---------------------------------------------------
        disk.free()
        disk.fill(leave_bytes=96_000)  # about two seconds of audio
        turn = PracticeRun(speech, ["--question", QUESTION], home=home, **disk.child())
        status = turn.finish(timeout=60)
        assert "Traceback" not in turn.stderr, turn.stderr
        assert "audio recorded so far is kept" in turn.stderr, turn.stderr
        if disk.mounted:  # the answer could not be saved whole: exit 2, and the last word says so
            assert status == 2, turn.stderr
            assert last_line_problem(turn.stderr, "disk is full", "recording is kept") is None, (
                turn.stderr
            )
        (new,) = folders(home) - before
        answer = home / "sessions" / new / "answer.wav"
        assert playable_problem(answer) is None, playable_problem(answer)
        kept = wav_state(answer)
        assert kept.frames > 0

        # --- room again: the next start finishes it, every sample still there --------------------
        disk.free()
        from voice_mock.bank import load_library
        from voice_mock.coach import Coach
        from voice_mock.config import Settings
        from voice_mock.store import Store

        with Store(home / "sessions") as store:
            outcome = Coach(Settings(), load_library([]), store).recover_unfinished()
            assert [(r.session_id, r.status) for r in outcome] in ([], [(new, "untranscribed")])
            assert store.get(new).status == "untranscribed"
        assert wav_state(answer).frames == kept.frames

        # --- read-only -------------------------------------------------------------------
        disk.make_read_only()
        every = listed(run("history", "--json", home=home, **disk.child()))
        assert every == set(saved) | {new}
        exported = run("export", saved[0], home=home, **disk.child())
        assert exported.returncode == 0 and saved[0] in exported.stdout, exported.describe()
        for args in (
            ("analyze", transcript, "--save"),
            ("delete", saved[0], "--yes"),
            ("reanalyze", saved[1]),
            ("reindex",),
            ("export", saved[0], "-o", home / "report.md"),
        ):
            ran = run(*args, home=home, **disk.child())
            assert read_only_problem(ran, disk) is None, ran.describe()
        turn = PracticeRun(speech, ["--question", QUESTION], home=home, **disk.child())
        assert turn.finish(timeout=60) == 2, turn.stderr
        assert last_line_problem(turn.stderr, "read-only") is None, turn.stderr
        assert folders(home) == before | {new}, "a writer changed the read-only folder"
        assert listed(run("history", "--json", home=home, **disk.child())) == every
