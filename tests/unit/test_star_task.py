"""STAR Task from the frame it is said in: an obligation, an assignment, a goal named.

Set phrases ("i had to", "my job was") missed the same task said with an adverb
("i just had to"), by someone else ("my manager asked me to"), or with a
goal noun dressed up ("the main goal that night was"). One family per test.
"""

from __future__ import annotations

import pytest

from tests.support.answers import transcript_of
from tests.support.questions import ask
from voice_mock.analysis.report import analyze
from voice_mock.analysis.structure import Star

SCENE = "one saturday the tills crashed at the garden centre."
DID = "i opened the spare till and wrote receipts by hand."


def star_of(middle: str) -> Star:
    star = analyze(transcript_of(f"{SCENE} {middle} {DID}"), ask(star=True)).star
    assert star is not None
    return star


def task_phrase(middle: str) -> str | None:
    task = star_of(middle).task
    return task.phrase if task.present else None


@pytest.mark.parametrize(
    "said",
    [
        "i just had to keep the queue moving.",
        "i really needed to get everyone paid before closing.",
        "we still had to serve the coach party.",
        "me and sam had to get the queue down.",
        "i've got to be honest, i had to think fast.",
        "i'd to keep everyone calm.",
        "i basically wanted to get the queue under five minutes.",
    ],
)
def test_an_obligation_of_the_speaker_is_the_task(said: str) -> None:
    assert task_phrase(said) is not None, said


@pytest.mark.parametrize(
    "said",
    [
        "my manager asked me to get it under five minutes.",
        "they wanted me to keep the customers happy.",
        "the owner trusted us with the whole shop that day.",
        "i was asked to handle the queue.",
        "we were supposed to close at six.",
        "i was put in charge of the tills.",
        "i was responsible for the front of the shop.",
        "i was the one on the tills.",
    ],
)
def test_a_task_given_to_the_speaker_is_the_task(said: str) -> None:
    assert task_phrase(said) is not None, said


@pytest.mark.parametrize(
    "said",
    [
        "the main goal was to get everyone through.",
        "my whole job that day was keeping people calm.",
        "our only aim was getting the orders out.",
        "it was all on me to sort it.",
        "it was down to me.",
    ],
)
def test_a_goal_named_is_the_task(said: str) -> None:
    assert task_phrase(said) is not None, said


@pytest.mark.parametrize(
    "said",
    [
        # the speaker asking others: an action, not a task given to the speaker
        "i asked them to wait a minute.",
        # someone else's obligation
        "the customers had to wait a bit.",
        # denied
        "i didn't have to do much.",
        # a goal noun with no "was" after it
        "the goal posts were still up outside.",
    ],
)
def test_no_task_where_the_speaker_was_given_nothing_to_achieve(said: str) -> None:
    assert task_phrase(said) is None, said


def test_the_task_is_reported_with_its_words_and_a_goal_noun_starts_its_own_phrase() -> None:
    star = star_of("the main goal was getting everyone through.")
    assert star.task.phrase == "the main goal was"
    assert star.task.evidence is not None and "main goal" in star.task.evidence


def test_a_generic_answer_with_a_task_frame_still_shows_no_story() -> None:
    star = analyze(transcript_of("i always had to stay calm and patient."), ask(star=True)).star
    assert star is not None
    assert not any(p.present for p in star.parts)
