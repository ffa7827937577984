"""Is it an answer or a list? Which stretches of the transcript are made of sentences.

A spoken sentence is held together by closed-class words: pronouns, articles,
prepositions, auxiliaries ("i would let them explain it to me"), and by verbs
with a subject ("a young dad came in"). A list of buzzwords has almost none
("communication skills teamwork problem solving"): long runs of content words
with no glue between them and no verb. Each word is judged by the few words
around it, so a list tacked onto one real sentence is still a list, and a
recogniser that drops a few short words does not turn a real answer into one.

Spoken glue counts too: "like", "you know", "actually", "kinda" are fillers
to the delivery checks, but they sit between the words of a sentence, never
in a list of buzzwords; only vocal fillers ("um", "uh") are left out here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from voice_mock.analysis.text import FUNCTION_WORDS, word_set
from voice_mock.analysis.tokens import VOCAL_FILLERS

CONTEXT_WORDS = 4
"""Words on each side of a word that decide whether it sits in a sentence."""
MIN_FUNCTION_SHARE = 0.25
"""A stretch with fewer closed-class words than this (of its words) reads as a list."""
SUBJECTS = word_set(
    """i we you he she they i'm i've i'd i'll we're we've we'd we'll you're you've you'd
    you'll he's he'd she's she'd they're they've they'd they'll"""
)
"""Subject pronouns: who did or thinks what. Nearly every spoken sentence has one."""
POSSESSIVES = word_set("my our your his their mine")
"""Possessive pronouns: a sentence about people, though not always with its subject."""
OBJECTS = word_set("me us him them")
"""Object pronouns: right after a content word they are the object of a verb ("sent them",
"told me"); after glue ("so them") they show nothing."""
AUXILIARIES = word_set(
    """is am are was were be been being do does did have has had will would can could shall
    should may might must don't didn't can't couldn't wouldn't won't isn't wasn't aren't
    weren't haven't hasn't it's that's there's let's"""
)
"""Auxiliaries and copulas: where there is one, there is a clause."""
GLUE = FUNCTION_WORDS | word_set(
    """across through around round against without within between behind under below
    above during per via towards toward near past among beside beyond inside outside upon
    whether nothing nobody someone somebody anyone anybody everyone everybody something
    anything everything never always often still even already again ever now much many
    few lot lots less least another several enough quite rather almost yet instead
    once twice ago away back far soon later else though whatever whoever wherever
    actually basically literally honestly kinda sorta gonna wanna gotta yeah okay ok
    mean know"""
)
"""Closed-class words and spoken glue (`FUNCTION_WORDS` and more prepositions,
quantifiers, indefinite pronouns, frequent adverbs and discourse markers): what sits
between the content words of a sentence and is missing from a list of buzzwords."""
SPOKEN_VERBS = word_set("gonna wanna gotta")
"""Spoken forms that hold a verb and its auxiliary ("gonna be honest"): a clause."""
SINGULAR_SUBJECTS = word_set(
    """it he she that this which who what nobody everyone someone everybody somebody anybody
    anyone nothing something everything anything one"""
)
"""Before a verb in -s ("it comes", "nobody knows"), these are its subject."""
DETERMINERS = word_set("the a an this that every each my our your his her their no any")
"""Before a noun, these make it a subject a verb in -s can follow ("the customer comes")."""
CONTRACTED = ("'d", "'ll", "'re", "'ve", "'m")
"""A word with one of these endings holds a subject and an auxiliary ("who'd", "mum'll")."""
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


@lru_cache(maxsize=8192)
def _present_third(word: str) -> bool:
    """Whether a word can be a verb in the third person present ("comes", "needs")."""
    if not word.isalpha() or not word.endswith("s"):
        return False
    from lemminflect import getAllInflections, getAllLemmas

    for lemma in getAllLemmas(word).get("VERB", ()):
        if word in getAllInflections(lemma, upos="VERB").get("VBZ", ()):
            return True
    return False


def find_prose(words: Sequence[str], skip: frozenset[int] = frozenset()) -> Prose:
    """Mark each word that has sentence glue around it (fillers in ``skip`` are ignored).

    A word sits in a sentence when the few words around it hold enough
    closed-class words (`GLUE`), at least one auxiliary, possessive, verb with
    its subject or verb with its object (a past-tense verb, a contraction), and, unless a
    subject is among them, no long run of bare content words. Vocal fillers
    in ``skip`` ("um") are ignored; other fillers count as the words they are.
    """
    # only vocal fillers are left out: "like", "you know" and "actually" are fillers to the
    # delivery checks, but they are spoken glue, and leaving them out made real answers
    # full of them read as lists
    skip = frozenset(i for i in skip if words[i] in VOCAL_FILLERS)
    kept = [i for i in range(len(words)) if i not in skip]
    said = [words[i] for i in kept]
    n = len(said)
    function = [w in GLUE for w in said]
    # a past-tense verb holds a clause together as a subject does ("one wet friday a young
    # dad came in", or "understand that we supplied gas" with its "we" lost by the
    # recogniser): buzzword lists have none, nor contractions ("who'd", "someone's")
    from voice_mock.analysis.structure import past_tense

    past = {w for w in set(said) if w not in GLUE and past_tense(w) == (True, False)}
    contracted = [w.endswith(CONTRACTED) or w in SPOKEN_VERBS for w in said]
    subject = [w in SUBJECTS or w in past or c for w, c in zip(said, contracted, strict=True)]
    for k in range(1, n):
        # a verb in -s after its subject ("the customer comes first", "it matters"); a bare
        # plural in a list ("communication skills") has no determiner or pronoun before it
        if function[k] or not _present_third(said[k]):
            continue
        before = said[k - 1]
        if before in SINGULAR_SUBJECTS or (
            not function[k - 1] and k >= 2 and said[k - 2] in DETERMINERS
        ):
            subject[k] = True
    clause = [
        subject[k]
        or w in AUXILIARIES
        or w in POSSESSIVES
        or (w in OBJECTS and k > 0 and not function[k - 1])
        or w.endswith("'s")
        for k, w in enumerate(said)
    ]
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
