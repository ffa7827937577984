"""A list of buzzwords is not an answer: it covers nothing and the report says so."""

from __future__ import annotations

import pytest

from tests.support.answers import transcript_of
from tests.support.questions import Point, ask
from voice_mock.analysis.report import analyze
from voice_mock.analysis.sentences import find_prose

SALADS = [
    "currently years of experience communication skills achievement that is why",
    "communication skills teamwork problem solving customer satisfaction listening",
    "honestly um patience listening empathy teamwork that is me",
]
SENTENCES = [
    "i apologized right away",
    "customer service is helping people and being kind",
    "for the past four years i have been a barista at a busy coffee shop",
    "my manager asked me to train the new hires",
]


@pytest.mark.parametrize("text", SALADS)
def test_keyword_salad_reads_as_a_list(text: str) -> None:
    prose = find_prose(text.split(), frozenset({2} if " um " in text else ()))
    assert prose.reads_as_list


@pytest.mark.parametrize("text", SENTENCES)
def test_sentences_do_not_read_as_a_list(text: str) -> None:
    prose = find_prose(text.split())
    assert not prose.reads_as_list
    assert all(prose.mask)


def test_a_salad_of_cues_covers_nothing_and_says_why() -> None:
    q = ask(
        Point("experience", "Relevant experience", ("years of experience",)),
        Point("communication", "Communication", ("communication skills",)),
        Point("achievement", "An achievement", ("achievement",)),
    )
    data = analyze(transcript_of(SALADS[0]), q).to_dict()["coverage"]
    assert data["covered"] == []
    assert data["reads_as_list"] is True
    assert data["verdict"] == "no key points covered"


def test_a_list_after_a_real_sentence_does_not_count_but_the_sentence_does() -> None:
    q = ask(
        Point("listening", "Listen", ("listen",)),
        Point("teamwork", "Teamwork", ("teamwork",)),
    )
    said = (
        "i always listen to the customer before i say anything and then "
        "teamwork empathy problem solving communication skills punctuality"
    )
    found = {c.id for c in analyze(transcript_of(said), q).coverage.covered}
    assert found == {"listening"}


def test_damaged_sentences_still_read_as_sentences() -> None:
    said = "i would let them explain everything first and then i would say sorry for it"
    damaged = transcript_of(said, seed="x", damaged=True)
    words = [w.text for w in damaged.words]
    assert not find_prose(words).reads_as_list


def test_past_tense_verbs_hold_a_clause_when_the_recogniser_drops_the_subject() -> None:
    # "i" and "we" lost: the verbs still make it a sentence, not a list of buzzwords
    said = "so sent them a replacement and the tracking number straight away"
    assert find_prose(said.split()).mask[:6] == (True,) * 6
    without_verb = said.replace("sent ", "")
    assert not any(find_prose(without_verb.split()).mask)
