"""Saved sessions as a crash leaves them: the recorder process is gone.

A session created in the test's own process counts as being recorded (its
recorder, this process, is alive), exactly as the app's own take in progress
must. To stand for a crashed recording, its ``session.json`` names a process
that has ended.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from typing import Any

from voice_mock.store import SESSION_FILE, SessionDraft


@cache
def dead_pid() -> int:
    """The pid of a process that has already exited."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def crashed(draft: SessionDraft, pid: int | None = None) -> SessionDraft:
    """Mark `draft` as left behind by a recorder process that died (or by `pid`)."""
    path = draft.folder / SESSION_FILE
    meta: dict[str, Any] = json.loads(path.read_text())
    meta["recorder"] = {**meta.get("recorder", {}), "pid": pid or dead_pid()}
    meta["recorder"].pop("identity", None)
    path.write_text(json.dumps(meta))
    return draft
