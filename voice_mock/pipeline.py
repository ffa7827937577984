"""Analyse a recording or a transcript file end to end (``voice-mock analyze``, re-analysis).

The audio path is benchmarked against a bare Vosk loop, so each step happens
exactly once: the file's header is checked (cheap, gives a clear error for a
missing or corrupt file before anything slow), the model is loaded (cached per
process), the audio is decoded and resampled once, and the same samples feed
both the recogniser and the audio features (loudness, pitch, voice activity).
A ``.json`` input skips all of that: it is a transcript in Vosk's form.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from voice_mock.config import Settings
from voice_mock.errors import UserError
from voice_mock.transcript import Transcript

if TYPE_CHECKING:
    import numpy as np

    from voice_mock.analysis.features import AudioFeatures
    from voice_mock.analysis.report import Report
    from voice_mock.bank import Library, Question
    from voice_mock.store import SessionRecord, Store


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """What analysing one input produced."""

    transcript: Transcript
    report: Report
    audio_path: Path | None
    """The analysed recording; None when the input was a transcript file."""
    audio: AudioFeatures | None = None
    """Audio measures used by the report (None for transcript input)."""


def is_transcript_file(path: Path) -> bool:
    """A ``.json`` file, or any file whose first character opens a JSON object or list.

    Sniffing one byte lets a transcript saved without the extension work too,
    while audio (RIFF, fLaC, OggS headers) never starts with ``{`` or ``[``.
    """
    if path.suffix.lower() == ".json":
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(64).lstrip()
    except OSError:
        return False
    return head[:1] in (b"{", b"[")


def _check_input(path: Path) -> None:
    if not path.exists():
        raise UserError(f"{path} does not exist.")
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a WAV/FLAC/OGG recording or a transcript JSON.")


def transcribe_and_measure(path: Path, model_path: Path | None) -> tuple[Transcript, AudioFeatures]:
    """Decode `path` once; transcribe it and measure its audio from the same samples."""
    from voice_mock.audio.decode import audio_duration, load_audio
    from voice_mock.speech.models import model_missing_message

    audio_duration(path)  # header check: missing/corrupt files fail before the model loads
    if model_path is None:
        raise UserError(model_missing_message())
    from voice_mock.speech.stt import MODEL_RATE, load_model, transcribe_samples

    load_model(model_path)
    samples, rate = load_audio(path, MODEL_RATE)
    transcript = transcribe_samples(samples, rate, model_path)
    return transcript, _features(samples, rate)


def measure_audio(path: Path) -> AudioFeatures | None:
    """Audio measures of a saved recording, or None when it cannot be decoded any more."""
    from voice_mock.audio.decode import load_audio

    try:
        samples, rate = load_audio(path)
    except UserError:
        return None
    return _features(samples, rate)


def _features(samples: np.ndarray, rate: int) -> AudioFeatures:
    from voice_mock.audio.features import compute_features

    return compute_features(samples, rate)


def _analyze(
    transcript: Transcript,
    question: Question | None,
    settings: Settings,
    audio: AudioFeatures | None,
    phone: bool,
) -> Report:
    from voice_mock.analysis.report import analyze

    return analyze(transcript, question, thresholds=settings.thresholds, audio=audio, phone=phone)


def analyze_input(
    path: Path,
    *,
    question: Question | None,
    settings: Settings,
    model_path: Path | None,
    phone: bool = False,
) -> AnalysisResult:
    """Analyse a WAV/FLAC/OGG recording or a Vosk transcript JSON file.

    Audio needs a model (`model_path` None raises `UserError` with the
    how-to-get-one sentence); a transcript does not. Every bad input (missing,
    corrupt, empty, malformed) raises `UserError` naming the file.
    """
    path = Path(path).expanduser()
    _check_input(path)
    if is_transcript_file(path):
        transcript = Transcript.load(path)
        report = _analyze(transcript, question, settings, None, phone)
        return AnalysisResult(transcript=transcript, report=report, audio_path=None)
    transcript, features = transcribe_and_measure(path, model_path)
    report = _analyze(transcript, question, settings, features, phone)
    return AnalysisResult(transcript=transcript, report=report, audio_path=path, audio=features)


def save_session(
    store: Store,
    result: AnalysisResult,
    question: Question | None,
    *,
    phone: bool = False,
    source: str = "analyze",
) -> SessionRecord:
    """Store an analysed input as a session; the recording is copied as ``answer.<ext>``.

    Copying (not moving) leaves the user's file where it was; the session
    folder then holds everything needed to replay and re-analyse it.
    """
    suffix = result.audio_path.suffix.lower() if result.audio_path is not None else ".wav"
    draft = store.create(question=question, phone=phone, source=source, audio_suffix=suffix)
    if result.audio_path is not None:
        try:
            shutil.copyfile(result.audio_path, draft.audio_path)
        except OSError as exc:
            store.delete(draft.id)
            raise UserError(
                f"{result.audio_path} could not be copied into the session folder: "
                f"{exc.strerror or exc}."
            ) from None
    return store.finish(draft, transcript=result.transcript, report=result.report.to_dict())


def reanalyze_session(
    store: Store,
    session_id: str,
    *,
    settings: Settings,
    library: Library | None = None,
    model_path: Path | None = None,
    retranscribe: bool = False,
) -> tuple[SessionRecord, AnalysisResult]:
    """Analyse a saved session again (new thresholds, an edited bank, a better model).

    The saved transcript is reused unless `retranscribe` is set or the session
    was never transcribed; then its recording is transcribed with `model_path`.
    The question is looked up again as ``bank/id`` in `library` (default: the
    bundled banks), so edits to its key points count.
    """
    record = store.get(session_id)
    question: Question | None = None
    ref = record.qualified_question_id
    if ref is not None:
        if library is None:
            from voice_mock.bank import load_library

            library = load_library(thresholds=settings.thresholds)
        try:
            question = library.find(ref)
        except UserError:
            raise UserError(
                f"Session {record.id} answered question {ref}, which is not in the loaded "
                "question banks; add its bank with --questions PATH."
            ) from None
    audio = record.audio_path if record.audio_path and record.audio_path.is_file() else None
    transcript = None if retranscribe else record.load_transcript()
    features: AudioFeatures | None = None
    if transcript is None:
        if audio is None:
            raise UserError(f"Session {record.id} has no recording to transcribe.")
        transcript, features = transcribe_and_measure(audio, model_path)
    elif audio is not None:
        features = measure_audio(audio)
    report = _analyze(transcript, question, settings, features, record.phone)
    updated = store.update_analysis(record.id, transcript, report.to_dict())
    return updated, AnalysisResult(transcript, report, audio, features)
