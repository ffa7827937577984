"""The live coach: pace over speaking time, a filler counter, and rare, gentle nudges."""

from __future__ import annotations

from voice_mock.analysis.live import LiveCoach, LiveReading
from voice_mock.analysis.thresholds import Thresholds


def speak(
    coach: LiveCoach,
    words: list[str],
    *,
    start: float = 0.0,
    wpm: float = 140.0,
    tick: float = 0.1,
    heard: list[str] | None = None,
) -> tuple[float, list[LiveReading]]:
    """Say `words` at `wpm` from `start`, the recogniser closing an utterance every 8 words."""
    said = list(heard or [])
    readings: list[LiveReading] = []
    t = start
    per_word = 60.0 / wpm
    next_word = start
    for word in words:
        while t < next_word:
            reading = coach.tick(t, True)
            if reading is not None:
                readings.append(reading)
            t += tick
        said.append(word)
        cut = len(said) - len(said) % 8
        coach.heard(" ".join(said[:cut]), " ".join(said[cut:]), t)
        next_word += per_word
    return t, readings


def quiet(coach: LiveCoach, start: float, seconds: float, tick: float = 0.1) -> float:
    t = start
    while t < start + seconds:
        coach.tick(t, False)
        t += tick
    return t


def test_pace_is_measured_over_speaking_time_only() -> None:
    coach = LiveCoach(Thresholds())
    t, readings = speak(coach, ["word"] * 40, wpm=140)
    assert readings[-1].wpm is not None and 125 <= readings[-1].wpm <= 155
    assert readings[-1].pace == "good"
    t = quiet(coach, t, 6.0)  # thinking: the clock runs, the pace does not drop
    t, readings = speak(coach, ["word"] * 6, start=t, wpm=140, heard=["word"] * 40)
    assert readings and readings[-1].wpm is not None and readings[-1].wpm >= 120


def test_no_pace_before_enough_speech_and_fillers_are_counted() -> None:
    coach = LiveCoach(Thresholds())
    _, readings = speak(coach, ["i", "um", "listen", "uh", "carefully"], wpm=100)
    assert all(r.wpm is None for r in readings)
    assert coach.fillers == 2
    coach.heard("", "i like it", 9.0)  # the filler contract's rules: "i like it" is meant
    assert coach.fillers == 0


def test_a_fast_pace_gets_one_gentle_nudge_then_quiet_for_a_while() -> None:
    coach = LiveCoach(Thresholds(), nudge_gap_s=20.0, nudge_show_s=5.0)
    _, readings = speak(coach, ["word"] * 120, wpm=220)
    nudges = [r.nudge for r in readings if r.nudge]
    assert nudges and "slow down" in nudges[0]
    shown = [i for i, r in enumerate(readings) if r.nudge]
    # shown for a few seconds, then not again within the gap (a 33 s answer: twice at most)
    assert len({readings[i].nudge for i in shown}) <= 2
    assert readings[-1].pace == "fast"


def test_bunched_fillers_are_nudged() -> None:
    coach = LiveCoach(Thresholds())
    _, readings = speak(coach, ["so", "um", "uh", "um", "well", "i"], wpm=120)
    assert any(r.nudge and "Fillers" in r.nudge for r in readings)


def test_a_revised_partial_takes_a_filler_back() -> None:
    coach = LiveCoach(Thresholds())
    coach.heard("", "i um", 1.0)
    assert coach.fillers == 1
    coach.heard("", "i am", 1.2)
    assert coach.fillers == 0


def test_phone_mode_measures_against_the_phone_band() -> None:
    t = Thresholds()
    coach = LiveCoach(t, phone=True)
    assert coach.band == (t.phone_wpm_low, t.phone_wpm_high)
    _, readings = speak(coach, ["word"] * 50, wpm=155)
    assert readings[-1].pace == "fast"  # above the phone band, inside the in-person one
