"""Keep what native libraries print (Kaldi/Vosk, PortAudio, ALSA, JACK) off the user's terminal.

These libraries write straight to the C library's ``stderr``: Kaldi's
``ERROR (VoskAPI:...)`` lines when a damaged model is loaded, PortAudio's
``Expression '...' failed`` from its audio thread when a device goes away,
ALSA's ``ALSA lib ... underrun occurred``. The CLI promises one sentence and
the app draws its screen on the same terminal, so none of it may get there.

Redirecting file descriptor 2 around each native call is not enough and not
safe: PortAudio prints from its own threads at any later moment, and while
fd 2 is redirected, everything else written to it is lost as well, which
includes every frame the Textual app draws (Textual writes to
``sys.__stderr__``). So `install()` leaves fd 2 alone and instead points the
C ``stderr`` stream itself at a private pipe: native code in any thread,
now or later, writes there; Python's ``sys.stderr``, tracebacks and the app's
screen still reach the terminal. ALSA's error handler is set to a no-op as
well. What lands in the pipe is kept (the last `KEEP_LINES` lines) for a
debug message and logged on the ``voice_mock.native`` logger at DEBUG level.

Where the C stream cannot be re-pointed (a C library other than glibc),
`native()` falls back to redirecting fd 2 for the duration of the block:
thread-safe and restored afterwards, at the cost of hiding other output
written meanwhile, and without covering PortAudio's later messages.

Use::

    from voice_mock import quiet

    with quiet.native("loading the model") as said:
        model = vosk.Model(path)
    # said.text: what the library printed meanwhile (for a debug message)

A known cost: CPython's own fatal-error message ("Fatal Python error: ...")
is written to the C ``stderr`` too, so after `install()` it lands in the pipe.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("voice_mock.native")

KEEP_LINES = 200
"""How many recent lines of native output are kept for debugging."""

_lock = threading.RLock()
_installed = False
_stdio_redirected = False
_sink_read: int | None = None
_sink_write: int | None = None
_pending = b""
_recent: deque[str] = deque(maxlen=KEEP_LINES)
_total_lines = 0
_fd_depth = 0
_saved_fd2: int | None = None
_alsa: tuple[Any, Any] | None = None
"""ALSA's ``snd_lib_error_set_handler`` and our handler (kept alive: ALSA holds a raw pointer)."""
_alsa_missing = False


@dataclass
class Captured:
    """What native code printed while a `native()` block ran (other threads' lines included)."""

    what: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def install() -> None:
    """Keep native output off the terminal from now on (idempotent, thread-safe, cheap).

    Call it before a native library first initialises (importing sounddevice
    starts PortAudio, which may already print).
    """
    global _installed, _stdio_redirected
    with _lock:
        _silence_alsa()
        if _installed:
            return
        _installed = True
        try:
            _open_sink()
            _stdio_redirected = _point_c_stderr_at(_sink_write)
        except OSError as exc:  # no pipe to be had: the fd fallback may still work later
            log.debug("native output stays on stderr: %s", exc)


@contextlib.contextmanager
def native(what: str) -> Iterator[Captured]:
    """Run a block of native calls with their output kept off the terminal.

    Yields a `Captured` that, after the block, holds what was printed
    meanwhile (also logged at DEBUG, labelled with `what`).
    """
    install()
    captured = Captured(what)
    redirected = False
    with _lock:
        _drain()
        mark = _total_lines
        if not _stdio_redirected:
            redirected = _redirect_fd2()
    try:
        yield captured
    finally:
        with _lock:
            if redirected:
                _restore_fd2()
            _drain()
            new = min(_total_lines - mark, len(_recent))
            captured.lines = list(_recent)[-new:] if new else []
        if captured.lines:
            log.debug("%s: %s", what, captured.text)


def recent() -> list[str]:
    """The last lines native libraries printed (oldest first), for a debug message."""
    with _lock:
        _drain()
        return list(_recent)


# --- the sink -----------------------------------------------------------------------------


def _open_sink() -> None:
    global _sink_read, _sink_write
    if _sink_write is not None:
        return
    read, write = os.pipe()  # close-on-exec: child processes keep their own stderr
    os.set_blocking(read, False)
    # Never block a writer (an audio thread above all): when nobody has drained
    # the pipe for 64 KB, further lines are dropped instead.
    os.set_blocking(write, False)
    _sink_read, _sink_write = read, write


def _drain() -> None:
    """Move what is waiting in the pipe into `_recent` (call with `_lock` held)."""
    global _pending, _total_lines
    if _sink_read is None:
        return
    chunks = []
    while True:
        try:
            chunk = os.read(_sink_read, 65536)
        except (BlockingIOError, InterruptedError):
            break
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    if not chunks:
        return
    data = _pending + b"".join(chunks)
    *lines, _pending = data.split(b"\n")
    for line in lines:
        text = line.decode("utf-8", "replace").rstrip()
        if text:
            _recent.append(text)
            _total_lines += 1


# --- re-pointing the C library's stderr ----------------------------------------------------


class _GlibcFile(ctypes.Structure):
    """The start of glibc's ``struct _IO_FILE`` (public, and fixed by its ABI) up to _fileno."""

    _fields_ = [
        ("_flags", ctypes.c_int),
        *((f"_ptr{i}", ctypes.c_void_p) for i in range(13)),
        ("_fileno", ctypes.c_int),
    ]


def _point_c_stderr_at(fd: int | None) -> bool:
    """Make the C ``stderr`` stream write to `fd`; False when that cannot be done safely.

    Only on glibc, and only after checking on two probe streams that the
    layout really is the one assumed. The stream's lock is held while its
    descriptor changes, so a thread printing at that moment finishes first.
    """
    if fd is None:
        return False
    try:
        libc = ctypes.CDLL(None)
        gnu = libc.gnu_get_libc_version  # only glibc has it
        gnu.restype = ctypes.c_char_p
        stream = ctypes.c_void_p.in_dll(libc, "stderr").value  # the copy everyone uses
    except (OSError, AttributeError, ValueError):
        return False
    if not stream:
        return False
    fdopen, fclose, fileno = libc.fdopen, libc.fclose, libc.fileno
    fdopen.restype, fdopen.argtypes = ctypes.c_void_p, [ctypes.c_int, ctypes.c_char_p]
    fclose.argtypes = fileno.argtypes = [ctypes.c_void_p]
    probes: list[tuple[int, int]] = []  # (descriptor, FILE*), two at once so they differ
    try:
        for _ in range(2):
            probe_fd = os.dup(fd)
            probe = fdopen(probe_fd, b"w")
            if not probe:
                os.close(probe_fd)
                return False
            probes.append((probe_fd, probe))
        if any(_GlibcFile.from_address(f)._fileno != d for d, f in probes):
            return False
    finally:
        for _, probe in probes:
            fclose(probe)
    if fileno(stream) != 2 or _GlibcFile.from_address(stream)._fileno != 2:
        return False
    flockfile, funlockfile = libc.flockfile, libc.funlockfile
    flockfile.argtypes = funlockfile.argtypes = [ctypes.c_void_p]
    flockfile(stream)
    try:
        _GlibcFile.from_address(stream)._fileno = fd
    finally:
        funlockfile(stream)
    return True


# --- ALSA -------------------------------------------------------------------------------------


def _silence_alsa() -> None:
    """Give ALSA a no-op error handler, when libasound is there (PortAudio may reset it)."""
    global _alsa, _alsa_missing
    if _alsa_missing:
        return
    if _alsa is None:
        try:
            set_handler = ctypes.CDLL("libasound.so.2").snd_lib_error_set_handler
        except (OSError, AttributeError):
            _alsa_missing = True
            return
        handler_type = ctypes.CFUNCTYPE(
            None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
        )
        _alsa = (set_handler, handler_type(_ignore_alsa))
    set_handler, handler = _alsa
    set_handler(handler)


def _ignore_alsa(_file: bytes, _line: int, _function: bytes, _err: int, _fmt: bytes) -> None:
    """ALSA's error handler: the message is not for the user (its arguments are not even
    formatted: ctypes cannot read C varargs)."""


# --- the fallback: fd 2 itself, for the length of a block ----------------------------------------


def _redirect_fd2() -> bool:
    """Point fd 2 at the sink until the matching `_restore_fd2` (nested and threaded use share)."""
    global _fd_depth, _saved_fd2
    if _sink_write is None:
        return False
    if _fd_depth == 0:
        try:
            _saved_fd2 = os.dup(2)
            os.dup2(_sink_write, 2)
        except OSError:
            return False
    _fd_depth += 1
    return True


def _restore_fd2() -> None:
    global _fd_depth, _saved_fd2
    _fd_depth -= 1
    if _fd_depth == 0 and _saved_fd2 is not None:
        os.dup2(_saved_fd2, 2)
        os.close(_saved_fd2)
        _saved_fd2 = None
