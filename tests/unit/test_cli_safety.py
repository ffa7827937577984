"""The command line never lets untrusted text reach the terminal raw (found by tests/e2e).

- A one-sentence error quoted the user's input as it was: an id, a date or a
  file name holding ESC reached the terminal through stderr.
- JSON on stdout (``history --json``, ``export --format json``) kept C1
  controls (U+009B is a one-byte CSI) and direction overrides raw; JSON
  escapes only C0 controls itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voice_mock.cli import main
from voice_mock.render.safe import json_safe
from voice_mock.store import Store
from voice_mock.transcript import Transcript, Word

ESC_ID = "\x1b]0;pwned\x07\x1b[2J"


def saved_session(root: Path, question_text: str | None = None) -> str:
    with Store(root) as store:
        draft = store.create(question=None)
        store.finish(draft, transcript=Transcript.from_words([Word("hi", 0.5, 0.9)]), report=None)
        if question_text is not None:
            meta_path = draft.folder / "session.json"
            meta = json.loads(meta_path.read_text())
            meta["question_text"] = question_text
            meta_path.write_text(json.dumps(meta))
            store.rebuild_index()
        return draft.id


# --- stderr: user input quoted in an error ------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["questions", "show", ESC_ID],
        ["export", ESC_ID],
        ["history", "--since", ESC_ID],
        ["analyze", f"/nonexistent/{ESC_ID}.json"],
    ],
    ids=["question", "session", "date", "file"],
)
def test_an_error_shows_the_controls_it_quotes(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "\u241b]0;pwned\u2407" in err  # still there, as ␛ and ␇


# --- stdout: JSON -------------------------------------------------------------------------


def test_json_safe_escapes_c1_and_overrides_and_parses_back() -> None:
    data = {"text": "csi \x9b31m del \x7f rtl \u202eabc\u202c isolate \u2066x\u2069 é 한"}
    text = json.dumps(data, ensure_ascii=False)
    safe = json_safe(text)
    assert not any(ch in safe for ch in "\x9b\x7f\u202e\u202c\u2066\u2069")
    assert "é 한" in safe  # other text stays as it is
    assert json.loads(safe) == data


def test_history_json_on_stdout_holds_no_c1_control(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved_session(isolated_home / "sessions", question_text="Q \x9b2J \u202eevil")
    assert main(["history", "--json"]) == 0
    out = capsys.readouterr().out
    assert "\x9b" not in out and "\u202e" not in out
    assert json.loads(out)[0]["question_text"] == "Q \x9b2J \u202eevil"


def test_export_json_on_stdout_holds_no_c1_control(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = saved_session(isolated_home / "sessions", question_text="Q \x9b2J")
    assert main(["export", session, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "\x9b" not in out
    assert "Q \\u009b2J" in out  # kept, as a JSON escape
