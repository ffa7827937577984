"""Native chatter (Kaldi, PortAudio, ALSA) never reaches stderr; Python's own output still does.

Each check runs in a fresh interpreter, because what is tested is the
process's stderr from its first native call onwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.damaged_models import no_recogniser_model, truncated_model

ROOT = Path(__file__).resolve().parents[2]


def run(code: str, env: dict[str, str] | None = None, timeout: float = 120) -> tuple[str, str]:
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout, out.stderr


@pytest.mark.vosk
def test_damaged_models_and_no_sound_server_print_nothing(
    ko_model_path: Path, tmp_path: Path
) -> None:
    """The report's repro: a truncated model, a model without a recogniser, devices listed
    with no sound server. Only our own sentences come out, on stdout; stderr stays empty
    except for a line Python writes itself, which must still get through."""
    truncated = truncated_model(ko_model_path, tmp_path / "truncated")
    half = no_recogniser_model(ko_model_path, tmp_path / "half4")
    code = f"""
import sys
from voice_mock.errors import UserError
from voice_mock.speech.stt import load_model
from voice_mock.audio.devices import list_devices, pick_input
from voice_mock import quiet
for folder in ({str(truncated)!r}, {str(half)!r}):
    try:
        load_model(folder)
    except UserError as e:
        print("USERERROR", e)
print("DEVICES", list_devices())
try:
    pick_input(None)
except UserError as e:
    print("USERERROR", e)
print("KEPT", any("VoskAPI" in line for line in quiet.recent()))
sys.stderr.write("python can still write to stderr\\n")
"""
    env = {
        **os.environ,
        "PULSE_SERVER": f"unix:{tmp_path / 'no-server'}",
        "PULSE_RUNTIME_PATH": str(tmp_path),
    }
    stdout, stderr = run(code, env)
    assert stderr == "python can still write to stderr\n"
    assert stdout.count("USERERROR") == 3, stdout
    assert "could not be loaded as a Vosk model" in stdout
    assert "could not make a recogniser" in stdout
    assert "KEPT True" in stdout  # the lines are kept for a debug message


@pytest.mark.audio
def test_portaudio_thread_chatter_after_the_server_dies(tmp_path: Path) -> None:
    """PortAudio prints "Expression ... failed" from its own thread when the sound server
    dies under an open stream: long after any call of ours returned."""
    if shutil.which("pulseaudio") is None:
        pytest.skip("pulseaudio is not installed")
    from tests.support.pulse import PulseSink

    sink = PulseSink(tmp_path / "pulse")
    sink.start()
    code = """
import sys, time
from voice_mock.audio.sources import SoundDeviceSource
source = SoundDeviceSource(None)
source.start(lambda block: None)
print("RECORDING", flush=True)
sys.stdin.readline()          # the test kills the server now
time.sleep(2.0)               # PortAudio's thread notices and complains
source.stop()
print("STOPPED", source.error is None or source.error.endswith("."), flush=True)
sys.stderr.write("python can still write to stderr\\n")
"""
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=sink.env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "RECORDING"
        time.sleep(0.5)
        assert sink.process is not None
        sink.process.kill()
        sink.process.wait(timeout=10)
        sink.process = None
        child.stdin.write("\n")
        child.stdin.flush()
        stdout, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
        sink.stop()
    assert "STOPPED" in stdout, stdout + stderr
    assert stderr == "python can still write to stderr\n"


def test_native_block_captures_c_stderr_and_leaves_fd_2_alone() -> None:
    code = r"""
import ctypes, os, sys, threading
from voice_mock import quiet
libc = ctypes.CDLL(None)
libc.fputs.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
def say(text):
    libc.fputs(text, ctypes.c_void_p.in_dll(libc, "stderr"))
with quiet.native("a test") as said:
    say(b"ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred\n")
print("CAPTURED", said.lines)
later = threading.Thread(target=say, args=(b"Expression 'x' failed in 'y', line: 1\n",))
later.start(); later.join()     # another thread, outside any block
print("RECENT", quiet.recent()[-1])
os.write(2, b"fd 2 still reaches the terminal\n")
print("python too", file=sys.stderr)
"""
    stdout, stderr = run(code)
    assert stderr == "fd 2 still reaches the terminal\npython too\n"
    assert "CAPTURED ['ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred']" in stdout
    assert "RECENT Expression 'x' failed in 'y', line: 1" in stdout


def test_fallback_redirects_fd_2_only_for_the_block() -> None:
    """Where the C stream cannot be re-pointed, fd 2 is redirected for the block and restored,
    also when blocks overlap in several threads."""
    code = r"""
import os, sys, threading
from voice_mock import quiet
quiet._point_c_stderr_at = lambda fd: False
ready, go = threading.Barrier(3), threading.Event()
def worker(n):
    with quiet.native("worker"):
        ready.wait()
        os.write(2, f"hidden {n}\n".encode())
        go.wait()
threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
for t in threads: t.start()
ready.wait(); go.set()
for t in threads: t.join()
with quiet.native("main") as said:
    os.write(2, b"hidden main\n")
print("CAPTURED", said.lines)
os.write(2, b"visible\n")
"""
    stdout, stderr = run(code)
    assert stderr == "visible\n"
    assert "CAPTURED ['hidden main']" in stdout


def test_install_is_idempotent_and_cheap() -> None:
    code = r"""
import time
from voice_mock import quiet
quiet.install()
started = time.perf_counter()
for _ in range(1000):
    quiet.install()
    with quiet.native("nothing"):
        pass
print("PER_CALL_MS", (time.perf_counter() - started))
"""
    stdout, _ = run(code)
    per_call_ms = float(stdout.split()[-1])  # 1000 calls in seconds = ms per call
    assert per_call_ms < 1.0
