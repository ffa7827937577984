"""Several writers while ``reindex`` runs again and again (report MEDIUM 6): no row is lost.

A rebuild used to scan the folders outside its transaction and then replace
every row, so a session saved in between vanished from history (51 of 778).
Here a few ``analyze x.json --save`` processes save answers while another
process rebuilds the index in a loop over a few hundred sessions (so each
scan takes a while); afterwards every session folder has its row.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.support import crafted
from tests.support.cli import Ran, run

WRITERS = 3
SAVES_EACH = 2
EXISTING = 150


def test_writers_and_reindex_lose_no_row(tmp_path: Path) -> None:
    home = tmp_path / "home"
    crafted.clone_sessions(home / "sessions", EXISTING)
    transcript = crafted.write_json(tmp_path / "t.json", crafted.THREE_WORDS)
    writing = threading.Event()
    writing.set()
    rebuilds: list[Ran] = []

    def rebuild_while_writing() -> None:
        while writing.is_set():
            rebuilds.append(run("reindex", home=home))

    def write() -> list[Ran]:
        return [run("analyze", transcript, "--save", home=home) for _ in range(SAVES_EACH)]

    with ThreadPoolExecutor(max_workers=WRITERS + 1) as pool:
        rebuilder = pool.submit(rebuild_while_writing)
        writers = [pool.submit(write) for _ in range(WRITERS)]
        saves = [ran for writer in writers for ran in writer.result()]
        writing.clear()
        rebuilder.result()

    for ran in saves + rebuilds:
        assert ran.returncode == 0, ran.describe()
    assert len(rebuilds) >= 2, "reindex did not overlap the writers"
    folders = {p.name for p in (home / "sessions").iterdir() if p.is_dir()}
    assert len(folders) == EXISTING + WRITERS * SAVES_EACH
    listed = run("history", "--json", "--limit", "100000", home=home)
    assert listed.returncode == 0, listed.describe()
    rows = {row["id"] for row in json.loads(listed.stdout)}
    assert folders - rows == set(), f"{len(folders - rows)} session(s) missing from the index"
    assert rows - folders == set()
