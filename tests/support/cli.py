"""The real ``voice-mock`` command in a child process, and what its stderr may hold.

The reliability suite (tests/e2e) runs every case as the user would: a new
Python process, ``python -m voice_mock ...`` from the checkout, its data
folder under the test's temporary folder. `one_sentence_problem` says what is
wrong with a failure's stderr (None when it is exactly one clean sentence).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROG_PREFIX = "voice-mock: "

Arg = str | bytes | Path

ENGINE_CHATTER = re.compile(
    r"VoskAPI|^LOG \(|^WARNING \(|^ERROR \(|Expression '.*' failed|ALSA lib|PortAudio|"
    r"underrun|RuntimeWarning|DeprecationWarning|UserWarning|^\s+File \"",
    re.MULTILINE,
)
"""Lines that native engines (Kaldi, PortAudio, ALSA) or Python warnings print."""

TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Characters a terminal would obey rather than show (newline and tab aside)."""


def child_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a child: its own data folder, no user model, quiet Python."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VOICE_MOCK_MODEL", "PYTHONWARNINGS", "VOICE_MOCK_MODEL_BASE_URL")
    }
    env["VOICE_MOCK_HOME"] = str(home)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.setdefault("TZ", "UTC")
    env.update(extra or {})
    return env


def command(*args: Arg) -> list[str | bytes]:
    """``python -m voice_mock ARGS`` (bytes arguments stay bytes: non-UTF-8 ids)."""
    return [
        sys.executable,
        "-m",
        "voice_mock",
        *(a if isinstance(a, bytes) else str(a) for a in args),
    ]


@dataclass(frozen=True)
class Ran:
    """One finished child: exit status and both streams (bytes, so no byte is hidden)."""

    args: Sequence[Arg]
    returncode: int
    out: bytes
    err_bytes: bytes
    timed_out: bool = False
    seconds: float = 0.0
    """How long the child ran."""

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", "replace")

    @property
    def stderr(self) -> str:
        return self.err_bytes.decode("utf-8", "replace")

    def describe(self) -> str:
        shown = " ".join(a.decode("utf-8", "backslashreplace") if isinstance(a, bytes) else str(a)
                         for a in self.args)  # fmt: skip
        hang = " (timed out)" if self.timed_out else ""
        return (
            f"voice-mock {shown}\n  exit {self.returncode}{hang}"
            f"\n  stdout: {self.stdout[-600:]!r}\n  stderr: {self.stderr[-1500:]!r}"
        )


def run(
    *args: Arg,
    home: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    preexec: Callable[[], None] | None = None,
    wrapper: Sequence[str] = (),
) -> Ran:
    """Run ``voice-mock ARGS`` to the end (killed after `timeout` seconds).

    `preexec` runs in the child before it starts (limits); `wrapper` is a command
    the child runs under (``setpriv ...``).
    """
    started = time.monotonic()
    try:
        done = subprocess.run(
            [*wrapper, *command(*args)],
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            cwd=cwd or ROOT,
            env=child_env(home, env),
            timeout=timeout,
            preexec_fn=preexec,
        )
    except subprocess.TimeoutExpired as exc:
        return Ran(args, -9, exc.stdout or b"", exc.stderr or b"", True, timeout)
    return Ran(args, done.returncode, done.stdout, done.stderr, False, time.monotonic() - started)


def one_sentence_problem(stderr: str) -> str | None:
    """Why `stderr` is not one clean sentence from voice-mock (None when it is)."""
    if "Traceback" in stderr:
        return "a traceback"
    chatter = ENGINE_CHATTER.search(stderr)
    if chatter:
        return f"engine or warning output ({chatter.group(0)!r})"
    if TERMINAL_CONTROLS.search(stderr.replace("\n", "")):
        return "a raw control character"
    lines = stderr.strip().splitlines()
    if len(lines) != 1:
        return f"{len(lines)} lines instead of one"
    line = lines[0]
    if not line.startswith(PROG_PREFIX):
        return "no 'voice-mock: ' prefix"
    if not line.endswith("."):
        return "no final period"
    return None


def failure_problem(ran: Ran, *needles: str) -> str | None:
    """Why `ran` is not a clean bad-input failure (exit 2, one sentence holding `needles`)."""
    if ran.timed_out:
        return "it did not finish (hang)"
    if ran.returncode != 2:
        return f"exit status {ran.returncode}, not 2"
    problem = one_sentence_problem(ran.stderr)
    if problem:
        return problem
    lowered = ran.stderr.lower()
    for needle in needles:
        if needle.lower() not in lowered:
            return f"the sentence does not say {needle!r}"
    return None
