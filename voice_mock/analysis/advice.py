"""Advice for every judgement (why it matters, what to do) and the few things to work on first.

A verdict says how a measure went ("too fast"); people practising the night
before an interview need the next step too. This module writes it once, for
the review screen, the command line's text report and the exports alike:

- `advise` gives one `Advice` (metric, level, text) per judged measure of an
  answer, and its `focus`: the one to three things to work on first, worst
  first, each with a concrete drill.
- `point_hint` and `STAR_STARTERS` are content hints: how a missed key point
  could sound (from the bank's examples, else its cues) and a sentence
  starter for each STAR part.

Everything is judged from levels and numbers with the user's `Thresholds`,
never by matching a verdict's words, so rewording a verdict never changes
the advice. It reads a `SavedReport`, so a report saved before advice existed
is advised when it is shown, by the same rules that wrote the new ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from voice_mock.analysis.saved import Advice, Focus, SavedReport
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.tokens import VOCAL_FILLERS
from voice_mock.analysis.verdicts import Level, Verdict

__all__ = [
    "LABELS",
    "STAR_STARTERS",
    "Advice",
    "Advised",
    "Focus",
    "HintPoint",
    "advise",
    "advised",
    "missed_hints",
    "point_hint",
    "star_hint",
]

MAX_FOCUS = 3
"""At most this many things to work on first: more than three is not a plan for tonight."""

LABELS: dict[str, str] = {
    "speech": "Speech",
    "coverage": "Key points",
    "star": "STAR story",
    "star_time": "Time on actions",
    "length": "Length",
    "fillers": "Filler words",
    "filler_bursts": "Filler bursts",
    "pace": "Pace",
    "pace_over_time": "Pace over the answer",
    "latency": "First word",
    "pauses": "Long pauses",
    "hedges": "Hedges",
    "repetitions": "Restarts",
    "hesitations": "Hesitations",
    "loudness": "Loudness",
    "clipping": "Clipping",
    "trailing_off": "Sentence ends",
    "pitch_variation": "Pitch variation",
    "phone_pace": "Phone pace",
    "phone_dead_air": "Dead air",
    "phone_volume": "Phone volume",
}
"""What each metric is called for people; its order is the order of importance (below)."""

PRIORITY: tuple[str, ...] = tuple(LABELS)
"""Among measures at the same level, the one named first is worked on first: what was
said (key points, the story, its length) before how (fillers, pace, silences), and the
delivery details last."""

FAMILY: dict[str, str] = {
    "filler_bursts": "fillers",
    "hesitations": "fillers",
    "pace_over_time": "pace",
    "phone_pace": "pace",
    "phone_dead_air": "pauses",
    "star_time": "star",
}
"""Measures of one habit: the focus names a habit once (fillers and their bursts are one
thing to practise, not two)."""

HEDGES_GOOD_MAX = 1
"""One "i think" is ordinary speech; from two on, hedges are a habit worth seeing."""
HEDGES_WORK_ON_PER_MIN = 4.0
"""More hedges than this a minute make a whole answer sound unsure."""
REPEATS_GOOD_MAX = 1
"""A single restart ("i i") is normal; more are worth a look."""
REPEATS_WORK_ON_PER_MIN = 3.0
"""More restarts than this a minute sound like starting sentences before knowing them."""
HABIT_WORK_ON_MIN = 3
"""A habit counted per minute (hedges, restarts, hesitations) is a thing to work on only
from this many: two in a short answer make a high rate from very little."""
HESITATIONS_GOOD_MAX = 1
"""One voiced hesitation is nothing to remark on."""
MISSED_NAMED = 3
"""Missed key points named in the advice; the rest are counted (the review lists them all)."""
ACTION_SHARE_LOW = 0.3
"""A story that spends less than this share on what the speaker did undersells them
(coaches suggest about half the answer on the actions)."""

STAR_STARTERS: dict[str, tuple[str, str]] = {
    "situation": (
        "set the scene: when, where, who",
        "Last spring, at the shop where I worked, ...",
    ),
    "task": ("say what you had to achieve", "My job was to ..."),
    "action": ("say what you did yourself, step by step", "So first I ..., then I ..."),
    "result": ("say how it ended, with a number if you can", "In the end ..."),
}
"""For each STAR part: what it does and a sentence starter that makes it."""


class HintPoint(Protocol):
    """What a content hint needs from a bank key point (see `voice_mock.bank.KeyPoint`)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def cues(self) -> tuple[str, ...]: ...
    @property
    def examples(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class Advised:
    """Every judged measure's advice, and the few things to work on first."""

    advice: tuple[Advice, ...]
    focus: tuple[Focus, ...]

    def to_dict(self) -> dict[str, list[dict[str, str]]]:
        """The report JSON's ``advice`` and ``focus`` (docs/contracts.md)."""
        return {
            "advice": [
                {"metric": a.metric, "level": str(a.level), "text": a.text} for a in self.advice
            ],
            "focus": [{"metric": f.metric, "text": f.text} for f in self.focus],
        }

    def went_well(self) -> tuple[Advice, ...]:
        return tuple(a for a in self.advice if a.level == Level.GOOD)

    def to_change(self) -> tuple[Advice, ...]:
        """What is off, worst first."""
        return tuple(a for a in self.advice if a.level in (Level.WATCH, Level.WORK_ON))


@dataclass(frozen=True, slots=True)
class _Rule:
    """One measure's judgement: its advice and, when it is off, a drill to practise."""

    metric: str
    level: Level
    text: str
    drill: str | None = None


# --- small helpers ---------------------------------------------------------------------


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f'"{w}"' for w in words)


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _per_minute(count: int, speaking_s: float | None) -> float:
    return count / speaking_s * 60.0 if speaking_s else 0.0


def _times(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


# --- drills shared with the summaries across answers (`analysis.summary`) ----------------


def filler_drill(top: str) -> str:
    """The drill for a filler habit, naming the filler to replace."""
    return (
        f'Replace "{top}" with a silent pause: practise this answer again and pause where you '
        f"would say {top}."
    )


def pace_drill(*, slow: bool, thresholds: Thresholds) -> str:
    """The drill for a pace off the band, slow or fast."""
    t = thresholds
    aim = f"about {(t.wpm_target_low + t.wpm_target_high) / 2:.0f} words a minute"
    if slow:
        return (
            "Note your three points first, then answer again without stopping between them; "
            f"aim for {aim}."
        )
    return f"Answer again and take one breath at every full stop; aim for {aim}."


PAUSES_DRILL = (
    "Before answering again, say your three points in one sentence each; when you feel "
    "stuck, say the next point out loud instead of going silent."
)


def coverage_drill(first_missed: str | None) -> str:
    """The drill for missed key points, starting with the first one missed."""
    if first_missed is None:
        return "Answer again and make each key point in a sentence of its own."
    return (
        "Before answering again, write one sentence for each point you missed (start with "
        f'"{first_missed}"), then answer and work them in.'
    )


# --- the rules, one per measure -----------------------------------------------------------


def _length(r: SavedReport, v: Verdict, band: tuple[float, float] | None) -> _Rule | None:
    if v.level == Level.NONE or band is None or r.speaking_s is None:
        return None
    low, high = band
    said = f"{r.speaking_s:.0f} s"
    if v.level == Level.GOOD:
        return _Rule("length", v.level, f"{said} of speaking is within the {low:.0f}-{high:.0f} s "
                     "this question asks for.")  # fmt: skip
    if r.speaking_s < low:
        return _Rule(
            "length",
            v.level,
            f"At {said} the answer is shorter than the {low:.0f}-{high:.0f} s this question asks "
            "for: a short answer sounds as if you have little to say. Add a concrete example: "
            "what you did and how it turned out.",
            "Answer again in three beats (your point, one example, the result) and keep going "
            f"until at least {low:.0f} s.",
        )
    return _Rule(
        "length",
        v.level,
        f"At {said} the answer runs past the {low:.0f}-{high:.0f} s asked for: listeners lose "
        "the thread. Make your point in the first sentence, give one example, and stop after "
        "the result.",
        f"Answer again in under {high:.0f} s: your point first, one example, then stop after "
        "the result.",
    )


def _pace(r: SavedReport, v: Verdict, t: Thresholds) -> _Rule | None:
    if v.level == Level.NONE or r.wpm is None:
        return None
    low, high = t.wpm_target_low, t.wpm_target_high
    band = f"{low:.0f}-{high:.0f}"
    if v.level == Level.GOOD:
        return _Rule("pace", v.level, f"{r.wpm:.0f} words a minute is in the conversational "
                     f"{band} band: easy to follow.")  # fmt: skip
    if r.wpm < low:
        return _Rule(
            "pace",
            v.level,
            f"{r.wpm:.0f} words a minute is slower than the conversational {band}: a slow answer "
            "can sound unsure, or drag. Know your next point before you start the sentence, and "
            "keep sentences short.",
            pace_drill(slow=True, thresholds=t),
        )
    return _Rule(
        "pace",
        v.level,
        f"{r.wpm:.0f} words a minute is faster than the conversational {band}: a rushed answer "
        "sounds nervous and is hard to follow. Pause for a breath after each sentence.",
        pace_drill(slow=False, thresholds=t),
    )


def _pace_over_time(r: SavedReport, t: Thresholds) -> _Rule | None:
    windows = r.pace_windows
    if len(windows) < 2:
        return None
    fast = max(windows, key=lambda w: w.wpm)
    slow = min(windows, key=lambda w: w.wpm)
    if fast.wpm > t.wpm_high and fast.wpm - t.wpm_high >= t.wpm_low - slow.wpm:
        return _Rule(
            "pace_over_time",
            Level.WATCH,
            f"You sped up to {fast.wpm:.0f} words a minute at {_clock(fast.start)}: a rush there "
            "hides what you said. Slow down most where the answer matters: your actions and "
            "the result.",
            f"Replay the answer from {_clock(fast.start)} and say that part again at the pace "
            "of your opening.",
        )
    if slow.wpm < t.wpm_low:
        return _Rule(
            "pace_over_time",
            Level.WATCH,
            f"You slowed to {slow.wpm:.0f} words a minute at {_clock(slow.start)}: that stretch "
            "sounds stuck. Know the next step of your answer before you reach it.",
            f"Replay the answer from {_clock(slow.start)} and say that part again without "
            "stopping.",
        )
    return _Rule("pace_over_time", Level.GOOD, f"Your pace stayed between {slow.wpm:.0f} and "
                 f"{fast.wpm:.0f} words a minute all through the answer.")  # fmt: skip


def _top_filler(counts: dict[str, int]) -> str:
    """The filler to drill first: the most used; on a tie a sound ("um") before a word
    ("so"), since a sound is the one a silent pause replaces best."""
    if not counts:
        return "um"
    most = max(counts.values())
    tied = [word for word, n in counts.items() if n == most]
    return next((w for w in tied if w in VOCAL_FILLERS), tied[0])


def _fillers(r: SavedReport, v: Verdict, t: Thresholds) -> _Rule | None:
    if v.level == Level.NONE or r.fillers.per_minute is None:
        return None
    total = r.fillers.total or 0
    rate = r.fillers.per_minute
    if v.level == Level.GOOD:
        if total == 0:
            return _Rule("fillers", v.level, "No filler words: you sound fluent and sure.")
        return _Rule("fillers", v.level, f"{_times(total, 'filler')} ({rate:.1f} a minute): "
                     "few enough to go unnoticed.")  # fmt: skip
    top = _top_filler(r.fillers.counts)
    mostly = f', mostly "{top}"' if r.fillers.counts else ""
    return _Rule(
        "fillers",
        v.level,
        f"{_times(total, 'filler')}, {rate:.1f} a minute{mostly}: past "
        f"{t.fillers_fluent_per_min:g} a minute they start to sound unsure, and from "
        f"{t.fillers_hesitant_per_min:g} they distract from what you say. A silent pause sounds "
        f'thoughtful; "{top}" sounds unsure.',
        filler_drill(top),
    )


def _bursts(r: SavedReport) -> _Rule | None:
    if not r.bursts or not r.spoke:
        return None
    moments = [f"{_clock(start)} ({' '.join(words)})" for start, _end, words in r.bursts[:3]]
    first = r.bursts[0][0]
    return _Rule(
        "filler_bursts",
        Level.WATCH,
        f"Fillers came in a burst at {_and(moments)}: that is where you were searching for "
        "words. Decide before you start what you will say at that point.",
        f"Replay the answer from {_clock(first)} and say that part again until it comes out "
        "without fillers.",
    )


def _pauses(r: SavedReport, v: Verdict, t: Thresholds) -> _Rule | None:
    if v.level == Level.NONE:
        return None
    long_count = r.pauses.long_count or 0
    if v.level == Level.GOOD:
        return _Rule("pauses", v.level, f"No silence of {t.long_pause_s:g} s or more: your pauses "
                     "sound like thinking, not being stuck.")  # fmt: skip
    longest = f" (the longest {r.pauses.longest_s:.1f} s)" if r.pauses.longest_s else ""
    return _Rule(
        "pauses",
        v.level,
        f"{_times(long_count, 'long pause')}{longest}: past {t.long_pause_s:g} s a silence "
        "mid-answer sounds as if you lost your thread. A breath between points is good; when "
        'you need longer, say so: "let me think of the best example".',
        PAUSES_DRILL,
    )


def _latency(r: SavedReport, v: Verdict, t: Thresholds) -> _Rule | None:
    if v.level == Level.NONE or r.response_latency_s is None:
        return None
    took = r.response_latency_s
    if v.level == Level.GOOD:
        return _Rule("latency", v.level, f"You started after {took:.1f} s: a natural moment to "
                     "collect your thoughts.")  # fmt: skip
    return _Rule(
        "latency",
        v.level,
        f"You took {took:.1f} s to start: past {t.latency_slow_s:g} s an interviewer starts to "
        "wonder. Think out loud with a bridge: \"That's a good question; one time that comes to "
        'mind is ..."',
        'Answer again and start within two seconds with an opening line: "One example that '
        'comes to mind is ..."',
    )


def _hedges(r: SavedReport) -> _Rule | None:
    if not r.spoke:
        return None
    count = len(r.hedges) or sum(r.hedge_counts.values())
    if count <= HEDGES_GOOD_MAX:
        text = (
            'No hedges ("i think", "maybe"): you sound sure of what you did.'
            if count == 0
            else "Hardly any hedges: you state what you did with confidence."
        )
        return _Rule("hedges", Level.GOOD, text)
    rate = _per_minute(count, r.speaking_s)
    level = Level.WATCH
    if count >= HABIT_WORK_ON_MIN and rate > HEDGES_WORK_ON_PER_MIN:
        level = Level.WORK_ON
    top = next(iter(r.hedge_counts), "i think")
    said = ", ".join(f'"{k}" x{n}' for k, n in list(r.hedge_counts.items())[:3])
    return _Rule(
        "hedges",
        level,
        f"{count} hedges ({said}): they make your own experience sound uncertain. Say what you "
        'did as a fact: "I called the warehouse", not "I think I called".',
        f'Answer again and replace each "{top}" with a plain statement of what you did.',
    )


def _repetitions(r: SavedReport) -> _Rule | None:
    if not r.spoke:
        return None
    count = len(r.repetitions)
    if count <= REPEATS_GOOD_MAX:
        return _Rule("repetitions", Level.GOOD, "No habit of restarting words: your sentences "
                     "start cleanly.")  # fmt: skip
    rate = _per_minute(count, r.speaking_s)
    level = Level.WATCH
    if count >= HABIT_WORK_ON_MIN and rate > REPEATS_WORK_ON_PER_MIN:
        level = Level.WORK_ON
    shown = ", ".join(f'"{m.text} {m.text}" at {_clock(m.start)}' for m in r.repetitions[:2])
    return _Rule(
        "repetitions",
        level,
        f"You restarted words {count} times ({shown}): a word said twice comes from starting a "
        "sentence before you know it. Take a breath, then say the sentence once.",
        "Answer again and start each sentence only once you know its first few words.",
    )


def _hesitations(r: SavedReport, t: Thresholds) -> _Rule | None:
    if r.delivery is None or not r.spoke:
        return None
    spans = r.delivery.hesitations
    rate = _per_minute(len(spans), r.speaking_s)
    # judged like fillers: a drawn-out "mmm" the recogniser did not write is one
    if len(spans) <= HESITATIONS_GOOD_MAX or rate <= t.fillers_fluent_per_min:
        return _Rule("hesitations", Level.GOOD, "Hardly any voiced hesitations (a drawn-out "
                     '"mmm" with no word): you pause silently.')  # fmt: skip
    level = Level.WATCH
    if len(spans) >= HABIT_WORK_ON_MIN and rate >= t.fillers_hesitant_per_min:
        level = Level.WORK_ON
    total = sum(g.duration for g in spans)
    return _Rule(
        "hesitations",
        level,
        f"{_times(len(spans), 'stretch', 'stretches')} of voice without words ({total:.1f} s in "
        f'all, {rate:.1f} a minute): drawn-out "mmm"s and false starts sound like fillers. '
        "Close your mouth and pause silently instead.",
        'Answer again and, whenever you feel a "mmm" coming, close your mouth and breathe in.',
    )


def _loudness(r: SavedReport, v: Verdict | None, t: Thresholds) -> _Rule | None:
    if v is None or v.level == Level.NONE or r.delivery is None:
        return None
    db = r.delivery.loudness.value
    if db is None:
        return None
    if v.level == Level.GOOD:
        return _Rule("loudness", v.level, f"At {db:.0f} dBFS your voice is loud enough to hear "
                     "clearly.")  # fmt: skip
    return _Rule(
        "loudness",
        v.level,
        f"At {db:.0f} dBFS your voice is "
        + ("hard to hear" if v.level == Level.WORK_ON else "on the quiet side")
        + f" (below {t.quiet_dbfs:g} dBFS is hard to hear). Move closer to the microphone or "
        "speak up, as if to someone across a table.",
        "Answer again as if to someone at the far side of the room, and watch the level meter "
        "move well up while you speak.",
    )


def _trailing(r: SavedReport, v: Verdict | None, t: Thresholds) -> _Rule | None:
    if v is None or v.level == Level.NONE or r.delivery is None:
        return None
    if v.level == Level.GOOD:
        return _Rule("trailing_off", v.level, "Your sentence ends stay up: the last words carry.")
    share = r.delivery.trailing.value
    often = f"in {share:.0%} of your stretches of speech" if share is not None else "often"
    return _Rule(
        "trailing_off",
        v.level,
        f"Your voice fades by {t.trailing_off_db:g} dB or more at the end {often}: the last "
        "words, often the point, get lost. Keep your voice up to the final word and breathe "
        "before the sentence, not during its end.",
        "Answer again and say the last word of each sentence as clearly as the first.",
    )


def _clipping(r: SavedReport, v: Verdict | None) -> _Rule | None:
    if v is None or v.level == Level.NONE or r.delivery is None:
        return None
    if v.level == Level.GOOD:
        return _Rule("clipping", v.level, "The recording never distorted.")
    ratio = r.delivery.clipping.value
    share = f"{ratio:.2%} of the samples hit" if ratio is not None else "The signal hit"
    return _Rule(
        "clipping",
        v.level,
        f"{share} the ceiling, so the recording distorts and words blur. Lower the input gain "
        "or sit a little further from the microphone.",
        "Lower the microphone gain in the system's sound settings, then record one test "
        "sentence and play it back.",
    )


def _pitch(r: SavedReport, v: Verdict | None, t: Thresholds) -> _Rule | None:
    if v is None or v.level == Level.NONE or r.delivery is None:
        return None
    st = r.delivery.pitch.value
    if st is None:
        return None
    if v.level == Level.GOOD:
        return _Rule("pitch_variation", v.level, f"Your pitch moves {st:.1f} semitones: you sound "
                     "engaged.")  # fmt: skip
    return _Rule(
        "pitch_variation",
        v.level,
        f"Your pitch moves only {st:.1f} semitones (under {t.monotone_semitones:g} sounds flat): "
        "a flat voice sounds bored even when you are not. Stress the key word of each sentence "
        "and let your voice rise and fall.",
        "Answer again and stress one word in each sentence: the number, the name, the result.",
    )


def _coverage(r: SavedReport, v: Verdict | None) -> _Rule | None:
    coverage = r.coverage
    if v is None or v.level == Level.NONE or coverage.ratio is None:
        return None
    made, missed = len(coverage.covered), [m.label for m in coverage.missed]
    total = made + len(missed)
    named = "; ".join(missed[:MISSED_NAMED])
    if len(missed) > MISSED_NAMED:
        named += f"; and {len(missed) - MISSED_NAMED} more"
    if coverage.reads_as_list:
        return _Rule(
            "coverage",
            Level.WORK_ON,
            "The answer reads as a list of words, not sentences, so it makes none of the key "
            "points. Say each point as a full sentence: what you do, and why.",
            'Answer again in full sentences, one per point, each starting with "I".',
        )
    if coverage.no_story:
        return _Rule(
            "coverage",
            Level.WORK_ON,
            "No story was told: this question asks for one real moment. Start with when and "
            'where ("Last spring, at the shop, ..."), then what you did and how it ended.',
            "Answer again with one real story: when and where, what you had to do, what you "
            "did, how it ended.",
        )
    if v.level == Level.GOOD:
        rest = f" Not heard: {named}." if missed else ""
        return _Rule("coverage", v.level, f"You made {made} of {total} key points.{rest}")
    return _Rule(
        "coverage",
        v.level,
        f"You made {made} of {total} key points; not heard: {named}. These are what an "
        "interviewer listens for: work one sentence for each into the answer.",
        coverage_drill(missed[0] if missed else None),
    )


def _star(r: SavedReport, v: Verdict | None) -> _Rule | None:
    star = r.star
    if star is None or v is None or v.level == Level.NONE:
        return None
    missing = [p.name for p in star.parts if not p.present]
    if not missing and star.in_order:
        return _Rule("star", Level.GOOD, "Your story has all four STAR parts, in order.")
    if not missing:
        return _Rule(
            "star",
            v.level,
            "All four STAR parts are there but out of order: tell it as situation, task, "
            "action, result, so the listener can follow.",
            "Answer again and open each part with its starter, in order: "
            + "; ".join(f'"{STAR_STARTERS[p][1]}"' for p in STAR_STARTERS)
            + ".",
        )
    says = [f'{STAR_STARTERS[p][0]} ("{STAR_STARTERS[p][1]}")' for p in missing]
    return _Rule(
        "star",
        v.level,
        f"The story has no {_and(missing)}. To make "
        + ("it" if len(missing) == 1 else "them")
        + f", {_and(says)}.",
        "Answer again and open the missing "
        + ("part" if len(missing) == 1 else "parts")
        + " with "
        + _and([f'"{STAR_STARTERS[p][1]}"' for p in missing])
        + ".",
    )


def _star_time(r: SavedReport) -> _Rule | None:
    star = r.star
    if star is None:
        return None
    action = next((p for p in star.parts if p.name == "action"), None)
    if action is None or not action.present or action.share is None:
        return None
    if action.share >= ACTION_SHARE_LOW:
        return _Rule("star_time", Level.GOOD, f"{action.share:.0%} of the story is on what you "
                     "did: the part an interviewer hires for.")  # fmt: skip
    return _Rule(
        "star_time",
        Level.WATCH,
        f"Only {action.share:.0%} of the story is on what you did: the actions are what an "
        "interviewer hires for. Spend about half the answer on them and keep the scene short.",
        "Answer again with the scene in two sentences, then at least three things you did, "
        'each starting with "I".',
    )


def _phone(r: SavedReport, verdicts: dict[str, Verdict], t: Thresholds) -> list[_Rule]:
    phone = r.phone
    if phone is None or not r.spoke:
        return []
    out: list[_Rule] = []
    pace = verdicts.get("phone_pace")
    if pace is not None and pace.level != Level.NONE and phone.wpm is not None:
        low, high = phone.band or (t.phone_wpm_low, t.phone_wpm_high)
        if pace.level == Level.GOOD:
            out.append(_Rule("phone_pace", pace.level, f"On the phone, {phone.wpm:.0f} words a "
                             f"minute is in the {low:.0f}-{high:.0f} band."))  # fmt: skip
        elif phone.wpm > high:
            out.append(_Rule(
                "phone_pace", pace.level,
                f"{phone.wpm:.0f} words a minute is fast for a phone line ({low:.0f}-{high:.0f}):"
                " phone lines cut the high frequencies, so fast speech blurs. Slow down.",
                f"Answer again with the phone filter on and aim for {high - 10:.0f} words a "
                "minute; play it back (f, then p) to hear how it comes across.",
            ))  # fmt: skip
        else:
            out.append(_Rule(
                "phone_pace", pace.level,
                f"{phone.wpm:.0f} words a minute is slow for the phone ({low:.0f}-{high:.0f}): "
                "without a face to watch, slow speech drags. Pick up the pace a little.",
                "Answer again a little faster, with short sentences and no gaps between them.",
            ))  # fmt: skip
    dead = len(phone.dead_air)
    if dead == 0:
        out.append(_Rule("phone_dead_air", Level.GOOD, "No dead air: the line never went silent "
                         "long enough to sound dropped."))  # fmt: skip
    else:
        out.append(_Rule(
            "phone_dead_air", Level.WORK_ON if dead > 1 else Level.WATCH,
            f"{_times(dead, 'stretch', 'stretches')} of dead air ({t.phone_dead_air_s:g} s or "
            "more): on the phone silence sounds like a dropped call. Say \"let me think about "
            'that for a second" instead.',
            'Answer again and, whenever you need time, say "let me think about that for a '
            'second" out loud.',
        ))  # fmt: skip
    volume = verdicts.get("phone_volume")
    if volume is not None and volume.level != Level.NONE:
        if volume.level == Level.GOOD:
            out.append(_Rule("phone_volume", volume.level, "Your volume stays steady from "
                             "sentence to sentence."))  # fmt: skip
        else:
            out.append(_Rule(
                "phone_volume", volume.level,
                "Your volume jumps between sentences: on a phone line that sounds like the call "
                "is breaking up. Keep the same distance from the microphone.",
                "Answer again holding the phone (or the headset) in one place the whole time.",
            ))  # fmt: skip
    return out


# --- putting it together -------------------------------------------------------------


def _rules(report: SavedReport, t: Thresholds, target: tuple[float, float] | None) -> list[_Rule]:
    verdicts = report.verdicts(t, target)
    if not report.spoke:
        return [
            _Rule(
                "speech",
                Level.WORK_ON,
                "No words were heard in this answer: check that the right microphone is chosen "
                "in Settings and that the level meter moves while you speak.",
                "Say one test sentence, play it back to check the microphone, then answer again.",
            )
        ]

    def verdict(key: str) -> Verdict:
        return verdicts.get(key) or Verdict(Level.NONE, "")

    band = target or report.target_s
    found: list[_Rule | None] = [
        _coverage(report, verdicts.get("coverage")),
        _star(report, verdicts.get("star")),
        _star_time(report),
        _length(report, verdict("length"), band),
        _fillers(report, verdict("fillers"), t),
        _bursts(report),
        _pace(report, verdict("pace"), t),
        _pace_over_time(report, t),
        _latency(report, verdict("latency"), t),
        _pauses(report, verdict("pauses"), t),
        _hedges(report),
        _repetitions(report),
        _hesitations(report, t),
        _loudness(report, verdicts.get("loudness"), t),
        _clipping(report, verdicts.get("clipping")),
        _trailing(report, verdicts.get("trailing_off"), t),
        _pitch(report, verdicts.get("pitch_variation"), t),
        *_phone(report, verdicts, t),
    ]
    return [rule for rule in found if rule is not None]


def _order(metric: str) -> int:
    return PRIORITY.index(metric) if metric in PRIORITY else len(PRIORITY)


def advise(
    report: SavedReport, thresholds: Thresholds, target: tuple[float, float] | None = None
) -> Advised:
    """Advice for every judged measure of `report`, and the one to three things to work on first.

    `target` is the question's answer length when known (else the report's own).
    The advice is listed worst first, then in `PRIORITY` order; the focus takes
    the worst of each habit (`FAMILY`), at most `MAX_FOCUS`, each with its drill.
    """
    rules = sorted(
        _rules(report, thresholds, target), key=lambda r: (-r.level.rank, _order(r.metric))
    )
    focus: list[Focus] = []
    habits: set[str] = set()
    for rule in rules:
        if rule.level not in (Level.WATCH, Level.WORK_ON) or rule.drill is None:
            continue
        habit = FAMILY.get(rule.metric, rule.metric)
        if habit in habits:
            continue
        habits.add(habit)
        focus.append(Focus(rule.metric, rule.drill))
        if len(focus) == MAX_FOCUS:
            break
    return Advised(
        advice=tuple(Advice(r.metric, r.level, r.text) for r in rules),
        focus=tuple(focus),
    )


def advised(
    report: SavedReport, thresholds: Thresholds, target: tuple[float, float] | None = None
) -> Advised:
    """The report's own advice when it was saved with some, else `advise` on its numbers.

    A report from before advice existed (or written by another tool) is advised
    when it is shown, by the same rules that advise a new one.
    """
    if report.advice:
        return Advised(report.advice, report.focus)
    return advise(report, thresholds, target)


def point_hint(point: HintPoint) -> str | None:
    """How a missed key point could sound: the bank's first example, else its cue phrases."""
    for example in point.examples:
        if example.strip():
            return f'e.g. "{example.strip()}"'
    cues = [c for c in point.cues if c.strip()][:3]
    if cues:
        return f"say it in words like {_quoted(cues)}"
    return None


def missed_hints(report: SavedReport, points: Sequence[HintPoint]) -> dict[str, str]:
    """A hint for each key point the answer missed, by point id (points the bank lacks: none)."""
    by_id = {p.id: p for p in points}
    out: dict[str, str] = {}
    for missed in report.coverage.missed:
        point = by_id.get(missed.id)
        hint = point_hint(point) if point is not None else None
        if hint is not None:
            out[missed.id] = hint
    return out


def star_hint(part: str) -> str | None:
    """What a missing STAR part does and a sentence starter for it ("My job was to ...")."""
    found = STAR_STARTERS.get(part)
    return None if found is None else f'{found[0]}: "{found[1]}"'
