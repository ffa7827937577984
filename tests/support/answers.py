"""The labelled answer sets, turned into Vosk-like transcripts, clean or damaged.

``tests/data/answers/<set>/<question-id>.json`` holds answers written for the
content checks (format: ``docs`` of the labelled set). `load_set` reads a set,
`transcript_of` lays an answer's words out with plausible Vosk timings (word
lengths from their letters, short gaps, longer ones at sentence ends), and
`damage` makes recogniser-like mistakes deterministically: short words dropped
and homophones swapped, seeded by the answer's id so every run is the same.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from voice_mock.transcript import Transcript, Word

DATA = Path(__file__).resolve().parent.parent / "data" / "answers"
SETS = ("dev", "test", "fresh")
STAR_PARTS = ("situation", "task", "action", "result")

DROP_SHORT = 0.2
"""Chance that a word of three letters or fewer is dropped (Vosk loses unstressed words)."""
SWAP_HOMOPHONE = 0.5
"""Chance that a word with a homophone is written as the homophone."""
HOMOPHONES: dict[str, str] = {
    "here": "hear",
    "hear": "here",
    "there": "their",
    "their": "there",
    "they're": "there",
    "to": "too",
    "too": "to",
    "two": "to",
    "for": "four",
    "four": "for",
    "no": "know",
    "know": "no",
    "right": "write",
    "write": "right",
    "by": "buy",
    "buy": "by",
    "would": "wood",
    "our": "hour",
    "hour": "our",
    "new": "knew",
    "knew": "new",
    "one": "won",
    "see": "sea",
    "week": "weak",
    "whole": "hole",
    "where": "wear",
}


@dataclass(frozen=True, slots=True)
class Answer:
    id: str
    question: str
    """Qualified question id, ``bank/question``."""
    style: str
    text: str
    covers: frozenset[str]
    star: dict[str, bool] | None


def load_set(name: str) -> list[Answer]:
    """Every answer of one set ("dev" or "test"), file by file; empty when none exist yet."""
    out: list[Answer] = []
    for path in sorted((DATA / name).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["answers"]:
            out.append(
                Answer(
                    id=item["id"],
                    question=data["question"],
                    style=item.get("style", ""),
                    text=item["text"],
                    covers=frozenset(item.get("covers", ())),
                    star=item.get("star"),
                )
            )
    return out


_SENTENCE_END = re.compile(r"[.!?;]+$")


def spoken_words(text: str) -> list[tuple[str, bool]]:
    """The words as Vosk would write them (lower case, no punctuation) and whether each
    ends a sentence in the written text."""
    out: list[tuple[str, bool]] = []
    for raw in text.replace("\u2019", "'").split():
        ends = bool(_SENTENCE_END.search(raw)) or raw.endswith(",")
        for part in re.split(r"-", raw.lower()):
            word = re.sub(r"[^a-z']", "", part).strip("'")
            if word:
                out.append((word, ends))
    return out


def damage(words: Sequence[str], seed: str) -> list[str]:
    """Recogniser-like damage: drop some short words, swap some homophones (deterministic)."""
    rng = random.Random(zlib.crc32(seed.encode("utf-8")))
    out: list[str] = []
    for word in words:
        if len(word) <= 3 and rng.random() < DROP_SHORT:
            continue
        swap = HOMOPHONES.get(word)
        if swap is not None and rng.random() < SWAP_HOMOPHONE:
            word = swap
        out.append(word)
    return out


def transcript_of(text: str, *, seed: str = "", damaged: bool = False) -> Transcript:
    """The text as a Vosk transcript with plausible word timings (deterministic per seed)."""
    rng = random.Random(zlib.crc32(("t:" + seed).encode("utf-8")))
    pairs = spoken_words(text)
    if damaged:
        kept = damage([w for w, _ in pairs], seed)
        ends = {i for i, (_, e) in enumerate(pairs) if e}
        # keep sentence ends roughly where they were: map by position share
        scale = len(kept) / max(1, len(pairs))
        stops = {round(i * scale) for i in ends}
        pairs = [(w, i in stops) for i, w in enumerate(kept)]
    words: list[Word] = []
    t = round(rng.uniform(0.6, 1.5), 2)
    for word, ends_sentence in pairs:
        length = max(0.09, 0.08 + 0.05 * len(word) + rng.gauss(0.0, 0.03))
        length = round(round(length / 0.03) * 0.03, 2)
        words.append(Word(word, t, round(t + length, 2), 1.0))
        gap = abs(rng.gauss(0.05, 0.04))
        if ends_sentence:
            gap += rng.uniform(0.25, 0.7)
        t = round(t + length + round(gap / 0.03) * 0.03, 2)
    return Transcript.from_words(words)
