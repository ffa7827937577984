"""Analysing an answer: a file the user gives (``voice-mock analyze``) or a saved session.

A user's file is decoded once and the same samples feed both the recogniser
and the audio measures (the path is benchmarked against a bare Vosk loop). A
saved answer is measured block by block (`audio_features`), as the live path
measures while recording, so a long answer never sits in memory whole; it is
transcribed again only when asked. Every report is built by `build_report`,
so the live turn, recovery, re-analysis and ``analyze`` judge alike.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from voice_mock.config import Settings
from voice_mock.errors import UserError
from voice_mock.fileio import copy_private
from voice_mock.transcript import Transcript

if TYPE_CHECKING:
    import numpy as np

    from voice_mock.analysis.features import AudioFeatures
    from voice_mock.analysis.meaning import Embedder
    from voice_mock.analysis.report import Report
    from voice_mock.bank import Question
    from voice_mock.store import SessionDraft, SessionRecord, Store


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """What analysing one input produced."""

    transcript: Transcript
    report: Report
    audio_path: Path | None
    """The analysed recording; None when the input was a transcript file."""
    audio: AudioFeatures | None = None
    """Audio measures used by the report (None for transcript input)."""


def build_report(
    transcript: Transcript,
    question: Question | None,
    settings: Settings,
    features: AudioFeatures | None,
    phone: bool,
    meaning: Embedder | None = None,
) -> Report:
    """The one way an answer is judged: the user's thresholds, and meaning when available."""
    from voice_mock.analysis.report import analyze

    return analyze(
        transcript,
        question,
        thresholds=settings.thresholds,
        audio=features,
        phone=phone,
        meaning=meaning,
    )


def is_transcript_file(path: Path) -> bool:
    """A ``.json`` file, or a regular file whose first character opens a JSON object or list.

    Sniffing one byte lets a transcript saved without the extension work too,
    while audio (RIFF, fLaC, OggS headers) never starts with ``{`` or ``[``.
    Only regular files are opened: reading a FIFO would wait forever.
    """
    if path.suffix.lower() == ".json":
        return True
    try:
        if not path.is_file():
            return False
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
    if not path.is_file():
        raise UserError(f"{path} is not a regular file; give a recording or a transcript JSON.")


def audio_features(path: Path, block_s: float = 5.0) -> AudioFeatures | None:
    """Measures of a saved recording, read `block_s` at a time; None when it cannot be read.

    Ten minutes of audio as float arrays and their copies was about 0.3 GB;
    read in blocks it costs a few megabytes.
    """
    import numpy as np
    import soundfile as sf

    from voice_mock.audio.features import FeatureAccumulator

    try:
        with sf.SoundFile(str(path)) as handle:
            rate = int(handle.samplerate)
            features = FeatureAccumulator(rate)
            step = max(1, round(rate * block_s))
            for block in handle.blocks(blocksize=step, dtype="int16", always_2d=True):
                mono = block[:, 0] if block.shape[1] == 1 else np.round(block.mean(axis=1))
                features(np.asarray(mono).astype("<i2").tobytes())
    except (sf.LibsndfileError, RuntimeError, OSError):
        return None
    return features.finish()


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


def _features(samples: np.ndarray, rate: int) -> AudioFeatures:
    from voice_mock.audio.features import compute_features

    return compute_features(samples, rate)


def analyze_input(
    path: Path,
    *,
    question: Question | None,
    settings: Settings,
    model_path: Path | None,
    phone: bool = False,
    meaning: Embedder | None = None,
    load_meaning: Callable[[], Embedder | None] | None = None,
) -> AnalysisResult:
    """Analyse a WAV/FLAC/OGG recording or a Vosk transcript JSON file.

    Audio needs a model (`model_path` None raises `UserError` with the
    how-to-get-one sentence); a transcript does not. Every bad input (missing,
    corrupt, empty, malformed) raises `UserError` naming the file.

    ``load_meaning`` (used when ``meaning`` is None) is called only once the
    input has been read: a mistyped path or a broken file is refused at once,
    without waiting for the embedding model to load.
    """
    path = Path(path).expanduser()
    _check_input(path)
    audio: Path | None = None
    features: AudioFeatures | None = None
    if is_transcript_file(path):
        transcript = Transcript.load(path)
    else:
        transcript, features = transcribe_and_measure(path, model_path)
        audio = path
    if meaning is None and load_meaning is not None:
        meaning = load_meaning()
    report = build_report(transcript, question, settings, features, phone, meaning)
    return AnalysisResult(transcript=transcript, report=report, audio_path=audio, audio=features)


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
    folder then holds everything needed to replay and re-analyse it. When the
    session cannot be saved whole (a full disk), the half-made copy is removed:
    the user's own file is the recording, and it is untouched.
    """
    suffix = result.audio_path.suffix.lower() if result.audio_path is not None else ".wav"
    draft = store.create(question=question, phone=phone, source=source, audio_suffix=suffix)
    try:
        if result.audio_path is not None:
            try:
                copy_private(result.audio_path, draft.audio_path)
            except OSError as exc:
                raise UserError(
                    f"{result.audio_path} could not be copied into the session folder: "
                    f"{exc.strerror or exc}."
                ) from None
        return store.finish(draft, transcript=result.transcript, report=result.report.to_dict())
    except UserError:
        _discard_copy(store, draft)
        raise


def _discard_copy(store: Store, draft: SessionDraft) -> None:
    # Nothing of the user's is lost if this fails too: their own file is where it was.
    with contextlib.suppress(UserError):
        store.delete(draft.id)


def analyse_saved(
    draft: SessionDraft | SessionRecord,
    *,
    question: Question | None,
    settings: Settings,
    model_path: Path | None,
    retranscribe: bool = False,
    meaning: Embedder | None = None,
    load_meaning: Callable[[], Embedder | None] | None = None,
) -> AnalysisResult:
    """Analyse a saved answer: its transcript when it has one, else its recording.

    Used by recovery and re-analysis alike. The recording is transcribed when
    there is no usable transcript or `retranscribe` is asked, and measured
    block by block. ``load_meaning`` (used when ``meaning`` is None) is called
    only once the transcript is in hand, as in `analyze_input`: a session with
    nothing to transcribe, or no speech model, is refused without waiting for
    the embedding model to load.
    """
    audio = draft.audio_path if draft.audio_path and draft.audio_path.is_file() else None
    transcript = None if retranscribe else _saved_transcript(draft)
    if transcript is None:
        if audio is None:
            raise UserError(f"Session {draft.id} has no recording to transcribe.")
        from voice_mock.speech.models import model_missing_message

        if model_path is None:
            raise UserError(model_missing_message())
        from voice_mock.speech.stt import transcribe_file

        transcript = transcribe_file(audio, model_path)
    features = audio_features(audio) if audio is not None else None
    if meaning is None and load_meaning is not None:
        meaning = load_meaning()
    report = build_report(transcript, question, settings, features, draft.phone, meaning)
    return AnalysisResult(transcript, report, audio, features)


def _saved_transcript(draft: SessionDraft | SessionRecord) -> Transcript | None:
    path = draft.transcript_path
    if not path.is_file():
        return None
    try:
        transcript = Transcript.load(path)
    except UserError:
        return None
    if (
        transcript.duration_s is None
        and draft.audio_path is not None
        and draft.audio_path.is_file()
    ):
        from voice_mock.store.folders import wav_duration

        duration = wav_duration(draft.audio_path)
        if duration is not None:
            return Transcript(transcript.words, duration, transcript.utterances)
    return transcript
