"""The app built on test services, and saved sessions, for the TUI and coach tests.

No sound card is used: a file microphone, a silent speaker and a player that
only remembers what it was asked to play. `save_session` writes a finished
answer from a fixed Vosk-form transcript, so screens built on it are
deterministic (the snapshots rely on that).
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from voice_mock.analysis.report import analyze
from voice_mock.audio.devices import Device
from voice_mock.audio.sources import FileSource, MicSource
from voice_mock.bank import Library, load_library
from voice_mock.coach import Coach, Services, SpeakerChoice
from voice_mock.config import Settings
from voice_mock.speech.tts import SilentSpeaker
from voice_mock.store import SessionRecord, Store
from voice_mock.transcript import Transcript
from voice_mock.tui.app import VoiceMockApp, make_app

SIZE = (100, 32)
QUESTION = "customer-service/what-is-customer-service"

ANSWER_WORDS: list[tuple[str, float, float]] = [
    ("so", 0.9, 1.1),
    ("customer", 1.2, 1.6),
    ("service", 1.6, 2.0),
    ("is", 2.0, 2.1),
    ("um", 2.2, 2.5),
    ("being", 2.6, 2.8),
    ("polite", 2.8, 3.2),
    ("and", 3.3, 3.4),
    ("professional", 3.4, 4.0),
    ("you", 4.1, 4.2),
    ("know", 4.2, 4.4),
    ("i", 6.9, 7.0),
    ("listen", 7.0, 7.4),
    ("to", 7.4, 7.5),
    ("the", 7.5, 7.6),
    ("customer", 7.6, 8.1),
    ("like", 8.2, 8.4),
    ("really", 8.4, 8.7),
    ("carefully", 8.7, 9.2),
    ("and", 9.5, 9.6),
    ("solve", 9.6, 9.9),
    ("their", 9.9, 10.1),
    ("problem", 10.1, 10.6),
    ("quickly", 10.6, 11.1),
]
"""An English answer in Vosk's word form with fixed times (a filler, a long pause)."""


def vosk_answer(words: list[tuple[str, float, float]] = ANSWER_WORDS) -> list[dict[str, Any]]:
    """The answer in Vosk's own JSON form (the transcript contract)."""
    return [
        {
            "text": " ".join(w for w, _, _ in words),
            "result": [{"word": w, "start": s, "end": e, "conf": 1.0} for w, s, e in words],
        }
    ]


class RecordingPlayer:
    """A player double: remembers what it was asked to play instead of using a sound card."""

    def __init__(self) -> None:
        self.played: list[tuple[int, int, bool]] = []
        self.stopped = 0

    def play(
        self, audio: Any, rate: int | None = None, *, phone: bool = False, volume: float = 1.0
    ) -> bool:
        self.played.append((len(audio), int(rate or 0), phone))
        return True

    def stop(self) -> None:
        self.stopped += 1


def shown_text(widget: Any) -> str:
    """The plain text a Static shows (Rich tables and Text included), for assertions."""
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def fake_devices() -> list[Device]:
    return [
        Device(0, "Test microphone", 1, 0, 16000.0, is_default_in=True),
        Device(1, "Test speaker", 0, 2, 48000.0, is_default_out=True),
    ]


def services_for(
    *,
    mic: Callable[[Settings], MicSource] | None = None,
    model_path: Path | None = None,
    player: RecordingPlayer | None = None,
    speaker: SilentSpeaker | None = None,
    download: Callable[[Callable[[int, int | None], None]], Path] | None = None,
) -> Services:
    """Services with no sound card: a file microphone, a silent speaker, a recording player."""
    silent = speaker or SilentSpeaker()
    the_player = player or RecordingPlayer()

    def no_mic(settings: Settings) -> MicSource:
        raise AssertionError("this test records nothing")

    def no_download(progress: Callable[[int, int | None], None]) -> Path:
        raise AssertionError("this test downloads nothing")

    def load(path: Path) -> Any:
        from voice_mock.speech.stt import load_model

        return load_model(path)

    return Services(
        mic_source=mic or no_mic,
        speaker=lambda settings: SpeakerChoice(silent),
        player=lambda settings: the_player,
        find_model=lambda settings: model_path,
        load_model=load,
        download_model=download or no_download,
        list_devices=fake_devices,
        input_device=lambda settings: fake_devices()[0],
        list_voices=lambda: [("Test voice", "test-voice")],
        embedder=lambda: None,
    )


def file_mic(wav: Path, *, realtime: bool, loop_silence: bool = False) -> Callable[..., MicSource]:
    def make(settings: Settings) -> MicSource:
        return FileSource(wav, realtime=realtime, loop_silence=loop_silence)

    return make


def build_app(
    services: Services, *, settings: Settings | None = None, model_path: Path | None = None
) -> tuple[VoiceMockApp, Library, Store]:
    settings = settings or Settings()
    library = load_library()
    store = Store(settings.sessions_dir())
    coach = Coach(settings, library, store, services, model_path)
    return make_app(coach), library, store


def save_session(
    store: Store,
    library: Library,
    *,
    started_at: datetime = datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    question: str | None = QUESTION,
    words: list[tuple[str, float, float]] = ANSWER_WORDS,
    with_audio: bool = True,
) -> SessionRecord:
    """A finished session from a fixed Vosk-form transcript (deterministic for snapshots)."""
    q = library.find(question) if question else None
    transcript = Transcript.from_vosk(json.loads(json.dumps(vosk_answer(words))))
    report = analyze(transcript, q)
    draft = store.create(question=q, source="test", started_at=started_at)
    if with_audio:
        sf.write(draft.audio_path, np.zeros(16000 * 12, dtype=np.float32), 16000)
    return store.finish(draft, transcript=transcript, report=report.to_dict())


async def wait_for(pilot: Any, check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until `check()` holds (turns and loads run in worker threads)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "timed out waiting for the app"
        await pilot.pause(0.05)
