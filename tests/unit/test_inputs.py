"""The CLI and pipeline test inputs are a valid transcript and a valid bank."""

from __future__ import annotations

from pathlib import Path

from tests.support.inputs import BANK_ID, QUESTION_ID, WORDS, write_bank, write_transcript


def test_transcript_input_is_valid_vosk_json(tmp_path: Path) -> None:
    from voice_mock.transcript import Transcript

    expected = write_transcript(tmp_path / "t.json")
    loaded = Transcript.load(tmp_path / "t.json")
    assert [w.text for w in loaded.words if w.text != "[unk]"] == WORDS
    assert len(loaded.words) == expected.word_count + 1  # plus the noise token
    assert loaded.words[-1].end == expected.duration_s


def test_bank_input_is_a_valid_bank(tmp_path: Path) -> None:
    from voice_mock.bank import validate_path

    (bank,) = validate_path(write_bank(tmp_path))
    assert bank.id == BANK_ID
    assert [q.id for q in bank.questions] == [QUESTION_ID, "why-this-job"]
