"""Filler words, exactly as "Contract: what counts as a filler" in DESIGN.md says.

The contract is context-sensitive ("like" the verb is not a filler, "so" only
opens a stretch), so each rule looks at its neighbours in the cleaned token
sequence. One left-to-right pass: linear in the length of the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.tokens import TIME_EPSILON_S, VOCAL_FILLERS, Token, r2
from voice_mock.analysis.verdicts import Verdict, good, nothing, watch, work_on

HEDGE_FILLERS = frozenset({"basically", "literally", "actually"})
"""Always fillers (hedge fillers)."""

YOU_KNOW_NOT_AFTER = frozenset({"do", "did", "don't", "if", "as"})
YOU_KNOW_NOT_BEFORE = frozenset(
    {"what", "that", "how", "why", "where", "when", "who", "if", "whether"}
)
I_MEAN_NOT_BEFORE = frozenset({"that", "it", "to"})
KIND_OF_NOT_AFTER = frozenset(
    {"what", "this", "that", "the", "a", "any", "some", "every", "which", "no"}
)
LIKE_NOT_AFTER = frozenset(
    {
        "i",
        "you",
        "we",
        "they",
        "he",
        "she",
        "people",
        "customers",
        "would",
        "'d",
        "do",
        "don't",
        "didn't",
        "really",
        "also",
        "look",
        "looks",
        "looked",
        "feel",
        "feels",
        "felt",
        "sound",
        "sounds",
        "seem",
        "seems",
        "just",
    }
)
"""Subjects, auxiliaries and comparison verbs after which "like" is meant."""
LIKE_NOT_BEFORE = frozenset({"this", "that"})
SO_NOT_BEFORE = frozenset({"that", "far", "much", "many"})


@dataclass(frozen=True, slots=True)
class Filler:
    """One filler; multi-word fillers span the first word's start to the last word's end."""

    text: str
    start: float
    end: float
    first: int
    """Index of its first token in the cleaned sequence."""
    last: int
    """Index of its last token."""

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": r2(self.start), "end": r2(self.end)}


@dataclass(frozen=True, slots=True)
class FillerBurst:
    """Several fillers close together: the moment an answer visibly stalls."""

    start: float
    end: float
    fillers: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "start": r2(self.start),
            "end": r2(self.end),
            "count": len(self.fillers),
            "fillers": list(self.fillers),
        }


def _at(tokens: Sequence[Token], i: int) -> str | None:
    return tokens[i].text if 0 <= i < len(tokens) else None


def _like_is_meant(before: str | None, after: str | None) -> bool:
    if after in LIKE_NOT_BEFORE:
        return True
    if before is None:
        return False
    return before in LIKE_NOT_AFTER or before.endswith("'d")


def find_fillers(tokens: Sequence[Token], thresholds: Thresholds) -> tuple[Filler, ...]:
    """Every filler in time order, by the contract's rules and exceptions."""
    found: list[Filler] = []
    pause = thresholds.pause_s - TIME_EPSILON_S
    i = 0
    while i < len(tokens):
        word = tokens[i].text
        before = _at(tokens, i - 1)
        after = _at(tokens, i + 1)
        phrase: str | None = None
        width = 1
        if word in VOCAL_FILLERS or word in HEDGE_FILLERS:
            phrase = word
        elif word == "you" and after == "know":
            if before not in YOU_KNOW_NOT_AFTER and _at(tokens, i + 2) not in YOU_KNOW_NOT_BEFORE:
                phrase, width = "you know", 2
        elif word == "i" and after == "mean":
            if _at(tokens, i + 2) not in I_MEAN_NOT_BEFORE:
                phrase, width = "i mean", 2
        elif word in ("kind", "sort") and after == "of":
            if before not in KIND_OF_NOT_AFTER:
                phrase, width = f"{word} of", 2
        elif word == "like":
            if not _like_is_meant(before, after):
                phrase = "like"
        elif word == "so":
            opens = i == 0 or tokens[i].start - tokens[i - 1].end >= pause
            if opens and after not in SO_NOT_BEFORE:
                phrase = "so"
        if phrase is None:
            i += 1
            continue
        last = i + width - 1
        found.append(Filler(phrase, tokens[i].start, tokens[last].end, i, last))
        i += width
    return tuple(found)


def find_bursts(fillers: Sequence[Filler], thresholds: Thresholds) -> tuple[FillerBurst, ...]:
    """Groups of at least ``filler_burst_min`` fillers starting within ``filler_burst_window_s``.

    Overlapping qualifying windows merge into one burst, so a long stall is
    reported once. Two pointers: linear time.
    """
    need = max(1, thresholds.filler_burst_min)
    window = thresholds.filler_burst_window_s + TIME_EPSILON_S
    bursts: list[tuple[int, int]] = []
    left = 0
    for right, filler in enumerate(fillers):
        while filler.start - fillers[left].start > window:
            left += 1
        if right - left + 1 < need:
            continue
        if bursts and left <= bursts[-1][1]:
            bursts[-1] = (bursts[-1][0], right)
        else:
            bursts.append((left, right))
    return tuple(
        FillerBurst(
            start=fillers[a].start,
            end=fillers[b].end,
            fillers=tuple(f.text for f in fillers[a : b + 1]),
        )
        for a, b in bursts
    )


def filler_counts(fillers: Sequence[Filler]) -> dict[str, int]:
    """Counts by phrase, most frequent first (ties in order of first use)."""
    counts: dict[str, int] = {}
    for filler in fillers:
        counts[filler.text] = counts.get(filler.text, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def fillers_verdict(per_minute: float, thresholds: Thresholds, *, spoke: bool = True) -> Verdict:
    """A filler rate: a couple a minute go unnoticed, five or more distract."""
    if not spoke:
        return nothing("no speech")
    if per_minute <= thresholds.fillers_fluent_per_min:
        return good()
    if per_minute < thresholds.fillers_hesitant_per_min:
        return watch("a few too many")
    return work_on("too many")
