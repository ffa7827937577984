"""A data folder on a full disk or a read-only one, with or without root.

As root (as CI runs), the folder is a real 2 MB tmpfs: filled with a filler
file until the kernel says ENOSPC, then remounted read-only. Root ignores
file modes, so ``chmod`` cannot make a folder read-only for it, and only a
real mount can.

Without root, the same faults come from what an ordinary user can do:
``chmod a-w`` for the read-only folder, and a file-size limit
(``RLIMIT_FSIZE``, as ``prlimit --fsize`` sets) for the full disk, under
which every write past the limit fails with EFBIG. Root that may not mount
(a container without CAP_SYS_ADMIN) does the same, its children run without
CAP_DAC_OVERRIDE (``setpriv``) so that the modes bind them. The tests run
either way; nothing is skipped.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import stat
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from voice_mock.store import sessions as sessions_module

AS_ROOT = os.geteuid() == 0
NO_MOUNT = bool(os.environ.get("E2E_NO_MOUNT"))
"""Try the ordinary user's way even as root (where mounting is allowed)."""
WITHOUT_DAC = ["setpriv", "--inh-caps=-dac_override,-dac_read_search,-fowner",
               "--bounding-set=-dac_override,-dac_read_search,-fowner"]  # fmt: skip
"""Root without the right to ignore file modes: ``chmod a-w`` then binds it too."""
TMPFS_SIZE = "2m"
FILLER = "filler"
FSIZE_LIMIT = 4096
"""Without root, the largest file a child may write while the disk "is full"."""


@dataclass
class FaultyFolder:
    """A folder that can be made full or read-only; `home` is the data folder inside it."""

    mount: Path
    home: Path
    mounted: bool = False
    full: bool = False
    read_only: bool = False
    fsize_limit: int = FSIZE_LIMIT
    _chmodded: list[tuple[Path, int]] = field(default_factory=list)

    # --- full disk -------------------------------------------------------------------

    def fill(self, leave_bytes: int = 0) -> None:
        """Fill the disk (root) so that about `leave_bytes` stay free; else set the size limit.

        Without root no file may then grow past `leave_bytes` (or 4 KB), which
        stops a recording as a full disk would.
        """
        self.full = True
        self.fsize_limit = leave_bytes or FSIZE_LIMIT
        if not self.mounted:
            return
        filler = self.mount / FILLER
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for size in (1 << 16, 4096, 512, 1):  # big blocks, then the last partial pages
                block = b"\0" * size
                while True:
                    try:
                        os.write(fd, block)
                    except OSError as exc:
                        if exc.errno != errno.ENOSPC:
                            raise
                        break
        finally:
            os.close(fd)
        if leave_bytes:
            size = filler.stat().st_size
            os.truncate(filler, max(0, size - leave_bytes))

    def free(self) -> None:
        """Room again: the filler goes, the size limit is lifted."""
        self.full = False
        if self.mounted:
            (self.mount / FILLER).unlink(missing_ok=True)

    def child(self) -> dict[str, Any]:
        """How to start a child so it meets the current faults: ``run(..., **disk.child())``."""
        wrapper = WITHOUT_DAC if AS_ROOT and not self.mounted else []
        return {"preexec": self.child_limits(), "wrapper": wrapper}

    def child_limits(self) -> Callable[[], None] | None:
        """A `preexec_fn` that gives a child the current fault (None when there is none)."""
        if self.mounted or not self.full:
            return None

        def limit() -> None:
            # Past the limit a write fails with EFBIG instead of the process getting SIGXFSZ.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (self.fsize_limit, self.fsize_limit))

        return limit

    # --- read-only ---------------------------------------------------------------------

    def make_read_only(self) -> None:
        self.read_only = True
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(self.mount)], check=True)
            return
        for root, dirs, files in os.walk(self.home):
            for name in (*dirs, *files):
                path = Path(root) / name
                mode = path.lstat().st_mode
                if not stat.S_ISLNK(mode):
                    self._chmodded.append((path, stat.S_IMODE(mode)))
                    path.chmod(stat.S_IMODE(mode) & ~0o222)
        mode = stat.S_IMODE(self.home.stat().st_mode)
        self._chmodded.append((self.home, mode))
        self.home.chmod(mode & ~0o222)

    def make_writable(self) -> None:
        self.read_only = False
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,rw", str(self.mount)], check=True)
            return
        for path, mode in reversed(self._chmodded):
            path.chmod(mode)
        self._chmodded.clear()


@contextmanager
def faulty_folder(base: Path) -> Iterator[FaultyFolder]:
    """A small tmpfs at `base` as root, else a plain folder; always unmounted afterwards."""
    base.mkdir(parents=True, exist_ok=True)
    folder = FaultyFolder(mount=base, home=base / "home")
    if AS_ROOT and not NO_MOUNT:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0755", "tmpfs", str(base)],
            capture_output=True,
        )
        folder.mounted = mounted.returncode == 0  # else (no CAP_SYS_ADMIN) the user's way
    try:
        yield folder
    finally:
        if folder.mounted:
            subprocess.run(["umount", "-l", str(base)], check=False)
        else:
            folder.make_writable()


def full_disk_on_finish(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills while the answer is recorded: finishing the session fails with ENOSPC."""
    real = sessions_module.write_meta

    def write_meta(folder: Path, meta: dict[str, Any]) -> None:
        if meta.get("status") != "recording":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(folder, meta)

    monkeypatch.setattr(sessions_module, "write_meta", write_meta)
