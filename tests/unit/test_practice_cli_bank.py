"""`voice-mock practice --bank ID`: a mock phone screen (or one answer) from one bank.

Without it, `practice --mock N` mixes every loaded bank, so the command line
could not run the mock phone screen the issue asks for. In-process on the
coach's fakes: a file microphone, a silent speaker, no model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.app import file_mic, services_for
from tests.support.crafted import write_config, write_wav
from voice_mock.bank import load_library
from voice_mock.cli import main
from voice_mock.config import Settings
from voice_mock.store import Store


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Any:
    from voice_mock import config

    models = tmp_path / "no-models"
    models.mkdir()
    monkeypatch.setattr(config, "default_models_dir", lambda: models)
    monkeypatch.delenv("VOICE_MOCK_MODEL", raising=False)
    write_config(isolated_home, "[audio]\nsilence_stop_s = 0.0\nmax_answer_s = 30.0\n")
    return services_for(mic=file_mic(write_wav(tmp_path / "a.wav", 1.0), realtime=False))


def test_a_mock_phone_screen_asks_only_the_phone_screen_banks_questions(
    capsys: pytest.CaptureFixture[str], fakes: Any
) -> None:
    code = main(["practice", "--mock", "3", "--bank", "phone-screen", "--phone"], services=fakes)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("Mock phone screen: 3 questions.")
    (mock,) = Store(Settings().sessions_dir()).mocks()
    assert mock.title == "Mock phone screen" and mock.phone
    assert [q.bank_id for q in mock.questions] == ["phone-screen"] * 3
    phone_texts = {q.text for q in load_library().bank("phone-screen").questions}
    assert {q.text for q in mock.questions} <= phone_texts


def test_one_answer_from_a_bank_is_one_of_its_questions(
    capsys: pytest.CaptureFixture[str], fakes: Any
) -> None:
    first = load_library().bank("general").questions[0]
    assert main(["practice", "--bank", "general"], services=fakes) == 0
    out, _ = capsys.readouterr()
    assert out.startswith(f"Question ({first.qualified_id}): ")  # none answered: bank order
    (record,) = Store(Settings().sessions_dir()).sessions()
    assert record.question_id in {q.id for q in load_library().bank("general").questions}


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--bank", "no-such-bank"], "No question bank 'no-such-bank' is loaded"),
        (["--bank", "general", "--question", "what-is-customer-service"], "not both"),
    ],
)
def test_a_bad_bank_is_one_sentence(
    capsys: pytest.CaptureFixture[str], fakes: Any, argv: list[str], said: str
) -> None:
    assert main(["practice", *argv], services=fakes) == 2
    _, err = capsys.readouterr()
    assert said in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert Store(Settings().sessions_dir()).count() == 0
