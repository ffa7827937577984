"""Small file helpers shared by the core: atomic writes, private folders and files.

Writes go through a temporary file in the same folder and `os.replace`, so a
crash or a full disk never leaves a half-written transcript, report or config.

Everything voice-mock writes is the user's own voice and words, so it is
private from the moment it exists: folders are created 0700 and files 0600
(never created wider and narrowed afterwards, which would leave a window in
which another local user can open them).
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and any missing parents) with mode 0700; an existing folder is kept.

    Only folders this call creates get the private mode; a parent that already
    exists (a home folder, ``/tmp``) is left as it is.
    """
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, PRIVATE_DIR_MODE)  # mkdir's mode is narrowed by the umask only
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    return path


def open_private(path: Path, *, exclusive: bool = False) -> BinaryIO:
    """Open a new binary file for writing with mode 0600 from the start (truncating).

    `exclusive` refuses an existing file instead of truncating it.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    flags |= getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        if not exclusive:
            os.fchmod(fd, PRIVATE_FILE_MODE)  # an older, wider file keeps its mode otherwise
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def copy_private(source: Path, target: Path, chunk: int = 1 << 20) -> None:
    """Copy `source` to a new private file `target` (the user's recording into a session)."""
    with open(source, "rb") as reader, open_private(target) as writer:
        while block := reader.read(chunk):
            writer.write(block)
        writer.flush()
        os.fsync(writer.fileno())


MAX_JSON_BYTES = 64_000_000
"""Largest JSON file read (a 60-minute transcript is about 1.5 MB)."""


def read_json(path: Path, *, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """Parse a JSON file; anything wrong with it is one sentence naming the file.

    Bounded: a file larger than `max_bytes`, nested thousands deep or holding
    a number of thousands of digits is refused rather than exhausting memory
    or raising from deep inside the parser. Only regular files are opened, so
    a FIFO named like a transcript cannot hang the command.
    """
    from voice_mock.errors import UserError

    try:
        info = path.stat()
    except FileNotFoundError:
        raise UserError(f"{path} does not exist.") from None
    except OSError as exc:
        raise UserError(f"{path} could not be read: {exc.strerror or exc}.") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise UserError(f"{path} is {kind}, not a JSON file.")
    if info.st_size > max_bytes:
        raise UserError(
            f"{path} is larger than {max_bytes // 1_000_000} MB; it is not a transcript."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise UserError(f"{path} could not be read: {reason}.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except RecursionError:
        raise UserError(f"{path} is nested too deeply to be a voice-mock file.") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise UserError(f"{path} holds a value voice-mock cannot read ({exc}).") from None


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never half.

    The new file is 0600 (`mkstemp` creates it so); its folder is created private.
    """
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Text flavour of `atomic_write_bytes` (UTF-8)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, data: Any) -> None:
    """Write pretty, UTF-8 JSON atomically."""
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
