"""STAR from the story's shape: anchors, tasks, first-person past actions, outcomes, time split."""

from __future__ import annotations

from tests.support.answers import transcript_of
from tests.support.questions import ask
from voice_mock.analysis.report import analyze
from voice_mock.analysis.structure import Star, past_tense


def star_of(said: str) -> Star:
    star = analyze(transcript_of(said), ask(star=True)).star
    assert star is not None
    return star


def present(star: Star) -> set[str]:
    return {p.name for p in star.parts if p.present}


HEATER = (
    "last winter an elderly man came in looking for a heater we had sold out of. "
    "i needed to get him sorted before closing. "
    "i rang three of our other branches, found one, and drove it over. "
    "in the end he came back the next week to thank us."
)


def test_a_full_story_shows_every_part_with_evidence_and_time() -> None:
    star = star_of(HEATER)
    assert present(star) == {"situation", "task", "action", "result"}
    assert star.situation.phrase == "last winter"
    assert star.task.phrase == "i needed to"
    assert star.action.phrase == "i rang"
    assert star.result.phrase == "in the end"
    assert star.verdict == "complete"
    for part in star.parts:
        assert part.evidence and part.phrase and part.phrase.split()[0] in part.evidence


def test_someone_turning_up_in_the_past_sets_the_scene() -> None:
    assert star_of("a customer came in with a broken phone and i swapped it").situation.present
    assert star_of("this older gentleman rang about his bill so i checked it").situation.present
    assert star_of(
        "a couple of years ago i was on the tills and we split the queue"
    ).situation.present


def test_actions_are_first_person_past_verbs_not_states() -> None:
    star = star_of("one saturday i was tired and i felt stressed but i wanted to help")
    assert not star.action.present
    assert star_of("one saturday we split the queue between us").action.phrase == "we split"
    assert (
        star_of("one saturday i quickly rebooked her flight").action.phrase == "i quickly rebooked"
    )


def test_past_tense_comes_from_the_lemmatiser() -> None:
    assert past_tense("rang") == (True, False)
    assert past_tense("drove") == (True, False)
    assert past_tense("put") == (True, True)
    assert past_tense("ring")[0] is False


def test_results_are_outcomes_after_the_action() -> None:
    assert star_of("last week i fixed the order by friday").result.phrase == "by friday"
    assert star_of(
        "last month i reworked the rota and complaints fell twenty percent"
    ).result.present
    assert star_of("last year i helped a lady and she left a review").result.present


def test_a_generic_answer_shows_no_part() -> None:
    star = star_of(
        "i always stay calm and listen. i make sure the customer is happy in the end "
        "and i think my job is to help people"
    )
    assert present(star) == set()
    assert star.time_split["other"].share == 1.0


def test_time_split_gives_most_time_to_what_was_said_most() -> None:
    star = star_of(HEATER)
    split = star.time_split
    assert set(split) == {"situation", "task", "action", "result", "other"}
    assert abs(sum(p.share for p in split.values()) - 1.0) < 1e-6
    assert split["action"].seconds > split["task"].seconds > 0
    data = star.to_dict()["time_split"]
    assert isinstance(data, dict) and set(data["action"]) == {"seconds", "share"}


def test_parts_heard_out_of_order_are_flagged() -> None:
    star = star_of("in the end she was happy but first i had to calm her down so i listened")
    assert star.result.present and star.action.present
    assert not star.in_order


def test_a_behavioural_answer_without_a_story_makes_no_point() -> None:
    from tests.support.questions import Point

    q = ask(
        Point("listen", "Listened", ("listen",)), Point("calm", "Stayed calm", ("calm",)), star=True
    )
    report = analyze(transcript_of("i always stay calm and i listen to people"), q)
    data = report.to_dict()["coverage"]
    # The answer is flagged as telling no story; only the points' own cue phrases count
    # (the bank contract: a cue said in a sentence covers its point).
    assert data["no_story"] is True
    assert {(c["id"], c["how"]) for c in data["covered"]} == {
        ("listen", "phrase"),
        ("calm", "phrase"),
    }
    star = report.to_dict()["star"]
    assert star is not None and star["missing"] == ["situation", "task", "action", "result"]


def test_key_points_that_name_a_star_part_are_covered_by_the_story() -> None:
    from tests.support.questions import Point

    q = ask(
        Point("situation", "Sets the scene", ("zzz",)),
        Point("action", "What you did", ("zzz",)),
        Point("result", "The outcome", ("zzz",)),
        star=True,
    )
    data = analyze(transcript_of(HEATER), q).to_dict()["coverage"]
    found = {c["id"]: c for c in data["covered"]}
    assert set(found) == {"situation", "action", "result"}
    assert found["situation"]["how"] == "story"
    assert found["situation"]["cue"] == "last winter"
    assert found["situation"]["evidence"] == "last winter"
    assert data["no_story"] is False


def test_goals_said_in_other_ways_are_the_task() -> None:
    for said in (
        "one saturday it was on me to get the orders out so i rang the depot",
        "last winter i wanted him signed up before the deadline so i sat him down",
        "one morning my part was the helpdesk side so i wrote the instructions",
        "last year the plan was to move every account so i booked the weekends",
    ):
        assert star_of(said).task.present, said


def test_someone_named_by_a_noun_can_show_how_it_ended() -> None:
    star = star_of(
        "one wet friday a young dad came in and i rang my neighbour. the dad brought us a cake"
    )
    assert star.result.present and star.result.phrase == "the dad brought"
    star = star_of("last spring i raised it with the nurse twice. the record was corrected")
    assert star.result.phrase == "the record was corrected"


def test_an_adverb_between_i_and_the_verb_keeps_the_action() -> None:
    assert star_of("i once helped a caller fill in a form").action.phrase == "i once helped"
    assert star_of("last year i therefore went through it").action.phrase == "i therefore went"
