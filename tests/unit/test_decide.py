"""The coverage decision: one calibrated probability per key point from all the evidence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.support.answers import transcript_of
from tests.support.questions import Point, ask
from voice_mock.analysis import decide
from voice_mock.analysis.coverage import (
    CueEvidence,
    _cue_evidence,
    find_coverage,
    narrative_share,
    tells_a_story,
)
from voice_mock.analysis.decide import CUE_FEATURES, FEATURES, Evidence, Model, Models, load_models
from voice_mock.analysis.meaning import SOUNDS_LIKE, make_windows, spoken_form
from voice_mock.analysis.report import analyze
from voice_mock.analysis.sentences import find_prose
from voice_mock.analysis.structure import find_star
from voice_mock.analysis.text import StemIndex
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.tokens import clean_words


def test_the_shipped_model_file_loads_with_known_features() -> None:
    models = load_models()
    assert models is not decide.FALLBACK
    assert set(models.meaning.features) <= set(FEATURES)
    assert set(models.cues.features) <= set(CUE_FEATURES)
    for model in (models.meaning, models.cues):
        assert 0.0 < model.threshold < 1.0
        assert all(s > 0 for s in model.scale)
    assert 0.5 <= models.cue_confidence < 1.0  # the dev share of cue hits labellers agreed with
    data = json.loads(decide.MODEL_FILE.read_text(encoding="utf-8"))
    assert "leave one question out" in data["models"]["meaning"]["cross_validation"]["how"]


def test_probability_is_the_standardised_logistic_regression() -> None:
    model = Model(("cue", "meaning_mean"), (0.5, 0.3), (0.5, 0.1), (1.0, 2.0), -0.5, 0.6)
    z = -0.5 + 1.0 * (1.0 - 0.5) / 0.5 + 2.0 * (0.4 - 0.3) / 0.1
    p = model.probability({"cue": 1.0, "meaning_mean": 0.4})
    assert p == pytest.approx(1.0 / (1.0 + np.exp(-z)))
    assert model.covers(p) and not model.covers(0.59)
    assert model.probability({"cue": -1e6, "meaning_mean": 0.0}) == pytest.approx(0.0)


def test_a_broken_or_missing_model_file_falls_back_to_the_rules(tmp_path: Path) -> None:
    assert decide.load_models.__wrapped__(tmp_path / "none.json") is decide.FALLBACK
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"models": {"meaning": {"features": ["shoe size"]}}}))
    assert decide.load_models.__wrapped__(broken) is decide.FALLBACK
    good = json.loads(decide.MODEL_FILE.read_text(encoding="utf-8"))
    good["cue_confidence"] = 2.0
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps(good))
    assert decide.load_models.__wrapped__(odd) is decide.FALLBACK
    bad = Model(("cue",), (0.0,), (1.0,), (1.0,), 0.0, 0.5).to_dict()
    bad["threshold"] = 1.5
    with pytest.raises(ValueError):
        Model.from_dict(bad)
    # the rules: a cue covers, and so does a window at cosine 0.43 or more
    rules = decide.FALLBACK
    assert decide.decide(Evidence(cue=True), meaning=False, models=rules)[0]
    assert decide.decide(Evidence(meaning_best=0.45), meaning=True, models=rules)[0]
    assert not decide.decide(Evidence(meaning_best=0.40), meaning=True, models=rules)[0]


def test_nothing_to_show_covers_nothing_whatever_the_weights() -> None:
    eager = Models(
        meaning=Model(("cue",), (0.0,), (1.0,), (0.0,), 10.0, 0.5),
        cues=Model(("cue",), (0.0,), (1.0,), (0.0,), 10.0, 0.5),
    )
    assert not Evidence().shown
    covered, probability = decide.decide(Evidence(), meaning=False, models=eager)
    assert not covered and probability > 0.99
    assert decide.decide(Evidence(cue=True), meaning=False, models=eager)[0]
    assert Evidence(answer_story=True, narrative=0.5).shown
    assert not Evidence(answer_story=True, narrative=0.0).shown


def cue_evidence(said: str, *cues: str) -> CueEvidence:
    words = said.split()
    index = StemIndex(words)
    return _cue_evidence(index, Point("p", "P", cues), frozenset(), find_prose(index.words))


def test_a_cue_denied_earlier_in_its_clause_is_marked() -> None:
    found = cue_evidence("um i think honestly i'm not sure i'm always that calm", "calm")
    assert found.first is not None and found.denied
    found = cue_evidence("it was not my fault but i stayed calm with him", "calm")
    assert found.first is not None and not found.denied


def test_hedged_cues_and_cues_about_someone_else_are_marked() -> None:
    found = cue_evidence("i think maybe i am quite patient with people", "patient")
    assert found.hedged and not found.other
    found = cue_evidence("if you let them rant they calm right down in the end", "calm")
    assert found.other and not found.hedged
    found = cue_evidence("she said that i was calm the whole time", "calm")
    assert not found.other


def test_cue_evidence_counts_cues_and_multi_word_ones() -> None:
    found = cue_evidence(
        "i listened and i heard them out before i spoke", "listen", "hear them out"
    )
    assert found.count == 2 and found.multi
    found = cue_evidence("i listened to her", "listen", "hear them out")
    assert found.count == 1 and not found.multi


def test_a_point_whose_examples_are_stories_asks_for_one() -> None:
    assert tells_a_story("Last winter a customer came in and I rang three other branches.")
    assert not tells_a_story("I always listen before I say anything.")
    story_point = Point(
        "proof",
        "An example that proves it",
        ("zzz",),
        (
            "Last month a man rang about a lost parcel and I traced it for him.",
            "I always try my best.",
        ),
    )
    assert narrative_share(story_point) == 0.5
    assert narrative_share(Point("p", "P", ("zzz",))) == 0.0


def test_a_story_can_make_a_point_that_asks_for_an_example() -> None:
    # a model that covers a shown point whenever the answer tells a story it asks for
    models = Models(
        meaning=Model(("narrative_story",), (0.0,), (1.0,), (10.0,), -5.0, 0.5),
        cues=Model(("narrative_story",), (0.0,), (1.0,), (10.0,), -5.0, 0.5),
    )
    proof = Point(
        "proof",
        "An example that proves it",
        ("zzz",),
        ("Last week a woman came in upset and I sorted her refund.",),
    )
    said = "last winter an elderly man came in and i rang three branches and drove it over"
    tokens = clean_words(transcript_of(said).words, Thresholds())
    index = StemIndex([t.text for t in tokens])
    star = find_star(tokens, index, frozenset())
    found = find_coverage(
        tokens, index, frozenset(), ask(proof), star_parts=star.parts, models=models
    )
    assert [c.id for c in found.covered] == ["proof"]
    assert found.covered[0].how == "story"
    assert found.covered[0].evidence.startswith("last winter")


def test_homophones_are_embedded_in_one_spelling() -> None:
    assert SOUNDS_LIKE["four"] == SOUNDS_LIKE["for"] == "for"
    assert SOUNDS_LIKE["hour"] == "our"
    clean = make_windows(["i", "worked", "there", "for", "two", "years"], range(6), size=6)
    heard = make_windows(["i", "worked", "their", "four", "to", "years"], range(6), size=6)
    assert clean[0].text == heard[0].text
    assert spoken_form("I'd rather take two extra minutes, honestly!") == (
        "i'd rather take to extra minutes honestly"
    )


def test_a_cue_always_covers_with_at_least_the_cue_confidence() -> None:
    # a model that would take nothing: the cue still covers its point (the bank contract)
    never = Models(
        meaning=Model(("cue",), (0.0,), (1.0,), (0.0,), -10.0, 0.5),
        cues=Model(("cue",), (0.0,), (1.0,), (0.0,), -10.0, 0.5),
        cue_confidence=0.8,
    )
    said = "first i listened to her"
    tokens = clean_words(transcript_of(said).words, Thresholds())
    index = StemIndex([t.text for t in tokens])
    q = ask(Point("listening", "Listen", ("listen",)), Point("calm", "Calm", ("calm",)))
    found = find_coverage(tokens, index, frozenset(), q, models=never)
    assert [(c.id, c.how, c.confidence) for c in found.covered] == [("listening", "phrase", 0.8)]


def test_every_judged_point_keeps_its_evidence_and_probability() -> None:
    q = ask(Point("listening", "Listen", ("listen",)), Point("calm", "Calm", ("calm",)))
    coverage = analyze(transcript_of("i always listen to people first"), q).coverage
    judged = {pid: (ev, p) for pid, ev, p in coverage.evidence}
    assert set(judged) == {"listening", "calm"}
    assert judged["listening"][0].cue and not judged["calm"][0].cue
    assert judged["listening"][1] > judged["calm"][1]
