"""The command line through `main([...])`: outputs, exit codes, one-sentence errors."""

from __future__ import annotations

import json
import threading
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.support.inputs import (
    BANK_ID,
    QUESTION_ID,
    write_bank,
    write_silent_wav,
    write_transcript,
)
from tests.support.speech import SHORT_KO
from voice_mock.cli import main
from voice_mock.cli.progress import DownloadProgress

CONTRACT_KEYS = {
    "question_id",
    "duration_s",
    "speaking_s",
    "word_count",
    "wpm",
    "response_latency_s",
    "fillers",
    "pauses",
    "coverage",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "banks")


@pytest.fixture
def no_models_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the models folder at an empty temporary one (a checkout may hold real models)."""
    from voice_mock import config

    folder = tmp_path / "models"
    folder.mkdir()
    monkeypatch.setattr(config, "default_models_dir", lambda: folder)
    return folder


# --- analyze -------------------------------------------------------------------------


def test_analyze_transcript_json_has_every_contract_key_and_right_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bank: Path
) -> None:
    expected = write_transcript(tmp_path / "answer.json")
    code, out, err = run(
        capsys, "analyze", tmp_path / "answer.json", "--questions", bank,
        "--question", QUESTION_ID, "--json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert set(report) >= CONTRACT_KEYS
    assert report["question_id"] == QUESTION_ID
    assert report["word_count"] == expected.word_count
    assert report["duration_s"] == pytest.approx(expected.duration_s, abs=0.01)
    assert report["speaking_s"] == pytest.approx(expected.speaking_s, abs=0.01)
    assert report["wpm"] == pytest.approx(expected.wpm, rel=0.01)
    assert report["response_latency_s"] == pytest.approx(expected.latency_s, abs=0.01)
    fillers = report["fillers"]
    assert fillers["total"] == expected.fillers_total
    assert fillers["counts"] == expected.filler_counts
    assert fillers["per_minute"] == pytest.approx(
        expected.fillers_total / expected.speaking_s * 60, rel=0.01
    )
    assert [o["text"] for o in fillers["occurrences"]] == ["um", "uh", "you know"]
    pauses = report["pauses"]
    assert pauses["count"] == expected.pauses
    assert pauses["long_count"] == expected.long_pauses
    assert pauses["longest_s"] == pytest.approx(expected.longest_pause, abs=0.01)
    assert [round(p["duration"], 2) for p in pauses["occurrences"]] == [0.8, 2.5]
    coverage = report["coverage"]
    assert coverage["ratio"] == pytest.approx(2 / 3, abs=0.01)
    assert {p["id"] for p in coverage["covered"]} == expected.covered
    assert {p["id"] for p in coverage["missed"]} == expected.missed
    listening = next(p for p in coverage["covered"] if p["id"] == "listening")
    assert listening["cue"] == "listen"
    assert listening["at_s"] == pytest.approx(1.8, abs=0.01)


def test_analyze_with_a_bundled_question(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from voice_mock.bank import load_library

    questions = load_library().questions()
    assert questions, "the bundled bank must hold questions"
    question = next(q for q in questions if q.key_points)
    cue = question.key_points[0].cues[0].split()
    words = ["well", "i", *cue, "every", "time"]
    result = [
        {"word": w, "start": 0.5 + 0.4 * n, "end": 0.8 + 0.4 * n, "conf": 1.0}
        for n, w in enumerate(words)
    ]
    path = tmp_path / "bundled.json"
    path.write_text(json.dumps({"text": " ".join(words), "result": result}))
    code, out, err = run(capsys, "analyze", path, "--question", question.qualified_id, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["question_id"] == question.id
    assert report["word_count"] == len(words)
    assert question.key_points[0].id in {p["id"] for p in report["coverage"]["covered"]}
    total = len(question.key_points)
    assert report["coverage"]["ratio"] == pytest.approx(
        len(report["coverage"]["covered"]) / total, abs=0.01
    )


def test_analyze_prints_a_readable_report_by_default(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bank: Path
) -> None:
    write_transcript(tmp_path / "answer.json")
    code, out, err = run(
        capsys, "analyze", tmp_path / "answer.json", "--questions", bank, "--question", QUESTION_ID
    )
    assert code == 0, err
    assert out.strip()
    assert not out.lstrip().startswith("{")
    assert "18" in out  # the word count appears in the readable report


def test_analyze_save_then_history_export_reanalyze_delete(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bank: Path, isolated_home: Path
) -> None:
    write_transcript(tmp_path / "answer.json")
    code, out, err = run(
        capsys, "analyze", tmp_path / "answer.json", "--questions", bank,
        "--question", f"{BANK_ID}/{QUESTION_ID}", "--save", "--json",
    )  # fmt: skip
    assert code == 0, err
    json.loads(out)  # stdout stays pure JSON; the notice goes to stderr
    assert err.startswith("Saved as session ")
    session_id = err.split()[-1].rstrip(".")

    code, out, err = run(capsys, "history", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [session_id]
    # One session shape for history and export: the id in its bank, as in the report JSON.
    assert rows[0]["question_id"] == QUESTION_ID and rows[0]["bank_id"] == BANK_ID
    assert rows[0]["qualified_question_id"] == f"{BANK_ID}/{QUESTION_ID}"
    assert rows[0]["word_count"] == 18
    assert rows[0]["status"] == "done"

    code, out, err = run(capsys, "history", "--question", QUESTION_ID)
    assert code == 0 and session_id in out and "How do you handle a complaint?" in out
    code, out, _ = run(capsys, "history", "--question", "why-this-job")
    assert code == 0 and "No saved sessions match." in out

    code, out, err = run(capsys, "export", session_id, "--format", "md")
    assert code == 0, err
    assert out.startswith("# How do you handle a complaint?")
    assert "_um_ to the customer" in out and "i always" in out  # fillers marked
    target = tmp_path / "out" / "s.json"
    code, _, err = run(capsys, "export", session_id[-6:], "--format", "json", "-o", target)
    assert code == 0, err
    exported = json.loads(target.read_text())
    assert exported["session"] == rows[0]
    code, _, err = run(capsys, "export", session_id, "--format", "json", "-o", target)
    assert_one_line_error(code, err, "already exists")  # never replaced without asking
    code, _, err = run(capsys, "export", session_id, "-o", target, "--force")
    assert code == 0, err
    assert exported["report"]["word_count"] == 18

    code, out, err = run(capsys, "reanalyze", session_id, "--questions", bank, "--json")
    assert code == 0, err
    assert json.loads(out)["coverage"]["ratio"] == pytest.approx(2 / 3, abs=0.01)
    assert f"Updated session {session_id}." in err

    # The index is only a copy: losing its rows and reindexing brings the session back.
    import sqlite3

    with sqlite3.connect(isolated_home / "sessions" / "index.sqlite3") as db:
        db.execute("DELETE FROM sessions")
    code, out, _ = run(capsys, "history")
    assert "No saved sessions yet." in out
    code, out, _ = run(capsys, "reindex")
    assert code == 0 and out.startswith("Indexed 1 session from ")
    code, out, _ = run(capsys, "history")
    assert session_id in out

    code, _, err = run(capsys, "delete", "complaint")  # a part of the question is not an id
    assert_one_line_error(code, err, "no saved session")
    code, _, err = run(capsys, "delete", session_id)  # no terminal to confirm on
    assert_one_line_error(code, err, "--yes")
    code, out, _ = run(capsys, "history")
    assert session_id in out
    code, _, err = run(capsys, "delete", session_id[:15], "--yes")
    assert code == 0 and "Deleted" in err
    code, out, _ = run(capsys, "history")
    assert "No saved sessions yet." in out
    code, _, err = run(capsys, "export", session_id)
    assert_one_line_error(code, err, "no saved session")


@pytest.mark.vosk
def test_analyze_real_wav_with_vosk(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    ko_model_path: Path,
    espeak_ko: Callable[..., Path],
) -> None:
    import soundfile as sf

    wav = espeak_ko(SHORT_KO, rate=22050)  # a dozen words; its length is not the point
    seconds = sf.info(str(wav)).duration
    code, out, err = run(capsys, "analyze", wav, "--model", ko_model_path, "--json", "--save")
    assert code == 0, err
    report = json.loads(out)
    assert set(report) >= CONTRACT_KEYS
    assert report["question_id"] is None
    assert report["coverage"]["ratio"] is None
    assert report["word_count"] >= 4
    assert report["duration_s"] == pytest.approx(seconds, abs=0.05)
    assert 0 < report["speaking_s"] <= seconds
    assert report["response_latency_s"] >= 0
    code, out, _ = run(capsys, "history", "--json")
    (row,) = json.loads(out)
    assert row["word_count"] == report["word_count"]
    assert (Path(row["folder"]) / "answer.wav").read_bytes() == wav.read_bytes()


# --- bad input: one sentence, exit 2 ---------------------------------------------------


def _empty_wav(d: Path) -> Path:
    return write_silent_wav(d / "empty.wav", 0.0)


def _corrupt_wav(d: Path) -> Path:
    path = d / "corrupt.wav"
    path.write_bytes(b"RIFF\x24\x00\x00\x00WAVEjunk" + bytes(range(256)) * 4)
    return path


def _malformed_json(d: Path) -> Path:
    path = d / "bad.json"
    path.write_text('[{"text": "hi", "result": [{"word": "hi", "start": 0.1}', encoding="utf-8")
    return path


@pytest.mark.vosk
@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda d: d / "missing.wav", "does not exist"),
        (_corrupt_wav, "corrupt.wav"),
        (_empty_wav, "empty"),
        (_malformed_json, "not valid JSON"),
    ],
    ids=["missing", "corrupt", "empty", "malformed-json"],
)
def test_analyze_bad_files(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    ko_model_path: Path,
    make: Callable[[Path], Path],
    needle: str,
) -> None:
    code, out, err = run(capsys, "analyze", make(tmp_path), "--model", ko_model_path)
    assert out == ""
    assert_one_line_error(code, err, needle)


def test_analyze_unknown_and_ambiguous_question_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bank: Path
) -> None:
    write_transcript(tmp_path / "a.json")
    code, _, err = run(
        capsys,
        "analyze",
        tmp_path / "a.json",
        "--questions",
        bank,
        "--question",
        "no-such-question",
    )
    assert_one_line_error(code, err, "no-such-question")
    other = write_bank(tmp_path / "other", bank_id="other-bank")
    code, _, err = run(
        capsys, "analyze", tmp_path / "a.json", "--questions", bank, "--questions", other,
        "--question", QUESTION_ID,
    )  # fmt: skip
    assert_one_line_error(
        code, err, "BANK/ID", f"{BANK_ID}/{QUESTION_ID}", f"other-bank/{QUESTION_ID}"
    )
    code, out, err = run(
        capsys, "analyze", tmp_path / "a.json", "--questions", bank, "--questions", other,
        "--question", f"other-bank/{QUESTION_ID}", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["question_id"] == QUESTION_ID


def test_audio_without_model_exits_2_with_download_hint(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_models_folder: Path
) -> None:
    wav = write_silent_wav(tmp_path / "a.wav", 1.0)
    code, _, err = run(capsys, "analyze", wav)
    assert_one_line_error(code, err, "voice-mock model download")


def test_bad_model_path_is_one_sentence(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    wav = write_silent_wav(tmp_path / "a.wav", 1.0)
    code, _, err = run(capsys, "analyze", wav, "--model", tmp_path / "nowhere")
    assert_one_line_error(code, err, "nowhere")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze"]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["history", "--limit", "many"]) == 2
    assert main(["questions"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "usage:" in err
    assert main(["--help"]) == 0
    assert "analyze" in capsys.readouterr().out


def test_keyboard_interrupt_exits_130_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import voice_mock.cli.commands as commands

    def interrupted(args: Any, context: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "cmd_devices", interrupted)
    code, out, err = run(capsys, "devices")
    assert code == 130
    assert "Traceback" not in err and err.strip() == "" and out == ""


def test_app_needs_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert_one_line_error(code, err, "interactive terminal")


def test_broken_config_is_one_sentence(
    capsys: pytest.CaptureFixture[str], isolated_home: Path, tmp_path: Path
) -> None:
    (isolated_home / "config.toml").write_text("[audio\n")
    write_transcript(tmp_path / "a.json")
    code, _, err = run(capsys, "analyze", tmp_path / "a.json")
    assert_one_line_error(code, err, "config.toml")


# --- questions ---------------------------------------------------------------------------


def test_questions_list_show_validate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bank: Path
) -> None:
    code, out, err = run(capsys, "questions", "list", "--questions", bank)
    assert code == 0, err
    assert f"{BANK_ID}: Test bank (2 questions)" in out
    line = next(x for x in out.splitlines() if QUESTION_ID in x)
    assert "scenario" in line and "How do you handle a complaint?" in line

    code, out, _ = run(capsys, "questions", "list", "--questions", bank, "--category", "general")
    assert "why-this-job" in out and QUESTION_ID not in out
    code, _, err = run(capsys, "questions", "list", "--questions", bank, "--category", "nope")
    assert_one_line_error(code, err, "nope")

    code, out, err = run(capsys, "questions", "show", QUESTION_ID, "--questions", bank)
    assert code == 0, err
    assert out.startswith("How do you handle a complaint?")
    assert f"{BANK_ID}/{QUESTION_ID}" in out
    assert "30-90 s" in out
    assert "Listen to the customer [listening]  cues: listen, hear them out" in out
    assert "Name one concrete step." in out and "What if they stay angry?" in out

    code, out, err = run(capsys, "questions", "validate", bank)
    assert code == 0, err
    assert out.strip() == f"OK: 2 questions in {BANK_ID}"


def test_questions_list_qualifies_shared_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bank: Path
) -> None:
    other = write_bank(tmp_path / "other", bank_id="other-bank")
    code, out, _ = run(capsys, "questions", "list", "--questions", bank, "--questions", other)
    assert code == 0
    assert f"other-bank/{QUESTION_ID}" in out and f"{BANK_ID}/{QUESTION_ID}" in out


def test_bundled_questions_list(capsys: pytest.CaptureFixture[str]) -> None:
    from voice_mock.bank import load_library

    library = load_library()
    code, out, err = run(capsys, "questions", "list")
    assert code == 0, err
    for q in library.questions():
        assert q.text in out


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('[bank]\nid = "x"\ntitle = "X"\n', "no questions"),
        ("[bank\n", "bad.toml"),
        (
            '[bank]\nid = "x"\ntitle = "X"\n[[questions]]\nid = "q"\ntext = "Q?"\n'
            'category = "weird"\n',
            "category",
        ),
    ],
    ids=["no-questions", "bad-toml", "bad-category"],
)
def test_questions_validate_bad_bank(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, needle: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content)
    code, out, err = run(capsys, "questions", "validate", path)
    assert out == ""
    assert_one_line_error(code, err, needle)


def test_unknown_question_in_show(capsys: pytest.CaptureFixture[str], bank: Path) -> None:
    code, _, err = run(capsys, "questions", "show", "handle-complain", "--questions", bank)
    assert_one_line_error(code, err, "handle-complain")


# --- model -----------------------------------------------------------------------------


def test_model_path_without_model(
    capsys: pytest.CaptureFixture[str], no_models_folder: Path
) -> None:
    code, out, err = run(capsys, "model", "path")
    assert out == ""
    assert_one_line_error(code, err, "voice-mock model download")


@pytest.mark.vosk
def test_model_path_and_list_with_a_model(
    capsys: pytest.CaptureFixture[str],
    ko_model_path: Path,
    no_models_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, _ = run(capsys, "model", "path", "--model", ko_model_path)
    assert code == 0 and out.strip() == str(ko_model_path)
    monkeypatch.setenv("VOICE_MOCK_MODEL", str(ko_model_path))
    code, out, _ = run(capsys, "model", "path")
    assert code == 0 and out.strip() == str(ko_model_path)

    code, out, err = run(capsys, "model", "list")
    assert code == 0, err
    assert "vosk-model-small-en-us-0.15" in out and "vosk-model-en-us-0.22-lgraph" in out
    order = [
        line.strip() for line in out.splitlines() if line.strip()[:2] in {"1.", "2.", "3.", "4."}
    ]
    assert [line.split()[1] for line in order] == [
        "--model",
        "VOICE_MOCK_MODEL",
        "config",
        "models",
    ]
    assert "not set" in order[0]
    assert str(ko_model_path) in order[1]
    assert f"In use: {ko_model_path}" in out


def test_model_list_without_any_model(
    capsys: pytest.CaptureFixture[str], no_models_folder: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "model", "list")
    assert code == 0
    assert "In use: none (run `voice-mock model download`)" in out
    assert f"no model in {no_models_folder}" in out
    code, out, err = run(capsys, "model", "list", "--model", tmp_path / "nowhere")
    assert "not a model" in out
    assert_one_line_error(code, err, "nowhere")


@pytest.fixture
def model_server(tmp_path: Path) -> Iterator[str]:
    """A local HTTP server offering a zip laid out like a Vosk model (no network)."""
    root = tmp_path / "www"
    root.mkdir()
    with zipfile.ZipFile(root / "tiny-model.zip", "w") as zf:
        for name in ("am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/HCLG.fst"):
            zf.writestr(f"tiny-model/{name}", b"x" * 250_000)
    handler = partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def test_model_download_shows_progress_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, model_server: str
) -> None:
    dest = tmp_path / "models-dest"
    code, out, err = run(
        capsys, "model", "download", "tiny-model", "--url", f"{model_server}/tiny-model.zip",
        "--dest", dest,
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == str(dest / "tiny-model")
    assert (dest / "tiny-model" / "am" / "final.mdl").is_file()
    assert "Downloading tiny-model: " in err and "100%" in err
    assert "\r" not in err  # not a terminal: one line per step
    code, _, err = run(
        capsys, "model", "download", "other", "--url", f"{model_server}/missing.zip", "--dest", dest
    )
    assert code == 2 and "404" in err and "Traceback" not in err


def test_progress_bar_formats() -> None:
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    plain = io.StringIO()
    with DownloadProgress("Get", plain) as bar:
        for done in range(0, 1001, 50):
            bar(done * 1000, 1_000_000)
    lines = plain.getvalue().splitlines()
    assert lines[0] == "Get: 0% of 1.0 MB"
    assert lines[-1] == "Get: 100% of 1.0 MB"
    assert len(lines) == 11  # one line per 10%: short logs in CI and pipes
    unknown = io.StringIO()
    with DownloadProgress("Get", unknown) as bar:
        bar(2_000_000, None)
        bar(6_000_000, None)
    assert unknown.getvalue().splitlines() == ["Get: 2.0 MB", "Get: 6.0 MB"]
    tty = Tty()
    with DownloadProgress("Get", tty) as bar:  # rich redraws one line
        bar(500_000, 1_000_000)
        bar(1_000_000, 1_000_000)
    assert "Get" in tty.getvalue() and "1.0" in tty.getvalue()


# --- devices and voices ------------------------------------------------------------------


def test_devices_with_no_sound_card(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import voice_mock.audio.devices as devices

    monkeypatch.setattr(devices, "list_devices", lambda: [])
    code, out, err = run(capsys, "devices")
    assert code == 0, err
    assert "No audio devices were found" in out


def test_devices_listing_marks_defaults(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import voice_mock.audio.devices as devices
    from voice_mock.audio.devices import Device

    found = [
        Device(0, "Speakers", 0, 2, 48000.0, is_default_out=True),
        Device(3, "USB Mic", 1, 0, 44100.0, is_default_in=True),
    ]
    monkeypatch.setattr(devices, "list_devices", lambda: found)
    code, out, _ = run(capsys, "devices")
    assert code == 0
    assert "USB Mic  (default input)" in out and "Speakers  (default output)" in out

    monkeypatch.setattr(devices, "list_devices", lambda: found[:1])
    _, out, _ = run(capsys, "devices")
    assert "No input device (microphone) was found" in out


def test_devices_without_portaudio(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import voice_mock.audio.devices as devices
    from voice_mock.errors import UserError

    def broken() -> list[Any]:
        raise UserError("The PortAudio library could not be loaded (test); install it.")

    monkeypatch.setattr(devices, "list_devices", broken)
    code, _, err = run(capsys, "devices")
    assert_one_line_error(code, err, "PortAudio")


def test_voices(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import voice_mock.speech.tts as tts
    from voice_mock.speech.tts import TtsUnavailable, Voice

    monkeypatch.setattr(
        tts, "list_voices", lambda: [Voice("en-us", "English (America)", ("en-us",))]
    )
    code, out, _ = run(capsys, "voices")
    assert code == 0 and out.strip() == "en-us  English (America)  (en-us)"

    def unavailable() -> list[Voice]:
        raise TtsUnavailable("Questions cannot be spoken because espeak-ng is not installed.")

    monkeypatch.setattr(tts, "list_voices", unavailable)
    code, _, err = run(capsys, "voices")
    assert_one_line_error(code, err, "espeak-ng")


def test_history_filters_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "history")
    assert code == 0 and "No saved sessions yet." in out
    code, _, err = run(capsys, "history", "--since", "yesterday-ish")
    assert_one_line_error(code, err, "not a date")
    code, _, err = run(capsys, "history", "--limit", "0")
    assert_one_line_error(code, err, "--limit")
    code, out, _ = run(capsys, "history", "--json", "--status", "untranscribed")
    assert code == 0 and json.loads(out) == []


def test_console_listener_redraws_live_text_on_a_terminal() -> None:
    import io

    from voice_mock.cli.live import ConsoleListener as _ConsoleListener
    from voice_mock.coach.turn import TurnState

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    listener = _ConsoleListener(tty)
    listener.on_state(TurnState.RECORDING)
    listener.on_partial("hello")
    listener.on_partial("hello")  # unchanged text is not redrawn
    listener.on_partial("hello there")
    listener.on_state(TurnState.TRANSCRIBING)
    assert tty.getvalue() == (
        "Recording: answer now. Press Enter (or Ctrl-C) to stop.\n"
        "\r\x1b[2K> hello\r\x1b[2K> hello there\nTranscribing...\n"
    )
    plain = io.StringIO()
    listener = _ConsoleListener(plain)
    listener.on_partial("hello")
    listener.on_partial("hello there")
    listener.on_message("No microphone.")
    assert plain.getvalue() == "> hello\n> hello there\nNo microphone.\n"
