"""An action denied in its clause is not an action; a negation in an earlier clause does not deny.

Round three: "i'm not sure i really persuaded him" was taken as the STAR action
"i really persuaded", and so covered a point standing for the action.
"""

from __future__ import annotations

from tests.support.answers import transcript_of
from tests.support.questions import ask
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
