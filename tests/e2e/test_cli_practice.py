"""`voice-mock practice` headless: file-backed microphone, real Vosk, the real store.

The sound card is replaced by `FileSource` (the same callback path as the
microphone) and the speaker by the CLI's own fallback when TTS is unavailable,
so the command's flow, its live text, Enter-to-stop and recovery are what is
tested here; the real audio path is tested with the null sink elsewhere.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.inputs import BANK_ID, QUESTION_ID, write_bank
from tests.support.speech import TINY_KO
from voice_mock.cli import main


def no_tts(monkeypatch: pytest.MonkeyPatch) -> None:
    import voice_mock.speech.tts as tts

    def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise tts.TtsUnavailable("Questions cannot be spoken because espeak-ng is not installed.")

    monkeypatch.setattr(tts, "TtsSpeaker", unavailable)


def file_microphone(monkeypatch: pytest.MonkeyPatch, wav: Path, **options: Any) -> list[Any]:
    """Replace the sound card with `wav`; returns the list of sources made (with their devices)."""
    import voice_mock.audio.sources as sources

    made: list[Any] = []

    def factory(device: Any = None, preferred_rate: int = 16000) -> Any:
        source = sources.FileSource(wav, **options)
        source.device = device  # type: ignore[attr-defined]
        made.append(source)
        return source

    monkeypatch.setattr(sources, "SoundDeviceSource", factory)
    return made


def write_config(home: Path, *, speech_rate: int | None = None, **audio: float) -> None:
    lines = ["[audio]"] + [f"{k} = {v!r}" for k, v in audio.items()]
    if speech_rate is not None:
        lines += ["[speech]", f"rate = {speech_rate}"]
    (home / "config.toml").write_text("\n".join(lines) + "\n")


def history(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    assert main(["history", "--json"]) == 0
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return rows


@pytest.mark.vosk
def test_practice_turn_prints_live_text_and_report(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    isolated_home: Path,
    ko_model_path: Path,
    espeak_ko: Callable[..., Path],
) -> None:
    bank = write_bank(tmp_path / "banks")
    no_tts(monkeypatch)
    made = file_microphone(monkeypatch, espeak_ko(TINY_KO), realtime=False)
    write_config(isolated_home, silence_stop_s=1.0, max_answer_s=30.0)
    code = main(
        ["practice", "--questions", str(bank), "--question", QUESTION_ID,
         "--model", str(ko_model_path), "--device", "2", "--phone"]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert made[0].device == 2
    assert out.startswith(f"Question ({BANK_ID}/{QUESTION_ID}): How do you handle a complaint?")
    assert err.count("espeak-ng is not installed") == 1  # why it is not spoken, told once
    assert "Recording: answer now." in err
    assert "\n> " in err  # live partial text
    assert "Saved as session " in err
    assert "Traceback" not in err
    (row,) = history(capsys)
    assert row["status"] == "done"
    assert row["phone"] is True
    assert row["qualified_question_id"] == f"{BANK_ID}/{QUESTION_ID}"
    assert row["word_count"] >= 2
    assert str(row["word_count"]) in out  # the printed report


@pytest.mark.vosk
def test_enter_stops_the_recording(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    isolated_home: Path,
    ko_model_path: Path,
    espeak_ko: Callable[..., Path],
) -> None:
    no_tts(monkeypatch)
    # A microphone that never goes quiet by itself: only Enter can end the take.
    made = file_microphone(monkeypatch, espeak_ko(TINY_KO), realtime=True, loop_silence=True)
    write_config(isolated_home, silence_stop_s=0.0, max_answer_s=60.0)
    read_fd, write_fd = os.pipe()
    stdin = os.fdopen(read_fd, "r")
    monkeypatch.setattr("sys.stdin", stdin)

    def press_enter_when_heard() -> None:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if made and made[0].delivered.is_set():
                break
            time.sleep(0.05)
        os.write(write_fd, b"\n")

    presser = threading.Thread(target=press_enter_when_heard, daemon=True)
    presser.start()
    bank = write_bank(tmp_path / "banks")
    started = time.monotonic()
    code = main(
        ["practice", "--questions", str(bank), "--question", "why-this-job",
         "--model", str(ko_model_path)]
    )  # fmt: skip
    elapsed = time.monotonic() - started
    presser.join()
    os.close(write_fd)
    stdin.close()
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("Question (") and "Why do you want this job?" in out
    assert elapsed < 40
    assert "Saved as session " in err
    (row,) = history(capsys)
    assert row["status"] == "done"
    assert row["word_count"] >= 2
    assert row["duration_s"] < 40


@pytest.mark.vosk
def test_practice_without_model_saves_then_recovers_with_model(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    isolated_home: Path,
    ko_model_path: Path,
    espeak_ko: Callable[..., Path],
) -> None:
    from voice_mock import config

    models = tmp_path / "no-models"
    models.mkdir()
    monkeypatch.setattr(config, "default_models_dir", lambda: models)
    bank = write_bank(tmp_path / "banks")
    no_tts(monkeypatch)
    file_microphone(monkeypatch, espeak_ko(TINY_KO), realtime=False)
    write_config(isolated_home, silence_stop_s=1.0, max_answer_s=30.0)
    code = main(["practice", "--questions", str(bank), "--question", QUESTION_ID])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "How do you handle a complaint?" in out
    assert "voice-mock model download" in err
    assert "transcribed later" in err
    (row,) = history(capsys)
    assert row["status"] == "untranscribed"
    first = row["id"]

    # The next run has a model: the earlier answer is finished first.
    code = main(
        ["practice", "--questions", str(bank), "--question", "why-this-job",
         "--model", str(ko_model_path)]
    )  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 0, err
    assert "Finishing earlier answers that were not transcribed yet..." in err
    assert f"Finished an interrupted session: {first}." in err
    rows = history(capsys)
    assert len(rows) == 2
    assert {r["status"] for r in rows} == {"done"}


def test_practice_without_a_microphone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import voice_mock.audio.devices as devices

    monkeypatch.setattr(devices, "list_devices", lambda: [])
    bank = write_bank(tmp_path / "banks")
    code = main(["practice", "--questions", str(bank), "--question", QUESTION_ID])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("voice-mock: No input device was found")


def test_practice_picks_the_least_practised_question(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import voice_mock.audio.devices as devices
    from voice_mock.bank import load_library
    from voice_mock.coach import Coach
    from voice_mock.config import Settings
    from voice_mock.store import Store

    bank = write_bank(tmp_path / "banks")
    library = load_library([bank])
    store = Store(Settings().sessions_dir())
    coach = Coach(Settings(), library, store)
    first = library.questions()[0]
    assert coach.least_practised() == first
    draft = store.create(question=first)
    store.finish(draft, transcript=None, report=None)
    assert coach.least_practised() == first  # untranscribed answers do not count
    from voice_mock.transcript import Transcript

    store.update_analysis(draft.id, Transcript(), {"word_count": 0})
    assert coach.least_practised() != first
    store.close()
    monkeypatch.setattr(devices, "list_devices", lambda: [])
    assert main(["practice", "--questions", str(bank), "--question", "nope"]) == 2
    assert "nope" in capsys.readouterr().err


@pytest.mark.vosk
@pytest.mark.audio
def test_practice_end_to_end_through_the_sound_server(
    tmp_path: Path,
    isolated_home: Path,
    ko_model_path: Path,
    espeak_ko: Callable[..., Path],
    pulse_sink: Any,
) -> None:
    """The real command in a process: TTS question, null-sink microphone, Enter stops, report."""
    import subprocess
    import sys

    bank = write_bank(tmp_path / "banks")
    answer = espeak_ko(TINY_KO, rate=48000)
    # The question is really spoken into the sink, at the fastest allowed rate: how fast
    # it is said is not what is tested, and nothing is recorded until it ends.
    write_config(isolated_home, speech_rate=450, silence_stop_s=0.0, max_answer_s=60.0)
    proc = subprocess.Popen(
        [sys.executable, "-m", "voice_mock", "practice", "--questions", str(bank),
         "--question", QUESTION_ID, "--model", str(ko_model_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**pulse_sink.env(), "VOICE_MOCK_HOME": str(isolated_home)},
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert proc.stdin is not None and proc.stderr is not None
    seen: list[str] = []
    recording = threading.Event()

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if line.startswith("Recording: answer now."):
                recording.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        assert recording.wait(60), "".join(seen)
        time.sleep(0.3)
        assert pulse_sink.play(answer).wait(timeout=30) == 0
        time.sleep(1.0)
        proc.stdin.write("\n")
        proc.stdin.flush()
        out = proc.stdout.read() if proc.stdout else ""
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)
    err = "".join(seen)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert out.startswith(f"Question ({BANK_ID}/{QUESTION_ID}):")
    assert any(line.startswith("> ") for line in seen), err  # live text while speaking
    assert "Saved as session " in err
    sessions = [p for p in (isolated_home / "sessions").iterdir() if p.is_dir()]
    (folder,) = sessions
    report = json.loads((folder / "report.json").read_text())
    assert report["word_count"] >= 2
    assert report["question_id"] == QUESTION_ID


PATCHED_PRACTICE = """
import sys
import threading
import voice_mock.audio.sources as sources
import voice_mock.speech.tts as tts
from voice_mock.cli import main

wav = sys.argv[1]


def microphone(device=None, preferred_rate=16000):
    source = sources.FileSource(wav, realtime=True, loop_silence=True)

    def tell_when_heard():
        source.delivered.wait()
        print("test: the whole answer was delivered", file=sys.stderr, flush=True)

    threading.Thread(target=tell_when_heard, daemon=True).start()
    return source


def no_speaker(*args, **kwargs):
    raise tts.TtsUnavailable("Questions cannot be spoken in this test.")


sources.SoundDeviceSource = microphone
tts.TtsSpeaker = no_speaker
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.vosk
def test_ctrl_c_stops_the_recording_and_still_reports(
    tmp_path: Path,
    isolated_home: Path,
    ko_model_path: Path,
    espeak_ko: Callable[..., Path],
) -> None:
    """A real SIGINT while recording ends the take; the report is printed and saved (exit 0)."""
    import signal
    import subprocess
    import sys

    write_config(isolated_home, silence_stop_s=0.0, max_answer_s=60.0)
    wav = espeak_ko(TINY_KO)
    proc = subprocess.Popen(
        [sys.executable, "-c", PATCHED_PRACTICE, str(wav), "practice",
         "--question", "why-this-job", "--questions", str(write_bank(tmp_path / "banks")),
         "--model", str(ko_model_path)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert proc.stderr is not None and proc.stdout is not None
    seen: list[str] = []
    recording = threading.Event()
    delivered = threading.Event()

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if line.startswith("Recording: answer now."):
                recording.set()
            if line.startswith("test: the whole answer was delivered"):
                delivered.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        assert recording.wait(60), "".join(seen)
        # The answer has been heard (the source now gives silence): a condition, not a sleep.
        assert delivered.wait(60), "".join(seen)
        proc.send_signal(signal.SIGINT)
        out = proc.stdout.read()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)
    err = "".join(seen)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "Stopping..." in err
    assert "Saved as session " in err
    (folder,) = [p for p in (isolated_home / "sessions").iterdir() if p.is_dir()]
    report = json.loads((folder / "report.json").read_text())
    assert report["word_count"] >= 2
    assert str(report["word_count"]) in out
