"""`voice-mock practice --mock N` and `voice-mock history --mocks / --mock ID` on the coach.

A file microphone and a silent speaker stand in for the sound card (the
fronts share the coach, so the interviewer behaves as in the app); the real
Korean Vosk model transcribes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.app import file_mic, services_for
from tests.support.speech import TINY_KO
from voice_mock.cli import main
from voice_mock.config import Settings
from voice_mock.store import Store

pytestmark = pytest.mark.vosk


def write_config(home: Path) -> None:
    (home / "config.toml").write_text(
        "[audio]\nsilence_stop_s = 1.0\nmax_answer_s = 30.0\n[practice]\nfollow_up_share = 1.0\n"
    )


def test_a_mock_on_the_command_line_is_saved_and_shown_again(
    capsys: pytest.CaptureFixture[str],
    isolated_home: Path,
    tmp_path: Path,
    ko_model_path: Path,
    espeak_ko: Callable[..., Path],
) -> None:
    write_config(isolated_home)
    wav = espeak_ko(TINY_KO)  # four answers are transcribed: a few words each will do
    services = services_for(mic=file_mic(wav, realtime=False), model_path=ko_model_path)
    code = main(["practice", "--mock", "2", "--model", str(ko_model_path)], services=services)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Mock interview: 2 questions." in out
    assert "Question 1 of 2:" in out and "Question 2 of 2:" in out
    assert out.count("Follow-up: ") == 2  # a share of 1: every answer gets one
    assert "Thank you for your time" in out
    assert "2 of 2 questions answered, 2 follow-ups" in out and "Work on first:" in out
    assert "Saved as mock interview " in err
    store = Store(Settings().sessions_dir())
    mocks = store.mocks()
    assert (
        len(mocks) == 1
        and mocks[0].finished
        and (mocks[0].answers, mocks[0].follow_ups)
        == (
            2,
            2,
        )
    )
    mock_id = mocks[0].id

    assert main(["history", "--mocks"]) == 0
    listed = capsys.readouterr().out
    assert mock_id in listed and "done" in listed and "2/2+2" in listed
    assert main(["history"]) == 0
    assert "↳ follow-up: " in capsys.readouterr().out
    assert main(["history", "--mock", mock_id[-6:]]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Mock interview, ") and "↳ " in shown
    assert main(["history", "--mock", mock_id, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scorecard"]["overall"]["answered"] == 2 and len(data["sessions"]) == 4
    target = tmp_path / "mock.md"
    assert main(["history", "--mock", mock_id, "--output", str(target)]) == 0
    assert target.read_text().startswith("# Mock interview, ")
    assert main(["history", "--mock", mock_id, "--output", str(target)]) != 0  # never replaced
    assert "already exists" in capsys.readouterr().err


def test_mock_arguments_are_checked_first(capsys: pytest.CaptureFixture[str]) -> None:
    services = services_for()
    assert main(["practice", "--mock", "0"], services=services) != 0
    assert "--mock takes a number of questions from 1 to 20" in capsys.readouterr().err
    assert main(["practice", "--mock", "2", "--question", "x"], services=services) != 0
    assert "either --question or --mock" in capsys.readouterr().err
    assert main(["history", "--mocks"]) == 0
    assert "No mock interviews yet" in capsys.readouterr().out
    assert main(["history", "--mock", "nope"]) != 0
    assert "no saved mock interview" in capsys.readouterr().err
    assert main(["history", "--output", "x.md"]) != 0
    assert "add --mock ID" in capsys.readouterr().err
