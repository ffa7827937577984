"""The application layer: what both fronts rely on the coach for, and the drifts it ended."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.support.sessions import crashed
from voice_mock.audio.devices import Device
from voice_mock.bank import load_library
from voice_mock.coach import Coach, Services
from voice_mock.config import AudioSettings, Settings
from voice_mock.store import Store
from voice_mock.transcript import Transcript

BANK = """
[bank]
id = "my-bank"
title = "Mine"

[[questions]]
id = "custom-question"
text = "How would you calm a caller?"
category = "scenario"

[[questions.key_points]]
id = "listen"
label = "Listen first"
cues = ["listen"]
"""

ANSWER = [
    {
        "text": "i would listen to them",
        "result": [
            {"word": w, "start": 0.5 + i / 2, "end": 0.75 + i / 2, "conf": 1.0}
            for i, w in enumerate(["i", "would", "listen", "to", "them"])
        ],
    }
]


def coach_with(tmp_path: Path, **services: object) -> Coach:
    bank = tmp_path / "mine.toml"
    bank.write_text(BANK)
    settings = Settings()
    store = Store(settings.sessions_dir())
    offline = Services(embedder=lambda: None, find_model=lambda s: None)
    for name, value in services.items():
        setattr(offline, name, value)
    return Coach(settings, load_library([bank]), store, offline)


def test_recovery_judges_a_custom_bank_answer_against_its_own_question(tmp_path: Path) -> None:
    """A crashed answer to a --questions bank question was re-analysed as a free answer."""
    coach = coach_with(tmp_path)
    question = coach.question("my-bank/custom-question")
    draft = crashed(coach.store.create(question=question))
    (draft.folder / "transcript.json").write_text(json.dumps(ANSWER))
    [outcome] = coach.recover_unfinished()
    assert outcome.status == "done"
    report = coach.store.get(draft.id).load_report()
    assert report is not None and report["question_id"] == "custom-question"
    assert report["coverage"]["ratio"] == 1.0


def test_a_transcript_only_session_with_a_damaged_report_is_repaired_not_deleted(
    tmp_path: Path,
) -> None:
    """Recovery once deleted such a session, its intact transcript included."""
    coach = coach_with(tmp_path)
    transcript_file = tmp_path / "answer.json"
    transcript_file.write_text(json.dumps(ANSWER))
    result = coach.analyze_file(transcript_file, question=None, phone=False)
    record = coach.save_analysis(result, None, phone=False)
    (record.folder / "report.json").write_text('{"trunc')
    coach.store.rebuild_index()
    assert coach.store.get(record.id).status == "untranscribed"
    [outcome] = coach.recover_unfinished()
    assert outcome.status == "done"
    again = coach.store.get(record.id)
    assert again.status == "done" and again.folder.is_dir()
    kept = again.load_transcript()
    assert kept is not None and kept.text == Transcript.load(transcript_file).text


def test_a_crashed_take_too_short_to_hold_a_word_is_saved_once_not_retried(
    tmp_path: Path,
) -> None:
    coach = coach_with(tmp_path)
    draft = crashed(coach.store.create(question=None))
    sf.write(draft.audio_path, np.zeros(800, np.int16), 16000, subtype="PCM_16")  # 0.05 s
    [outcome] = coach.recover_unfinished(model_path=tmp_path)  # no model needed for it
    assert outcome.status == "done"
    assert coach.store.unfinished() == []
    assert draft.audio_path.is_file()  # nothing the user recorded is removed


def test_the_home_screen_names_the_microphone_the_recorder_opens(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Device 2 once matched "ALC892 (hw:0,0)" by substring on the home screen only."""
    import voice_mock.audio.devices as devices

    listed = [
        Device(0, "ALC892 (hw:0,0)", 2, 0, 48000.0, is_default_in=True),
        Device(1, "HDMI out", 0, 2, 48000.0, is_default_out=True),
        Device(2, "USB microphone", 1, 0, 16000.0),
    ]
    monkeypatch.setattr(devices, "list_devices", lambda: listed)
    coach = coach_with(tmp_path)
    coach.apply_settings(Settings(audio=AudioSettings(input_device=2)))
    assert coach.input_device().name == "USB microphone"
    assert devices.pick_input(2).name == coach.input_device().name


def test_the_speaker_says_once_why_questions_are_not_spoken(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    coach = coach_with(tmp_path)
    choice = coach.speaker()
    assert choice.why_not is not None and "espeak-ng" in choice.why_not
    assert coach.speaker_note() == choice.why_not
    assert coach.speaker_note() is None  # told once


def test_least_practised_counts_finished_answers_in_one_query(tmp_path: Path) -> None:
    coach = coach_with(tmp_path)
    first = coach.library.questions()[0]
    draft = coach.store.create(question=first)
    coach.store.finish(draft, transcript=Transcript(), report={"word_count": 0})
    assert coach.store.answer_counts() == {first.qualified_id: 1}
    assert coach.least_practised() != first
