"""Mock interviews in the coach: the interviewer's follow-ups, the saved scorecard, its export."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.app import ANSWER_WORDS, build_app, services_for
from tests.support.mocks import saved_mock
from voice_mock.analysis.report import analyze
from voice_mock.analysis.saved import SavedReport
from voice_mock.bank import Question, load_library
from voice_mock.coach.mock import (
    STAR_PROMPTS,
    choose_follow_up,
    closing_line,
    mixed_questions,
    opening_line,
    takes_bank_follow_up,
)
from voice_mock.config import PracticeSettings
from voice_mock.errors import UserError
from voice_mock.transcript import Transcript


def report_of(question: Question, words: list[tuple[str, float, float]]) -> SavedReport:
    transcript = Transcript.from_vosk(
        [{"result": [{"word": w, "start": a, "end": b} for w, a, b in words]}]
    )
    return SavedReport.from_dict(analyze(transcript, question).to_dict())


def spaced(text: str) -> list[tuple[str, float, float]]:
    return [(w, 0.5 + i * 0.4, 0.8 + i * 0.4) for i, w in enumerate(text.split())]


STORY_WITHOUT_RESULT = spaced(
    "last year at the store a customer was upset because her order was late "
    "i had to fix it so i called the warehouse and i found the parcel and i "
    "drove it to her house myself that evening"
)
STORY_WITH_RESULT = spaced(
    "last year at the store a customer was upset because her order was late "
    "i had to fix it so i called the warehouse and i found the parcel and i "
    "drove it to her house myself that evening in the end she was delighted and "
    "she wrote to my manager and she became a regular customer"
)


@pytest.fixture
def story() -> Question:
    return next(q for q in load_library().questions() if q.star)


@pytest.fixture
def general() -> Question:
    return next(q for q in load_library().questions() if not q.star and q.follow_ups)


def test_a_story_without_its_result_is_asked_how_it_turned_out(story: Question) -> None:
    report = report_of(story, STORY_WITHOUT_RESULT)
    parts = {p.name: p.present for p in report.star.parts} if report.star else {}
    assert parts.get("result") is False, parts
    chosen = choose_follow_up(story, report, position=0, settings=PracticeSettings())
    assert chosen is not None and chosen.reason == "result"
    assert chosen.text == "And how did that turn out?" == STAR_PROMPTS["result"]
    # off means off, even for a missing part
    off = PracticeSettings(follow_ups=False)
    assert choose_follow_up(story, report, position=0, settings=off) is None


def test_no_story_at_all_is_asked_for_an_example(story: Question) -> None:
    report = report_of(story, spaced("i am a hard worker and i like people"))
    chosen = choose_follow_up(story, report, position=0, settings=PracticeSettings())
    assert chosen is not None and chosen.reason == "story"


def test_bank_follow_ups_go_to_a_share_of_answers_spread_evenly(general: Question) -> None:
    assert [takes_bank_follow_up(i, 0.5) for i in range(4)] == [False, True, False, True]
    assert all(takes_bank_follow_up(i, 1.0) for i in range(5))
    assert not any(takes_bank_follow_up(i, 0.0) for i in range(5))
    assert [takes_bank_follow_up(i, 1 / 3) for i in range(6)] == [False, False, True] * 2
    report = report_of(general, ANSWER_WORDS)
    settings = PracticeSettings(follow_up_share=0.5)
    assert choose_follow_up(general, report, position=0, settings=settings) is None
    asked = choose_follow_up(general, report, position=1, settings=settings, seed="m")
    assert asked is not None and asked.reason == "bank" and asked.text in general.follow_ups
    again = choose_follow_up(general, report, position=1, settings=settings, seed="m")
    assert again == asked  # seeded by the mock: the same interview asks the same thing


def test_nothing_said_or_nothing_analysed_gets_no_follow_up(general: Question) -> None:
    settings = PracticeSettings(follow_up_share=1.0)
    assert choose_follow_up(general, None, position=0, settings=settings) is None
    silent = report_of(general, [])
    assert choose_follow_up(general, silent, position=0, settings=settings) is None


def test_the_interviewer_opens_and_closes() -> None:
    assert "2 questions" in opening_line(2) and "one question" in opening_line(1)
    assert "call" in opening_line(3, phone=True) and "call" in closing_line(phone=True)
    assert "Thank you" in closing_line()


def test_mixed_questions_take_each_category_in_turn_least_practised_first() -> None:
    questions = load_library().questions()
    counts = {q.qualified_id: 5 for q in questions}
    fresh = [q for q in questions if q.category == "behavioral"][3]
    counts[fresh.qualified_id] = 0
    chosen = mixed_questions(questions, 4, counts, seed=1)
    assert len(chosen) == 4 and len({q.qualified_id for q in chosen}) == 4
    assert len({q.category for q in chosen}) >= 3
    assert fresh in chosen


def test_the_scorecard_is_rebuilt_from_what_was_saved(tmp_path: Path) -> None:
    app, _, _ = build_app(services_for())
    coach = app.coach
    mock_id = saved_mock(coach)
    card = coach.scorecard(mock_id)
    assert card.mock.finished and card.overall.asked == card.overall.answered == 2
    assert card.overall.follow_ups == 1
    assert card.questions[0].follow_up is None
    follow = card.questions[1].follow_up
    assert follow is not None and follow.record.follow_up_of is not None
    assert card.overall.judged_measures >= 6 and card.overall.score is not None
    assert card.overall.speaking_s and card.overall.wpm
    assert card.habits  # worst first, or why none stands out
    assert [r.id for r in card.answers()][-1] == follow.record.id
    data = card.to_dict()
    assert data["overall"]["answered"] == 2 and data["questions"][1]["follow_up"] is not None


def test_the_interview_exports_as_one_document(tmp_path: Path) -> None:
    app, _, _ = build_app(services_for())
    coach = app.coach
    mock_id = saved_mock(coach)
    text = coach.mock_export_text(mock_id, "md")
    assert text.startswith("# Mock interview, ")
    assert "| # | Question |" in text and "↳ " in text and "## Work on first" in text
    assert text.count("\n## ") >= 4  # work on first, then each of the three answers
    written = coach.export_mock(mock_id, tmp_path)
    assert written.path == tmp_path / f"{mock_id}.md" and written.sessions == 3
    with pytest.raises(UserError, match="already exists"):
        coach.export_mock(mock_id, written.path)
    data = json.loads(coach.mock_export_text(mock_id, "json"))
    assert data["scorecard"]["mock"]["id"] == mock_id and len(data["sessions"]) == 3
    assert data["sessions"][2]["session"]["follow_up_of"] is not None


def test_a_mock_left_before_any_answer_leaves_nothing_and_one_left_later_is_kept() -> None:
    app, _, _ = build_app(services_for())
    coach = app.coach
    questions = coach.library.questions()[:2]
    interview = coach.start_mock(questions, phone=False)
    assert interview.finish(completed=False) is None and coach.store.mocks() == []
    interview = coach.start_mock(questions, phone=True)
    assert interview.record.title == "Mock phone screen"
    store = coach.store
    store.finish(store.create(question=questions[0], mock_id=interview.id), transcript=None,
                 report=None)  # fmt: skip
    left = interview.finish(completed=False)
    assert left is not None and left.status == "left" and left.answers == 1
    card = coach.scorecard(interview.id)
    assert card.questions[1].answer is None and card.overall.answered == 1
    assert card.questions[0].answer is not None
    assert card.questions[0].answer.verdict_line() == "not analysed"
    assert replace(card.overall, judged_measures=0).score is None
