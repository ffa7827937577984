"""The analysis test builders lay words out as their docstring says."""

from __future__ import annotations

from tests.support.analysis import say


def test_say_lays_words_out_evenly_with_extra_silence_and_confidence() -> None:
    words = say("a b _1.0 c@0.2", start=1.0)
    assert [(w.text, w.start, w.end) for w in words] == [
        ("a", 1.0, 1.3),
        ("b", 1.4, 1.7),
        ("c", 2.8, 3.1),
    ]
    assert words[2].conf == 0.2
