"""Is it an answer or a list? Which stretches of the transcript are made of sentences.

A spoken sentence is held together by closed-class words: pronouns, articles,
prepositions, auxiliaries ("i would let them explain it to me"). A list of
buzzwords has almost none ("communication skills teamwork problem solving").
Each word is judged by the few words around it, so a list tacked onto one real
sentence is still a list, and a recogniser that drops a few short words does
not turn a real answer into one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voice_mock.analysis.text import FUNCTION_WORDS, word_set

CONTEXT_WORDS = 4
"""Words on each side of a word that decide whether it sits in a sentence."""
MIN_FUNCTION_SHARE = 0.25
"""A stretch with fewer closed-class words than this (of its words) reads as a list."""
SUBJECTS = word_set(
    """i we you he she they i'm i've i'd i'll we're we've we'd we'll you're you've you'd
    you'll he's he'd she's she'd they're they've they'd they'll"""
)
"""Subject pronouns: who did or thinks what. Nearly every spoken sentence has one."""
PERSONS = word_set("me us him them my our your his their mine")
"""Other personal pronouns: a sentence about people, though not always with its subject."""
AUXILIARIES = word_set(
    """is am are was were be been being do does did have has had will would can could shall
    should may might must don't didn't can't couldn't wouldn't won't isn't wasn't aren't
    weren't haven't hasn't it's that's there's let's"""
)
"""Auxiliaries and copulas: where there is one, there is a clause."""
MAX_BARE_RUN = 3
"""Without a personal pronoun nearby, more content words in a row than this read as a
list ("experience communication skills achievement"), even with an "is" next to them."""
MIN_WORDS_FOR_LIST = 4
LIST_SHARE = 0.5
"""The answer reads as a list when fewer than this share of its words sit in sentences."""


@dataclass(frozen=True, slots=True)
class Prose:
    """Per token, whether it sits in a sentence; and whether the whole answer reads as a list."""

    mask: tuple[bool, ...]
    reads_as_list: bool
    share: float
    """Share of the answer's (non-filler) words that sit in sentences; 1.0 when empty."""

    def covers(self, first: int, last: int) -> bool:
        """True when most of the words from ``first`` to ``last`` sit in sentences."""
        span = self.mask[first : last + 1]
        return bool(span) and sum(span) * 2 >= len(span)


def _prefix(flags: Sequence[bool]) -> list[int]:
    out = [0] * (len(flags) + 1)
    for k, flag in enumerate(flags):
        out[k + 1] = out[k] + flag
    return out


def find_prose(words: Sequence[str], skip: frozenset[int] = frozenset()) -> Prose:
    """Mark each word that has sentence glue around it (fillers in ``skip`` are ignored).

    A word sits in a sentence when the few words around it hold enough
    closed-class words, at least one personal pronoun or auxiliary, and,
    unless a subject pronoun is among them, no long run of bare content words.
    """
    kept = [i for i in range(len(words)) if i not in skip]
    said = [words[i] for i in kept]
    n = len(said)
    function = [w in FUNCTION_WORDS for w in said]
    # a past-tense verb holds a clause together as a subject does ("understand that we
    # supplied gas" with its "we" lost by the recogniser): buzzword lists have none
    from voice_mock.analysis.structure import past_tense

    past = {w for w in set(said) if w not in FUNCTION_WORDS and past_tense(w) == (True, False)}
    subject = [w in SUBJECTS or w in past for w in said]
    clause = [w in SUBJECTS or w in AUXILIARIES or w in PERSONS for w in said]
    # length of the run of content words each word belongs to (0 for function words)
    run = [0] * n
    k = 0
    while k < n:
        if function[k]:
            k += 1
            continue
        j = k
        while j < n and not function[j]:
            j += 1
        for m in range(k, j):
            run[m] = j - k
        k = j
    # prefix sums make each window O(1): the check stays linear on an hour-long transcript
    fn_sum, sb_sum, cl_sum = _prefix(function), _prefix(subject), _prefix(clause)
    mask = [False] * len(words)
    width = 2 * CONTEXT_WORDS + 1
    for k in range(n):
        lo = max(0, min(k - CONTEXT_WORDS, n - width))
        hi = min(n, lo + width)
        if (fn_sum[hi] - fn_sum[lo]) < MIN_FUNCTION_SHARE * (hi - lo):
            continue
        if cl_sum[hi] == cl_sum[lo]:
            continue
        if sb_sum[hi] == sb_sum[lo] and max(run[lo:hi]) > MAX_BARE_RUN:
            continue
        mask[kept[k]] = True
    # fillers take the judgement of the word before them
    for i in range(1, len(words)):
        if i in skip:
            mask[i] = mask[i - 1]
    in_prose = sum(mask[i] for i in kept)
    share = in_prose / n if n else 1.0
    return Prose(tuple(mask), n >= MIN_WORDS_FOR_LIST and share < LIST_SHARE, share)
