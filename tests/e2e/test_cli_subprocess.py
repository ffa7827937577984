"""`python -m voice_mock` as a real process: exit codes, stderr, no tracebacks, speed of --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.inputs import QUESTION_ID, write_bank, write_transcript

ROOT = Path(__file__).resolve().parents[2]


def voice_mock(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voice_mock", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env or dict(os.environ),
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def assert_clean_failure(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for needle in needles:
        assert needle in lines[0]


def test_help_is_fast_and_lists_the_commands() -> None:
    started = time.monotonic()
    done = voice_mock("--help")
    elapsed = time.monotonic() - started
    assert done.returncode == 0
    for command in ("analyze", "questions", "model", "practice", "devices", "voices", "history"):
        assert command in done.stdout
    assert elapsed < 5  # interpreter start plus argparse: no vosk/numpy/textual on the way


def test_analyze_transcript_in_a_process(tmp_path: Path) -> None:
    bank = write_bank(tmp_path / "banks")
    expected = write_transcript(tmp_path / "a.json")
    done = voice_mock(
        "analyze", tmp_path / "a.json", "--questions", bank, "--question", QUESTION_ID, "--json"
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["word_count"] == expected.word_count
    assert report["fillers"]["total"] == expected.fillers_total
    assert report["pauses"]["count"] == expected.pauses


@pytest.mark.parametrize(
    ("setup", "args", "needle"),
    [
        (None, ("analyze", "{d}/missing.wav"), "does not exist"),
        ("corrupt", ("analyze", "{d}/corrupt.ogg"), "corrupt.ogg"),
        ("malformed", ("analyze", "{d}/bad.json"), "not valid JSON"),
        ("badbank", ("questions", "validate", "{d}/bad.toml"), "bad.toml"),
        (None, ("questions", "show", "no-such-question-anywhere"), "no-such-question-anywhere"),
        (None, ("export", "nothing-here"), "no saved session"),
    ],
    ids=["missing", "corrupt", "malformed-json", "bad-bank", "unknown-question", "no-session"],
)
def test_bad_input_exits_2_with_one_sentence(
    tmp_path: Path, setup: str | None, args: tuple[str, ...], needle: str
) -> None:
    if setup == "corrupt":
        (tmp_path / "corrupt.ogg").write_bytes(b"OggS" + os.urandom(2000))
    elif setup == "malformed":
        (tmp_path / "bad.json").write_text('{"result": [')
    elif setup == "badbank":
        (tmp_path / "bad.toml").write_text('[bank]\nid = "Not A Slug"\ntitle = "x"\n')
    done = voice_mock(*(a.format(d=tmp_path) for a in args))
    assert done.stdout == ""
    assert_clean_failure(done, needle)


def test_usage_error_exits_2() -> None:
    done = voice_mock("analyze", "--json")
    assert done.returncode == 2
    assert "usage:" in done.stderr and "Traceback" not in done.stderr


def test_devices_without_a_sound_server() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE")}
    env["PULSE_SERVER"] = "unix:/nonexistent/pulse-socket"
    done = voice_mock("devices", env=env)
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.strip() or done.stderr.strip()


def test_sigint_exits_130_quietly(tmp_path: Path) -> None:
    """Ctrl-C while a command runs: status 130, no traceback (the process is really signalled)."""
    import signal

    code = (
        "import sys, time, voice_mock.cli as cli, voice_mock.cli.commands as commands\n"
        "def slow(args, context):\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(30)\n"
        "    return 0\n"
        "commands.cmd_devices = slow\n"
        "sys.exit(cli.main(['devices']))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
