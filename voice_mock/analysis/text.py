"""Lemma-level phrase matching for key-point cues and STAR markers.

Bank authors write a cue once ("listen", "hear them out", "apologize") and
speakers inflect it ("listened", "heard them out", "apologised"). Every word is
folded to its dictionary lemmas with `lemminflect` (a maintained English
lemmatiser: "rang" -> "ring", "drove" -> "drive", "heard" -> "hear"), then
British -ise spellings are folded to -ize. Only inflections are folded, never
derivations, so "care" never matches "career", "friendly" never matches
"friends" and "list" never matches "listen".

Two tolerances on top of exact lemmas:

- **Gaps.** Between two content words of a cue a few determiners, pronouns or
  quantifiers may sit ("ask questions" matches "ask them a few questions",
  "check account" matches "check their account"); a function word of the cue
  ("up", "them", "out") must follow straight on, so "follow up" does not match
  "follow them up". A cue may also say ``...`` for "up to four words of any
  kind here" ("ask ... questions").
- **Recogniser slips.** Long lemmas may differ by one edit ("apologyze"), and,
  when asked, homophones the recogniser confuses are treated as one word
  ("here"/"hear", "there"/"their", "to"/"too"/"two", ...).

`lemminflect` is imported on first use, so importing this module stays light.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from voice_mock.analysis.tokens import normalise

FUZZY_MIN_LEN = 8
"""Lemmas at least this long may differ by one edit (a recogniser slip such as
"apologyze"); shorter ones must match exactly, since one letter turns
"prevent" into "present"."""


def word_set(text: str) -> frozenset[str]:
    """The words of ``text`` (split on white space) as a set."""
    return frozenset(text.split())


GAP = "..."
"""Written between two cue words: up to `EXPLICIT_GAP_WORDS` words of any kind may sit there."""
EXPLICIT_GAP_WORDS = 4
IMPLICIT_GAP_WORDS = 3
"""How many `GAP_WORDS` may sit between two content words of a cue."""

GAP_WORDS = word_set(
    """a an the my your his her their our its this that these those them him me us it
    some any few couple of lot lots more all every each other another extra two three
    whole new same own few"""
)
"""Words that only fill out a noun phrase ("ask *them a few* questions"), never change the idea."""

FUNCTION_WORDS = word_set(
    """a an the and or but so if then than that this these those there here to of in on at
    by for with from up down out off over into onto about as i me my mine we us our you your
    he him his she her they them their it its is am are was were be been being do does did
    have has had will would can could shall should may might must not no yes just also very
    really what which who whom whose when where why how all any some each every both either
    neither more most other such own same too only i'm i've i'd i'll we're we've we'd you're
    they're it's that's there's don't didn't can't couldn't wouldn't won't isn't wasn't let
    let's one because while after before until since though although like well"""
)
"""Closed-class words: the glue of a sentence. A cue word from this set must be said
next to its neighbour (no gap), and `voice_mock.analysis.sentences` counts them to
tell an answer from a list of buzzwords."""

HOMOPHONE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("here", "hear"),
    ("there", "their", "they're"),
    ("to", "too", "two"),
    ("for", "four"),
    ("no", "know"),
    ("new", "knew"),
    ("right", "write"),
    ("by", "buy", "bye"),
    ("would", "wood"),
    ("our", "hour"),
    ("see", "sea"),
    ("one", "won"),
    ("week", "weak"),
    ("wait", "weight"),
    ("whole", "hole"),
    ("where", "wear"),
    ("its", "it's"),
    ("your", "you're"),
    ("meet", "meat"),
    ("through", "threw"),
    ("piece", "peace"),
    ("sale", "sail"),
)
"""Words English Vosk models write for one another; matched as one when asked."""

_HOMOPHONES: dict[str, tuple[str, ...]] = {
    word: tuple(other for other in group if other != word)
    for group in HOMOPHONE_GROUPS
    for word in group
}

_BRITISH = re.compile(r"^(.{3,})is(e|ed|es|ing|ation|ations|er|ers)$")


NEGATORS = word_set(
    """not never no don't didn't doesn't won't wouldn't can't cannot couldn't isn't wasn't
    aren't weren't haven't hasn't hadn't shouldn't nobody nothing neither nor"""
)
NEGATION_WORDS_BEFORE = 4
"""A cue said within this many words after a negator is denied, not claimed ("i wouldn't say
sorry", "i'm not always that calm"), unless it is "not only" / "not just"."""
NOT_DENIALS = word_set("only just merely simply")


CLAUSE_BREAKS = word_set("but and so because then although though when if which while or")
"""Words that start a new clause: a negation before one of them does not reach past it."""
DENIAL_WORDS_BEFORE = 8


CLAUSE_SUBJECTS = word_set("i we you i'm i'd i've we're we'd we've you're")
"""A speaker's subject between a negator and a word starts that word's own clause
("it had not been changed i raised it again"), unless the negator doubts the clause."""
DOUBTS = word_set("sure certain think say know believe reckon remember")
"""After a negator these govern the clause that follows ("i'm not sure i'm always that
calm", "i don't think i listened"): the denial reaches into it, past its subject."""


def denied_in_clause(words: Sequence[str], first: int) -> bool:
    """Whether a negator stands earlier in the clause of ``words[first]`` ("i'm not sure i
    really persuaded him"), looking back at most `DENIAL_WORDS_BEFORE` words and never past
    a word that starts a clause ("there was no stock, so i rang round" is not denied).

    Transcripts have no full stops, so a negator of the sentence before often sits a few
    words back ("she was not eating much i stayed late"): a speaker's subject between
    the two starts a new clause, unless the negator doubts what follows ("not sure").
    """
    subject_between = words[first] in CLAUSE_SUBJECTS  # "... i took responsibility"
    for k in range(first - 1, max(-1, first - 1 - DENIAL_WORDS_BEFORE), -1):
        word = words[k]
        if word in CLAUSE_BREAKS:
            return False
        if word in NEGATORS and not (k + 1 < len(words) and words[k + 1] in NOT_DENIALS):
            doubt = k + 1 < first and words[k + 1] in DOUBTS
            return doubt or not subject_between
        if word in CLAUSE_SUBJECTS:
            subject_between = True
    return False


def negated(words: Sequence[str], first: int) -> bool:
    """Whether a negator stands in the few words before ``words[first]``."""
    lo = max(0, first - NEGATION_WORDS_BEFORE)
    for k in range(lo, first):
        if words[k] in NEGATORS and not (k + 1 < len(words) and words[k + 1] in NOT_DENIALS):
            return True
    return False


def _fold_spelling(word: str) -> str:
    """British -ise/-isation to -ize/-ization, so "apologise" and "apologize" are one."""
    return _BRITISH.sub(r"\1iz\2", word)


def _bare(word: str) -> str:
    w = normalise(word)
    if w.endswith("'s") and len(w) > 2:
        w = w[:-2]
    return w.rstrip("'")


@lru_cache(maxsize=16384)
def lemmas(word: str) -> frozenset[str]:
    """Every lemma the word may be an inflection of, plus the word itself.

    "listened" -> {"listened", "listen"}; "left" -> {"left", "leave"};
    "friendly" -> {"friendly"}; "apologised" -> {"apologized", "apologize"}.
    Unknown words get lemminflect's rule-based guess as a verb and a noun.
    """
    w = _bare(word)
    if not w:
        return frozenset()
    from lemminflect import getAllLemmas, getAllLemmasOOV

    found: set[str] = {w}
    known = getAllLemmas(w)
    if known:
        for forms in known.values():
            found.update(forms)
    elif w.isalpha() and len(w) > 3:
        for upos in ("VERB", "NOUN"):
            for forms in getAllLemmasOOV(w, upos).values():
                found.update(forms)
    return frozenset(_fold_spelling(f.lower()) for f in found)


def warm_up() -> None:
    """Load lemminflect's tables now (about 0.3 s the first time) rather than in the first analysis.

    `voice_mock.embedding.preload` calls it on its background thread.
    """
    from lemminflect import getAllInflections

    lemmas("listened")
    getAllInflections("ring", upos="VERB")


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """One canonical lemma for the word: its verb lemma, else noun, else any, else itself.

    "listened"/"listening"/"listens" -> "listen"; "apologised"/"apologize" ->
    "apologize"; "cared"/"caring"/"care" -> "care"; "career" stays "career".
    """
    w = _bare(word)
    if not w:
        return w
    from lemminflect import getAllLemmas, getAllLemmasOOV

    known = getAllLemmas(w)
    if not known and w.isalpha() and len(w) > 3:
        known = getAllLemmasOOV(w, "VERB")
    for upos in ("VERB", "AUX", "NOUN", "ADJ", "ADV"):
        if known.get(upos):
            return _fold_spelling(known[upos][0].lower())
    return _fold_spelling(w)


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
    """Exact match, or one edit apart when both are long enough to be safe."""
    if cue_stem == word_stem:
        return True
    if not fuzzy or min(len(cue_stem), len(word_stem)) < FUZZY_MIN_LEN:
        return False
    return _within_one_edit(cue_stem, word_stem)


def _sets_match(cue: frozenset[str], word: frozenset[str], *, fuzzy: bool) -> bool:
    if not cue.isdisjoint(word):
        return True
    if not fuzzy:
        return False
    return any(stems_match(a, b, fuzzy=True) for a in cue for b in word)


def normalise_phrase(phrase: str) -> str:
    return phrase.strip().lower().replace("\u2019", "'").replace("\u2018", "'")


def phrase_words(phrase: str) -> tuple[str, ...]:
    """Split a cue into words the way Vosk writes them ("follow-up" -> "follow up").

    A `GAP` ("...") stays as its own item.
    """
    spaced = normalise_phrase(phrase).replace("\u2026", f" {GAP} ").replace(GAP, f" {GAP} ")
    return tuple(p for p in re.split(r"[\s\-]+", spaced) if p)


@dataclass(frozen=True, slots=True)
class _Part:
    forms: frozenset[str]
    function: bool
    gap_before: int
    """How many `GAP_WORDS` (or any words, after an explicit gap) may precede this part."""
    any_gap: bool


@lru_cache(maxsize=4096)
def _compile(phrase: str, gaps: bool) -> tuple[_Part, ...]:
    parts: list[_Part] = []
    explicit = False
    prev_function = True
    for word in phrase_words(phrase):
        if word == GAP:
            explicit = True
            continue
        function = _bare(word) in FUNCTION_WORDS
        if explicit and parts:
            gap, any_gap = EXPLICIT_GAP_WORDS, True
        elif gaps and parts and not function and not prev_function:
            gap, any_gap = IMPLICIT_GAP_WORDS, False
        else:
            gap, any_gap = 0, False
        parts.append(_Part(lemmas(word), function, gap, any_gap))
        explicit = False
        prev_function = function
    return tuple(parts)


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """Where a phrase matched: index of its first and last matched token."""

    first: int
    last: int


class StemIndex:
    """The transcript's lemmas with the positions of each, built once per analysis.

    Looking a phrase's first word up here (rather than scanning every token)
    keeps matching dozens of cues against an hour-long transcript fast.
    """

    def __init__(self, words: Sequence[str]) -> None:
        # an answer repeats a small vocabulary: fold each distinct word once
        seen: dict[str, tuple[str, str, frozenset[str]]] = {}
        for w in words:
            if w not in seen:
                seen[w] = (_bare(w), stem(w), lemmas(w))
        folded = [seen[w] for w in words]
        self.words: tuple[str, ...] = tuple(f[0] for f in folded)
        self.stems: tuple[str, ...] = tuple(f[1] for f in folded)
        self.forms: tuple[frozenset[str], ...] = tuple(f[2] for f in folded)
        self.positions: dict[str, list[int]] = {}
        for i, forms in enumerate(self.forms):
            for form in forms:
                self.positions.setdefault(form, []).append(i)
        self._heard: tuple[frozenset[str], ...] | None = None
        self._heard_positions: dict[str, list[int]] | None = None
        self._start_cache: dict[tuple[frozenset[str], bool, bool], list[int]] = {}

    def _homophone_view(self) -> tuple[tuple[frozenset[str], ...], dict[str, list[int]]]:
        """Each word's lemmas plus those of the words it sounds like (built on first need)."""
        if self._heard is None or self._heard_positions is None:
            heard = list(self.forms)
            positions = {form: list(where) for form, where in self.positions.items()}
            touched: set[str] = set()
            for i, word in enumerate(self.words):
                extra = _HOMOPHONES.get(word)
                if not extra:
                    continue
                more = frozenset().union(*(lemmas(e) for e in extra)) - heard[i]
                heard[i] = heard[i] | more
                for form in more:
                    positions.setdefault(form, []).append(i)
                    touched.add(form)
            for form in touched:
                positions[form].sort()
            self._heard, self._heard_positions = tuple(heard), positions
        return self._heard, self._heard_positions

    def _starts(
        self, first: frozenset[str], positions: dict[str, list[int]], *, fuzzy: bool
    ) -> list[int]:
        lists: list[list[int]] = []
        for form in first:
            where = positions.get(form)
            if where:
                lists.append(where)
            if fuzzy and len(form) >= FUZZY_MIN_LEN:
                for candidate, near in positions.items():
                    if candidate != form and stems_match(form, candidate, fuzzy=True):
                        lists.append(near)
        if not lists:
            return []
        if len(lists) == 1:
            return lists[0]  # already in order
        return sorted(set().union(*lists))

    def starts(self, first_stem: str, *, fuzzy: bool) -> list[int]:
        """Positions whose lemmas match ``first_stem``, in order."""
        return self._starts(frozenset({first_stem}), self.positions, fuzzy=fuzzy)

    def find(
        self,
        phrase: str,
        *,
        skippable: Callable[[int], bool] = lambda _i: False,
        fuzzy: bool = True,
        after: int = 0,
        gaps: bool = False,
        homophones: bool = False,
        allowed: Callable[[int], bool] | None = None,
    ) -> PhraseHit | None:
        """First place at or after index ``after`` where ``phrase`` matches.

        Words for which ``skippable(i)`` is true (fillers) may sit between the
        phrase's words, never before its first word. With ``gaps`` a few
        `GAP_WORDS` may sit between two content words of the phrase; an
        explicit ``...`` in the phrase always allows a gap. With
        ``homophones`` words the recogniser confuses count as one. When
        ``allowed`` is given, a hit must start at an allowed index.
        """
        parts = _compile(phrase, gaps)
        if not parts:
            return None
        if homophones:
            forms, positions = self._homophone_view()
        else:
            forms, positions = self.forms, self.positions
        n_words = len(forms)
        key = (parts[0].forms, fuzzy, homophones)
        candidates = self._start_cache.get(key)
        if candidates is None:
            candidates = self._starts(parts[0].forms, positions, fuzzy=fuzzy)
            self._start_cache[key] = candidates
        for n in range(bisect_left(candidates, after), len(candidates)):
            start = candidates[n]
            if allowed is not None and not allowed(start):
                continue
            end = self._match_rest(parts, start, forms, n_words, skippable, fuzzy)
            if end is not None:
                return PhraseHit(start, end)
        return None

    def _match_rest(
        self,
        parts: tuple[_Part, ...],
        start: int,
        forms: tuple[frozenset[str], ...],
        n_words: int,
        skippable: Callable[[int], bool],
        fuzzy: bool,
    ) -> int | None:
        j = start
        for part in parts[1:]:
            j += 1
            gap_left = part.gap_before
            while j < n_words:
                if skippable(j):
                    j += 1
                    continue
                if _sets_match(part.forms, forms[j], fuzzy=fuzzy and not part.function):
                    break
                if gap_left > 0 and (part.any_gap or self.words[j] in GAP_WORDS):
                    gap_left -= 1
                    j += 1
                    continue
                return None
            else:
                return None
        return j
