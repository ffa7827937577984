"""Word habits beyond fillers: repeated words, hedges, the words leaned on most.

These are not errors, so they are reported rather than judged harshly: a
stutter-start ("I I") or many "I think"s make an answer sound less sure, and a
favourite word used twenty times is worth knowing about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voice_mock.analysis.text import StemIndex
from voice_mock.analysis.tokens import VOCAL_FILLERS, Token, r2

HEDGE_PHRASES = (
    "i'm not sure",
    "i am not sure",
    "i don't know",
    "i think",
    "i guess",
    "i suppose",
    "i feel like",
    "maybe",
    "probably",
    "perhaps",
    "hopefully",
    "somewhat",
    "a little bit",
)
"""Phrases that soften a claim; longer phrases first so "i'm not sure" wins over parts."""

_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each even ever every few for from further get got had
    hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just know
    let's like me more most mustn't my myself no nor not now of off on once one only or other
    ought our ours ourselves out over own really right same shan't she she'd she'll she's
    should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've thing things this those through to too
    under until up very was wasn't we we'd we'll we're we've were weren't what what's when
    when's where where's which while who who's whom why why's will with won't would wouldn't
    yeah yes you you'd you'll you're you've your yours yourself yourselves okay ok well want
    wanted going gonna kind sort mean basically literally actually said say says go went make
    made
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
"""Function words and discourse glue left out of the most-used words."""

TOP_WORDS_LIMIT = 10
"""How many most-used words the report lists."""


@dataclass(frozen=True, slots=True)
class Repetition:
    """The same word said two or more times in a row ("I I", "the the")."""

    text: str
    count: int
    start: float
    end: float

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "count": self.count,
            "start": r2(self.start),
            "end": r2(self.end),
        }


@dataclass(frozen=True, slots=True)
class Hedge:
    text: str
    start: float
    end: float

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": r2(self.start), "end": r2(self.end)}


def find_repetitions(tokens: Sequence[Token]) -> tuple[Repetition, ...]:
    """Runs of one word repeated back to back; vocal fillers are counted as fillers instead."""
    found: list[Repetition] = []
    i = 0
    while i < len(tokens):
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].text == tokens[i].text:
            j += 1
        if j > i and tokens[i].text not in VOCAL_FILLERS:
            found.append(Repetition(tokens[i].text, j - i + 1, tokens[i].start, tokens[j].end))
        i = j + 1
    return tuple(found)


def find_hedges(tokens: Sequence[Token], index: StemIndex) -> tuple[Hedge, ...]:
    """Every hedge phrase, each token used by at most one hedge (longest phrase first)."""
    claimed: set[int] = set()
    found: list[Hedge] = []
    for phrase in HEDGE_PHRASES:
        after = 0
        while True:
            hit = index.find(phrase, fuzzy=False, after=after)
            if hit is None:
                break
            after = hit.first + 1
            span = range(hit.first, hit.last + 1)
            # exact words only: the stemmer would let "i thought" count as "i think"
            said = " ".join(tokens[k].text for k in span)
            if said != phrase or any(k in claimed for k in span):
                continue
            claimed.update(span)
            found.append(Hedge(phrase, tokens[hit.first].start, tokens[hit.last].end))
    found.sort(key=lambda h: h.start)
    return tuple(found)


def hedge_counts(hedges: Sequence[Hedge]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for hedge in hedges:
        counts[hedge.text] = counts.get(hedge.text, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def top_words(
    tokens: Sequence[Token], filler_indexes: frozenset[int], limit: int = TOP_WORDS_LIMIT
) -> list[dict[str, object]]:
    """Most-used content words (stop words and fillers removed), used at least twice."""
    counts: dict[str, int] = {}
    for i, token in enumerate(tokens):
        word = token.text
        if i in filler_indexes or word in STOP_WORDS or word in VOCAL_FILLERS:
            continue
        if len(word) < 2 or not any(ch.isalpha() for ch in word):
            continue
        counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    return [{"word": w, "count": n} for w, n in ranked[:limit] if n >= 2]
