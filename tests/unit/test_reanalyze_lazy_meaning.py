"""`Coach.reanalyze` checks the session before it loads the embedding model.

It used to load the model first (as `analyze_file` did before it was fixed), so
a session with nothing to transcribe, or audio with no speech model to read
it, waited for the model's load (and failed on a machine where it cannot
load) before its one-sentence refusal.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.support.lazy import BANK, TRANSCRIPT, CountingLoader, coach_with
from voice_mock.coach import Coach
from voice_mock.errors import UserError
from voice_mock.store import SessionRecord


def saved_session(tmp_path: Path, coach: Coach, *, audio: bool = False) -> SessionRecord:
    """A session answered to the bank's question, saved from a transcript (and a WAV)."""
    source = tmp_path / "answer.json"
    source.write_text(json.dumps(TRANSCRIPT), encoding="utf-8")
    question = coach.library.find("lazy-bank/calm-caller")
    result = coach.analyze_file(source, question=question, phone=False)
    if audio:
        wav = tmp_path / "answer.wav"
        sf.write(str(wav), np.zeros(16000, dtype=np.int16), 16000, subtype="PCM_16")
        result = replace(result, audio_path=wav)
    return coach.save_analysis(result, question, phone=False)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VOICE_MOCK_HOME", str(tmp_path / "home"))
    return tmp_path


def test_a_session_with_no_transcript_and_no_recording_is_refused_before_the_model(
    home: Path,
) -> None:
    loader = CountingLoader()
    coach = coach_with(home, loader)
    record = saved_session(home, coach)
    record.transcript_path.unlink()
    loader.calls = 0
    with pytest.raises(UserError, match="no recording"):
        coach.reanalyze(record.id)
    assert loader.calls == 0


def test_retranscribing_without_a_speech_model_is_refused_before_the_model(home: Path) -> None:
    loader = CountingLoader()
    coach = coach_with(home, loader)
    record = saved_session(home, coach, audio=True)
    loader.calls = 0
    with pytest.raises(UserError, match="model"):
        coach.reanalyze(record.id, retranscribe=True)
    assert loader.calls == 0


def test_a_session_of_a_bank_not_loaded_is_refused_before_the_model(home: Path) -> None:
    loader = CountingLoader()
    coach = coach_with(home, loader)
    record = saved_session(home, coach)
    other = coach_with(home, loader, BANK.replace("lazy-bank", "other-bank"))
    loader.calls = 0
    with pytest.raises(UserError, match="not in the loaded"):
        other.reanalyze(record.id)
    assert loader.calls == 0


def test_an_unknown_session_is_refused_before_the_model(home: Path) -> None:
    loader = CountingLoader()
    coach = coach_with(home, loader)
    with pytest.raises(UserError):
        coach.reanalyze("no-such-session")
    assert loader.calls == 0


def test_a_good_session_loads_the_model_once_and_is_analysed_again(home: Path) -> None:
    loader = CountingLoader()
    coach = coach_with(home, loader)
    record = saved_session(home, coach)
    loader.calls = 0
    updated, result = coach.reanalyze(record.id)
    assert loader.calls == 1
    assert updated.id == record.id
    assert [c.id for c in result.report.coverage.covered] == ["listen"]
