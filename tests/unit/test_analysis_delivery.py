"""Audio-based delivery measures and phone advice, on hand-built `AudioFeatures`."""

from __future__ import annotations

from tests.support.analysis import features, transcript
from voice_mock.analysis.report import analyze
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.transcript import Transcript, Word

TWO_WORDS = Transcript.from_words([Word("i", 0.5, 1.0), Word("helped", 2.0, 2.5)], duration_s=3.0)


def test_voiced_wordless_stretch_between_words_is_a_hesitation() -> None:
    audio = features(3.0, [(0.5, 2.5, -20.0)])  # voice all through, words leave 1.0 s bare
    data = analyze(TWO_WORDS, audio=audio).to_dict()
    assert data["hesitations"]["count"] == 1
    assert data["hesitations"]["occurrences"] == [{"start": 1.0, "end": 2.0, "duration": 1.0}]
    assert data["pauses"]["count"] == 1  # the words still have a gap between them


def test_silent_gap_is_a_pause_not_a_hesitation() -> None:
    audio = features(3.0, [(0.5, 1.0, -20.0), (2.0, 2.5, -20.0)])
    data = analyze(TWO_WORDS, audio=audio).to_dict()
    assert data["hesitations"]["count"] == 0
    assert data["pauses"]["count"] == 1


def test_hesitation_minimum_length_comes_from_thresholds() -> None:
    audio = features(3.0, [(0.5, 1.2, -20.0), (2.0, 2.5, -20.0)])  # 0.2 s voiced past "i"
    assert analyze(TWO_WORDS, audio=audio).to_dict()["hesitations"]["count"] == 0
    loose = Thresholds(hesitation_min_s=0.1)
    assert analyze(TWO_WORDS, audio=audio, thresholds=loose).to_dict()["hesitations"]["count"] == 1


def test_noise_token_does_not_cover_a_hesitation() -> None:
    words = [Word("i", 0.5, 1.0), Word("[unk]", 1.0, 2.0), Word("helped", 2.0, 2.5)]
    audio = features(3.0, [(0.5, 2.5, -20.0)])
    assert analyze(Transcript.from_words(words), audio=audio).to_dict()["hesitations"]["count"] == 1


def test_without_audio_delivery_and_hesitations_are_null() -> None:
    data = analyze(TWO_WORDS).to_dict()
    assert data["delivery"] is None
    assert data["hesitations"] is None


def test_loudness_verdicts() -> None:
    loud = analyze(TWO_WORDS, audio=features(3.0, [(0.5, 2.5, -20.0)])).to_dict()
    assert loud["delivery"]["loudness"]["median_dbfs"] == -20.0
    assert loud["delivery"]["loudness"]["verdict"] == "good"
    quiet = analyze(TWO_WORDS, audio=features(3.0, [(0.5, 2.5, -40.0)])).to_dict()
    assert quiet["delivery"]["loudness"]["verdict"] == "too quiet"
    assert "dBFS" in quiet["delivery"]["loudness"]["explain"]


def test_trailing_off_is_a_quiet_last_half_second() -> None:
    trailing = features(6.0, [(0.0, 1.5, -20.0), (1.5, 2.0, -32.0), (3.0, 5.0, -20.0)])
    data = analyze(TWO_WORDS, audio=trailing).to_dict()["delivery"]["trailing_off"]
    assert (data["stretches"], data["trailing"]) == (2, 1)
    assert data["verdict"] == "trails off often"
    steady = features(6.0, [(0.0, 2.0, -20.0), (3.0, 5.0, -20.0)])
    data = analyze(TWO_WORDS, audio=steady).to_dict()["delivery"]["trailing_off"]
    assert (data["trailing"], data["verdict"]) == (0, "good")


def test_clipping_from_the_share_of_clipped_samples_not_one_peak() -> None:
    def clipped(peak: float, clipped_ratio: float) -> bool:
        audio = features(3.0, [(0.5, 2.5, -20.0)], peak=peak, clipped_ratio=clipped_ratio)
        return bool(analyze(TWO_WORDS, audio=audio).to_dict()["delivery"]["clipping"]["clipped"])

    assert not clipped(peak=0.8, clipped_ratio=0.0)
    assert clipped(peak=1.0, clipped_ratio=0.01)
    # A single full-scale sample is an ordinary plosive close to the microphone.
    assert not clipped(peak=1.0, clipped_ratio=0.0)


def test_pitch_variation_monotone_versus_lively() -> None:
    flat = features(3.0, [(0.5, 2.5, -20.0)], pitch_swing_st=0.5)
    lively = features(3.0, [(0.5, 2.5, -20.0)], pitch_swing_st=6.0)
    flat_d = analyze(TWO_WORDS, audio=flat).to_dict()["delivery"]["pitch_variation"]
    lively_d = analyze(TWO_WORDS, audio=lively).to_dict()["delivery"]["pitch_variation"]
    assert flat_d["verdict"] == "monotone" and flat_d["semitones"] < 2
    assert lively_d["verdict"] == "good" and lively_d["semitones"] > 2
    unpitched = features(3.0, [(0.5, 2.5, -20.0)], pitch=None)
    data = analyze(TWO_WORDS, audio=unpitched).to_dict()["delivery"]["pitch_variation"]
    assert data["semitones"] is None


def test_phone_dead_air_pace_and_advice() -> None:
    t = transcript("hello i can help _3.0 with that _2.0 today")  # gaps 3.1 s and 2.1 s
    data = analyze(t, phone=True).to_dict()["phone"]
    assert data["dead_air"]["count"] == 1
    assert data["dead_air"]["occurrences"][0]["duration"] == 3.1
    assert data["pace"]["band"] == [110.0, 150.0]
    assert any("dead air" in tip for tip in data["advice"])
    looser = analyze(t, phone=True, thresholds=Thresholds(phone_dead_air_s=2.0)).to_dict()
    assert looser["phone"]["dead_air"]["count"] == 2


def test_phone_slow_start_is_dead_air_and_phone_is_null_off_the_phone() -> None:
    t = transcript("hello there", start=4.0)
    assert analyze(t, phone=True).to_dict()["phone"]["dead_air"]["occurrences"][0] == {
        "start": 0.0,
        "end": 4.0,
        "duration": 4.0,
    }
    assert analyze(t).to_dict()["phone"] is None


def test_phone_volume_steadiness_from_audio() -> None:
    even = features(8.0, [(0.0, 2.0, -20.0), (3.0, 5.0, -21.0), (6.0, 8.0, -20.0)])
    uneven = features(8.0, [(0.0, 2.0, -15.0), (3.0, 5.0, -30.0), (6.0, 8.0, -18.0)])
    assert analyze(TWO_WORDS, audio=even, phone=True).verdicts()["phone_volume"].text == "good"
    assert analyze(TWO_WORDS, audio=uneven, phone=True).verdicts()["phone_volume"].text == "uneven"
    assert analyze(TWO_WORDS, phone=True).verdicts()["phone_volume"].text == "unknown (no audio)"
