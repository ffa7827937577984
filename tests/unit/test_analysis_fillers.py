"""Fillers exactly as "Contract: what counts as a filler" says, rule by rule."""

from __future__ import annotations

import pytest

from tests.support.analysis import filler_texts, report
from voice_mock.analysis.thresholds import Thresholds


@pytest.mark.parametrize(
    ("spoken", "plain"),
    [
        ("um", "um"),
        ("umm", "um"),
        ("ummm", "um"),
        ("[um]", "um"),
        ("uh", "uh"),
        ("uhh", "uh"),
        ("[uh]", "uh"),
        ("er", "er"),
        ("erm", "erm"),
        ("ah", "ah"),
        ("hmm", "hmm"),
        ("hmmm", "hmm"),
        ("mm", "mm"),
        ("uhm", "uhm"),
        ("UM", "um"),
    ],
)
def test_vocal_fillers_count_under_their_plain_form(spoken: str, plain: str) -> None:
    assert filler_texts(f"i think {spoken} it works") == [plain]


def test_vocal_variants_are_summed_in_counts() -> None:
    counts = report("umm i um think [um] uhh it [uh] works").to_dict()["fillers"]["counts"]
    assert counts == {"um": 3, "uh": 2}


@pytest.mark.parametrize("word", ["basically", "literally", "actually"])
def test_hedge_fillers_always_count(word: str) -> None:
    assert filler_texts(f"it was {word} the best way") == [word]


def test_you_know_is_a_filler_in_passing() -> None:
    assert filler_texts("the customer you know was upset") == ["you know"]


@pytest.mark.parametrize("before", ["do", "did", "don't", "if", "as"])
def test_you_know_after_question_words_is_not_a_filler(before: str) -> None:
    assert filler_texts(f"well {before} you know the policy") == []


@pytest.mark.parametrize(
    "after", ["what", "that", "how", "why", "where", "when", "who", "if", "whether"]
)
def test_you_know_with_an_object_is_not_a_filler(after: str) -> None:
    assert filler_texts(f"then you know {after} to say") == []


def test_i_mean_is_a_filler() -> None:
    assert filler_texts("it was hard i mean really hard") == ["i mean"]


@pytest.mark.parametrize("after", ["that", "it", "to"])
def test_i_mean_followed_by_that_it_to_is_meant(after: str) -> None:
    assert filler_texts(f"and i mean {after} when i say so") == []


@pytest.mark.parametrize("phrase", ["kind of", "sort of"])
def test_kind_of_sort_of_as_softeners_are_fillers(phrase: str) -> None:
    assert filler_texts(f"i was {phrase} worried") == [phrase]


@pytest.mark.parametrize(
    "before", ["what", "this", "that", "the", "a", "any", "some", "every", "which", "no"]
)
def test_kind_of_naming_a_type_is_not_a_filler(before: str) -> None:
    assert filler_texts(f"ask {before} kind of help they need") == []
    assert filler_texts(f"ask {before} sort of help they need") == []


def test_like_as_a_filler() -> None:
    assert filler_texts("and he was like really upset") == ["like"]


@pytest.mark.parametrize(
    "before",
    [
        "i",
        "you",
        "we",
        "they",
        "he",
        "she",
        "people",
        "customers",
        "would",
        "i'd",
        "we'd",
        "do",
        "don't",
        "didn't",
        "really",
        "also",
    ],
)
def test_like_the_verb_after_a_subject_or_auxiliary_is_not_a_filler(before: str) -> None:
    assert filler_texts(f"well {before} like helping people") == []


@pytest.mark.parametrize(
    "verb",
    ["look", "looks", "looked", "feel", "feels", "felt", "sound", "sounds", "seem", "seems"],
)
def test_like_as_comparison_after_look_feel_sound_seem_is_not_a_filler(verb: str) -> None:
    assert filler_texts(f"it {verb} like a good plan") == []


@pytest.mark.parametrize(
    "script", ["it was just like the last one", "do it like this", "say it like that"]
)
def test_just_like_like_this_like_that_are_not_fillers(script: str) -> None:
    assert filler_texts(script) == []


def test_so_as_first_word_is_a_filler() -> None:
    assert filler_texts("so i helped the customer") == ["so"]


def test_so_after_a_pause_is_a_filler_but_not_mid_sentence() -> None:
    assert filler_texts("i helped her _0.5 so she was happy") == ["so"]
    assert filler_texts("i helped her so she was happy") == []


def test_so_pause_rule_follows_the_threshold() -> None:
    script = "i helped her _0.7 so she was happy"  # gap 0.8 s
    assert filler_texts(script) == ["so"]
    assert filler_texts(script, Thresholds(pause_s=1.0)) == []


@pytest.mark.parametrize("after", ["that", "far", "much", "many"])
def test_so_in_fixed_phrases_is_not_a_filler_even_first(after: str) -> None:
    assert filler_texts(f"so {after} it went well") == []


def test_multi_word_filler_spans_first_start_to_last_end() -> None:
    occurrences = report("it was you know fine").to_dict()["fillers"]["occurrences"]
    assert occurrences == [{"text": "you know", "start": 0.8, "end": 1.5}]


def test_repeated_words_are_repetitions_not_fillers() -> None:
    result = report("i i went to the the desk")
    assert result.fillers == ()
    reps = result.to_dict()["repetitions"]
    assert [(r["text"], r["count"]) for r in reps] == [("i", 2), ("the", 2)]


def test_repeated_vocal_fillers_are_fillers_not_repetitions() -> None:
    result = report("um um i went")
    assert [f.text for f in result.fillers] == ["um", "um"]
    assert result.repetitions == ()


def test_filler_burst_needs_enough_fillers_inside_the_window() -> None:
    # fillers at 0.0, 0.4, 0.8 then one much later
    bursts = report("um uh like _8 it was um fine").to_dict()["filler_bursts"]
    assert len(bursts) == 1
    assert bursts[0]["count"] == 3
    assert bursts[0]["start"] == 0.0
    assert report("um uh like", Thresholds(filler_burst_min=4)).bursts == ()


def test_overlapping_bursts_merge_into_one() -> None:
    bursts = report("um uh um uh um uh").bursts
    assert len(bursts) == 1
    assert len(bursts[0].fillers) == 6


def test_fillers_per_minute_and_verdict() -> None:
    result = report("um i helped the customer um")  # speaking 2.3 s, 2 fillers
    data = result.to_dict()
    assert data["fillers"]["total"] == 2
    assert data["fillers"]["per_minute"] == round(2 / 2.3 * 60, 2)
    assert data["verdicts"]["fillers"] == "too many"


def test_hedges_are_counted_with_longest_phrase_first() -> None:
    hedges = report("i think maybe it will work i'm not sure").to_dict()["hedges"]
    assert hedges["counts"] == {"i think": 1, "maybe": 1, "i'm not sure": 1}
    assert report("i thought about it").hedges == ()
