"""STAR structure (Situation, Task, Action, Result) of a behavioural answer, from the story's shape.

Interviewers asking "tell me about a time..." listen for a story: a concrete
moment, what the speaker had to achieve, what they did, how it ended. Each part
has a recognisable shape in speech:

- **Situation**: a time or place anchor ("last winter", "on black friday",
  "at my last job", "a few years ago") or someone turning up in the past
  ("a customer came in", "this man rang").
- **Task**: what the speaker had to achieve or was responsible for ("i had to",
  "my job was", "i needed to get her sorted", "it was up to me").
- **Action**: what the speaker did: a first-person past-tense verb ("i rang",
  "i drove", "we split"), found with the lemmatiser, not from a list; verbs
  of state or thought ("i was", "i felt", "i wanted") are not actions.
- **Result**: how it ended ("in the end", "by friday", "it worked", thanks, a
  review, someone coming back, numbers).

A generic answer ("i always stay calm and listen") has no past-tense story, so
it shows none of the four. Each part keeps its first evidence and time, and
`Star.time_split` says how the answer's time spreads over the parts (the tips
say most of it should be the actions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from voice_mock.analysis.text import (
    FUNCTION_WORDS,
    StemIndex,
    denied_in_clause,
    negated,
    word_set,
)
from voice_mock.analysis.tokens import Token, r2

PARTS = ("situation", "task", "action", "result")

SITUATION_PHRASES = (
    "when i was working",
    "when i worked",
    "while i was working",
    "i was working at",
    "i was working as",
    "i was working in",
    "i worked at",
    "i worked as",
    "at my previous job",
    "at my last job",
    "at my old job",
    "at my first job",
    "in my previous job",
    "in my previous role",
    "in my last job",
    "in my last role",
    "in my old job",
    "at the time",
    "one time",
    "there was a time",
    "there was this",
    "there was one",
    "i remember a time",
    "i remember one",
    "i remember when",
    "i remember this",
    "back when",
    "back in",
    "black friday",
    "christmas eve",
    "boxing day",
    "a while back",
    "a while ago",
)
TIME_NOUNS = word_set(
    """day time morning afternoon evening night week weekend month year summer winter spring
    autumn fall christmas easter term semester shift season holiday holidays monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july
    august september october november december"""
)
"""Nouns that anchor a moment after "last", "one", "that", "on a"... ("last winter")."""
TIME_LEADS = word_set("last one that this once on during")
PEOPLE = word_set(
    """customer customers man woman lady gentleman guy gent bloke girl boy client clients
    caller family couple mother father mum mom dad parent student patient guest guests
    passenger tourist shopper colleague coworker co-worker manager supervisor boss
    teammate team person regular elderly old older young someone somebody member resident
    son daughter wife husband friend neighbour neighbor kid kids child lad"""
)
"""Who may turn up in a story ("a customer came in", "this elderly man rang")."""
MONTHS_AND_SEASONS = word_set(
    """january february march april may june july august september october november
    december summer winter spring autumn"""
)
"""After "in", a moment ("in march"); "in the morning" alone is a habit as often as not."""
PLACES = word_set(
    """shop store factory warehouse cafe restaurant office salon bar pub hotel library school
    ward hospital branch centre center surgery garage gym bank site yard kitchen clinic
    pharmacy supermarket call"""
)
"""Where a story happens: "at the library", "in my factory" (counted inside a story only)."""
WHEN_WORDS = word_set("when after while before")
HABITUAL = word_set("every each a an per")
"""Before a time noun these make a habit ("every shift", "once a month"), not a moment."""
INTRO_WORDS = word_set("a an this one that the our my some")
ARRIVALS = word_set(
    """came walked rang phoned called emailed wrote turned showed arrived stormed complained
    contacted messaged approached
    asked wanted needed was had brought ordered booked bought"""
)
"""Past verbs with which someone enters the story."""

TASK_PHRASES = (
    "my job was",
    "my role was",
    "it was my job",
    "it was my responsibility",
    "it was my task",
    "my responsibility was",
    "i was responsible",
    "i was in charge",
    "i had to",
    "i needed to",
    "we had to",
    "we needed to",
    "i was asked to",
    "i was tasked",
    "i was supposed to",
    "the goal was",
    "my goal was",
    "our goal was",
    "the aim was",
    "my aim was",
    "the task was",
    "my task was",
    "the challenge was",
    "i wanted to make sure",
    "i wanted to get",
    "i wanted to find",
    "i wanted to fix",
    "i knew i had to",
    "i knew i needed to",
    "it was up to me",
    "i was the only one",
    "i had been asked",
    "i was trying to",
    "i tried to",
    "i set out to",
    "i was determined to",
    "my job ... was",
    "my role ... was",
    "my goal ... was",
    "the priority was",
    "my priority was",
    "i needed him to",
    "i needed her to",
    "i needed them to",
    "i wanted him to",
    "i wanted her to",
    "i wanted them to",
    "down to me",
    "i took responsibility",
    "i took charge",
    "i took ownership",
    "i was the one who",
    "it was on me",
    "was on me to",
    "it fell to me",
    "it fell on me",
    "my part was",
    "my bit was",
    "my side was",
    "i wanted him",
    "i wanted her",
    "i wanted them",
    "i wanted it",
    "i wanted everyone",
    "i wanted everything",
    "what i wanted was",
    "all i wanted was",
    "what i needed was",
    "the idea was",
    "the plan was",
    "my plan was",
    "the point was",
    "the target was",
    "my target was",
    "our target was",
    "the brief was",
    "it had to be",
    "it needed to be",
    "they needed to be",
    "had to be done",
    "i made it my job",
    "i made it my mission",
    "i was hoping to",
    "i hoped to",
    "i was desperate to",
)
RESULT_PHRASES = (
    "as a result",
    "in the end",
    "at the end",
    "ended up",
    "end result",
    "the result was",
    "the outcome was",
    "it turned out",
    "it worked",
    "that worked",
    "which worked",
    "worked out",
    "it paid off",
    "thanked me",
    "thanked us",
    "thank you",
    "thanks to",
    "said thanks",
    "came back",
    "come back",
    "kept coming back",
    "left a review",
    "good review",
    "great review",
    "five star",
    "positive feedback",
    "good feedback",
    "a compliment",
    "complimented",
    "from then on",
    "since then",
    "ever since",
    "to this day",
    "by the end of",
    "by the time",
    "on time",
    "in time",
    "i learned",
    "i learnt",
    "taught me",
    "the lesson",
    "lesson learned",
    "next time",
    "never again",
    "was happy",
    "were happy",
    "was really happy",
    "was so happy",
    "was pleased",
    "were pleased",
    "was relieved",
    "was grateful",
    "was delighted",
    "was thrilled",
    "left happy",
    "left smiling",
    "went away happy",
    "calmed down",
    "was sorted",
    "got sorted",
    "was resolved",
    "got resolved",
    "was fixed",
    "got fixed",
    "managed to",
    "took from it",
    "took away from",
    "what i learned",
    "dropped",
    "improved",
    "percent",
    "promoted",
    "promotion",
    "award",
)
BY_WHEN = word_set(
    """monday tuesday wednesday thursday friday saturday sunday tomorrow tonight closing
    lunchtime lunch noon midday morning evening afternoon night weekend"""
)
"""After "by", a deadline that was met ("by friday", "by closing")."""

NOT_ACTIONS = word_set(
    """was were had felt thought wanted needed knew liked loved hated hoped wished seemed
    supposed used guessed assumed realized realised noticed remembered believed meant
    worked figured could would should might did didn't wasn't couldn't wouldn't tried"""
)
"""Past verbs after "I"/"we" that describe a state, a wish or a setting, not an action taken."""
SUBJECTS_OF_ACTION = word_set("i we")
BETWEEN_SUBJECT_AND_VERB = word_set(
    """then just also quickly immediately actually basically first finally eventually
    straight personally politely calmly gently even still really always instantly right
    both all together therefore thus once later soon next carefully simply gradually
    patiently quietly literally"""
)
NUMBER_WORDS = word_set(
    """one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty
    forty fifty sixty seventy eighty ninety hundred thousand half double twice triple"""
)
RESULT_UNITS = word_set(
    """percent stars star points dollars pounds euros customers calls tickets reviews times
    minutes hours days complaints sales orders"""
)
"""A number followed by one of these, after the action, reads as a measured result."""

SNIPPET_BEFORE = 3
SNIPPET_AFTER = 6


@lru_cache(maxsize=8192)
def past_tense(word: str) -> tuple[bool, bool]:
    """(past-tense verb?, also present?): "rang" (True, False), "put" (True, True).

    A word the lemmatiser does not know counts as past when it ends in -ed ("rebooked").
    """
    if not word.isalpha() or len(word) < 2:
        return (False, False)
    from lemminflect import getAllInflections, getAllLemmas

    known = getAllLemmas(word)
    if not known:
        return (word.endswith("ed") and len(word) > 4, False)
    for upos, forms in known.items():
        if upos != "VERB":
            continue
        for lemma in forms:
            inflections = getAllInflections(lemma, upos="VERB")
            if word in inflections.get("VBD", ()):
                same = word in inflections.get("VB", ()) or word in inflections.get("VBP", ())
                return (True, same)
    return (False, False)


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
class PartTime:
    """How much of the answer one part took."""

    seconds: float
    share: float

    def to_dict(self) -> dict[str, object]:
        return {"seconds": r2(self.seconds), "share": r2(self.share)}


@dataclass(frozen=True, slots=True)
class Star:
    situation: StarPart
    task: StarPart
    action: StarPart
    result: StarPart
    time_split: dict[str, PartTime] = field(default_factory=dict)
    """Seconds and share of the answer per part (plus "other" for what is no part)."""

    @property
    def parts(self) -> tuple[StarPart, ...]:
        return (self.situation, self.task, self.action, self.result)

    @property
    def in_order(self) -> bool:
        """True when the parts that were heard came in S, T, A, R order."""
        times = [p.at_s for p in self.parts if p.at_s is not None]
        return all(a <= b for a, b in pairwise(times))

    @property
    def tells_story(self) -> bool:
        """Whether there is a story at all: a concrete moment or something the speaker did."""
        return self.situation.present or self.action.present

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
        out["time_split"] = {name: t.to_dict() for name, t in self.time_split.items()}
        return out


Hit = tuple[int, int, str]
"""(first token, last token, the phrase or shape that matched)."""


def _snippet(tokens: Sequence[Token], first: int, last: int) -> str:
    lo = max(0, first - SNIPPET_BEFORE)
    hi = min(len(tokens), last + 1 + SNIPPET_AFTER)
    return " ".join(t.text for t in tokens[lo:hi])


def _phrase_hits(index: StemIndex, phrases: Sequence[str], skippable: frozenset[int]) -> list[Hit]:
    """Every place any of ``phrases`` matches (exact lemmas, fillers allowed between words)."""
    out: list[Hit] = []
    for phrase in phrases:
        after = 0
        while True:
            hit = index.find(phrase, skippable=skippable.__contains__, fuzzy=False, after=after)
            if hit is None:
                break
            out.append((hit.first, hit.last, phrase))
            after = hit.first + 1
    return out


def _situation_shapes(words: Sequence[str]) -> list[Hit]:
    """ "last winter", "one saturday", "a few years ago", "a customer came in"..."""
    out: list[Hit] = []
    n = len(words)
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < n else ""
        # "last winter", "one busy saturday", "on a friday", "during the holidays"
        if w in TIME_LEADS and not (w == "once" and nxt in HABITUAL):
            for j in range(i + 1, min(n, i + 4)):
                if words[j] in HABITUAL and not (w in ("on", "during") and words[j] in ("a", "an")):
                    break  # "on every shift", "once a month": a habit, not a moment
                if words[j] in TIME_NOUNS:
                    if w in ("this", "that") and words[j] in ("time", "day"):
                        break  # "this time" / "that day" alone is too vague
                    out.append((i, j, " ".join(words[i : j + 1])))
                    break
        # "... years ago", "a couple of months ago"
        if w == "ago" and i > 0:
            out.append((max(0, i - 2), i, " ".join(words[max(0, i - 2) : i + 1])))
        # "a customer came in", "this elderly man rang", "we had a customer who"
        if w in INTRO_WORDS:
            for j in range(i + 1, min(n, i + 4)):
                if words[j] in PEOPLE:
                    k = j + 1
                    while k < n and words[k] in PEOPLE:
                        k += 1
                    if k < n and (words[k] in ARRIVALS or words[k] == "who"):
                        out.append((i, k, " ".join(words[i : k + 1])))
                    break
        if w == "once" and nxt in SUBJECTS_OF_ACTION | word_set("there when"):
            out.append((i, i, "once"))
        if w == "in" and nxt in MONTHS_AND_SEASONS:
            out.append((i, i + 1, f"in {nxt}"))
        # "when i moved house", "after we opened": a past moment
        if (
            w in WHEN_WORDS
            and nxt in SUBJECTS_OF_ACTION
            and i + 2 < n
            and (past_tense(words[i + 2])[0] or words[i + 2] == "was")
        ):
            out.append((i, i + 2, " ".join(words[i : i + 3])))
        # "there was a man", "there was an elderly lady"
        if w == "there" and nxt == "was":
            for j in range(i + 2, min(n, i + 6)):
                if words[j] in PEOPLE:
                    out.append((i, j, " ".join(words[i : j + 1])))
                    break
    return out


def _place_shapes(words: Sequence[str]) -> list[Hit]:
    """ "at the library", "in my factory", "on the ward": where the story happened."""
    out: list[Hit] = []
    n = len(words)
    for i, w in enumerate(words):
        if w not in ("at", "in", "on") or i + 2 >= n:
            continue
        if words[i + 1] in ("the", "my", "our", "a") and words[i + 2] in PLACES:
            out.append((i, i + 2, " ".join(words[i : i + 3])))
    return out


TASK_SUBJECTS = word_set("i we i've we've i'd we'd")
"""The speaker as the one who had to do something ("i had to", "we'd to", "i've got to")."""
BEFORE_OBLIGATION = BETWEEN_SUBJECT_AND_VERB | word_set(
    """now suddenly somehow obviously desperately urgently only then really kind sort of
    kinda sorta properly"""
)
"""Words between the subject and its obligation ("i just had to", "i really needed to")."""
OBLIGATIONS = word_set("had needed got wanted tried hoped aimed planned meant set")
"""Past verbs that, with "to" after them, say what the speaker had to achieve."""
ASSIGNED = word_set(
    """asked told supposed meant expected tasked trusted left given put assigned sent
    brought hired drafted chosen picked"""
)
"""After "i was"/"we were": what the speaker was given to do ("i was asked to", "we were
supposed to", "i was put in charge of")."""
IN_CHARGE = word_set("responsible charge determined desperate trying hoping one")
"""After "i was": the speaker owns the goal ("i was responsible for", "i was in charge",
"i was determined to", "i was the one")."""
ASSIGNERS = word_set(
    """asked told wanted needed got tasked trusted expected begged left sent put challenged
    assigned gave"""
)
"""Verbs with which someone else gives the speaker the task ("my manager asked me to")."""
GOALS = word_set(
    """job role task goal aim target priority responsibility mission brief challenge
    objective focus remit plan point deadline duty"""
)
"""Nouns that name the task ("the main goal was", "my whole job that day was")."""
GOAL_LEADS = word_set("my our the")
SPEAKER_OBJECTS = word_set("me us")


GOAL_BREAKS = GOAL_LEADS | word_set("was were is and but so i we")
"""Words that end the stretch between "my/our/the" and the goal noun."""


GOAL_ASIDES = TIME_NOUNS | word_set(
    "that this there then here today tonight now really basically actually honestly though"
)
"""What may sit between the goal noun and its "was" ("my job that night was")."""


def _goal_named(words: Sequence[str], i: int) -> int | None:
    """Where "the main goal was" / "my job that night was" ends, from its "my/our/the"
    at ``i``: a goal noun within three words, then "was" within three more."""
    n = len(words)
    for j in range(i + 1, min(n, i + 4)):
        if words[j] in GOALS:
            for k in range(j + 1, min(n, j + 4)):
                if words[k] in ("was", "were", "is"):
                    return k
                if words[k] not in GOAL_ASIDES:
                    return None  # "the goal posts were": the noun is not the task's
            return None
        if words[j] in GOAL_BREAKS:
            return None
    return None


def _obligation_end(words: Sequence[str], j: int, *, contracted: bool) -> int | None:
    """Where the speaker's obligation or assignment ends, its verb at ``j`` (the subject and
    adverbs before it): "had to", "got to", "was asked", "was in charge", "was the one",
    "was responsible"; "to" alone after "i'd" ("i'd to keep them calm")."""
    n = len(words)
    verb = words[j] if j < n else ""
    nxt = words[j + 1] if j + 1 < n else ""
    after = words[j + 2] if j + 2 < n else ""
    if contracted and verb == "to":
        return j
    if verb in OBLIGATIONS and nxt == "to":
        return j + 1
    if verb not in ("was", "were"):
        return None
    if nxt in ASSIGNED or (nxt in IN_CHARGE and nxt != "one"):
        return j + 1
    if (nxt, after) in (("in", "charge"), ("the", "one")):
        return j + 2
    return None


def _task_shapes(words: Sequence[str]) -> list[Hit]:
    """What the speaker had to achieve, by the frame it is said in, not by set phrases.

    - an obligation: the speaker, a few adverbs, then "had/needed/wanted/tried to"
      ("i just had to", "we really needed to", "me and sam had to", "i've got to");
    - an assignment: "i was asked/told/supposed/put in charge", "i was responsible
      for", or someone giving it ("my manager asked me to", "they wanted us to");
    - a goal named: "my/our/the", a goal noun within three words and "was" after
      it or after a time ("that night") ("the main goal was", "my job that night was");
    - the speaker's turn: "it was (all, up, down) to/on me".

    One negated ("i didn't have to") is not a task.
    """
    out: list[Hit] = []
    n = len(words)

    def at(k: int) -> str:
        return words[k] if 0 <= k < n else ""

    for i, w in enumerate(words):
        hit: int | None = None
        if w in TASK_SUBJECTS or (w == "me" and at(i + 1) == "and"):
            j = i + 1
            if w == "me":  # "me and sam had to": past the partner's name (one or two words)
                j = i + 3
                if at(j) not in OBLIGATIONS and at(j) != "were":
                    j += 1
            while j < n and j - i <= 4 and at(j) in BEFORE_OBLIGATION:
                j += 1
            hit = _obligation_end(words, j, contracted=w in ("i'd", "we'd"))
        elif w in ASSIGNERS and at(i + 1) in SPEAKER_OBJECTS and at(i + 2) in ("to", "with"):
            hit = i + 2
        elif w in GOAL_LEADS:
            hit = _goal_named(words, i)
        elif w == "it" and at(i + 1) in ("was", "fell"):
            j = i + 2
            while j < n and j - i <= 5 and at(j) in ("all", "up", "down", "to", "on", "left"):
                j += 1
            if j > i + 2 and at(j) in SPEAKER_OBJECTS:
                hit = j
        if hit is not None and not negated(words, i):
            out.append((i, hit, " ".join(words[i : hit + 1])))
    return out


def _action_shapes(words: Sequence[str], *, story: bool) -> list[Hit]:
    """ "i rang", "we split", "i then drove": first person, then a past-tense action verb.

    Forms that are also present tense ("put", "split") count only in a story
    already shown by another marker (``story``); one denied in its clause ("i'm not
    sure i really persuaded him") does not count.
    """
    out: list[Hit] = []
    n = len(words)
    for i, w in enumerate(words):
        if w not in SUBJECTS_OF_ACTION:
            continue
        j = i + 1
        while j < n and j - i <= 3 and words[j] in BETWEEN_SUBJECT_AND_VERB:
            j += 1
        if j >= n:
            continue
        verb = words[j]
        if verb in NOT_ACTIONS:
            continue
        is_past, also_present = past_tense(verb)
        # "i'm not sure i really persuaded him": an action denied in its clause did not happen
        if is_past and (story or not also_present) and not denied_in_clause(words, i):
            out.append((i, j, " ".join(words[i : j + 1])))
    return out


def _narrates(words: Sequence[str]) -> bool:
    """Whether the answer tells of the past: two or more past-tense verbs besides be/have."""
    count = 0
    for w in words:
        if w not in NOT_ACTIONS and past_tense(w) == (True, False):
            count += 1
            if count >= 2:
                return True
    return False


def _result_shapes(words: Sequence[str]) -> list[Hit]:
    """ "by friday", "twenty percent", "three reviews"."""
    out: list[Hit] = []
    for i in range(len(words) - 1):
        w, nxt = words[i], words[i + 1]
        deadline = nxt in BY_WHEN or (
            nxt == "the" and i + 2 < len(words) and words[i + 2] in ("end", "next", "following")
        )
        if w == "by" and deadline:
            out.append((i, i + 1, f"by {nxt}"))
        if (w in NUMBER_WORDS or w.rstrip("%").isdigit()) and nxt in RESULT_UNITS:
            out.append((i, i + 1, f"{w} {nxt}"))
    return out


OTHERS = word_set("he she they it everyone everything")
"""Subjects of a consequence: what others did, or what became of things, after the action."""
NOT_CONSEQUENCES = NOT_ACTIONS | word_set("said asked told called rang came went")
"""Past verbs that tell more of the story rather than how it ended."""
PASSIVE = word_set("was were got")


NOUN_LEADS = word_set("the my our his her their this that")
"""Before a noun, these start a subject other than the speaker ("the dad brought us a cake")."""


def _subject_end(words: Sequence[str], i: int) -> int | None:
    """Index of the last word of a subject starting at ``i`` that is not the speaker:
    a pronoun ("she"), or a determiner and one or two words ("the record", "our area
    manager"); None when no such subject starts there."""
    if words[i] in OTHERS:
        return i
    if words[i] not in NOUN_LEADS:
        return None
    for j in (i + 1, i + 2):
        if j + 1 < len(words) and words[j] not in FUNCTION_WORDS:
            nxt = words[j + 1]
            if nxt in PASSIVE or (nxt not in FUNCTION_WORDS and past_tense(nxt)[0]):
                return j
    return None


def _consequence_shapes(words: Sequence[str]) -> list[Hit]:
    """ "she refunded them", "the record was corrected", "the dad brought us a cake":
    how things turned out."""
    out: list[Hit] = []
    n = len(words)
    for i in range(n):
        end = _subject_end(words, i)
        if end is None:
            continue
        j = end + 1
        while j < n and j - end <= 2 and words[j] in BETWEEN_SUBJECT_AND_VERB:
            j += 1
        if j >= n:
            continue
        verb = words[j]
        if verb in PASSIVE and j + 1 < n and _participle(words[j + 1]):
            out.append((i, j + 1, " ".join(words[i : j + 2])))
        elif verb not in NOT_CONSEQUENCES and past_tense(verb) == (True, False):
            out.append((i, j, " ".join(words[i : j + 1])))
    return out


@lru_cache(maxsize=8192)
def _participle(word: str) -> bool:
    """ "corrected", "fixed", "sorted": a past participle (after "was", a passive outcome)."""
    if not word.isalpha() or len(word) < 3:
        return False
    from lemminflect import getAllInflections, getAllLemmas

    for lemma in getAllLemmas(word).get("VERB", ()):
        forms = getAllInflections(lemma, upos="VERB")
        # the tables leave out a participle that is spelled as the past ("corrected")
        if word in (forms.get("VBN") or forms.get("VBD", ())):
            return True
    return False


def _last_consequence(consequences: Sequence[Hit], action: Hit) -> Hit | None:
    """The story's last consequence, if it comes after the first action."""
    after = [h for h in consequences if h[0] > action[1]]
    return max(after, key=lambda h: h[0]) if after else None


def _first(hits: Sequence[Hit], after: int = 0) -> Hit | None:
    found = [h for h in hits if h[0] >= after]
    return min(found, key=lambda h: (h[0], -h[1])) if found else None


def _part(name: str, tokens: Sequence[Token], hit: Hit | None) -> StarPart:
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


def _time_split(tokens: Sequence[Token], marks: Sequence[tuple[int, str]]) -> dict[str, PartTime]:
    """Each word belongs to the part whose marker came last before it; time from word to word."""
    if not tokens:
        return {}
    seconds = dict.fromkeys((*PARTS, "other"), 0.0)
    ordered = sorted(marks)
    current, m = "other", 0
    for i, token in enumerate(tokens):
        while m < len(ordered) and ordered[m][0] <= i:
            current = ordered[m][1]
            m += 1
        end = tokens[i + 1].start if i + 1 < len(tokens) else token.end
        seconds[current] += max(0.0, end - token.start)
    total = sum(seconds.values())
    return {name: PartTime(s, s / total if total > 0 else 0.0) for name, s in seconds.items()}


def find_star(tokens: Sequence[Token], index: StemIndex, fillers: frozenset[int]) -> Star:
    """Find each part by its shape; the result is looked for after the first action.

    Without a story (no situation and no past-tense action) nothing is found:
    a generic answer shows no part. Looking for the result after the action
    avoids taking an early "i learned about the product" as the outcome; if
    nothing follows the action, the earliest result anywhere is used and the
    order check says so.
    """
    words = index.words
    situations = _phrase_hits(index, SITUATION_PHRASES, fillers)
    situations += _situation_shapes(words)
    actions = _action_shapes(words, story=bool(situations) or _narrates(words))
    if actions or situations:
        situations += _place_shapes(words)
    if not actions and not situations:
        return Star(
            StarPart("situation", False),
            StarPart("task", False),
            StarPart("action", False),
            StarPart("result", False),
            time_split=_time_split(tokens, []),
        )
    if situations and not actions:
        actions = _action_shapes(words, story=True)
    tasks = _phrase_hits(index, TASK_PHRASES, fillers) + _task_shapes(words)
    results = _phrase_hits(index, RESULT_PHRASES, fillers) + _result_shapes(words)
    results = [h for h in results if not negated(words, h[0])]  # "i don't know how it ended"
    consequences = [h for h in _consequence_shapes(words) if not negated(words, h[0])]
    situation = _first(situations)
    task = _first(tasks)
    action = _first(actions)
    start = min(h[0] for h in (situation, action) if h is not None)
    from_action = action[1] + 1 if action is not None else start
    result = _first(results, after=from_action)
    if result is None and action is not None:
        result = _first(results) or _last_consequence(consequences, action)
    marks = [(h[0], "situation") for h in situations]
    marks += [(h[0], "task") for h in tasks]
    # an action marker inside a task phrase ("i had to ring") is the task's, not an action
    task_spans = [(h[0], h[1]) for h in tasks]
    marks += [
        (h[0], "action") for h in actions if not any(lo <= h[0] <= hi for lo, hi in task_spans)
    ]
    if result is not None:
        marks += [(h[0], "result") for h in results if h[0] >= result[0]]
    return Star(
        situation=_part("situation", tokens, situation),
        task=_part("task", tokens, task),
        action=_part("action", tokens, action),
        result=_part("result", tokens, result),
        time_split=_time_split(tokens, marks),
    )
