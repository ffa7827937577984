"""A one-question bank, an answer to it and a counting model loader, for the tests that
check analysis refuses bad input before it loads the embedding model."""

from __future__ import annotations

from pathlib import Path

from voice_mock.bank import load_library
from voice_mock.coach import Coach, Services
from voice_mock.config import Settings
from voice_mock.store import Store

BANK = """
[bank]
id = "lazy-bank"
title = "Lazy"

[[questions]]
id = "calm-caller"
text = "How would you calm a caller?"
category = "scenario"

[[questions.key_points]]
id = "listen"
label = "Listen first"
cues = ["listen"]
"""

WORDS = ["i", "would", "listen", "to", "them"]
TRANSCRIPT = {
    "text": " ".join(WORDS),
    "result": [
        {"word": w, "start": 0.5 + i / 2, "end": 0.75 + i / 2, "conf": 1.0}
        for i, w in enumerate(WORDS)
    ],
}
"""An answer to the bank's question in Vosk's JSON form; it says the cue."""


class CountingLoader:
    """Stands in for the model's load: counts the calls, gives no embedder (cues only)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


def coach_with(tmp_path: Path, loader: CountingLoader, bank: str = BANK) -> Coach:
    """A coach on `bank` (written under `tmp_path`) with no speech model."""
    path = tmp_path / "lazy.toml"
    path.write_text(bank)
    services = Services(embedder=loader, find_model=lambda s: None)
    return Coach(Settings(), load_library([path]), Store(tmp_path / "sessions"), services)
