"""Text from banks and transcripts reaches the terminal only as visible symbols (report MEDIUM 1).

Question banks are shared files and transcripts are imported, so their text
is untrusted: an escape sequence in it could retitle the terminal, wipe the
screen or plant a hyperlink. Through the real command, every byte that
reaches stdout of ``questions list/show``, ``history`` and ``export`` must be
free of ESC, BEL and C1 controls; the text is still there, made visible.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import crafted
from tests.support.cli import TERMINAL_CONTROLS, Ran, failure_problem, run

RAW = ("\x1b", "\x07", "\x9b", "\u202e")
"""ESC, BEL, the C1 CSI and a right-to-left override: none may reach the terminal as is."""


def raw_controls(text: str) -> list[str]:
    """The obeyable characters in `text`, as escapes (empty when it is safe)."""
    found = {
        m.group(0) for m in TERMINAL_CONTROLS.finditer(text.replace("\n", "").replace("\t", ""))
    }
    found |= {c for c in RAW if c in text}
    return sorted(repr(c) for c in found)


def assert_safe(ran: Ran) -> None:
    assert ran.returncode == 0, ran.describe()
    assert raw_controls(ran.stdout) == [], ran.describe()
    assert raw_controls(ran.stderr) == [], ran.describe()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_transcript_words_are_shown_not_obeyed(tmp_path: Path, home: Path) -> None:
    evil = crafted.escape_transcript(tmp_path / "evil.json")
    saved = run("analyze", evil, "--save", home=home)
    assert_safe(saved)
    (folder,) = [p for p in (home / "sessions").iterdir() if p.is_dir()]
    session = folder.name
    export_md = run("export", session, home=home)
    assert_safe(export_md)
    assert "\u241b" in export_md.stdout and "pwned\u2407" in export_md.stdout  # ␛ ... ␇: visible
    export_json = run("export", session, "--format", "json", home=home)
    assert_safe(export_json)
    words = [w["word"] for w in _words(json.loads(export_json.stdout))]
    assert "\x1b[2J" in words and "csi\x9b31m" in words  # JSON keeps them, escaped
    for args in (("history",), ("history", "--search", "pwned"), ("history", "--json")):
        assert_safe(run(*args, home=home))


def _words(item: dict[str, object]) -> list[dict[str, object]]:
    transcript = item.get("transcript")
    assert isinstance(transcript, list), item.keys()
    return [w for result in transcript for w in result["result"]]


def test_session_text_from_a_crafted_folder_is_shown_not_obeyed(home: Path) -> None:
    """A copied-in session whose question text holds escapes: reindex, list and export it."""
    (session,) = crafted.make_sessions(home / "sessions", free=0)
    meta_path = home / "sessions" / session / "session.json"
    meta = json.loads(meta_path.read_text())
    meta["question_text"] = crafted.ESC_TEXT
    meta_path.write_text(json.dumps(meta))
    assert_safe(run("reindex", home=home))
    listed = run("history", home=home)
    assert_safe(listed)
    assert "\u241b]0;pwned" in listed.stdout
    assert_safe(run("export", session, home=home))


def test_bank_text_with_escapes_is_refused_and_never_printed(tmp_path: Path, home: Path) -> None:
    bank = tmp_path / "evil.toml"
    bank.write_text(crafted.bank_toml(text=crafted.ESC_TEXT, tips=["\x1b]8;;http://x/\x1b\\"]))
    for args in (
        ("questions", "validate", bank),
        ("questions", "list", "--questions", bank),
        ("questions", "show", f"{crafted.BANK_ID}/{crafted.QUESTION_ID}", "--questions", bank),
    ):
        ran = run(*args, home=home)
        assert failure_problem(ran, "'text'", "U+001B") is None, ran.describe()
        assert ran.out == b"" and raw_controls(ran.stderr) == []


def test_bank_text_with_direction_overrides_is_shown_visibly(tmp_path: Path, home: Path) -> None:
    """Not a control character, so a bank may hold it, but it is never printed raw."""
    bank = tmp_path / "bidi.toml"
    text = "Describe a \u202etime you failed\u202c at work"
    bank.write_text(crafted.bank_toml(text=text, title="Bank \u2066x\u2069", tips=["\u202eTip"]))
    assert run("questions", "validate", bank, home=home).returncode == 0
    for args in (
        ("questions", "list", "--questions", bank),
        ("questions", "show", f"{crafted.BANK_ID}/{crafted.QUESTION_ID}", "--questions", bank),
    ):
        ran = run(*args, home=home)
        assert_safe(ran)
        assert "\\u202etime you failed" in ran.stdout
