"""Damaged copies of the real Korean Vosk model, cheap to make.

The model is 250 MB, so a "copy" links every file of the original and
replaces only the file being damaged. libvosk follows the links like any
other file.
"""

from __future__ import annotations

import os
from pathlib import Path


def linked_copy(model: Path, dest: Path) -> Path:
    """A folder at `dest` holding links to every file of `model` (folders are real)."""
    for root, _dirs, files in os.walk(model):
        rel = Path(root).relative_to(model)
        (dest / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            (dest / rel / name).symlink_to(Path(root) / name)
    return dest


def _replace(path: Path, data: bytes) -> None:
    path.unlink()
    path.write_bytes(data)


def truncated_model(model: Path, dest: Path) -> Path:
    """`model` with its acoustic model cut short: libvosk refuses to load it (Kaldi says ERROR)."""
    copy = linked_copy(model, dest)
    final = copy / "am" / "final.mdl"
    _replace(final, (model / "am" / "final.mdl").read_bytes()[:100_000])
    return copy


def no_recogniser_model(model: Path, dest: Path) -> Path:
    """`model` with an empty conf/mfcc.conf: it loads, but no recogniser can be made."""
    copy = linked_copy(model, dest)
    _replace(copy / "conf" / "mfcc.conf", b"")
    return copy
