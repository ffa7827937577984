"""`voice-mock practice` says each note once.

A turn's notes reach the command line twice over: the live line printer
shows them as the turn says them, and the turn's result carries them again
at the end. Without a model the reason was printed three times (before the
question, when the answer ended, and at the end), and a full disk's sentence
twice. Run in-process on the coach's fakes: a file microphone, a silent
speaker, no model (the models folder is empty).
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest

from tests.support.app import file_mic, services_for
from tests.support.crafted import write_config, write_wav
from voice_mock.cli import main
from voice_mock.speech.models import model_missing_message
from voice_mock.store import sessions as sessions_module

QUESTION = "customer-service/what-is-customer-service"


@pytest.fixture
def no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Any:
    """No model anywhere, answers stop on their own, the microphone plays a short file."""
    from voice_mock import config

    models = tmp_path / "no-models"
    models.mkdir()
    monkeypatch.setattr(config, "default_models_dir", lambda: models)
    monkeypatch.delenv("VOICE_MOCK_MODEL", raising=False)
    write_config(isolated_home, "[audio]\nsilence_stop_s = 0.0\nmax_answer_s = 30.0\n")
    wav = write_wav(tmp_path / "answer.wav", 1.0)
    return services_for(mic=file_mic(wav, realtime=False))


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def repeated(text: str) -> list[str]:
    """Lines said more than once (the progress lines of one turn are each said once too)."""
    seen = lines(text)
    return sorted({line for line in seen if seen.count(line) > 1})


def test_practice_without_a_model_says_the_reason_once(
    capsys: pytest.CaptureFixture[str], no_model: Any
) -> None:
    code = main(["practice", "--question", QUESTION], services=no_model)
    _, err = capsys.readouterr()
    assert code == 0, err
    assert err.count(model_missing_message()) == 1, err
    assert err.count("The answer was saved and will be transcribed later.") == 1, err
    assert repeated(err) == [], err
    assert "Saved as session " in err


def test_practice_on_a_full_disk_says_so_once(
    capsys: pytest.CaptureFixture[str], no_model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sessions_module.write_meta

    def write_meta(folder: Path, meta: dict[str, Any]) -> None:
        if meta.get("status") != "recording":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(folder, meta)

    monkeypatch.setattr(sessions_module, "write_meta", write_meta)
    code = main(["practice", "--question", QUESTION], services=no_model)
    _, err = capsys.readouterr()
    assert code == 2, err  # the answer could not be saved whole
    assert err.count("could not be saved: the disk is full") == 1, err
    assert "was saved" not in err, err
    assert err.count(model_missing_message()) == 1, err
    assert repeated(err) == [], err
    assert "Saved as session " not in err


def test_a_mock_without_a_model_says_the_reason_once(
    capsys: pytest.CaptureFixture[str], no_model: Any
) -> None:
    code = main(["practice", "--mock", "2"], services=no_model)
    out, err = capsys.readouterr()
    assert code == 0, err
    reason = model_missing_message()
    assert (out + err).count(reason) == 1, out + err
    # Each answer is said to be saved once: by the turn, not again in the answer's line.
    assert (out + err).count("The answer was saved and will be transcribed later.") == 2, out + err
    assert "Saved as mock interview " in err
