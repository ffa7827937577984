"""Speech recognition with Vosk: one shared model, one recogniser per answer.

Loading a model takes seconds and hundreds of megabytes, so `load_model`
keeps one instance per model folder for the whole process (a lock makes
concurrent first calls load it once). Each answer gets its own
`StreamingRecognizer`, fed 0.1-0.2 s chunks of 16-bit PCM from a worker
thread (Vosk's C calls release the GIL); it returns the live text as it
changes and, at the end, a `Transcript` with word timings.

File transcription converts the whole file to PCM once and feeds byte slices
without asking for partial results, so it costs barely more than a bare
``AcceptWaveform`` loop. vosk is imported inside functions: importing it pulls
in requests/tqdm/cffi and would slow every command that never recognises.

Kaldi prints its errors (a damaged model) on the C ``stderr`` whatever the log
level; `voice_mock.quiet` keeps them off the terminal, and a model that loads
but cannot make a recogniser is a `UserError` here, at load time, so every
caller (analyze, practice, recovery, the app) says one sentence.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from voice_mock import quiet
from voice_mock.audio.decode import audio_duration, load_audio, pcm16_bytes
from voice_mock.errors import UserError
from voice_mock.speech.models import model_dir_problem
from voice_mock.transcript import Transcript

if TYPE_CHECKING:
    import vosk

MODEL_RATE = 16000
"""Rate files are decoded to for recognition (the rate of the Vosk models we use)."""

_MODELS: dict[Path, vosk.Model] = {}
_FAILED: dict[Path, tuple[tuple[tuple[str, int, int], ...], str]] = {}
"""Models libvosk refused, with the state of their files then: a damaged model
is not loaded again (seconds each time) until one of its files changes."""
_MODELS_LOCK = threading.Lock()

_MODEL_FILES = (
    "am/final.mdl",
    "final.mdl",
    "conf/mfcc.conf",
    "conf/model.conf",
    "mfcc.conf",
    "graph/HCLG.fst",
    "graph/HCLr.fst",
    "graph/Gr.fst",
    "HCLG.fst",
    "ivector/final.ie",
)
"""The files whose sizes and times stand for a model's state in `_FAILED`."""


def _vosk() -> Any:
    quiet.install()  # before libvosk can say anything
    import vosk

    vosk.SetLogLevel(-1)
    return vosk


def _files_state(folder: Path) -> tuple[tuple[str, int, int], ...]:
    state = []
    for rel in _MODEL_FILES:
        try:
            st = os.stat(folder / rel)
        except OSError:
            continue
        state.append((rel, st.st_size, st.st_mtime_ns))
    return tuple(state)


def _no_recogniser(path: Path) -> UserError:
    return UserError(
        f"{path} loads as a Vosk model but could not make a recogniser; "
        "the model may be incomplete or damaged."
    )


def load_model(path: Path) -> vosk.Model:
    """The shared Vosk model for `path` (loaded on first use, then cached).

    Raises `UserError` when the folder is not a model, libvosk refuses it, or
    it loads but cannot make a recogniser (checked once here, so a damaged
    model is reported before any audio is recorded or decoded).
    """
    resolved = Path(path).expanduser().resolve()
    with _MODELS_LOCK:
        model = _MODELS.get(resolved)
        if model is not None:
            return model
        problem = model_dir_problem(resolved)
        if problem is not None:
            raise UserError(f"{path} is not a Vosk model: {problem}.")
        state = _files_state(resolved)
        failed = _FAILED.get(resolved)
        if failed is not None and failed[0] == state:
            raise UserError(failed[1])
        vosk = _vosk()
        try:
            with quiet.native(f"loading the Vosk model {resolved}"):
                try:
                    model = vosk.Model(str(resolved))
                except Exception:
                    raise UserError(
                        f"{path} could not be loaded as a Vosk model; "
                        "it may be incomplete or damaged."
                    ) from None
                try:
                    vosk.KaldiRecognizer(model, float(MODEL_RATE))
                except Exception:
                    raise _no_recogniser(path) from None
        except UserError as exc:
            _FAILED[resolved] = (state, exc.message)
            raise
        _FAILED.pop(resolved, None)
        _MODELS[resolved] = model
        return model


def _words(result: dict[str, Any], key: str = "result") -> list[dict[str, Any]]:
    items = result.get(key)
    return items if isinstance(items, list) else []


class StreamingRecognizer:
    """Recognises one answer as its audio arrives.

    Not thread-safe: feed it from one thread (the recording's worker).
    """

    def __init__(self, model_path: Path, sample_rate: int, *, partials: bool = True) -> None:
        """`partials` False skips partial results (file transcription needs none)."""
        if sample_rate <= 0:
            raise ValueError(f"sample_rate must be positive, got {sample_rate}")
        model = load_model(model_path)
        self.sample_rate = int(sample_rate)
        vosk = _vosk()
        try:
            with quiet.native("making a Vosk recogniser"):
                self._recognizer = vosk.KaldiRecognizer(model, float(sample_rate))
        except Exception:
            raise _no_recogniser(model_path) from None
        self._recognizer.SetWords(True)
        # Partial words stay off: with them Vosk builds the live partial text only
        # from the part of the utterance it has already decoded to the end, which
        # trails the audio by over a second. Word timings come with final results.
        self._recognizer.SetPartialWords(False)
        self._partials = partials
        self._results: list[dict[str, Any]] = []
        self._final_text = ""
        self._partial_text = ""
        self._live_text = ""
        self._bytes = 0
        self._last_word_end = 0.0
        self._finished = False

    # --- state --------------------------------------------------------------------

    @property
    def accepted_seconds(self) -> float:
        """Seconds of audio fed so far (the recording clock, for lag measurement)."""
        return self._bytes / (2.0 * self.sample_rate)

    @property
    def last_word_end(self) -> float:
        """End time (s) of the latest word in a final result so far; 0 before any.

        Partial results carry no timings (see `__init__`), so this moves when
        Vosk closes an utterance.
        """
        return self._last_word_end

    @property
    def final_text(self) -> str:
        """Text of the utterances Vosk has already closed."""
        return self._final_text

    @property
    def partial_text(self) -> str:
        """Text of the utterance still being heard (may still change)."""
        return self._partial_text

    @property
    def live_text(self) -> str:
        """Everything heard so far: closed utterances then the open one."""
        return self._live_text

    # --- feeding --------------------------------------------------------------------

    def accept(self, pcm16: bytes) -> str | None:
        """Feed 16-bit little-endian mono PCM; returns the live text when it changed, else None.

        The live text is the whole answer so far (closed utterances plus the
        open one), so a display can simply replace what it shows.
        """
        self._check_open()
        self._bytes += len(pcm16)
        if self._recognizer.AcceptWaveform(pcm16):
            self._keep(self._recognizer.Result())
            self._partial_text = ""
        elif self._partials:
            partial = json.loads(self._recognizer.PartialResult())
            self._partial_text = str(partial.get("partial", "")).strip()
        live = " ".join(t for t in (self._final_text, self._partial_text) if t)
        if live == self._live_text:
            return None
        self._live_text = live
        return live

    def accept_buffer(self, pcm16: bytes, chunk_s: float = 0.2) -> None:
        """Feed a whole recording in `chunk_s` slices, skipping partial results (fast path)."""
        self._check_open()
        step = max(2, int(self.sample_rate * chunk_s) * 2)
        accept = self._recognizer.AcceptWaveform
        result = self._recognizer.Result
        keep = self._keep
        for offset in range(0, len(pcm16), step):
            if accept(pcm16[offset : offset + step]):
                keep(result())
        self._bytes += len(pcm16)

    def finish(self, duration_s: float | None = None) -> Transcript:
        """Close the answer and return its transcript.

        `duration_s` is the recording's length; None uses the audio fed so far.
        """
        self._check_open()
        self._keep(self._recognizer.FinalResult())
        self._finished = True
        self._partial_text = ""
        length = self.accepted_seconds if duration_s is None else float(duration_s)
        return Transcript.from_vosk(self._results, duration_s=length, source="Vosk's result")

    def _keep(self, raw: str) -> None:
        result = json.loads(raw)
        words = _words(result)
        if not words:
            return
        self._results.append(result)
        text = str(result.get("text", "")).strip()
        if text:
            self._final_text = f"{self._final_text} {text}".strip()
        self._last_word_end = max(self._last_word_end, float(words[-1].get("end", 0.0)))

    def _check_open(self) -> None:
        if self._finished:
            raise RuntimeError("this recogniser has finished; start a new one per answer")


def transcribe_samples(
    samples: np.ndarray, rate: int, model_path: Path, chunk_s: float = 0.2
) -> Transcript:
    """Transcribe float32 mono samples at `rate` Hz (duration = their length)."""
    recognizer = StreamingRecognizer(model_path, rate, partials=False)
    recognizer.accept_buffer(pcm16_bytes(samples), chunk_s)
    return recognizer.finish(duration_s=len(samples) / float(rate))


def transcribe_file(path: Path, model_path: Path, chunk_s: float = 0.2) -> Transcript:
    """Transcribe a WAV/FLAC/OGG file (any rate, mono or stereo)."""
    load_model(model_path)  # a missing model is reported before decoding a long file
    samples, rate = load_audio(Path(path), MODEL_RATE)
    return transcribe_samples(samples, rate, model_path, chunk_s)


class Transcriber(Protocol):
    """Turns an answer's audio file into a transcript (real engine or file-backed fake)."""

    def transcribe_file(self, path: Path) -> Transcript: ...


class VoskTranscriber:
    """The real transcriber: Vosk with the model in `model_path`."""

    def __init__(self, model_path: Path) -> None:
        self.model_path = Path(model_path)

    def transcribe_file(self, path: Path) -> Transcript:
        return transcribe_file(path, self.model_path)


class TranscriptFileTranscriber:
    """A transcriber backed by transcript JSON instead of an engine.

    With no `transcript`, `transcribe_file(path)` reads `path` itself as a
    Vosk-JSON transcript (how `analyze` handles JSON input). With a stored
    transcript (or a path to one), every audio file "transcribes" to it, with
    the audio's real duration when the stored one has none (tests, benchmarks).
    """

    def __init__(self, transcript: Transcript | Path | None = None) -> None:
        self._transcript = transcript

    def transcribe_file(self, path: Path) -> Transcript:
        stored = self._transcript
        if stored is None:
            return Transcript.load(Path(path))
        transcript = Transcript.load(stored) if isinstance(stored, Path) else stored
        if transcript.duration_s is None and Path(path).suffix.lower() != ".json":
            return dataclasses.replace(transcript, duration_s=audio_duration(Path(path)))
        return transcript
