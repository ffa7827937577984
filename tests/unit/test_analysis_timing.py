"""Word cleaning, pauses, pace, latency and answer length."""

from __future__ import annotations

import pytest

from tests.support.analysis import question, report, say, transcript
from voice_mock.analysis.report import analyze
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.transcript import Transcript, Word


@pytest.mark.parametrize("noise", ["[unk]", "<unk>", "[noise]", "[laughter]", "[breath]"])
def test_noise_tokens_are_not_words(noise: str) -> None:
    result = report(f"i {noise} helped {noise}")
    assert result.word_count == 2
    assert [t.text for t in result.tokens] == ["i", "helped"]
    assert result.to_dict()["fillers"]["total"] == 0


def test_noise_token_does_not_hide_a_pause() -> None:
    # "[noise]" sits in the 0.6 s between the words: the gap still counts as a pause
    words = [Word("i", 0.0, 0.3), Word("[noise]", 0.4, 0.8), Word("helped", 0.9, 1.2)]
    result = analyze(Transcript.from_words(words))
    assert len(result.pauses) == 1


def test_isolated_low_confidence_the_is_dropped_but_confident_the_kept() -> None:
    assert report("_2 the@0.3 _2 i helped").word_count == 2
    assert report("_2 the@0.9 _2 i helped").word_count == 3


def test_isolated_low_confidence_huh_at_the_end_is_dropped() -> None:
    assert [t.text for t in report("i helped _1.5 huh@0.2").tokens] == ["i", "helped"]


def test_low_confidence_the_inside_speech_is_kept() -> None:
    assert report("i helped the@0.3 customer").word_count == 4


def test_isolation_and_confidence_follow_the_thresholds() -> None:
    script = "i helped _0.7 the@0.4 _0.7 customer"  # 0.8 s of silence each side
    assert report(script).word_count == 4
    assert report(script, Thresholds(isolated_gap_s=0.8)).word_count == 3
    assert report(script, Thresholds(isolated_gap_s=0.8, low_conf_drop=0.4)).word_count == 4


def test_speaking_time_latency_and_wpm_arithmetic() -> None:
    words = [Word("i", 1.5, 1.8), Word("listened", 1.9, 2.4), Word("carefully", 4.0, 4.5)]
    data = analyze(Transcript.from_words(words, duration_s=6.0)).to_dict()
    assert data["duration_s"] == 6.0
    assert data["speaking_s"] == 3.0
    assert data["response_latency_s"] == 1.5
    assert data["word_count"] == 3
    assert data["wpm"] == 60.0


def test_duration_without_audio_is_the_last_word_end_noise_included() -> None:
    words = [Word("i", 0.5, 0.8), Word("helped", 0.9, 1.2), Word("[noise]", 1.5, 2.0)]
    data = analyze(Transcript.from_words(words)).to_dict()
    assert data["duration_s"] == 2.0
    assert data["speaking_s"] == 0.7


def _pause_counts(script: str, thresholds: Thresholds | None = None) -> tuple[int, int]:
    data = report(script, thresholds).to_dict()["pauses"]
    return data["count"], data["long_count"]


def test_pause_boundary_values() -> None:
    # base gap between words is 0.1 s; "_x" adds x
    assert _pause_counts("a b _0.3 c") == (0, 0)  # 0.4 s
    assert _pause_counts("a b _0.4 c") == (1, 0)  # 0.5 s exactly: a pause
    assert _pause_counts("a b _1.8 c") == (1, 0)  # 1.9 s
    assert _pause_counts("a b _1.9 c") == (1, 1)  # 2.0 s exactly: a long pause


def test_pause_thresholds_can_be_changed() -> None:
    script = "a b _0.4 c _1.9 d"  # 0.5 s and 2.0 s gaps
    assert _pause_counts(script, Thresholds(pause_s=0.6)) == (1, 1)
    assert _pause_counts(script, Thresholds(pause_s=0.3, long_pause_s=2.5)) == (2, 0)


def test_pause_occurrences_and_longest() -> None:
    data = report("a _0.5 b _2.3 c").to_dict()["pauses"]
    assert data["occurrences"] == [
        {"start": 0.3, "end": 0.9, "duration": 0.6},
        {"start": 1.2, "end": 3.6, "duration": 2.4},
    ]
    assert data["longest_s"] == 2.4
    assert data["verdict"] == "one long pause"


def test_pace_windows_split_the_answer() -> None:
    # 40 words, 0.4 s apart: 16 s of speech; 15 s windows, the 1 s tail folds in
    result = report(" ".join(["word"] * 40))
    windows = result.to_dict()["pace_windows"]
    assert len(windows) == 1
    assert windows[0]["words"] == 40
    result = report(" ".join(["word"] * 40), Thresholds(pace_window_s=5.0))
    windows = result.to_dict()["pace_windows"]
    assert [w["words"] for w in windows] == [13, 12, 15]
    assert sum(w["words"] for w in windows) == 40
    assert windows[0]["wpm"] == round(13 / 5 * 60, 2)


def test_a_rush_shows_in_the_windows() -> None:
    slow = say(" ".join(["slow"] * 10), gap=1.2)  # 1.5 s per word
    fast = say(" ".join(["fast"] * 30), start=slow[-1].end + 0.2, gap=0.0)
    result = analyze(Transcript.from_words(slow + fast), thresholds=Thresholds(pace_window_s=9.0))
    rates = [w.wpm for w in result.windows]
    assert rates[0] < 60 < 150 < rates[-1]


@pytest.mark.parametrize(
    ("step", "verdict"),
    [
        (0.6, "too slow"),
        (0.52, "a little slow"),
        (0.4, "good"),
        (0.36, "a little fast"),
        (0.3, "too fast"),
    ],
)
def test_pace_verdicts(step: float, verdict: str) -> None:
    # 61 words, one every `step` s: wpm = 61 / (60 * step + 0.2) * 60
    result = analyze(transcript(" ".join(["word"] * 61), dur=0.2, gap=step - 0.2))
    assert result.verdicts()["pace"].text == verdict


def test_answer_length_against_question_band_or_default() -> None:
    short = report("i helped")
    assert short.to_dict()["answer_length"]["source"] == "default"
    assert short.to_dict()["answer_length"]["target_s"] == [45.0, 120.0]
    assert short.verdicts()["length"].text == "too short"
    q = question(("x", ("x",)))
    long_words = transcript(" ".join(["word"] * 130))  # 52 s
    ok = analyze(long_words, q).to_dict()["answer_length"]
    assert (ok["source"], ok["verdict"]) == ("question", "good")
    strict = type(q)(target_seconds=(10.0, 30.0))
    assert analyze(long_words, strict).verdicts()["length"].text == "too long"


def test_empty_transcript_gives_zeros() -> None:
    data = analyze(Transcript()).to_dict()
    assert data["word_count"] == 0
    assert data["wpm"] == 0
    assert data["speaking_s"] == 0
    assert data["duration_s"] == 0
    assert data["response_latency_s"] == 0
    assert data["pauses"]["count"] == 0
    assert data["pace_windows"] == []
    assert data["verdicts"]["pace"] == "no speech"


def test_only_noise_is_like_empty_but_keeps_the_recording_length() -> None:
    data = analyze(Transcript((Word("[noise]", 0.2, 1.0),), duration_s=3.0)).to_dict()
    assert data["word_count"] == 0
    assert data["duration_s"] == 3.0
    assert data["fillers"]["per_minute"] == 0


def test_words_out_of_time_order_are_put_in_order() -> None:
    words = [Word("helped", 1.0, 1.3), Word("i", 0.5, 0.8)]
    result = analyze(Transcript(words=tuple(words)))
    assert [t.text for t in result.tokens] == ["i", "helped"]
    assert result.response_latency_s == 0.5
    assert result.speaking_s == 0.8
