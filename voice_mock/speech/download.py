"""Downloading and installing a folder from a zip on the web, safely and within limits.

The generic half of `voice-mock model download`, shared by every downloader
(Vosk models now, text-to-speech voices later); what makes a folder a Vosk
model stays in `models.py`.

- `check_url` and `check_name` refuse bad input with one sentence before
  anything touches the network or the disk.
- `fetch` streams a URL into a file with progress, under an overall deadline
  and a stall limit. The network work runs in a helper thread and the
  calling thread enforces both limits, so nothing the network code can be
  stuck in (a name lookup, a trickled header, a body arriving a byte at a
  time) outlives them.
- `safe_extract` unpacks a zip without letting an entry escape the target
  folder (absolute paths, ``..``, drive letters, symlinks), and refuses
  archives that are encrypted or implausibly large.
- `Staging` owns the hidden work files of one install (``.NAME.part``,
  ``.NAME.unpack-*``): it holds a lock on the part file for the whole
  install, removes what a killed download left in the folder, and removes
  its own files however the install ends.
- `install_archive` puts these together: download, unpack, let the caller
  find the folder to keep, rename it into place.

urllib.request and zipfile are imported inside functions: they cost tens of
milliseconds that start-up would otherwise pay for nothing.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import stat
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from voice_mock.errors import UserError

if TYPE_CHECKING:
    import zipfile

ProgressCallback = Callable[[int, int | None], None]
"""``progress(done_bytes, total_bytes_or_None)``, called on the caller's thread."""

CHUNK_BYTES = 1 << 20
DEFAULT_DEADLINE_S = 60 * 60.0
"""A whole download must finish within this (an hour: 128 MB at 36 KB/s)."""
DEFAULT_STALL_S = 60.0
"""A download that receives less than `STALL_MIN_BYTES` in this long has stalled."""
STALL_MIN_BYTES = 1024
"""Progress is counted in windows of at least this many bytes, so a server that
trickles a byte now and then counts as stalled rather than as alive."""
MAX_DOWNLOAD_BYTES = 8 << 30
"""Stop a stream that goes on past this (no model or voice is anywhere near it)."""
MAX_UNPACKED_BYTES = 8 << 30
"""Refuse archives that claim to unpack to more than this (a zip bomb, not a model)."""
MAX_NAME_BYTES = 200
"""Longest folder name accepted: the hidden work names add 18 bytes, and most
file systems allow 255."""

URL_SCHEMES = ("http", "https", "ftp", "file", "data")
_NETWORK_SCHEMES = ("http", "https", "ftp")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNPACK_SUFFIX = re.compile(r"[a-z0-9_]{8}")
"""What `tempfile.mkdtemp` appends to ``.NAME.unpack-``."""
_POLL_S = 0.1
_NOTHING = object()
"""What the caller's loop sees when no message came from the worker in time."""


# --- checking input -------------------------------------------------------------------


def shown(text: str, limit: int = 60) -> str:
    """`text` safe to put in a sentence: control characters escaped, long text cut."""
    safe = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    safe = safe.encode("utf-8", "backslashreplace").decode("utf-8")
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


def check_name(name: str, kind: str = "model") -> None:
    """Refuse a `kind` name that is not one plain, reasonably short folder name."""
    plain = (
        bool(name)
        and name not in {".", ".."}
        and not name.startswith(".")
        and "/" not in name
        and "\\" not in name
        and not _CONTROL.search(name)
    )
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes from the command line
        plain = False
        encoded = b""
    if not plain:
        raise UserError(
            f"'{shown(name)}' is not a valid {kind} name (it must be a plain folder name)."
        )
    if len(encoded) > MAX_NAME_BYTES:
        raise UserError(
            f"'{shown(name)}' is too long for a {kind} name "
            f"({len(encoded)} bytes; at most {MAX_NAME_BYTES})."
        )


def check_url(url: str) -> str:
    """`url` stripped, or a `UserError` when it cannot be a download address."""
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 - parsing the port is what raises for a bad one
    except ValueError as exc:
        raise UserError(f"'{shown(url)}' is not a valid URL ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES:
        raise UserError(
            f"'{shown(url)}' is not a download address; give an http:// or https:// URL "
            "(or file:// for an archive on this machine)."
        )
    if _CONTROL.search(text) or (scheme != "data" and " " in text):
        raise UserError(f"'{shown(url)}' is not a valid URL (it contains spaces or control codes).")
    if scheme in _NETWORK_SCHEMES and not parts.hostname:
        raise UserError(f"'{shown(url)}' is not a valid URL (it names no server).")
    return text


def _seconds(value: float) -> str:
    if value >= 120:
        return f"{value / 60:.0f} minutes"
    return f"{value:g} s"


# --- fetching ---------------------------------------------------------------------------


class _Headers:
    """The worker's first message: the response is open and announces `length`."""

    __slots__ = ("length",)

    def __init__(self, length: int | None) -> None:
        self.length = length


def _network_worker(
    url: str, timeout: float, items: queue.Queue[Any], cancelled: threading.Event
) -> None:
    """Open `url` and queue `_Headers`, then byte blocks, then None (or an exception)."""

    def put(item: object) -> bool:
        while not cancelled.is_set():
            try:
                items.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    try:
        import urllib.request

        request = urllib.request.Request(url, headers={"User-Agent": "voice-mock"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.strip().isdigit() else None
            if not put(_Headers(total)):
                return
            read = getattr(response, "read1", None) or response.read
            while not cancelled.is_set():
                block = read(CHUNK_BYTES)
                if not put(block or None) or not block:
                    return
    except BaseException as exc:  # handed to the caller, who decides what it means
        put(exc)


def fetch(
    url: str,
    out: IO[bytes],
    *,
    label: str,
    expected_bytes: int | None = None,
    progress: ProgressCallback | None = None,
    deadline_s: float = DEFAULT_DEADLINE_S,
    stall_s: float = DEFAULT_STALL_S,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> int:
    """Stream `url` into `out`; returns the number of bytes written.

    `label` names the download in messages. `expected_bytes` (when known)
    must match both the announced and the received size. `progress(done,
    total)` is called on this thread, first with 0 once the server answers.
    The whole download must end within `deadline_s`, and every `stall_s`
    window must bring at least `STALL_MIN_BYTES` (or the end); otherwise, and
    for any network or size problem, a `UserError` says what happened. An
    exception from `progress` (a cancel) is raised as it is.
    """
    if deadline_s <= 0 or stall_s <= 0:
        raise ValueError(f"limits must be positive, got deadline {deadline_s}, stall {stall_s}")
    source = check_url(url)
    items: queue.Queue[Any] = queue.Queue(maxsize=4)
    cancelled = threading.Event()
    worker = threading.Thread(
        target=_network_worker,
        args=(source, max(0.01, min(stall_s, deadline_s)), items, cancelled),
        name="download",
        daemon=True,
    )
    started = time.monotonic()
    window_start, window_bytes = started, 0
    total: int | None = None
    done = 0
    limit = min(expected_bytes, max_bytes) if expected_bytes is not None else max_bytes
    worker.start()
    try:
        while True:
            try:
                item = items.get(timeout=min(_POLL_S, stall_s, deadline_s))
            except queue.Empty:
                item = _NOTHING
            now = time.monotonic()
            if isinstance(item, bytes):
                window_bytes += len(item)
                if window_bytes >= STALL_MIN_BYTES:
                    window_start, window_bytes = now, 0
            if item is None:  # the end: finished before any limit could matter
                break
            if now - started > deadline_s:
                raise UserError(
                    f"The download of {label} from {source} did not finish within "
                    f"{_seconds(deadline_s)}; try again later or on a faster connection."
                )
            if now - window_start > stall_s or isinstance(item, TimeoutError):
                raise UserError(
                    f"The download of {label} from {source} stalled: less than "
                    f"{STALL_MIN_BYTES} bytes arrived in {_seconds(stall_s)}."
                )
            if item is _NOTHING:
                continue
            if isinstance(item, BaseException):
                raise _network_error(item, label, source) from None
            if isinstance(item, _Headers):
                total = item.length
                if total is not None and expected_bytes is not None and total != expected_bytes:
                    raise UserError(
                        f"The server offers {total} bytes for {label} but {expected_bytes} "
                        "were expected; refusing a file that is not the published one."
                    )
                if progress is not None:
                    progress(0, total)
                continue
            out.write(item)
            done += len(item)
            if done > limit:
                raise UserError(
                    f"The download of {label} from {source} is larger than expected "
                    f"(over {limit} bytes); refusing it."
                )
            if progress is not None:
                progress(done, total)
    finally:
        cancelled.set()
    out.flush()
    want = total if total is not None else expected_bytes
    if want is not None and done != want:
        raise UserError(
            f"The download of {label} from {source} was cut short: got {done} of {want} bytes."
        )
    if done == 0:
        raise UserError(f"The download of {label} from {source} was empty.")
    return done


def _network_error(exc: BaseException, label: str, source: str) -> BaseException:
    """The sentence for an exception raised by urllib in the worker."""
    import urllib.error
    from http.client import HTTPException

    if isinstance(exc, urllib.error.HTTPError):
        return UserError(f"Downloading {source} failed: HTTP {exc.code} {exc.reason}.")
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            reason = "timed out"
        return UserError(f"Could not reach {source} to download {label}: {reason}.")
    if isinstance(exc, HTTPException | ConnectionError | OSError):
        detail = str(exc).rstrip(".") or type(exc).__name__
        return UserError(f"The download of {label} from {source} was interrupted ({detail}).")
    if isinstance(exc, ValueError):
        return UserError(f"'{shown(source)}' is not a valid URL ({exc}).")
    return exc  # a bug, not bad input: let it show


# --- unpacking ---------------------------------------------------------------------------


def safe_extract(
    archive: Path | IO[bytes], into: Path, *, source: str, max_bytes: int = MAX_UNPACKED_BYTES
) -> None:
    """Extract the zip `archive` under `into`, refusing any entry that would land outside it.

    Encrypted entries, symbolic links, unsafe paths and archives claiming more
    than `max_bytes` are refused with a `UserError` naming `source`; so is an
    archive that is not a zip or cannot be decompressed. Disk errors
    (`OSError`) are left to the caller, who knows where it was installing.
    """
    import lzma
    import zipfile
    import zlib

    base = Path(into).resolve()
    if not isinstance(archive, Path):
        archive.seek(0)
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > max_bytes:
                raise UserError(f"The archive from {source} unpacks to an implausible size.")
            for info in infos:
                if info.flag_bits & 0x1:
                    raise UserError(
                        f"The archive from {source} is password-protected "
                        f"({shown(info.filename)}); voice-mock cannot unpack it."
                    )
            for info in infos:
                target = _entry_target(info, base, source)
                if target is None:
                    continue
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK_BYTES)
    except zipfile.BadZipFile:
        raise UserError(f"The file downloaded from {source} is not a valid zip archive.") from None
    except (
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        RuntimeError,
        zlib.error,
        lzma.LZMAError,
    ) as exc:
        detail = str(exc).rstrip(".") or type(exc).__name__
        raise UserError(f"The archive from {source} could not be unpacked ({detail}).") from None


def _entry_target(info: zipfile.ZipInfo, base: Path, source: str) -> Path | None:
    """Where a zip entry may be written, or an error for a path-escaping entry."""
    raw = info.filename.replace("\\", "/")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UserError(
            f"The archive from {source} contains a symbolic link ({shown(raw)}); refusing it."
        )
    pure = PurePosixPath(raw)
    unsafe = UserError(
        f"The archive from {source} contains an unsafe path ({shown(info.filename)}); refusing it."
    )
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":") or ".." in pure.parts:
        raise unsafe
    parts = [p for p in pure.parts if p not in ("", ".")]
    if not parts:
        return None
    target = base.joinpath(*parts)
    resolved = target.resolve()
    if resolved != base and base not in resolved.parents:
        raise unsafe
    return target


# --- the hidden work files of one install -------------------------------------------------


def _lock(fd: int) -> bool:
    """Take an exclusive lock on `fd` without waiting; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # no advisory locks here: behave as if every lock were free
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _open_locked(path: Path) -> int | None:
    """Open (creating) `path` and lock it; None when a live process holds its lock.

    The lock is checked against the name afterwards: a download that just
    finished may have unlinked the file we opened, and a lock on a file no
    longer in the folder protects nothing.
    """
    for _ in range(5):
        # O_NOFOLLOW: a link in our place is not ours, and must not create its target
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        try:
            if not _lock(fd):
                os.close(fd)
                return None
            opened = os.fstat(fd)
            try:
                linked = os.lstat(path)
            except FileNotFoundError:
                linked = None
            if linked is not None and (linked.st_ino, linked.st_dev) == (
                opened.st_ino,
                opened.st_dev,
            ):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    raise OSError(f"{path} keeps changing under another download")


def leftovers(folder: Path) -> dict[str, list[Path]]:
    """Hidden work files of downloads in `folder`, by the name they were downloading.

    Only names this module creates count: a regular file ``.NAME.part`` and
    real folders ``.NAME.unpack-XXXXXXXX`` (the suffix `tempfile.mkdtemp`
    makes), for a NAME `check_name` accepts. Anything else is not ours.
    """
    found: dict[str, list[Path]] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if not entry.name.startswith("."):
            continue
        name: str | None = None
        try:
            if entry.name.endswith(".part") and entry.is_file(follow_symlinks=False):
                name = entry.name[1 : -len(".part")]
            elif ".unpack-" in entry.name and entry.is_dir(follow_symlinks=False):
                name, _, suffix = entry.name[1:].rpartition(".unpack-")
                if not _UNPACK_SUFFIX.fullmatch(suffix):
                    name = None
        except OSError:
            continue
        if not name:
            continue
        try:
            check_name(name)
        except UserError:
            continue
        found.setdefault(name, []).append(Path(entry.path))
    return found


def clean_leftovers(folder: Path, *, keep: str | None = None) -> list[Path]:
    """Remove what killed downloads left in `folder`; returns what was removed.

    A download in progress holds a lock on its ``.NAME.part`` for as long as
    its files exist, so files whose part file is absent or unlocked belong to
    a process that died. `keep` names a download whose part file the caller
    itself holds (its unpack folders are still cleaned: a live one is made
    only after the lock is taken).
    """
    removed: list[Path] = []
    for name, paths in leftovers(folder).items():
        part = Path(folder) / f".{name}.part"
        fd: int | None = None
        if name != keep and part.is_file():
            try:
                fd = _open_locked(part)
            except OSError:
                continue
            if fd is None:  # a live download of `name`: its files are its own
                continue
        try:
            for path in paths:
                if path == part and name == keep:
                    continue
                try:
                    if path == part:
                        path.unlink()
                    else:
                        shutil.rmtree(path)
                except FileNotFoundError:
                    pass
                except OSError:
                    continue
                removed.append(path)
        finally:
            if fd is not None:
                os.close(fd)
    return removed


class Staging:
    """The right to install `name` into `dest`, and the hidden files that takes.

    Entering takes the lock on ``dest/.NAME.part`` (a `UserError` when another
    process is installing the same name there), empties the part file and
    removes what killed downloads left in the folder. `part` is the open part
    file; `unpack_dir()` makes hidden folders to extract into. Leaving removes
    all of them, whatever happened, then releases the lock.
    """

    def __init__(self, dest: Path, name: str, *, kind: str = "model") -> None:
        self.dest = Path(dest)
        self.name = name
        self.kind = kind
        self.part_path = self.dest / f".{name}.part"
        self._part: IO[bytes] | None = None
        self._unpacked: list[Path] = []

    @property
    def part(self) -> IO[bytes]:
        if self._part is None:
            raise RuntimeError("Staging is not entered")
        return self._part

    def __enter__(self) -> Staging:
        fd = _open_locked(self.part_path)
        if fd is None:
            raise UserError(
                f"{self.name} is already being downloaded into {self.dest} by another "
                "voice-mock; wait for it to finish."
            )
        try:
            os.ftruncate(fd, 0)
            self._part = os.fdopen(fd, "r+b")
        except BaseException:
            os.close(fd)
            raise
        clean_leftovers(self.dest, keep=self.name)
        return self

    def unpack_dir(self) -> Path:
        """A fresh hidden folder beside the target, removed when the install ends."""
        folder = Path(tempfile.mkdtemp(prefix=f".{self.name}.unpack-", dir=self.dest))
        self._unpacked.append(folder)
        return folder

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Unpack folders first: while they exist the lock must be held (see clean_leftovers).
        for folder in self._unpacked:
            shutil.rmtree(folder, ignore_errors=True)
        self._unpacked.clear()
        self.part_path.unlink(missing_ok=True)
        if self._part is not None:
            self._part.close()
            self._part = None


# --- all together -----------------------------------------------------------------------------


def install_archive(
    url: str,
    dest: Path,
    name: str,
    *,
    find_root: Callable[[Path], Path],
    is_installed: Callable[[Path], bool],
    kind: str = "model",
    expected_bytes: int | None = None,
    progress: ProgressCallback | None = None,
    deadline_s: float = DEFAULT_DEADLINE_S,
    stall_s: float = DEFAULT_STALL_S,
) -> Path:
    """Download the zip at `url` and install the folder in it as ``dest/name``; returns that.

    `find_root(unpacked)` returns the folder to keep from the unpacked
    archive, or raises `UserError` when it holds none; `is_installed(path)`
    says whether a finished install is already there (another process may
    finish first). Checks names and the URL first; every failure is one
    `UserError` and leaves nothing behind.
    """
    check_name(name, kind)
    source = check_url(url)
    dest = Path(dest)
    target = dest / name
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"The {kind}s folder {dest} could not be created: {exc}.") from None
    try:
        with Staging(dest, name, kind=kind) as staging:
            if is_installed(target):
                return target
            fetch(
                source,
                staging.part,
                label=name,
                expected_bytes=expected_bytes,
                progress=progress,
                deadline_s=deadline_s,
                stall_s=stall_s,
            )
            unpacked = staging.unpack_dir()
            safe_extract(staging.part, unpacked, source=source)
            root = find_root(unpacked)
            try:
                os.rename(root, target)
            except OSError:
                if is_installed(target):  # another download finished first
                    return target
                raise
            return target
    except OSError as exc:
        raise UserError(f"Installing {name} into {dest} failed: {exc}.") from None
