"""Transcripts in Vosk's own JSON form (the transcript contract).

A transcript file holds one Vosk final result or a list of them (one per
utterance): ``{"text": "...", "result": [{"word", "start", "end", "conf"}]}``.
Times are seconds from the start of the recording. Everything downstream
(analysis, store, TUI) works on the `Transcript` dataclass built here, so the
JSON shape is parsed and checked in exactly one place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice_mock.errors import UserError

NOISE_TOKENS = frozenset({"[unk]", "<unk>", "[noise]", "[laughter]", "[breath]"})
"""Recogniser markers that are not words (the filler contract)."""

MAX_TIME_S = 6 * 3600.0
"""Latest word time accepted: no answer lasts six hours, and a word ending at 1e9 s
would make every per-window measure allocate without end."""


def is_noise(text: str) -> bool:
    """True for recogniser markers that are not words."""
    return text.strip().lower() in NOISE_TOKENS


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised token with its timing."""

    text: str
    """The token as the recogniser wrote it (lower case for Vosk's English models)."""
    start: float
    """Seconds from the start of the recording."""
    end: float
    """Seconds from the start of the recording; ``end >= start``."""
    conf: float = 1.0
    """Recogniser confidence, 0..1 (1.0 when the source gave none)."""

    def to_vosk(self) -> dict[str, Any]:
        return {
            "word": self.text,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "conf": round(self.conf, 6),
        }


@dataclass(frozen=True, slots=True)
class Transcript:
    """The words of one answer, in time order."""

    words: tuple[Word, ...] = ()
    """All tokens, noise tokens included; analysis decides what counts."""
    duration_s: float | None = None
    """Length of the recording when known (audio input); None for a bare transcript."""
    utterances: tuple[tuple[int, int], ...] = field(default=(), compare=False)
    """(first, last+1) word indexes of each Vosk result, to write the file back as it came."""

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def end_s(self) -> float:
        """End of the recording: its duration if known, else the last word's end."""
        if self.duration_s is not None:
            return self.duration_s
        return self.words[-1].end if self.words else 0.0

    @classmethod
    def from_words(cls, words: Iterable[Word], duration_s: float | None = None) -> Transcript:
        ordered = tuple(sorted(words, key=lambda w: (w.start, w.end)))
        return cls(words=ordered, duration_s=duration_s, utterances=((0, len(ordered)),))

    @classmethod
    def from_vosk(
        cls, data: Any, *, duration_s: float | None = None, source: str = "the transcript"
    ) -> Transcript:
        """Build from a parsed Vosk result (dict) or list of results.

        Raises `UserError` naming `source` when the shape is wrong, so a bad
        file gives one clear sentence instead of a traceback.
        """
        results: Sequence[Any]
        if isinstance(data, dict):
            results = [data]
        elif isinstance(data, list):
            results = data
        else:
            raise UserError(
                f"{source} is not a Vosk transcript: expected a JSON object or a list of them."
            )
        words: list[Word] = []
        spans: list[tuple[int, int]] = []
        for n, result in enumerate(results, start=1):
            if not isinstance(result, dict):
                raise UserError(f"{source}: item {n} is not a JSON object with a 'result' list.")
            if "result" not in result and "text" not in result:
                raise UserError(f"{source}: item {n} has neither 'result' nor 'text'.")
            items = result.get("result", [])
            if not isinstance(items, list):
                raise UserError(f"{source}: item {n} has a 'result' that is not a list.")
            first = len(words)
            for m, item in enumerate(items, start=1):
                words.append(_parse_word(item, f"{source}: item {n}, word {m}"))
            spans.append((first, len(words)))
        ordered = tuple(sorted(words, key=lambda w: (w.start, w.end)))
        if ordered != tuple(words):
            spans = [(0, len(ordered))]
        return cls(words=ordered, duration_s=duration_s, utterances=tuple(spans))

    @classmethod
    def load(cls, path: Path) -> Transcript:
        """Read a transcript JSON file; errors name the file (bounded: see `read_json`)."""
        from voice_mock.fileio import read_json

        return cls.from_vosk(read_json(path), source=str(path))

    def spoken_text(self) -> str:
        """The words without recogniser markers such as ``[unk]`` (for people and search)."""
        return " ".join(w.text for w in self.words if not is_noise(w.text))

    def to_vosk(self) -> list[dict[str, Any]]:
        """Vosk's list-of-results form, one object per utterance."""
        spans = self.utterances or ((0, len(self.words)),)
        out = []
        for first, last in spans:
            chunk = self.words[first:last]
            out.append(
                {"text": " ".join(w.text for w in chunk), "result": [w.to_vosk() for w in chunk]}
            )
        return out


def _parse_word(item: Any, where: str) -> Word:
    if not isinstance(item, dict):
        raise UserError(f"{where} is not a JSON object.")
    text = item.get("word")
    if not isinstance(text, str) or not text.strip():
        raise UserError(f"{where} has no 'word' text.")
    try:
        start = float(item["start"])
        end = float(item["end"])
        conf = float(item.get("conf", 1.0))
    except KeyError as exc:
        raise UserError(f"{where} ('{text}') has no '{exc.args[0]}' time.") from None
    except (TypeError, ValueError):
        raise UserError(
            f"{where} ('{text}') has a time or confidence that is not a number."
        ) from None
    if not all(math.isfinite(v) for v in (start, end, conf)) or start < 0 or end < start:
        raise UserError(f"{where} ('{text}') has impossible times (start {start}, end {end}).")
    if end > MAX_TIME_S:
        raise UserError(
            f"{where} ('{text}') ends at {end:g} s; an answer of over "
            f"{MAX_TIME_S / 3600:g} hours is not a recording voice-mock can analyse."
        )
    return Word(text=text.strip(), start=start, end=end, conf=conf)
