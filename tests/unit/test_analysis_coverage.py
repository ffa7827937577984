"""Cue matching (inflection-tolerant, no false hits), key-point coverage and STAR."""

from __future__ import annotations

import pytest

from tests.support.analysis import question, transcript
from voice_mock.analysis.report import analyze
from voice_mock.analysis.text import StemIndex, stem, stems_match


def covered(script: str, *cues: str) -> bool:
    q = question(("point", cues))
    return analyze(transcript(script), q).coverage.ratio == 1.0


@pytest.mark.parametrize(
    ("cue", "said"),
    [
        ("listen", "i listened to her"),
        ("listen", "i was listening to her"),
        ("listen", "she listens"),
        ("Listen", "I LISTENED to her"),
        ("apologize", "i apologized right away"),
        ("apologize", "i apologised right away"),
        ("apologise", "i apologized right away"),
        ("refund", "we refunded the order"),
        ("hear them out", "i heard them out first"),
        ("hear them out", "i heard um them out first"),
        ("follow-up", "i followed up the next day"),
        ("empathy", "i showed empathy"),
        ("care", "we cared about it"),
        ("solve", "i solved it"),
        ("use", "we used the system"),
        ("fix", "she fixes it"),
    ],
)
def test_cue_matches_inflected_forms(cue: str, said: str) -> None:
    assert covered(said, cue)


@pytest.mark.parametrize(
    ("cue", "said"),
    [
        ("list", "i listened carefully"),
        ("listen", "i made a list"),
        ("care", "my career in retail"),
        ("note", "that is not right"),
        ("hope", "we were hopping around"),
        ("hear them out", "i heard them"),
        ("hear them out", "i heard a lot of them out"),
        ("refund", "fun"),
        ("friendly", "football with my friends"),
        ("family", "i was familiar with it"),
    ],
)
def test_no_false_hits(cue: str, said: str) -> None:
    assert not covered(said, cue)


def test_long_stems_tolerate_one_slip_short_ones_do_not() -> None:
    assert stems_match(stem("understanding"), stem("understaning"))
    assert not stems_match(stem("prevent"), stem("present"))
    assert not stems_match(stem("fix"), stem("six"))


def test_stemmer_folds_inflections_and_keeps_derivations_apart() -> None:
    assert stem("listened") == stem("listening") == stem("listens") == stem("listen")
    assert stem("apologised") == stem("apologize")
    assert stem("cared") == stem("caring") == stem("care") != stem("career")
    assert stem("list") != stem("listen")
    assert stem("hopped") != stem("hoped")


def test_fillers_between_cue_words_are_tolerated_but_other_words_are_not() -> None:
    assert covered("we will um follow up tomorrow", "follow up")
    assert covered("i will like follow basically up", "follow up")
    assert not covered("i will follow them up", "follow up")


def test_key_point_covered_at_first_hit_of_any_cue() -> None:
    q = question(("listening", ("listen", "hear them out")), ("refund", ("refund",)))
    result = analyze(transcript("i heard them out and then listened and we gave a refund"), q)
    data = result.to_dict()["coverage"]
    assert data["ratio"] == 1.0
    first = data["covered"][0]
    assert (first["id"], first["cue"], first["at_s"]) == ("listening", "hear them out", 0.4)
    assert data["missed"] == []


def test_missed_points_and_ratio() -> None:
    q = question(("a", ("listen",)), ("b", ("refund",)), ("c", ("manager",)), ("d", ("follow up",)))
    data = analyze(transcript("i listened and offered a refund"), q).to_dict()["coverage"]
    assert data["ratio"] == 0.5
    assert [m["id"] for m in data["missed"]] == ["c", "d"]
    assert data["missed"][0] == {"id": "c", "label": "C"}
    assert data["verdict"] == "some key points missed"
    nothing = analyze(transcript("hello there"), q).to_dict()["coverage"]
    assert (nothing["ratio"], nothing["verdict"]) == (0.0, "no key points covered")


def test_coverage_ratio_is_null_without_a_question() -> None:
    data = analyze(transcript("i listened")).to_dict()["coverage"]
    assert data["ratio"] is None
    assert data["covered"] == [] and data["missed"] == []
    no_points = analyze(transcript("i listened"), question()).to_dict()["coverage"]
    assert no_points["ratio"] is None
    assert no_points["verdict"] == "no key points to check"


def test_stem_index_finds_later_occurrences() -> None:
    index = StemIndex(["i", "think", "so", "and", "i", "think", "not"])
    first = index.find("i think")
    assert first is not None and first.first == 0
    later = index.find("i think", after=1)
    assert later is not None and (later.first, later.last) == (4, 5)


STORY = (
    "at my previous job a customer came in upset about a late order "
    "my job was to keep her happy "
    "so i listened and i apologized and i offered a discount "
    "in the end she thanked me and came back the next week"
)


def test_star_parts_found_in_order_with_evidence() -> None:
    result = analyze(transcript(STORY), question(("x", ("x",)), star=True))
    star = result.to_dict()["star"]
    assert star["verdict"] == "complete"
    assert star["in_order"] is True
    for part in ("situation", "task", "action", "result"):
        assert star[part]["present"] is True
        assert isinstance(star[part]["at_s"], float)
        assert star[part]["phrase"] in star[part]["evidence"]
    assert star["situation"]["phrase"] == "at my previous job"
    assert star["task"]["phrase"] == "my job was"
    assert star["result"]["phrase"] == "in the end"
    assert (
        star["situation"]["at_s"]
        < star["task"]["at_s"]
        < star["action"]["at_s"]
        < star["result"]["at_s"]
    )


def test_star_missing_result_and_task() -> None:
    result = analyze(
        transcript("last year a customer came in and i explained the policy"),
        question(star=True),
    )
    star = result.to_dict()["star"]
    assert star["situation"]["present"] and star["action"]["present"]
    assert star["task"] == {"present": False, "phrase": None, "evidence": None, "at_s": None}
    assert star["missing"] == ["task", "result"]
    assert star["verdict"] == "missing task, result"


def test_star_action_from_a_first_person_past_verb_and_numeric_result() -> None:
    script = "one time i rebooked every flight and complaints fell twenty percent"
    star = analyze(transcript(script), question(star=True)).to_dict()["star"]
    assert star["action"]["phrase"] == "i rebooked"
    assert star["result"]["present"]


def test_star_out_of_order_is_flagged() -> None:
    script = "in the end it was fine but my job was to fix it and i called the vendor"
    star = analyze(transcript(script), question(star=True)).to_dict()["star"]
    assert star["result"]["present"] and star["task"]["present"]
    assert star["in_order"] is False


def test_star_only_reported_for_star_questions() -> None:
    assert analyze(transcript(STORY), question(star=False)).to_dict()["star"] is None
    assert analyze(transcript(STORY)).to_dict()["star"] is None
