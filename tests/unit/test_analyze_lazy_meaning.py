"""`Coach.analyze_file` reads and checks its input before it loads the embedding model.

A mistyped path or a broken transcript used to wait for the model's load (and
fail on a machine where it cannot load) before the one-sentence refusal.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.support.lazy import TRANSCRIPT, CountingLoader, coach_with
from voice_mock.errors import UserError


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda d: d / "missing.json", id="missing"),
        pytest.param(lambda d: d, id="folder"),
        pytest.param(lambda d: _write(d / "bad.json", "{not json"), id="malformed-json"),
        pytest.param(lambda d: _write(d / "empty.json", ""), id="empty"),
        pytest.param(lambda d: _write(d / "noise.wav", "not a wav at all"), id="corrupt-wav"),
    ],
)
def test_bad_input_is_refused_without_loading_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: object
) -> None:
    monkeypatch.setenv("VOICE_MOCK_HOME", str(tmp_path / "home"))
    loader = CountingLoader()
    coach = coach_with(tmp_path, loader)
    question = coach.library.find("lazy-bank/calm-caller")
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(UserError):
        coach.analyze_file(path, question=question, phone=False)
    assert loader.calls == 0


def test_audio_without_a_speech_model_is_refused_before_the_embedding_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICE_MOCK_HOME", str(tmp_path / "home"))
    loader = CountingLoader()
    coach = coach_with(tmp_path, loader)
    wav = tmp_path / "answer.wav"
    sf.write(str(wav), np.zeros(16000, dtype=np.int16), 16000, subtype="PCM_16")
    with pytest.raises(UserError, match="model"):
        coach.analyze_file(wav, question=None, phone=False)
    assert loader.calls == 0


def test_a_good_transcript_loads_the_model_once_and_is_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICE_MOCK_HOME", str(tmp_path / "home"))
    loader = CountingLoader()
    coach = coach_with(tmp_path, loader)
    path = _write(tmp_path / "answer.json", json.dumps(TRANSCRIPT))
    question = coach.library.find("lazy-bank/calm-caller")
    result = coach.analyze_file(path, question=question, phone=False)
    assert loader.calls == 1
    assert [c.id for c in result.report.coverage.covered] == ["listen"]
    assert result.audio_path is None


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
