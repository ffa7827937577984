"""The speech-model fitness check: English vocabulary and whether "um"/"uh" can be written."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_mock.speech.fitness import ENGLISH_WORDS, check_model


class Vocabulary:
    def __init__(self, words: set[str]) -> None:
        self.words = words

    def vosk_model_find_word(self, word: str) -> int:
        return 1 if word in self.words else -1


def test_an_english_model_with_fillers_fits() -> None:
    fit = check_model(Vocabulary({*ENGLISH_WORDS, "um", "uh"}))
    assert fit.english and fit.writes_fillers and fit.ok
    assert fit.messages() == []


def test_an_english_model_without_fillers_is_told_plainly() -> None:
    fit = check_model(Vocabulary(set(ENGLISH_WORDS)))
    assert fit.english and not fit.writes_fillers
    assert fit.messages() == [
        "This model cannot write 'um' or 'uh', so fillers will only be found as"
        " hesitations in the audio."
    ]


def test_a_few_unknown_words_do_not_fail_an_english_model() -> None:
    fit = check_model(Vocabulary(set(ENGLISH_WORDS) - {"customer", "because"} | {"uh"}))
    assert fit.english and fit.fillers == ("uh",)
    assert fit.unknown_english == ("customer", "because")


def test_a_model_that_cannot_answer_knows_nothing() -> None:
    class Broken:
        def vosk_model_find_word(self, word: str) -> int:
            raise RuntimeError("no")

    fit = check_model(Broken())
    assert not fit.english and not fit.writes_fillers


@pytest.mark.vosk
def test_the_korean_model_fails_the_english_check(ko_model_path: Path) -> None:
    import vosk

    vosk.SetLogLevel(-1)
    fit = check_model(vosk.Model(str(ko_model_path)))
    assert not fit.english
    assert not fit.writes_fillers
    first, second = fit.messages()
    assert first.startswith('This model does not know English words: "the", "and"')
    assert "hesitations in the audio" in second
