"""Coverage by meaning: windows, the threshold, confidence, and what a meaning hit reports."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tests.support.answers import transcript_of
from tests.support.questions import Point, ask
from voice_mock.analysis import meaning
from voice_mock.analysis.meaning import (
    confidence,
    content_words,
    make_windows,
    match_points,
    word_match,
)
from voice_mock.analysis.report import analyze


class TopicEmbedder:
    """A fake model: a text's vector says which topic words it holds."""

    TOPICS = (("calm", "cool", "composed"), ("branches", "rang", "drove"), ("weather",))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(self.TOPICS) + 1), dtype=np.float32)
        for i, text in enumerate(texts):
            words = text.lower().split()
            for t, topic in enumerate(self.TOPICS):
                out[i, t] = sum(w in topic for w in words)
            out[i, -1] = 0.05
            out[i] /= np.linalg.norm(out[i])
        return out


def test_windows_skip_unusable_words_and_never_bridge_them() -> None:
    words = [
        "i",
        "rang",
        "them",
        "um",
        "and",
        "then",
        "teamwork",
        "synergy",
        "passion",
        "and",
        "i",
        "drove",
        "over",
    ]
    usable = [0, 1, 2, 4, 5, 10, 11, 12]
    windows = make_windows(words, usable, size=3, stride=1)
    texts = [w.text for w in windows]
    assert texts[:2] == ["i rang them", "rang them and"]  # "them and then": no content word
    assert all("teamwork" not in t for t in texts)
    assert not any("then" in t and "drove" in t for t in texts)


def test_windows_of_function_words_only_are_dropped() -> None:
    words = ["and", "then", "i"]
    assert make_windows(words, [0, 1, 2], size=3) == []


def test_match_points_picks_the_closest_window_per_point() -> None:
    words = ["i", "kept", "my", "cool", "and", "later", "i", "rang", "two", "branches"]
    windows = make_windows(words, list(range(len(words))), size=4, stride=1)
    found = match_points(TopicEmbedder(), windows, [["stay calm"], ["rang branches"], ["weather"]])
    calm, extra, weather = found
    assert calm is not None and "cool" in calm.window.text
    assert extra is not None and "rang" in extra.window.text
    assert weather is not None and weather.score < calm.score


def test_confidence_is_half_at_the_threshold_and_full_well_above() -> None:
    assert confidence(meaning.THRESHOLD) == 0.5
    assert confidence(meaning.CONFIDENT_AT) == 1.0
    assert confidence(-1.0) == 0.0


def test_a_point_made_in_other_words_is_covered_by_meaning() -> None:
    q = ask(
        Point("calm", "Stay calm", ("stay calm",), ("i keep my cool",)),
        Point("weather", "Talk about the weather", ("sunny",)),
    )
    report = analyze(
        transcript_of("i would keep cool and composed with them"), q, meaning=TopicEmbedder()
    )
    data = report.to_dict()["coverage"]
    assert [c["id"] for c in data["covered"]] == ["calm"]
    hit = data["covered"][0]
    assert hit["how"] == "meaning" and hit["cue"] is None
    assert "cool" in hit["evidence"]
    assert 0.5 <= hit["confidence"] <= 1.0
    assert data["method"] == "phrase+meaning"
    assert dict(report.coverage.scores)["calm"] >= meaning.THRESHOLD


def test_cues_stay_the_first_pass() -> None:
    q = ask(Point("calm", "Stay calm", ("stay calm",), ("i keep my cool",)))
    report = analyze(transcript_of("i stay calm and keep cool"), q, meaning=TopicEmbedder())
    assert report.coverage.covered[0].how == "phrase"


def test_without_an_embedder_only_cues_count() -> None:
    q = ask(Point("calm", "Stay calm", ("stay calm",), ("i keep my cool",)))
    report = analyze(transcript_of("i would keep cool and composed with them"), q)
    assert report.coverage.covered == ()
    assert report.coverage.scores == ()


def test_a_list_covers_nothing_by_meaning_either() -> None:
    q = ask(Point("calm", "Stay calm", ("serenity",), ("i keep my cool",)))
    said = "cool calm composed cool calm composed teamwork"
    report = analyze(transcript_of(said), q, meaning=TopicEmbedder())
    assert report.coverage.covered == () and report.coverage.reads_as_list


def test_word_match_finds_the_examples_words_in_the_answer() -> None:
    described = [["Stay calm", "i keep my cool"], ["Ring round", "i rang the branches"]]
    said = ["honestly", "i", "stayed", "composed", "and", "cool", "with", "him"]
    calm, ring = word_match(TopicEmbedder(), said, described)
    assert calm > ring
    assert word_match(TopicEmbedder(), [], described) == [0.0, 0.0]
    assert word_match(TopicEmbedder(), ["um", "the", "and"], described) == [0.0, 0.0]


def test_content_words_are_distinct_in_one_spelling_without_glue() -> None:
    assert content_words(
        ["i", "rang", "four", "branches", "for", "an", "hour", "and", "rang", "again"]
    ) == [
        "rang",
        "branches",
        "again",
    ]
