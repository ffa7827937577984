"""The core never imports Textual, and the CLI's help does not pay for heavy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = [
    "voice_mock.config",
    "voice_mock.transcript",
    "voice_mock.bank",
    "voice_mock.store",
    "voice_mock.pipeline",
    "voice_mock.practice",
    "voice_mock.analysis.report",
    "voice_mock.speech.stt",
    "voice_mock.speech.models",
    "voice_mock.speech.tts",
    "voice_mock.audio.recorder",
    "voice_mock.audio.decode",
    "voice_mock.audio.features",
    "voice_mock.audio.phone",
]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return set(out.stdout.split())


def test_core_does_not_import_textual() -> None:
    loaded = _modules_after("\n".join(f"import {m}" for m in CORE))
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_core_source_has_no_textual_import() -> None:
    for folder in ("analysis", "speech", "audio"):
        for path in (ROOT / "voice_mock" / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "import textual" not in text and "from textual" not in text, path


def test_cli_module_is_light() -> None:
    loaded = _modules_after("import voice_mock.cli")
    heavy = {"vosk", "textual", "sounddevice", "scipy", "pyttsx3"}
    assert not heavy & loaded
