"""From recogniser tokens to the words the analysis counts.

Vosk emits noise markers (``[unk]``, ``[noise]``...) and, in silence, stray
low-confidence "the"/"huh" (vosk-api issues 797, 837, 1101). Counting those
would inflate word counts and invent pauses, so every measure starts from the
cleaned sequence built here, once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from voice_mock.analysis.thresholds import Thresholds
from voice_mock.transcript import NOISE_TOKENS, Word
from voice_mock.transcript import is_noise as is_noise  # re-exported for the analysis

PHANTOM_WORDS = frozenset({"the", "huh"})
"""Words Vosk tends to hallucinate in silence; dropped when isolated and unsure."""

TIME_EPSILON_S = 1e-6
"""Float slack for comparing gaps with thresholds: Vosk times are 30 ms steps,
so 3.1 - 2.6 must count as a 0.5 s pause even if the float says 0.4999999."""

_VOCAL_FORMS: tuple[tuple[str, str], ...] = (
    (r"u+h+m+", "uhm"),
    (r"u+m+", "um"),
    (r"u+h+", "uh"),
    (r"e+r+m+", "erm"),
    (r"e+r+", "er"),
    (r"a+h+", "ah"),
    (r"h+m+", "hmm"),
    (r"m{2,}", "mm"),
)
"""Stretched spellings of vocal fillers, each mapped to its plain form (first match wins)."""

_VOCAL_RE = re.compile("|".join(f"({pattern})" for pattern, _ in _VOCAL_FORMS))
"""All of `_VOCAL_FORMS` in one pattern; the group that matched names the plain form."""

VOCAL_FILLERS = frozenset({"um", "uh", "er", "erm", "ah", "hmm", "mm", "uhm"})


@dataclass(frozen=True, slots=True)
class Token:
    """One kept word: normalised text plus the timing of the recognised word."""

    text: str
    """Lower case, curly apostrophes straightened, vocal fillers in plain form."""
    start: float
    end: float
    conf: float
    raw: str
    """The token as the recogniser wrote it."""


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Lower-case a token, straighten apostrophes and fold vocal-filler spellings.

    Bracketed forms such as ``[uh]`` lose their brackets so they count under
    the plain filler; noise markers are left bracketed (callers drop them).
    Cached: an answer repeats a small vocabulary, and a 60-minute transcript
    spent most of its analysis time normalising the same words again.
    """
    lowered = text.strip().lower().replace("\u2019", "'").replace("\u2018", "'")
    if lowered in NOISE_TOKENS:
        return lowered
    bare = lowered.strip("[]<>")
    match = _VOCAL_RE.fullmatch(bare)
    if match is not None and match.lastindex is not None:
        return _VOCAL_FORMS[match.lastindex - 1][1]
    return bare


def clean_words(words: Sequence[Word], thresholds: Thresholds) -> tuple[Token, ...]:
    """Drop noise markers and isolated low-confidence phantom words.

    A phantom ("the"/"huh") is dropped when its confidence is below
    ``thresholds.low_conf_drop`` and the silence on each side (to the
    neighbouring real word) is at least ``thresholds.isolated_gap_s``; a side
    with no neighbour (start or end of the answer) counts as silent.
    """
    ordered = sorted(words, key=lambda w: (w.start, w.end))
    # `normalise` keeps noise markers as they are, so they are dropped by name here.
    real = [(w, text) for w in ordered if (text := normalise(w.text)) and text not in NOISE_TOKENS]
    kept: list[Token] = []
    gap = thresholds.isolated_gap_s - TIME_EPSILON_S
    for i, (word, text) in enumerate(real):
        if text in PHANTOM_WORDS and word.conf < thresholds.low_conf_drop:
            silent_before = i == 0 or word.start - real[i - 1][0].end >= gap
            silent_after = i == len(real) - 1 or real[i + 1][0].start - word.end >= gap
            if silent_before and silent_after:
                continue
        kept.append(Token(text=text, start=word.start, end=word.end, conf=word.conf, raw=word.text))
    return tuple(kept)


def r2(value: float) -> float:
    """Round for the report: two decimals are finer than Vosk's 30 ms steps."""
    return round(float(value), 2)
