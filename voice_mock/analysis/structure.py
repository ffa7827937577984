"""STAR structure (Situation, Task, Action, Result) of a behavioural answer.

Interviewers asking "tell me about a time..." listen for a story in that
order. We look for the spoken markers of each part; the markers are phrases
people actually use, matched with the same inflection-tolerant matcher as
cues, so "we ended up" and "I decided" both count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from voice_mock.analysis.text import StemIndex
from voice_mock.analysis.tokens import Token, r2

PARTS = ("situation", "task", "action", "result")

SITUATION_PHRASES = (
    "when i was working at",
    "when i was working",
    "when i worked at",
    "i was working at",
    "i was working as",
    "i worked at",
    "at my previous job",
    "at my last job",
    "in my previous job",
    "in my previous role",
    "in my last job",
    "in my last role",
    "at my old job",
    "one time",
    "one day",
    "there was a time",
    "a few years ago",
    "years ago",
    "last year",
    "last month",
    "last week",
    "last summer",
    "a customer came in",
    "a customer called",
    "a customer came up",
    "we had a customer",
    "there was a customer",
    "i remember a time",
    "back when",
)
TASK_PHRASES = (
    "my job was",
    "my role was",
    "it was my job",
    "it was my responsibility",
    "my responsibility was",
    "i was responsible",
    "i needed to",
    "i had to",
    "i was asked to",
    "i was tasked",
    "the goal was",
    "my goal was",
    "our goal was",
    "the task was",
    "my task was",
    "i wanted to make sure",
    "i knew i had to",
)
ACTION_PHRASES = (
    "i decided",
    "i explained",
    "i offered",
    "so i",
    "i called",
    "i listened",
    "i apologized",
    "i asked",
    "i made sure",
    "i took",
    "i spoke",
    "i checked",
    "i escalated",
    "i helped",
    "i worked with",
    "i reached out",
    "i suggested",
    "i followed up",
    "i told",
    "i gave",
    "i fixed",
    "i resolved",
    "i contacted",
    "i arranged",
    "i stayed calm",
    "i went",
    "i set up",
    "i walked",
    "i found",
    "first i",
    "then i",
)
RESULT_PHRASES = (
    "as a result",
    "in the end",
    "at the end of the day",
    "ended up",
    "the result was",
    "the outcome was",
    "it turned out",
    "the customer was happy",
    "the customer was satisfied",
    "she was happy",
    "he was happy",
    "they were happy",
    "was really happy",
    "thanked me",
    "left a good review",
    "positive feedback",
    "came back",
    "i learned",
    "learned",
    "resolved",
    "percent",
)
NOT_ACTIONS = frozenset(
    {
        "needed",
        "wanted",
        "used",
        "liked",
        "loved",
        "hoped",
        "wished",
        "seemed",
        "supposed",
        "worked",
        "guessed",
        "assumed",
        "realized",
        "realised",
        "noticed",
        "felt",
    }
)
"""Past-tense verbs after "I" that describe a state or setting, not an action taken."""
PAST_IRREGULAR_ACTIONS = frozenset(
    {"told", "gave", "took", "made", "spoke", "sent", "went", "brought", "found", "met", "paid"}
)
NUMBER_WORDS = frozenset(
    {
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "half",
        "double",
        "twice",
    }
)
RESULT_UNITS = frozenset(
    {
        "percent",
        "%",
        "stars",
        "star",
        "points",
        "dollars",
        "customers",
        "calls",
        "tickets",
        "reviews",
        "times",
    }
)
"""A number followed by one of these, after the action, reads as a measured result."""

SNIPPET_BEFORE = 3
SNIPPET_AFTER = 6


@dataclass(frozen=True, slots=True)
class StarPart:
    """One STAR part: whether it was heard, with the words that showed it."""

    name: str
    present: bool
    phrase: str | None = None
    evidence: str | None = None
    at_s: float | None = None
    index: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "present": self.present,
            "phrase": self.phrase,
            "evidence": self.evidence,
            "at_s": None if self.at_s is None else r2(self.at_s),
        }


@dataclass(frozen=True, slots=True)
class Star:
    situation: StarPart
    task: StarPart
    action: StarPart
    result: StarPart

    @property
    def parts(self) -> tuple[StarPart, ...]:
        return (self.situation, self.task, self.action, self.result)

    @property
    def in_order(self) -> bool:
        """True when the parts that were heard came in S, T, A, R order."""
        times = [p.at_s for p in self.parts if p.at_s is not None]
        return all(a <= b for a, b in pairwise(times))

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts if not p.present)

    @property
    def verdict(self) -> str:
        if self.missing:
            return "missing " + ", ".join(self.missing)
        return "complete" if self.in_order else "complete but out of order"

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {p.name: p.to_dict() for p in self.parts}
        out["in_order"] = self.in_order
        out["missing"] = list(self.missing)
        out["verdict"] = self.verdict
        return out


def _snippet(tokens: Sequence[Token], first: int, last: int) -> str:
    lo = max(0, first - SNIPPET_BEFORE)
    hi = min(len(tokens), last + 1 + SNIPPET_AFTER)
    return " ".join(t.text for t in tokens[lo:hi])


def _first_hit(
    index: StemIndex,
    phrases: Sequence[str],
    skippable: frozenset[int],
    after: int = 0,
) -> tuple[int, int, str] | None:
    best: tuple[int, int, str] | None = None
    for phrase in phrases:
        hit = index.find(phrase, skippable=skippable.__contains__, fuzzy=False, after=after)
        if hit is not None and (best is None or hit.first < best[0]):
            best = (hit.first, hit.last, phrase)
    return best


def _first_action_verb(tokens: Sequence[Token], after: int = 0) -> tuple[int, int, str] | None:
    """ "I" followed by a past-tense action verb ("I rebooked", "I told")."""
    for i in range(after, len(tokens) - 1):
        if tokens[i].text != "i":
            continue
        verb = tokens[i + 1].text
        if verb in NOT_ACTIONS:
            continue
        if verb in PAST_IRREGULAR_ACTIONS or (verb.endswith("ed") and len(verb) > 4):
            return (i, i + 1, f"i {verb}")
    return None


def _first_measured_result(tokens: Sequence[Token], after: int) -> tuple[int, int, str] | None:
    for i in range(after, len(tokens) - 1):
        word = tokens[i].text
        if (word in NUMBER_WORDS or word.rstrip("%").isdigit()) and tokens[
            i + 1
        ].text in RESULT_UNITS:
            return (i, i + 1, f"{word} {tokens[i + 1].text}")
    return None


def _earliest(*hits: tuple[int, int, str] | None) -> tuple[int, int, str] | None:
    found = [h for h in hits if h is not None]
    return min(found, key=lambda h: h[0]) if found else None


def _part(name: str, tokens: Sequence[Token], hit: tuple[int, int, str] | None) -> StarPart:
    if hit is None:
        return StarPart(name, False)
    first, last, phrase = hit
    return StarPart(
        name,
        True,
        phrase=phrase,
        evidence=_snippet(tokens, first, last),
        at_s=tokens[first].start,
        index=first,
    )


def find_star(tokens: Sequence[Token], index: StemIndex, fillers: frozenset[int]) -> Star:
    """Earliest marker of each part; the result is looked for after the first action.

    Looking for the result after the action avoids taking an early "I learned
    about the product" as the story's outcome; if nothing follows the action,
    the earliest result marker anywhere is used and the order check says so.
    """
    situation = _first_hit(index, SITUATION_PHRASES, fillers)
    task = _first_hit(index, TASK_PHRASES, fillers)
    action = _earliest(_first_hit(index, ACTION_PHRASES, fillers), _first_action_verb(tokens))
    from_action = action[1] + 1 if action is not None else 0
    result = _earliest(
        _first_hit(index, RESULT_PHRASES, fillers, after=from_action),
        _first_measured_result(tokens, from_action),
    )
    if result is None and action is not None:
        result = _first_hit(index, RESULT_PHRASES, fillers)
    return Star(
        situation=_part("situation", tokens, situation),
        task=_part("task", tokens, task),
        action=_part("action", tokens, action),
        result=_part("result", tokens, result),
    )
