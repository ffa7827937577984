"""The report JSON contract, JSON safety, the text report, and linear cost on long answers."""

from __future__ import annotations

import json
import random
import time

from tests.support.analysis import features, question, transcript
from voice_mock.analysis.report import Report, analyze
from voice_mock.analysis.saved import SavedReport
from voice_mock.render.text import report_text
from voice_mock.transcript import Transcript, Word

HOUR_VOCABULARY = (
    "i listened to the customer and um we like offered a refund so that you know "
    "she was happy basically i think the the manager helped"
)
ANSWER = (
    "so um i always listen to the customer first you know and i like to "
    "apologize _2.5 then i offer a refund like if it is fair _0.6 basically that is it"
)


def full_report() -> dict[str, object]:
    q = question(("listening", ("listen",)), ("refund", ("refund",)), ("escalate", ("manager",)))
    return analyze(transcript(ANSWER, start=1.2), q).to_dict()


def test_contract_keys_and_types() -> None:
    data = full_report()
    assert data["question_id"] == "handle-angry-customer"
    for key in ("duration_s", "speaking_s", "wpm", "response_latency_s"):
        assert isinstance(data[key], float), key
    assert isinstance(data["word_count"], int)
    fillers = data["fillers"]
    assert isinstance(fillers, dict)
    assert set(fillers) >= {"total", "per_minute", "counts", "occurrences"}
    assert fillers["counts"] == {"so": 1, "um": 1, "you know": 1, "like": 1, "basically": 1}
    assert fillers["total"] == 5
    assert all(set(o) == {"text", "start", "end"} for o in fillers["occurrences"])
    pauses = data["pauses"]
    assert isinstance(pauses, dict)
    assert (pauses["count"], pauses["long_count"], pauses["longest_s"]) == (2, 1, 2.6)
    assert all(set(o) == {"start", "end", "duration"} for o in pauses["occurrences"])
    coverage = data["coverage"]
    assert isinstance(coverage, dict)
    assert coverage["ratio"] == 0.67
    assert {"id", "label", "at_s", "cue"} <= set(coverage["covered"][0])
    assert coverage["missed"] == [{"id": "escalate", "label": "Escalate"}]


def test_headline_numbers_follow_the_definitions() -> None:
    data = full_report()
    assert data["response_latency_s"] == 1.2
    assert data["word_count"] == 30
    speaking = data["speaking_s"]
    assert isinstance(speaking, float)
    assert data["wpm"] == round(30 / speaking * 60, 2)
    assert data["duration_s"] == round(1.2 + speaking, 2)


def test_extra_keys_present() -> None:
    data = full_report()
    for key in (
        "verdicts",
        "pace",
        "pace_windows",
        "answer_length",
        "filler_bursts",
        "repetitions",
        "hedges",
        "top_words",
        "star",
        "hesitations",
        "delivery",
        "phone",
        "question_qualified_id",
        "thresholds",
    ):
        assert key in data, key
    verdicts = data["verdicts"]
    assert isinstance(verdicts, dict)
    assert set(verdicts) >= {"pace", "fillers", "pauses", "length", "coverage"}


def test_report_is_json_serialisable_with_everything_switched_on() -> None:
    q = question(("listening", ("listen",)), star=True)
    audio = features(40.0, [(1.0, 30.0, -22.0)], pitch_swing_st=3.0)
    data = analyze(transcript(ANSWER, start=1.2), q, audio=audio, phone=True).to_dict()
    round_trip = json.loads(json.dumps(data, allow_nan=False))
    assert round_trip == data
    assert data["star"] is not None and data["delivery"] is not None and data["phone"] is not None


def format_report(report: Report) -> str:
    """The text report the CLI prints, from the report as saved (its JSON)."""
    return report_text(SavedReport.from_dict(report.to_dict()), report.thresholds)


def test_empty_transcript_report_and_text() -> None:
    result = analyze(Transcript(), question(("a", ("listen",))), phone=True)
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    assert data["coverage"]["ratio"] == 0.0
    assert data["fillers"] == {
        "total": 0,
        "per_minute": 0.0,
        "counts": {},
        "occurrences": [],
        "verdict": "no speech",
    }
    assert "No words were recognised" in format_report(result)


def test_top_words_drop_stop_words_and_fillers() -> None:
    script = "the refund the refund um the customer the customer like the refund"
    top = analyze(transcript(script)).to_dict()["top_words"]
    assert top == [{"word": "refund", "count": 3}, {"word": "customer", "count": 2}]


def test_format_report_has_sections_and_headline_numbers() -> None:
    q = question(("listening", ("listen",)), ("escalate", ("manager",)), star=True)
    audio = features(40.0, [(1.0, 30.0, -22.0)], pitch_swing_st=3.0)
    result = analyze(transcript(ANSWER, start=1.2), q, audio=audio, phone=True)
    text = format_report(result)
    for title in ("OVERVIEW", "PACE", "FILLERS", "PAUSES", "COVERAGE", "STAR", "DELIVERY"):
        assert title in text
    assert "PHONE ADVICE" in text
    assert f"{result.wpm:.0f} words per minute" in text
    assert f"Words: {result.word_count}" in text
    assert "5 fillers" in text
    assert '"um" x1' in text
    assert "[ ] Escalate" in text
    # A behavioural question answered with general claims: no story is told; only the
    # points' own cue phrases count.
    assert "No story was told" in text and "[x] Listening" in text
    told = format_report(
        analyze(transcript(ANSWER, start=1.2), question(("listening", ("listen",))))
    )
    assert "[x] Listening" in told
    assert "Loudness: -22 dBFS: good" in text
    plain = format_report(analyze(transcript(ANSWER)))
    assert "No question given" in plain and "No audio analysed" in plain


def test_an_hour_long_answer_is_analysed_in_linear_time() -> None:
    vocabulary = HOUR_VOCABULARY.split()
    rng = random.Random(7)

    def hour_of_words(minutes: int) -> Transcript:
        words, t = [], 0.0
        while t < minutes * 60:
            t += rng.choice((0.05, 0.1, 0.1, 0.2, 0.7, 2.5))
            words.append(Word(rng.choice(vocabulary), t, t + 0.25, rng.uniform(0.3, 1.0)))
            t += 0.25
        return Transcript.from_words(words)

    q = question(
        ("listening", ("listen", "hear them out")),
        ("refund", ("refund",)),
        ("follow-up", ("follow up", "check back")),
        star=True,
    )
    small, big = hour_of_words(6), hour_of_words(60)

    def cost(t: Transcript) -> float:
        began = time.perf_counter()
        data = analyze(t, q, phone=True).to_dict()
        assert data["word_count"] > 0
        return time.perf_counter() - began

    cost(small)  # warm the stemmer cache
    # ten times the words must not cost a hundred times the time (a quadratic loop would)
    assert cost(big) < 30 * max(cost(small), 0.005)
