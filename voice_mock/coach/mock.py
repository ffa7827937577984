"""Mock interviews as a whole: the interviewer's lines, follow-ups, and the saved scorecard.

A mock interview is N questions asked in a row, like a real interview. It is
saved as one unit (`Store.create_mock`): every answer names it, and the
interviewer's follow-up to an answer is an answer of its own that names the
one it follows. Both fronts run it through `MockInterview` (the app one
question at a time from its screen, the command line in a loop), so the
interviewer behaves the same in both.

The interviewer opens and closes the interview with a short spoken line and
may ask one follow-up after an answer (`choose_follow_up`): an answer that
leaves out part of its story is asked about that part, as a real interviewer
would ("And how did that turn out?" for a missing Result); otherwise a share
of the answers get one of the question's own follow-ups from the bank,
spread evenly through the interview. The choice is deterministic for a given
mock (its random picks are seeded by the mock's id), so a test, or a user
reading the scorecard later, sees why each follow-up was asked.

`scorecard` rebuilds the result from what was saved, so it can be reopened
and exported on any later day: per question the answer's length, pace,
fillers, key points and STAR parts with their verdicts, its follow-up, and
overall the totals, the share of good measures and the weakest habits.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from voice_mock.analysis.saved import STAR_PARTS, SavedReport
from voice_mock.analysis.summary import weakest_habits
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.verdicts import Level, Verdict
from voice_mock.config import PracticeSettings
from voice_mock.errors import UserError
from voice_mock.speech.tts import TtsUnavailable
from voice_mock.store import MockQuestion, MockRecord, SessionRecord

if TYPE_CHECKING:
    from voice_mock.bank import Question
    from voice_mock.coach.coach import Coach, Export, ExportFormat
    from voice_mock.coach.turn import BasicTurnListener, PracticeTurn, TurnListener

FollowUpReason = Literal["story", "situation", "action", "result", "bank"]

STAR_PROMPTS: dict[str, str] = {
    "story": "Can you give me one specific example: a time it happened, and what you did?",
    "result": "And how did that turn out?",
    "action": "What did you do yourself, step by step?",
    "situation": "Can you set the scene a little: where were you, and what was at stake?",
}
"""What the interviewer asks when a story leaves out a part, most important first: no story
at all, then the Result, the Action, the Situation (or Task)."""

SCORED_MEASURES = ("length", "pace", "fillers", "coverage")
"""The verdicts the overall score counts: one per measure a scorecard column shows."""


def opening_line(count: int, *, phone: bool = False) -> str:
    """What the interviewer says before the first question."""
    questions = "one question" if count == 1 else f"{count} questions"
    if phone:
        return f"Hi, thanks for taking my call. I have {questions} for you. Let's get started."
    return f"Hello, and thank you for coming in today. I have {questions} for you. Let's begin."


def closing_line(*, phone: bool = False) -> str:
    """What the interviewer says after the last answer."""
    if phone:
        return "That's all from me. Thanks for your time on the call; we'll be in touch soon."
    return "That's all my questions. Thank you for your time today; we'll be in touch."


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One follow-up question and why the interviewer asks it."""

    text: str
    reason: FollowUpReason
    """``bank``: one of the question's own follow-ups; else the STAR part that was missing
    (``story``: no story was told at all)."""


def _missing_part(report: SavedReport) -> FollowUpReason | None:
    star = report.star
    if star is None:
        return None
    present = {part.name for part in star.parts if part.present}
    if report.coverage.no_story or not present:
        return "story"
    if "result" not in present:
        return "result"
    if "action" not in present:
        return "action"
    if "situation" not in present and "task" not in present:
        return "situation"
    return None


def takes_bank_follow_up(position: int, share: float) -> bool:
    """Whether the answer at `position` (0 for the first) gets a bank follow-up.

    `share` of the answers do, spread evenly (a half: the 2nd, the 4th, ...),
    rather than by chance, so a two-question mock with a half gets exactly one.
    """
    if share <= 0:
        return False
    return math.floor((position + 1) * share + 1e-9) > math.floor(position * share + 1e-9)


def choose_follow_up(
    question: Question,
    report: SavedReport | None,
    *,
    position: int,
    settings: PracticeSettings,
    seed: str = "",
) -> FollowUp | None:
    """The interviewer's one follow-up to an answer, or None; see the module docstring.

    No report (skipped, not transcribed) or no words: nothing to follow up on.
    """
    if not settings.follow_ups or report is None or not report.spoke:
        return None
    missing = _missing_part(report) if question.star else None
    if missing is not None:
        return FollowUp(STAR_PROMPTS[missing], missing)
    if question.follow_ups and takes_bank_follow_up(position, settings.follow_up_share):
        rng = random.Random(f"{seed}/{position}/{question.qualified_id}")
        return FollowUp(rng.choice(list(question.follow_ups)), "bank")
    return None


def mixed_questions(
    questions: Sequence[Question], count: int, counts: dict[str, int], *, seed: Any = None
) -> list[Question]:
    """`count` questions of mixed categories: one from each in turn, least practised first.

    Within a category ties are broken at random (`seed`), so two mocks in a row differ.
    """
    rng = random.Random(seed)
    by_category: dict[str, list[Question]] = {}
    for question in questions:
        by_category.setdefault(question.category, []).append(question)
    queues = []
    for pool in by_category.values():
        shuffled = list(pool)
        rng.shuffle(shuffled)
        shuffled.sort(key=lambda q: counts.get(q.qualified_id, 0))
        queues.append(shuffled)
    rng.shuffle(queues)
    chosen: list[Question] = []
    while len(chosen) < count and any(queues):
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop(0))
    return chosen


class MockInterview:
    """A mock interview being run: its saved unit, its questions, the interviewer's lines.

    Made by `Coach.start_mock`. The front asks for each question's turn in
    order, then for the follow-up (if any), and calls `finish` at the end or
    when the user leaves.
    """

    def __init__(self, coach: Coach, record: MockRecord, questions: Sequence[Question]) -> None:
        self.coach = coach
        self.record = record
        self.questions = list(questions)
        self.phone = record.phone
        self.answered: list[str] = []
        """Sessions saved so far (answers and follow-ups)."""

    @property
    def id(self) -> str:
        return self.record.id

    def opening(self) -> str:
        return opening_line(len(self.questions), phone=self.phone)

    def closing(self) -> str:
        return closing_line(phone=self.phone)

    def turn(
        self,
        position: int,
        *,
        listener: TurnListener | BasicTurnListener | None = None,
        model_path: Path | None = None,
    ) -> PracticeTurn:
        """The turn of question `position` (0 for the first, which opens the interview)."""
        return self.coach.mock_turn(
            self.questions[position],
            phone=self.phone,
            listener=listener,
            model_path=model_path,
            intro=self.opening() if position == 0 else None,
            mock_id=self.id,
        )

    def follow_up(self, position: int, session_id: str | None) -> FollowUp | None:
        """The follow-up to the answer saved as `session_id`, if the interviewer asks one."""
        if session_id is None:
            return None
        try:
            record = self.coach.store.get(session_id)
            report = self.coach.saved_report(record) if record.status == "done" else None
        except UserError:
            return None
        return choose_follow_up(
            self.questions[position],
            report,
            position=position,
            settings=self.coach.settings.practice,
            seed=self.id,
        )

    def follow_up_turn(
        self,
        follow_up: FollowUp,
        parent_session_id: str,
        *,
        listener: TurnListener | BasicTurnListener | None = None,
        model_path: Path | None = None,
    ) -> PracticeTurn:
        """The turn that asks `follow_up` and records its answer, tied to the parent answer."""
        return self.coach.mock_turn(
            None,
            phone=self.phone,
            listener=listener,
            model_path=model_path,
            prompt=follow_up.text,
            mock_id=self.id,
            follow_up_of=parent_session_id,
        )

    def saved(self, session_id: str | None) -> None:
        """Note an answer saved in this interview (the unit is kept once it holds one)."""
        if session_id is not None:
            self.answered.append(session_id)

    def say(self, text: str) -> None:
        """Say one of the interviewer's lines (blocking); silence when no voice can speak."""
        with contextlib.suppress(TtsUnavailable, UserError):
            self.coach.speaker().speaker.say(text, phone=self.phone)

    def stop_speaking(self) -> None:
        self.coach.speaker().speaker.stop()

    def finish(self, *, completed: bool) -> MockRecord | None:
        """Close the unit: ``done``, or ``left`` part-way; one left before any answer goes.

        A failure to write is said as a sentence by the store; the answers are safe anyway.
        """
        store = self.coach.store
        if not completed and not store.count(mock_id=self.id):
            store.discard_mock(self.id)
            return None
        self.record = store.finish_mock(self.id, "done" if completed else "left")
        return self.record


# --- the scorecard ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scored:
    """One saved answer on the scorecard, with its report and verdicts."""

    record: SessionRecord
    report: SavedReport | None
    verdicts: dict[str, Verdict] = field(default_factory=dict)

    @property
    def analysed(self) -> bool:
        return self.report is not None

    def verdict_line(self) -> str:
        """The measures that need work, or "good"; why there are none when not analysed."""
        if self.report is None:
            return "not analysed" if self.record.status != "done" else "no report"
        bad = [
            self.verdicts[key].text
            for key in SCORED_MEASURES
            if key in self.verdicts and not self.verdicts[key].ok
        ]
        return ", ".join(bad) if bad else "good"


@dataclass(frozen=True, slots=True)
class ScoredQuestion:
    """One question of the interview: its answer and the follow-up asked after it."""

    item: MockQuestion
    question: Question | None
    """The bank question, when its bank is loaded."""
    answer: Scored | None
    """None when the question was never answered (skipped before recording, or left)."""
    follow_up: Scored | None = None

    @property
    def star(self) -> str | None:
        """The STAR parts told, as letters ("S T A -"); None for a question without STAR."""
        if self.answer is None or self.answer.report is None or self.answer.report.star is None:
            return None
        present = {p.name for p in self.answer.report.star.parts if p.present}
        return " ".join(name[0].upper() if name in present else "-" for name in STAR_PARTS)

    @property
    def star_complete(self) -> bool | None:
        star = self.star
        return None if star is None else "-" not in star


@dataclass(frozen=True, slots=True)
class Overall:
    """The whole interview in a few numbers."""

    asked: int
    answered: int
    analysed: int
    follow_ups: int
    speaking_s: float | None
    wpm: float | None
    fillers_per_min: float | None
    coverage_ratio: float | None
    star_complete: int
    star_questions: int
    good_measures: int
    judged_measures: int

    @property
    def score(self) -> float | None:
        """Share of judged measures (length, pace, fillers, key points) that were good."""
        return self.good_measures / self.judged_measures if self.judged_measures else None


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A saved mock interview's result, per question and overall."""

    mock: MockRecord
    questions: tuple[ScoredQuestion, ...]
    overall: Overall
    habits: tuple[str, ...]
    """The weakest habits as sentences, worst first (`analysis.summary.weakest_habits`)."""
    extra: tuple[Scored, ...] = ()
    """Answers that name the interview but no question of it (their question was deleted)."""

    def answers(self) -> list[SessionRecord]:
        """Every saved answer, in interview order (answer, then its follow-up)."""
        out: list[SessionRecord] = []
        for item in self.questions:
            for scored in (item.answer, item.follow_up):
                if scored is not None:
                    out.append(scored.record)
        out.extend(scored.record for scored in self.extra)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The scorecard as JSON: the plan, per question numbers and verdicts, the totals."""

        def scored(item: Scored | None) -> dict[str, Any] | None:
            if item is None:
                return None
            return {
                "session_id": item.record.id,
                "question_text": item.record.question_text,
                "status": item.record.status,
                "duration_s": item.record.duration_s,
                "wpm": item.record.wpm,
                "fillers_per_min": item.record.fillers_per_min,
                "coverage_ratio": item.record.coverage_ratio,
                "verdicts": {k: v.to_dict() for k, v in item.verdicts.items()},
            }

        o = self.overall
        return {
            "mock": self.mock.to_dict(),
            "questions": [
                {
                    **q.item.to_dict(),
                    "star": q.star,
                    "answer": scored(q.answer),
                    "follow_up": scored(q.follow_up),
                }
                for q in self.questions
            ],
            "overall": {
                "asked": o.asked,
                "answered": o.answered,
                "analysed": o.analysed,
                "follow_ups": o.follow_ups,
                "speaking_s": o.speaking_s,
                "wpm": o.wpm,
                "fillers_per_min": o.fillers_per_min,
                "coverage_ratio": o.coverage_ratio,
                "star_complete": o.star_complete,
                "star_questions": o.star_questions,
                "good_measures": o.good_measures,
                "judged_measures": o.judged_measures,
                "score": o.score,
            },
            "habits": list(self.habits),
            "extra": [scored(item) for item in self.extra],
        }


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def build_scorecard(coach: Coach, mock_id: str) -> Scorecard:
    """The scorecard of a saved mock interview, from its unit and its answers' reports."""
    mock = coach.store.mock(mock_id)
    thresholds = coach.settings.thresholds
    sessions = coach.store.mock_sessions(mock.id)
    answers = [s for s in sessions if s.follow_up_of is None]
    follow_ups: dict[str, SessionRecord] = {}
    for record in sessions:
        if record.follow_up_of is not None:
            follow_ups[record.follow_up_of] = record  # the latest, were there several

    def score(record: SessionRecord, target: tuple[float, float] | None) -> Scored:
        report = None
        if record.status == "done":
            try:
                report = coach.saved_report(record)
            except UserError:
                report = None
        verdicts = report.verdicts(thresholds, target) if report is not None else {}
        return Scored(record, report, verdicts)

    used: set[str] = set()
    scored_questions: list[ScoredQuestion] = []
    for item in mock.questions:
        ref = item.qualified_question_id
        question = coach.question_for(ref)
        matches = [
            s
            for s in answers
            if s.id not in used
            and (s.qualified_question_id == ref if ref else s.question_text == item.text)
        ]
        target = question.target_seconds if question is not None else None
        answer = score(matches[-1], target) if matches else None
        follow = None
        if answer is not None:
            used.add(answer.record.id)
            parent = follow_ups.pop(answer.record.id, None)
            follow = score(parent, None) if parent is not None else None
        scored_questions.append(ScoredQuestion(item, question, answer, follow))
    extra = [score(s, None) for s in answers if s.id not in used]
    extra += [score(s, None) for s in follow_ups.values()]

    every = [
        scored for q in scored_questions for scored in (q.answer, q.follow_up) if scored is not None
    ] + extra
    reports = [s.report for s in every if s.report is not None]
    main = [q.answer for q in scored_questions if q.answer is not None]
    star = [q.star_complete for q in scored_questions if q.star_complete is not None]
    judged = [
        s.verdicts[key]
        for s in main
        for key in SCORED_MEASURES
        if key in s.verdicts and s.verdicts[key].level != Level.NONE
    ]
    skipped = sum(1 for q in scored_questions if q.answer is not None and not q.answer.analysed)
    speaking = [r.speaking_s if r.speaking_s is not None else r.duration_s for r in reports]
    overall = Overall(
        asked=len(mock.questions),
        answered=len(main),
        analysed=sum(1 for s in main if s.analysed),
        follow_ups=sum(1 for q in scored_questions if q.follow_up is not None),
        speaking_s=sum(v for v in speaking if v is not None) if reports else None,
        wpm=_mean([r.wpm for r in reports if r.wpm]),
        fillers_per_min=_mean([r.fillers.per_minute for r in reports]),
        coverage_ratio=_mean([s.report.coverage.ratio for s in main if s.report is not None]),
        star_complete=sum(1 for ok in star if ok),
        star_questions=len(star),
        good_measures=sum(1 for v in judged if v.level == Level.GOOD),
        judged_measures=len(judged),
    )
    lines = habit_sentences(reports, thresholds, skipped=skipped)
    return Scorecard(mock, tuple(scored_questions), overall, tuple(lines), tuple(extra))


def habit_sentences(
    reports: Sequence[SavedReport], thresholds: Thresholds, *, skipped: int = 0
) -> list[str]:
    """The weakest habits across answers as sentences, worst first, or why there are none."""
    if not reports:
        return ["No answer was analysed, so there is nothing to judge yet."]
    habits = weakest_habits(reports, thresholds, skipped=skipped)
    if not habits:
        return ["No weak habit stood out: pace, fillers, pauses and key points all look good."]
    return [habit.text for habit in habits]


# --- export -------------------------------------------------------------------------------


def scorecard_markdown(card: Scorecard) -> str:
    """The scorecard's summary as Markdown: the totals, one table row per answer, habits."""
    from voice_mock.render.markdown import md
    from voice_mock.render.numbers import clock, number, percent, when, whole

    mock, o = card.mock, card.overall
    kind = "phone screen" if mock.phone else "interview"
    lines = [
        f"# {md(mock.title)}, {when(mock.started_at)}",
        "",
        f"{o.answered} of {o.asked} questions answered ({kind}, "
        f"{'finished' if mock.finished else 'not finished'})"
        f" · {o.follow_ups} follow-up{'' if o.follow_ups == 1 else 's'}"
        f" · {clock(o.speaking_s)} speaking",
        "",
    ]
    score = "-" if o.score is None else f"{o.good_measures} of {o.judged_measures} good"
    star = f"{o.star_complete} of {o.star_questions} complete" if o.star_questions else "-"
    lines += [
        f"**Overall:** measures {score} · pace {whole(o.wpm)} wpm · fillers "
        f"{number(o.fillers_per_min)}/min · key points {percent(o.coverage_ratio)} · STAR {star}",
        "",
        "| # | Question | Length | WPM | Fillers/min | Key points | STAR | Verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(label: str, item: str, scored: Scored | None, star_text: str | None) -> str:
        if scored is None:
            return f"| {label} | {md(item)} | - | - | - | - | - | not answered |"
        r = scored.record
        return (
            f"| {label} | {md(item)} | {clock(r.duration_s)} | {whole(r.wpm)} | "
            f"{number(r.fillers_per_min)} | {percent(r.coverage_ratio)} | {star_text or '-'} | "
            f"{md(scored.verdict_line())} |"
        )

    for q in card.questions:
        lines.append(row(str(q.item.position), q.item.text, q.answer, q.star))
        if q.follow_up is not None:
            text = q.follow_up.record.question_text or "follow-up"
            lines.append(row("", f"↳ {text}", q.follow_up, None))
    for scored in card.extra:
        lines.append(row("", scored.record.question_text or "free answer", scored, None))
    lines += ["", "## Work on first", ""]
    lines += [f"- {md(text)}" for text in card.habits]
    return "\n".join(lines) + "\n"


def scorecard_text(card: Scorecard, width: int = 100) -> str:
    """The scorecard as plain text for a terminal (``voice-mock history --mock ID``)."""
    from voice_mock.render.numbers import clock, number, percent, shorten, when, whole
    from voice_mock.render.safe import visible

    mock, o = card.mock, card.overall
    lines = [
        f"{mock.title}, {when(mock.started_at)} ({mock.id})",
        f"{o.answered} of {o.asked} questions answered"
        + ("" if mock.finished else " (left before the end)")
        + f", {o.follow_ups} follow-up{'' if o.follow_ups == 1 else 's'}"
        + f", {clock(o.speaking_s)} speaking",
    ]
    if o.analysed:
        score = f"{o.good_measures} of {o.judged_measures} measures good; " if o.score else ""
        star = (
            f"; STAR complete {o.star_complete} of {o.star_questions}" if o.star_questions else ""
        )
        lines.append(
            f"Overall: {score}pace {whole(o.wpm)} wpm, fillers {number(o.fillers_per_min)}/min, "
            f"key points {percent(o.coverage_ratio)}{star}"
        )
    question_width = max(20, width - 62)
    lines += [
        "",
        f"{'#':>2}  {'question':<{question_width}} length  wpm fill/m cover  star     verdict",
    ]

    def row(label: str, text: str, scored: Scored | None, star: str | None) -> str:
        shown = shorten(visible(text), question_width)
        if scored is None:
            return f"{label:>2}  {shown:<{question_width}} not answered"
        r = scored.record
        return (
            f"{label:>2}  {shown:<{question_width}} {clock(r.duration_s):>6} {whole(r.wpm):>4} "
            f"{number(r.fillers_per_min):>6} {percent(r.coverage_ratio):>5}  {star or '-':<8} "
            f"{visible(scored.verdict_line())}"
        )

    for q in card.questions:
        lines.append(row(str(q.item.position), q.item.text, q.answer, q.star))
        if q.follow_up is not None:
            lines.append(row("", f"↳ {q.follow_up.record.question_text or ''}", q.follow_up, None))
    for scored in card.extra:
        lines.append(row("", scored.record.question_text or "free answer", scored, None))
    lines += ["", "Work on first:"] + [f"  - {visible(text)}" for text in card.habits]
    return "\n".join(lines)


def mock_export_text(coach: Coach, mock_id: str, fmt: ExportFormat) -> str:
    """A mock interview as one document: the scorecard, then every answer in full."""
    card = build_scorecard(coach, mock_id)
    records = card.answers()
    if fmt == "json":
        data = {
            "scorecard": card.to_dict(),
            "sessions": [coach.session_json(record) for record in records],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    from voice_mock.render.markdown import session_markdown

    parts = [scorecard_markdown(card)]
    thresholds = coach.settings.thresholds
    for record in records:
        parts.append(session_markdown(coach.session_doc(record), thresholds, level=2))
    return "\n".join(parts)


def export_mock(
    coach: Coach,
    mock_id: str,
    target: Path,
    *,
    fmt: ExportFormat | None = None,
    overwrite: bool = False,
) -> Export:
    """Write a mock interview's document to `target` (a file, or a folder to put it in).

    The same rules as `Coach.export`: the format from `fmt`, else the suffix; an
    existing file is never replaced unless `overwrite` is set.
    """
    from voice_mock.coach.coach import Export
    from voice_mock.fileio import atomic_write_text

    mock = coach.store.mock(mock_id)
    target = Path(target).expanduser()
    kind: ExportFormat = fmt or ("json" if target.suffix.lower() == ".json" else "md")
    if target.is_dir():
        target = target / f"{mock.id}.{kind}"
    if target.exists() and not overwrite:
        raise UserError(f"{target} already exists; choose another name or allow replacing it.")
    text = mock_export_text(coach, mock.id, kind)
    try:
        atomic_write_text(target, text)
    except OSError as exc:
        raise UserError(f"{target} could not be written: {exc.strerror or exc}.") from None
    sessions = coach.store.count(mock_id=mock.id)
    return Export(target, sessions)
