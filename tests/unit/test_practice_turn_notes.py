"""What a practice turn tells the user about saving is one true sentence.

With no speech model an answer is saved untranscribed, and the turn says so.
When that save fails (a full disk), the user was told both that the answer
"could not be saved" and that it "was saved and will be transcribed later".
Exactly one sentence about saving must be said, and it must be the true one.
The full disk is the store's own: a write of the finished session's metadata
fails with ENOSPC, as on a full tmpfs (tests/e2e/test_disk_faults.py does that
with a real one, through the command line and with a model).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.crafted import write_wav
from tests.support.faults import full_disk_on_finish
from voice_mock.audio.sources import FileSource
from voice_mock.coach.turn import PracticeTurn, TurnResult, TurnState
from voice_mock.config import AudioSettings, Settings
from voice_mock.speech.tts import SilentSpeaker
from voice_mock.store import Store


class Said:
    """The messages a front would show, in order."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.states: list[TurnState] = []

    def on_state(self, state: TurnState) -> None:
        self.states.append(state)

    def on_level(self, dbfs: float, speaking: bool, elapsed_s: float) -> None:
        return None

    def on_partial(self, text: str) -> None:
        return None

    def on_message(self, text: str) -> None:
        self.messages.append(text)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def about_saving(text: str) -> list[str]:
    """The sentences of `text` that say whether the answer was saved."""
    return [s for s in sentences(text) if re.search(r"\b(was saved|be saved)\b", s)]


def run_without_model(
    tmp_path: Path, said: Said, *, model: Path | None = None, notice_given: bool = False
) -> TurnResult:
    tmp_path.mkdir(parents=True, exist_ok=True)
    wav = write_wav(tmp_path / "answer.wav", 1.0)
    settings = Settings(audio=AudioSettings(silence_stop_s=0.0, max_answer_s=0.0))
    with Store(tmp_path / "sessions") as store:
        turn = PracticeTurn(
            None,
            prompt="Tell me about yourself.",
            settings=settings,
            store=store,
            model_path=model,
            source=FileSource(wav, realtime=False),
            speaker=SilentSpeaker(),
            listener=said,
        )
        turn.model_notice_given = notice_given
        return turn.run()


def test_no_model_and_a_full_disk_says_only_that_it_could_not_be_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full_disk_on_finish(monkeypatch)
    said = Said()
    result = run_without_model(tmp_path, said)
    assert result.session_id is not None and not result.saved
    assert result.message is not None
    saving = about_saving(result.message)
    assert len(saving) == 1, result.message
    assert "could not be saved" in saving[0] and "disk is full" in saving[0], saving
    assert "will be transcribed later" not in result.message, result.message
    shown = about_saving(" ".join(said.messages))
    assert len(shown) == 1 and "could not be saved" in shown[0], said.messages
    assert result.folder is not None and (result.folder / "answer.wav").is_file()  # kept


def test_no_model_and_room_says_it_was_saved_for_later(tmp_path: Path) -> None:
    said = Said()
    result = run_without_model(tmp_path, said)
    assert result.saved and result.message is not None
    saving = about_saving(result.message)
    assert saving == ["The answer was saved and will be transcribed later."], result.message
    assert about_saving(" ".join(said.messages)) == saving, said.messages
    assert said.states[-1] == TurnState.DONE


def test_a_reason_already_heard_is_not_said_again(tmp_path: Path) -> None:
    """A model that fails to load is named before the recording; a front may say there is none."""
    broken = tmp_path / "not-a-model"
    broken.mkdir()
    said = Said()
    result = run_without_model(tmp_path, said, model=broken)
    assert result.saved and result.message is not None
    (problem,) = [m for m in said.messages if "not-a-model" in m]  # once, before recording
    assert said.messages[-1] == "The answer was saved and will be transcribed later."
    assert problem in result.message and result.unsaid == ()

    said = Said()
    result = run_without_model(tmp_path / "2", said, notice_given=True)
    assert said.messages == ["The answer was saved and will be transcribed later."]
    assert result.message is not None and "voice-mock model download" in result.message
    assert result.unsaid == ()
