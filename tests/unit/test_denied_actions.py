"""Denial: an action or a cue denied in its clause does not count; a negation of an earlier
clause or sentence does not deny.

Round three: "i'm not sure i really persuaded him" was taken as the STAR action
"i really persuaded", and so covered a point standing for the action.
"""

from __future__ import annotations

from tests.support.answers import transcript_of
from tests.support.questions import Point, ask
from voice_mock.analysis.report import analyze
from voice_mock.analysis.structure import Star
from voice_mock.analysis.text import denied_in_clause


def star_of(said: str) -> Star:
    star = analyze(transcript_of(said), ask(star=True)).star
    assert star is not None
    return star


def test_a_denied_action_is_not_the_story_s_action() -> None:
    star = star_of("it was at my last job, last year. i'm not sure i really persuaded him though.")
    assert star.situation.present
    assert not star.action.present
    star = star_of(
        "it was at my last job, last year. i'm not sure i really persuaded him though, "
        "i mentioned it a few times."
    )
    assert star.action.phrase == "i mentioned"


def test_a_negation_in_an_earlier_clause_leaves_the_action_standing() -> None:
    star = star_of("last winter we had no heaters left, so i rang three other branches.")
    assert star.action.present
    assert star.action.phrase == "i rang"


def test_denied_in_clause_stops_at_a_clause_break() -> None:
    words = ["there", "was", "no", "stock", "so", "i", "rang", "round"]
    assert not denied_in_clause(words, words.index("i"))
    words = ["i'm", "not", "sure", "i", "really", "persuaded", "him"]
    assert denied_in_clause(words, 3)
    words = ["it", "was", "not", "only", "me", "i", "rang", "them"]
    assert not denied_in_clause(words, 5)


def test_a_negator_of_the_sentence_before_does_not_deny_the_next_one() -> None:
    # transcripts have no full stops: "not" of one sentence sits a few words before the next
    words = ["it", "had", "still", "not", "been", "changed", "i", "raised", "it", "again"]
    assert not denied_in_clause(words, words.index("raised"))
    words = ["we", "had", "no", "time", "left", "i", "took", "responsibility"]
    assert not denied_in_clause(words, words.index("i"))
    # ... unless the negator doubts what follows
    words = ["i'm", "not", "sure", "i'm", "always", "that", "calm"]
    assert denied_in_clause(words, words.index("calm"))


CALM = Point("calm", "Stays calm", ("calm",))


def test_a_cue_denied_wherever_it_is_said_does_not_cover_its_point() -> None:
    said = "honestly i'm not sure i'm always that calm when it gets busy."
    report = analyze(transcript_of(said), ask(CALM))
    assert [m.id for m in report.coverage.missed] == ["calm"]
    (judged,) = report.coverage.evidence
    assert judged[1].cue and judged[1].cue_denied


def test_a_cue_said_after_another_sentence_s_negation_covers_its_point() -> None:
    said = "the queue was not moving at all. i stayed calm and took one person at a time."
    report = analyze(transcript_of(said), ask(CALM))
    assert [c.id for c in report.coverage.covered] == ["calm"]
