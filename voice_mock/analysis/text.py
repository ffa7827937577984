"""Inflection-tolerant phrase matching for key-point cues and STAR markers.

Bank authors write a cue once ("listen", "hear them out", "apologize") and
speakers inflect it ("listened", "heard them out", "apologised"). A small
Porter-style stemmer (plural and tense suffixes, British -ise, a few
irregular verbs) folds both sides to the same stem. It deliberately strips no
derivational suffixes such as -er, -en or -ly, so "care" never matches "career",
"friendly" never matches "friends" and "list" never matches "listen".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from voice_mock.analysis.tokens import normalise

IRREGULAR = {
    "heard": "hear",
    "said": "say",
    "says": "say",
    "told": "tell",
    "made": "make",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "felt": "feel",
    "thought": "think",
    "understood": "understand",
    "went": "go",
    "gone": "go",
    "goes": "go",
    "going": "go",
    "did": "do",
    "does": "do",
    "done": "do",
    "doing": "do",
    "came": "come",
    "got": "get",
    "gotten": "get",
    "kept": "keep",
    "brought": "bring",
    "bought": "buy",
    "sent": "send",
    "spoke": "speak",
    "spoken": "speak",
    "knew": "know",
    "known": "know",
    "saw": "see",
    "seen": "see",
    "found": "find",
    "met": "meet",
    "paid": "pay",
    "built": "build",
    "taught": "teach",
    "stood": "stand",
    "sold": "sell",
    "held": "hold",
    "ran": "run",
    "began": "begin",
    "begun": "begin",
    "wrote": "write",
    "written": "write",
    "chose": "choose",
    "chosen": "choose",
    "spent": "spend",
    "meant": "mean",
    "dealt": "deal",
    "led": "lead",
    "learnt": "learn",
    "was": "be",
    "were": "be",
    "is": "be",
    "are": "be",
    "been": "be",
    "being": "be",
    "am": "be",
    "has": "have",
    "had": "have",
    "having": "have",
}
"""Common irregular forms mapped to their base (the stemmer cannot guess these)."""

FUZZY_MIN_LEN = 8
"""Stems at least this long may differ by one edit (a recogniser slip such as
"apologyze"); shorter stems must match exactly, since one letter turns
"prevent" into "present"."""

_BRITISH = re.compile(r"^(.{3,})is(e|ed|es|ing|ation|ations)$")
_VOWELS = frozenset("aeiou")


def _is_consonant(word: str, i: int) -> bool:
    ch = word[i]
    if ch in _VOWELS:
        return False
    if ch == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in the stem."""
    m = 0
    prev_vowel = False
    for i in range(len(stem)):
        vowel = not _is_consonant(stem, i)
        if prev_vowel and not vowel:
            m += 1
        prev_vowel = vowel
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _is_consonant(stem, i) for i in range(len(stem)))


def _ends_cvc(stem: str) -> bool:
    """Consonant-vowel-consonant ending (last not w/x/y): "hop", "car", "not"."""
    if len(stem) < 3:
        return False
    return (
        _is_consonant(stem, len(stem) - 3)
        and not _is_consonant(stem, len(stem) - 2)
        and _is_consonant(stem, len(stem) - 1)
        and stem[-1] not in "wxy"
    )


def _restore(stem: str) -> str:
    """Undo what -ed/-ing took away: "hop(p)ed" -> "hop", "car(e)d" -> "care"."""
    if stem.endswith(("at", "bl", "iz")) or len(stem) <= 2:
        return stem + "e"
    if (
        len(stem) >= 2
        and stem[-1] == stem[-2]
        and stem[-1] not in "lsz"
        and _is_consonant(stem, len(stem) - 1)
    ):
        return stem[:-1]
    if _measure(stem) == 1 and _ends_cvc(stem):
        return stem + "e"
    return stem


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Fold a word to the stem shared by its inflections.

    "listened"/"listening"/"listens" -> "listen"; "apologised"/"apologize"
    -> "apologiz"; "refunded" -> "refund"; "cared"/"caring"/"care" -> "care"
    (not "car"); "career" stays "career".
    """
    w = normalise(word)
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if w in IRREGULAR:
        return IRREGULAR[w]
    w = _BRITISH.sub(r"\1iz\2", w)
    if len(w) <= 3:
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
        if w.endswith("e") and w[:-1].endswith(("sh", "ch", "x", "ss", "zz")):
            w = w[:-1]
    elif w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    elif w.endswith("ed") and _has_vowel(w[:-2]):
        w = _restore(w[:-2])
    elif w.endswith("ing") and _has_vowel(w[:-3]) and len(w) > 4:
        w = _restore(w[:-3])
    if w.endswith("e") and len(w) > 3:
        base = w[:-1]
        m = _measure(base)
        if m > 1 or (m == 1 and not _ends_cvc(base)):
            w = base
    return w


def _within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion or substitution."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def stems_match(cue_stem: str, word_stem: str, *, fuzzy: bool = True) -> bool:
    """Exact stem match, or one edit apart when both stems are long enough to be safe."""
    if cue_stem == word_stem:
        return True
    if not fuzzy or min(len(cue_stem), len(word_stem)) < FUZZY_MIN_LEN:
        return False
    return _within_one_edit(cue_stem, word_stem)


def phrase_words(phrase: str) -> tuple[str, ...]:
    """Split a cue into words the way Vosk writes them ("follow-up" -> "follow up")."""
    return tuple(p for p in re.split(r"[\s\-]+", normalise_phrase(phrase)) if p)


def normalise_phrase(phrase: str) -> str:
    return phrase.strip().lower().replace("\u2019", "'").replace("\u2018", "'")


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """Where a phrase matched: index of its first and last matched token."""

    first: int
    last: int


class StemIndex:
    """The transcript's stems with the positions of each, built once per analysis.

    Looking a phrase's first word up here (rather than scanning every token)
    keeps matching dozens of cues against an hour-long transcript fast.
    """

    def __init__(self, words: Sequence[str]) -> None:
        self.stems: tuple[str, ...] = tuple(stem(w) for w in words)
        self.positions: dict[str, list[int]] = {}
        for i, s in enumerate(self.stems):
            self.positions.setdefault(s, []).append(i)

    def starts(self, first_stem: str, *, fuzzy: bool) -> list[int]:
        """Positions whose stem matches ``first_stem``, in order."""
        if not fuzzy or len(first_stem) < FUZZY_MIN_LEN:
            return self.positions.get(first_stem, [])
        found: list[int] = []
        for candidate, where in self.positions.items():
            if stems_match(first_stem, candidate, fuzzy=True):
                found.extend(where)
        found.sort()
        return found

    def find(
        self,
        phrase: str,
        *,
        skippable: Callable[[int], bool] = lambda _i: False,
        fuzzy: bool = True,
        after: int = 0,
    ) -> PhraseHit | None:
        """First place at or after index ``after`` where ``phrase`` matches consecutive words.

        Words for which ``skippable(i)`` is true (fillers) may sit between the
        phrase's words, never before its first word.
        """
        wanted = tuple(stem(p) for p in phrase_words(phrase))
        if not wanted:
            return None
        stems = self.stems
        candidates = self.starts(wanted[0], fuzzy=fuzzy)
        for n in range(bisect_left(candidates, after), len(candidates)):
            i = j = candidates[n]
            ok = True
            for part in wanted[1:]:
                j += 1
                while j < len(stems) and skippable(j):
                    j += 1
                if j >= len(stems) or not stems_match(part, stems[j], fuzzy=fuzzy):
                    ok = False
                    break
            if ok:
                return PhraseHit(i, j)
        return None
