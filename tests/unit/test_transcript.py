"""The transcript contract: Vosk's final-result JSON, one object or a list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voice_mock.errors import UserError
from voice_mock.transcript import Transcript, Word

ONE = {
    "text": "i listened um to the customer",
    "result": [
        {"word": "i", "start": 0.51, "end": 0.63, "conf": 0.98},
        {"word": "listened", "start": 0.63, "end": 1.1, "conf": 1.0},
        {"word": "um", "start": 1.2, "end": 1.5, "conf": 0.7},
        {"word": "to", "start": 1.6, "end": 1.7, "conf": 1.0},
        {"word": "the", "start": 1.7, "end": 1.8, "conf": 1.0},
        {"word": "customer", "start": 1.8, "end": 2.4, "conf": 1.0},
    ],
}


def test_single_object() -> None:
    t = Transcript.from_vosk(ONE)
    assert [w.text for w in t.words] == ["i", "listened", "um", "to", "the", "customer"]
    assert t.words[0] == Word("i", 0.51, 0.63, 0.98)
    assert t.end_s == 2.4
    assert t.text == ONE["text"]


def test_list_of_utterances_round_trips() -> None:
    second = {
        "text": "then i helped",
        "result": [
            {"word": "then", "start": 3.0, "end": 3.2, "conf": 1},
            {"word": "i", "start": 3.2, "end": 3.3, "conf": 1},
            {"word": "helped", "start": 3.3, "end": 3.8, "conf": 1},
        ],
    }
    t = Transcript.from_vosk([ONE, second, {"text": ""}])
    assert len(t.words) == 9
    out = t.to_vosk()
    assert [u["text"] for u in out] == [ONE["text"], "then i helped", ""]
    assert Transcript.from_vosk(json.loads(json.dumps(out))).words == t.words


def test_conf_is_optional() -> None:
    t = Transcript.from_vosk({"result": [{"word": "hi", "start": 0, "end": 0.2}]})
    assert t.words[0].conf == 1.0


def test_duration_overrides_last_word() -> None:
    assert Transcript.from_vosk(ONE, duration_s=5.0).end_s == 5.0
    assert Transcript().end_s == 0.0


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ("[1, 2]", "item 1 is not a JSON object"),
        ('"text"', "not a Vosk transcript"),
        ('{"result": 3}', "'result' that is not a list"),
        ('{"foo": 1}', "neither 'result' nor 'text'"),
        ('{"result": [{"word": "a", "start": 1}]}', "no 'end' time"),
        ('{"result": [{"word": "a", "start": 2, "end": 1}]}', "impossible times"),
        ('{"result": [{"word": "a", "start": "x", "end": 1}]}', "not a number"),
        ('{"result": [{"start": 0, "end": 1}]}', "no 'word' text"),
        ('{"result": [', "not valid JSON"),
    ],
)
def test_malformed_files_name_the_file(tmp_path: Path, payload: str, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(payload)
    with pytest.raises(UserError) as info:
        Transcript.load(path)
    assert str(path) in str(info.value)
    assert fragment in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        Transcript.load(tmp_path / "nope.json")
