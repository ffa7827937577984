"""The analyse pipeline: transcript or audio in, report out; decode and transcribe once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from tests.support.inputs import (
    BANK_ID,
    BANK_TOML,
    QUESTION_ID,
    write_bank,
    write_silent_wav,
    write_transcript,
)
from tests.support.speech import SHORT_KO, TINY_KO
from voice_mock.bank import Library, load_library
from voice_mock.coach import Coach, Services
from voice_mock.coach.analysis import (
    AnalysisResult,
    analyze_input,
    is_transcript_file,
    save_session,
)
from voice_mock.config import Settings
from voice_mock.errors import UserError
from voice_mock.store import SessionRecord, Store

SETTINGS = Settings()


def reanalyze_session(
    store: Store,
    session_id: str,
    *,
    settings: Settings,
    library: Library | None = None,
    model_path: Path | None = None,
    retranscribe: bool = False,
) -> tuple[SessionRecord, AnalysisResult]:
    """Re-analysis as both fronts run it: through the coach, with no model searched for."""
    services = Services(find_model=lambda settings: None, embedder=lambda: None)
    coach = Coach(settings, library or load_library(), store, services)
    return coach.reanalyze(session_id, retranscribe=retranscribe, model_path=model_path)


@pytest.fixture
def library(tmp_path: Path) -> Any:
    return load_library([write_bank(tmp_path / "banks")])


def test_transcript_input_is_analysed_against_the_question(tmp_path: Path, library: Any) -> None:
    expected = write_transcript(tmp_path / "answer.json")
    question = library.find(QUESTION_ID)
    result = analyze_input(
        tmp_path / "answer.json", question=question, settings=SETTINGS, model_path=None
    )
    assert result.audio_path is None and result.audio is None
    report = result.report.to_dict()
    assert report["question_id"] == QUESTION_ID
    assert report["word_count"] == expected.word_count
    assert report["fillers"]["total"] == expected.fillers_total
    assert report["fillers"]["counts"] == expected.filler_counts
    assert report["pauses"]["count"] == expected.pauses
    assert report["pauses"]["long_count"] == expected.long_pauses
    assert report["pauses"]["longest_s"] == pytest.approx(expected.longest_pause, abs=0.01)
    assert report["wpm"] == pytest.approx(expected.wpm, rel=0.01)
    assert report["coverage"]["ratio"] == pytest.approx(2 / 3, abs=0.01)
    assert {p["id"] for p in report["coverage"]["covered"]} == expected.covered
    assert {p["id"] for p in report["coverage"]["missed"]} == expected.missed


def test_transcript_is_recognised_by_content_without_json_suffix(tmp_path: Path) -> None:
    path = tmp_path / "answer.txt"
    expected = write_transcript(path)
    assert is_transcript_file(path)
    assert not is_transcript_file(write_silent_wav(tmp_path / "a.wav", 0.5))
    result = analyze_input(path, question=None, settings=SETTINGS, model_path=None)
    assert result.report.to_dict()["word_count"] == expected.word_count
    assert result.report.to_dict()["coverage"]["ratio"] is None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.wav", "does not exist"),
        (lambda d: d, "folder"),
        (lambda d: _write(d / "bad.json", "{not json"), "not valid JSON"),
        (lambda d: _write(d / "bad.json", '{"result": 3}'), "not a list"),
        (lambda d: _write(d / "noise.wav", "RIFF garbage that is not audio"), "could not be read"),
    ],
)
def test_bad_inputs_raise_user_errors(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        analyze_input(make(tmp_path), question=None, settings=SETTINGS, model_path=None)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_audio_without_a_model_says_how_to_get_one(tmp_path: Path) -> None:
    wav = write_silent_wav(tmp_path / "a.wav", 1.0)
    with pytest.raises(UserError, match="voice-mock model download"):
        analyze_input(wav, question=None, settings=SETTINGS, model_path=None)


@pytest.mark.vosk
def test_audio_is_decoded_once_and_transcribed_once(
    tmp_path: Path,
    ko_model_path: Path,
    espeak_ko: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import voice_mock.audio.decode as decode
    import voice_mock.speech.stt as stt

    # A 22.05 kHz stereo FLAC: converted on the way in.
    raw = espeak_ko(SHORT_KO, rate=None)  # a dozen words: its length is not the point
    data, rate = sf.read(raw, dtype="float32")
    stereo = tmp_path / "answer.flac"
    sf.write(stereo, np.stack([data, data * 0.5], axis=1), rate)
    calls = {"load_audio": 0, "transcribe_samples": 0}
    real_load, real_transcribe = decode.load_audio, stt.transcribe_samples

    def counting_load(*a: Any, **k: Any) -> Any:
        calls["load_audio"] += 1
        return real_load(*a, **k)

    def counting_transcribe(*a: Any, **k: Any) -> Any:
        calls["transcribe_samples"] += 1
        return real_transcribe(*a, **k)

    monkeypatch.setattr(decode, "load_audio", counting_load)
    monkeypatch.setattr(stt, "transcribe_samples", counting_transcribe)
    result = analyze_input(stereo, question=None, settings=SETTINGS, model_path=ko_model_path)
    assert calls == {"load_audio": 1, "transcribe_samples": 1}
    assert result.audio_path == stereo
    assert result.audio is not None
    assert result.transcript.duration_s == pytest.approx(len(data) / rate, abs=0.01)
    report = result.report.to_dict()
    assert report["word_count"] >= 4
    assert report["duration_s"] == pytest.approx(len(data) / rate, abs=0.05)
    assert report["coverage"]["ratio"] is None


@pytest.mark.vosk
def test_save_session_copies_audio_and_reanalyse_uses_new_bank(
    tmp_path: Path,
    ko_model_path: Path,
    espeak_ko: Callable[..., Path],
    library: Any,
) -> None:
    store = Store(tmp_path / "sessions")
    wav = espeak_ko(SHORT_KO)
    question = library.find(f"{BANK_ID}/{QUESTION_ID}")
    result = analyze_input(wav, question=question, settings=SETTINGS, model_path=ko_model_path)
    record = save_session(store, result, question, phone=True)
    assert record.status == "done"
    assert record.phone is True
    assert record.source == "analyze"
    assert record.audio_path == record.folder / "answer.wav"
    assert record.audio_path.read_bytes() == wav.read_bytes()
    assert wav.is_file()  # copied, not moved
    saved = json.loads(record.report_path.read_text())
    assert saved == json.loads(json.dumps(result.report.to_dict()))
    assert record.word_count == saved["word_count"]
    assert record.coverage_ratio == 0.0  # Korean speech names no English key point

    # Re-analysis with the saved transcript and the current bank.
    updated, again = reanalyze_session(store, record.id, settings=SETTINGS, library=library)
    assert updated.id == record.id
    assert again.transcript.text == result.transcript.text
    assert again.audio is not None

    # Re-transcription from the saved recording.
    updated, again = reanalyze_session(
        store,
        record.id,
        settings=SETTINGS,
        library=library,
        model_path=ko_model_path,
        retranscribe=True,
    )
    # Vosk may word a few syllables differently on a second pass; the shape must hold.
    assert abs(len(again.transcript.words) - len(result.transcript.words)) <= 3
    assert updated.word_count == again.report.to_dict()["word_count"] > 0
    saved_again = updated.load_transcript()
    assert saved_again is not None and saved_again.text == again.transcript.text
    store.close()


@pytest.mark.vosk
def test_reanalyse_transcribes_an_untranscribed_session(
    tmp_path: Path, ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    store = Store(tmp_path / "sessions")
    draft = store.create(question=None, source="practice")
    draft.audio_path.write_bytes(espeak_ko(TINY_KO).read_bytes())  # a few words will do
    store.finish(draft, transcript=None, report=None)
    with pytest.raises(UserError, match="voice-mock model download"):
        reanalyze_session(store, draft.id, settings=SETTINGS, model_path=None)
    updated, result = reanalyze_session(
        store, draft.id, settings=SETTINGS, model_path=ko_model_path
    )
    assert updated.status == "done"
    assert updated.word_count == result.report.to_dict()["word_count"] >= 2
    assert store.unfinished() == []
    store.close()


def test_reanalyse_with_transcript_only_session_and_changed_bank(
    tmp_path: Path, library: Any
) -> None:
    store = Store(tmp_path / "sessions")
    write_transcript(tmp_path / "t.json")
    question = library.find(QUESTION_ID)
    result = analyze_input(
        tmp_path / "t.json", question=question, settings=SETTINGS, model_path=None
    )
    record = save_session(store, result, question)
    assert record.audio_path is None
    assert record.coverage_ratio == pytest.approx(2 / 3, abs=0.01)

    # The bank is edited: "fix" now counts for the follow-up point.
    edited = tmp_path / "edited"
    edited.mkdir()
    (edited / "bank.toml").write_text(
        BANK_TOML.replace('cues = ["follow up", "check back"]', 'cues = ["fix"]'), encoding="utf-8"
    )
    updated, again = reanalyze_session(
        store, record.id, settings=SETTINGS, library=load_library([edited])
    )
    assert updated.coverage_ratio == pytest.approx(1.0)
    assert again.audio is None

    # The question's bank is not loaded at all: a clear sentence, not a guess.
    with pytest.raises(UserError, match="--questions"):
        reanalyze_session(store, record.id, settings=SETTINGS, library=load_library())
    store.close()
