"""Does a loaded Vosk model fit what voice-mock needs? English words, and "um"/"uh".

A model of another language cannot transcribe an English answer, and a model
whose vocabulary has no "um" or "uh" never writes a filler, so fillers can then
only be found as hesitations in the audio. Vosk says whether a word is in a
model's vocabulary: ``model.vosk_model_find_word(word)`` is -1 for an unknown
word. A handful of the commonest English words decides the language check.

Pure apart from asking the model: pass any object with ``vosk_model_find_word``
(a `vosk.Model`); nothing is loaded or read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

ENGLISH_WORDS = (
    "the",
    "and",
    "to",
    "of",
    "i",
    "you",
    "customer",
    "because",
    "would",
    "people",
    "help",
    "work",
)
"""Common English words every English model knows."""
MIN_KNOWN_SHARE = 0.75
"""The model fits English when at least this share of `ENGLISH_WORDS` is in its vocabulary."""
FILLER_WORDS = ("um", "uh")


class WordLookup(Protocol):
    """What the check needs from a Vosk model."""

    def vosk_model_find_word(self, word: str) -> int: ...


@dataclass(frozen=True, slots=True)
class ModelFitness:
    """What the model can do for an English interview answer."""

    known_english: tuple[str, ...]
    unknown_english: tuple[str, ...]
    fillers: tuple[str, ...]
    """Which of "um"/"uh" the model can write."""

    @property
    def english(self) -> bool:
        total = len(self.known_english) + len(self.unknown_english)
        return total > 0 and len(self.known_english) >= MIN_KNOWN_SHARE * total

    @property
    def writes_fillers(self) -> bool:
        return bool(self.fillers)

    @property
    def ok(self) -> bool:
        return self.english and self.writes_fillers

    def messages(self) -> list[str]:
        """Plain sentences for the user; empty when the model fits."""
        out: list[str] = []
        if not self.english:
            out.append(
                "This model does not know English words: "
                + ", ".join(f'"{w}"' for w in self.unknown_english)
                + ". It is probably for another language, so English answers will be"
                " transcribed wrongly; choose an English model."
            )
        if not self.writes_fillers:
            out.append(
                "This model cannot write 'um' or 'uh', so fillers will only be found as"
                " hesitations in the audio."
            )
        return out


def _knows(model: WordLookup, word: str) -> bool:
    try:
        return int(model.vosk_model_find_word(word)) >= 0
    except Exception:  # a model that cannot answer is treated as not knowing the word
        return False


def check_model(
    model: WordLookup,
    english_words: Sequence[str] = ENGLISH_WORDS,
    fillers: Sequence[str] = FILLER_WORDS,
) -> ModelFitness:
    """Ask the model about a handful of words; a few microseconds each."""
    known = tuple(w for w in english_words if _knows(model, w))
    unknown = tuple(w for w in english_words if w not in known)
    return ModelFitness(known, unknown, tuple(f for f in fillers if _knows(model, f)))
