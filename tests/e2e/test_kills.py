"""Kills at each stage of a practice turn (report A1-A5, A18-A20): nothing recorded is lost.

`voice-mock practice` runs as a real process (a sound file for a microphone,
real Vosk, the real store) and is killed with SIGKILL the moment it enters
a stage: while the question is spoken, mid-answer, while transcribing and
while analysing. Then recovery runs, as the next start would, and every
recorded sample must still be there in a playable WAV, in a session that
ends ``done`` (or ``untranscribed``). The four processes run at once.

Also here: recovery leaves alone a take the calling process is recording
itself (the app recovers after a model load, maybe mid-answer), and one a
live process is recording, but finishes a crashed take whose old pid now
belongs to some other process.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support import crafted
from tests.support.turns import (
    STAGE_LINES,
    PracticeRun,
    WavState,
    playable_problem,
    readable_problem,
    wav_state,
)

STAGES = ("speaking", "recording", "transcribing", "analysing")
RECORD_BEFORE_KILL_S = 1.5
"""How long into the answer the mid-recording kill lands."""
LOSS_ALLOWED_S = 0.35
"""Audio that may be missing after a kill: the recorder's unwritten last chunk (0.15 s) and
the block in flight (0.1 s); the report measured 0.06-0.16 s."""
CONFIG = "[audio]\nsilence_stop_s = 1.0\nmax_answer_s = 30.0\n"


@dataclass
class Killed:
    stage: str
    home: Path
    run: PracticeRun
    entered: float | None = None
    """When the stage's line appeared."""
    killed_at: float | None = None
    wav_at_kill: WavState | None = None
    readable_at_kill: str | None = None
    """Why the WAV could not be played right after the kill (None: it could)."""
    delivered_s: float = 0.0
    """Audio the microphone had handed to the recorder when the process died."""
    live_left_alone: bool | None = None
    """Mid-recording only: recovery in another process did not touch the live take."""
    recovered: list[Any] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sessions(self) -> list[Path]:
        root = self.home / "sessions"
        return sorted(p for p in root.iterdir() if p.is_dir()) if root.exists() else []


def coach_for(home: Path, model: Path) -> Any:
    """The coach as the next start builds it (bundled banks, the real services)."""
    from voice_mock.bank import load_library
    from voice_mock.coach import Coach
    from voice_mock.config import Settings
    from voice_mock.store import Store

    return Coach(Settings(), load_library([]), Store(home / "sessions"), model_path=model)


def kill_at(stage: str, base: Path, wav: Path, model: Path) -> Killed:
    home = base / stage / "home"
    crafted.write_config(home, CONFIG)
    counter = base / stage / "delivered"
    env = {"E2E_DELIVERED": str(counter)}
    if stage == "speaking":
        env["E2E_SPEAK_S"] = "60"  # the question is still being spoken when the kill comes
    if stage in ("transcribing", "analysing"):
        env["E2E_HOLD"] = f"{stage}=60"  # the kill lands inside the stage, not after it
    args = ["--question", "what-is-customer-service", "--model", str(model)]
    killed = Killed(stage, home, PracticeRun(wav, args, home=home, env=env))
    killed.entered = killed.run.wait_for(STAGE_LINES[stage], timeout=90)
    if killed.entered is not None:
        if stage == "recording":
            time.sleep(RECORD_BEFORE_KILL_S)
            killed.live_left_alone = _recovery_leaves_live_take_alone(home)
        killed.run.kill()
        killed.killed_at = time.monotonic()
        if counter.exists():
            killed.delivered_s = int(counter.read_bytes() or b"0") / 16000
        answers = [s / "answer.wav" for s in killed.sessions if (s / "answer.wav").exists()]
        if answers:
            killed.wav_at_kill = wav_state(answers[0])
            killed.readable_at_kill = readable_problem(answers[0])
    killed.run.finish(timeout=10)
    return killed


def _recovery_leaves_live_take_alone(home: Path) -> bool:
    """Report A18: another process's recovery must not touch a take being recorded."""
    from voice_mock.store import Store

    with Store(home / "sessions") as store:
        return store.unfinished() == []


@pytest.fixture(scope="module")
def killed(
    tmp_path_factory: pytest.TempPathFactory, ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> Iterator[dict[str, Killed]]:
    base = tmp_path_factory.mktemp("kills")
    wav = espeak_ko(crafted.SHORT_KO)
    with ThreadPoolExecutor(max_workers=len(STAGES)) as pool:
        futures = {stage: pool.submit(kill_at, stage, base, wav, ko_model_path) for stage in STAGES}
        results = {stage: future.result() for stage, future in futures.items()}
    # The next start: recovery in a fresh process state (one model load for all four).
    for result in results.values():
        coach = coach_for(result.home, ko_model_path)
        try:
            result.recovered = coach.recover_unfinished()
            result.rows = [r.to_dict() for r in coach.store.sessions(limit=100)]
        finally:
            coach.store.close()
    yield results


@pytest.mark.vosk
@pytest.mark.parametrize("stage", STAGES)
def test_kill_at_each_stage_loses_nothing(stage: str, killed: dict[str, Killed]) -> None:
    result = killed[stage]
    assert result.entered is not None, f"never reached {stage}:\n{result.run.stderr}"
    assert result.run.proc.returncode == -9, result.run.stderr
    assert "Traceback" not in result.run.stderr
    failed = [r for r in result.recovered if r.status == "failed"]
    assert not failed, failed
    if stage == "speaking":
        # Nothing is recorded while the question plays: nothing is saved, nothing is left.
        assert result.sessions == [] and result.rows == []
        return
    (folder,) = result.sessions
    (row,) = result.rows
    assert row["status"] in ("done", "untranscribed"), row
    answer = folder / "answer.wav"
    assert result.readable_at_kill is None, result.readable_at_kill  # playable before recovery
    assert playable_problem(answer) is None, playable_problem(answer)  # and whole after it
    after = wav_state(answer)
    before = result.wav_at_kill
    assert before is not None
    assert after.frames >= before.size_frames, "recovery shortened the recording"
    if stage == "recording":
        assert result.live_left_alone, "recovery touched a take another process was recording"
        assert result.delivered_s >= 1.0, result.delivered_s
        lost = result.delivered_s - after.seconds
        assert lost <= LOSS_ALLOWED_S, f"{lost:.2f} s of {result.delivered_s:.2f} s lost"
    else:
        # The answer was whole when the kill came: the clip and the silence that ended it.
        assert after.seconds >= 3.0, after.seconds
    assert row["status"] == "done"
    transcript = json.loads((folder / "transcript.json").read_text())
    assert transcript, "the recovered answer has no words"
    assert [r.status for r in result.recovered] == ["done"]


@pytest.mark.vosk
def test_recovery_leaves_this_process_own_live_take_alone(
    tmp_path: Path, ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    """Report A20: the app recovers after a model load, maybe while its own take records."""
    coach = coach_for(tmp_path / "home", ko_model_path)
    try:
        draft = coach.store.create(question=None)
        shutil.copy(espeak_ko(crafted.SHORT_KO), draft.audio_path)  # audio is arriving
        empty = coach.store.create(question=None)  # just opened: nothing recorded yet
        assert coach.recover_unfinished() == []
        assert draft.audio_path.stat().st_size > 44 and empty.folder.is_dir()
        statuses = {r.id: r.status for r in coach.store.sessions()}
        assert statuses == {draft.id: "recording", empty.id: "recording"}
    finally:
        coach.store.close()


@pytest.mark.vosk
def test_recovery_finishes_a_crashed_take_whose_pid_was_reused(
    tmp_path: Path, ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    """Report A19: the crashed recorder's pid now belongs to another live process."""
    coach = coach_for(tmp_path / "home", ko_model_path)
    try:
        draft = coach.store.create(question=None)
        shutil.copy(espeak_ko(crafted.SHORT_KO), draft.audio_path)
        meta_path = draft.folder / "session.json"
        meta = json.loads(meta_path.read_text())
        meta["recorder"]["pid"] = os.getppid()  # alive, but not the process that recorded
        meta["recorder"]["identity"] = "another-boot:12345"
        meta_path.write_text(json.dumps(meta))
        (item,) = coach.recover_unfinished()
        assert (item.session_id, item.status) == (draft.id, "done"), item
        assert coach.store.get(draft.id).status == "done"
        assert playable_problem(draft.audio_path) is None
    finally:
        coach.store.close()
