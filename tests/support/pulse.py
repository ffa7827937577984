"""A private PulseAudio server with a null sink: real audio with no sound card.

What is played into the sink (``paplay``) can be recorded from its monitor,
which is the default source, so the recorder, the player and the spoken
questions run through PortAudio exactly as on a desk. Shared by the test
suite's ``pulse_sink`` fixture and the benchmarks.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PulseSink:
    """A private PulseAudio server with a null sink ``mock`` whose monitor is the default source."""

    def __init__(self, runtime: Path) -> None:
        self.runtime = runtime
        self.server = f"unix:{runtime / 'native'}"
        self.process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        return {**os.environ, "PULSE_SERVER": self.server, "PULSE_RUNTIME_PATH": str(self.runtime)}

    def start(self) -> None:
        self.runtime.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "pulseaudio",
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--system=no",
                "--disallow-exit",
                "--load=module-null-sink sink_name=mock rate=48000",
                "--load=module-native-protocol-unix auth-anonymous=1 "
                f"socket={self.runtime / 'native'}",
                "--load=module-always-sink",
            ],
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.pactl("info").returncode == 0:
                break
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError("PulseAudio did not start")
        self.pactl("set-default-sink", "mock")
        self.pactl("set-default-source", "mock.monitor")

    def pactl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pactl", *args], env=self.env(), capture_output=True, text=True, check=False
        )

    def play(self, wav: Path) -> subprocess.Popen[bytes]:
        """Play a file into the sink (returns at once; wait() on the result)."""
        return subprocess.Popen(["paplay", "--device=mock", str(wav)], env=self.env())

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


def _reinitialise_portaudio() -> None:
    """Make PortAudio see the sound server named in the environment now.

    sounddevice has no public call for this: PortAudio reads the device list
    when it is initialised, so it is terminated and initialised again.
    """
    import sounddevice as sd

    sd._terminate()
    sd._initialize()


@contextmanager
def private_sink(runtime: Path) -> Iterator[PulseSink]:
    """Start a sink in `runtime`, point this process (and PortAudio) at it, stop it after."""
    sink = PulseSink(runtime)
    sink.start()
    saved = {k: os.environ.get(k) for k in ("PULSE_SERVER", "PULSE_RUNTIME_PATH")}
    os.environ["PULSE_SERVER"] = sink.server
    os.environ["PULSE_RUNTIME_PATH"] = str(sink.runtime)
    _reinitialise_portaudio()
    try:
        yield sink
    finally:
        sink.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        _reinitialise_portaudio()
