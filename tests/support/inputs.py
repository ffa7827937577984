"""Inputs shared by the CLI and pipeline tests: a small bank and an English Vosk transcript.

The transcript's timings are built here, so the expected word count, fillers,
pauses and coverage are known exactly and the tests compare against them.
"""

from __future__ import annotations

import json
import wave
from dataclasses import dataclass
from pathlib import Path

BANK_ID = "test-bank"
QUESTION_ID = "handle-complaint"

BANK_TOML = f"""
[bank]
id = "{BANK_ID}"
title = "Test bank"

[[questions]]
id = "{QUESTION_ID}"
text = "How do you handle a complaint?"
category = "scenario"
target_seconds = [30, 90]
why = "To see whether you stay calm and fix the problem."
tips = ["Name one concrete step."]
follow_ups = ["What if they stay angry?"]

[[questions.key_points]]
id = "listening"
label = "Listen to the customer"
cues = ["listen", "hear them out"]

[[questions.key_points]]
id = "apology"
label = "Apologise"
cues = ["sorry", "apologize"]

[[questions.key_points]]
id = "follow-up"
label = "Follow up afterwards"
cues = ["follow up", "check back"]

[[questions]]
id = "why-this-job"
text = "Why do you want this job?"
category = "general"

[[questions.key_points]]
id = "motivation"
label = "Say what motivates you"
cues = ["enjoy", "motivate"]
"""


def write_bank(folder: Path, bank_id: str = BANK_ID, name: str = "bank.toml") -> Path:
    """The test bank (optionally under another bank id, for ambiguity tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(BANK_TOML.replace(f'id = "{BANK_ID}"', f'id = "{bank_id}"'), encoding="utf-8")
    return path


WORDS = [
    *("i", "always", "listen", "um", "to", "the", "customer"),
    *("and", "uh", "i", "say", "sorry", "then", "you", "know", "i", "fix", "it"),
]
PAUSE_AFTER = {"customer": 0.8, "sorry": 2.5}
"""Gaps (s) after these words; every other gap is 0.1 s, below the 0.5 s pause threshold."""
FIRST_START = 1.0
WORD_S = 0.3


@dataclass(frozen=True)
class Expected:
    word_count: int
    fillers_total: int
    filler_counts: dict[str, int]
    pauses: int
    long_pauses: int
    longest_pause: float
    speaking_s: float
    duration_s: float
    wpm: float
    latency_s: float
    covered: set[str]
    missed: set[str]


def transcript_data() -> tuple[list[dict[str, object]], Expected]:
    """Two Vosk results (utterances) with a noise token, and what analysis must find."""
    words: list[dict[str, object]] = []
    t = FIRST_START
    for w in WORDS:
        words.append({"word": w, "start": round(t, 3), "end": round(t + WORD_S, 3), "conf": 0.97})
        t += WORD_S + PAUSE_AFTER.get(w, 0.1)
    # A recogniser noise token inside a normal gap: not a word, changes no pause.
    noise = {"word": "[unk]", "start": 2.12, "end": 2.18, "conf": 0.5}
    first, second = words[:7], words[7:]
    data: list[dict[str, object]] = [
        {
            "text": " ".join(str(w["word"]) for w in first),
            "result": [*first[:3], noise, *first[3:]],
        },
        {"text": " ".join(str(w["word"]) for w in second), "result": second},
    ]
    start, end = float(words[0]["start"]), float(words[-1]["end"])  # type: ignore[arg-type]
    speaking = end - start
    expected = Expected(
        word_count=len(WORDS),
        fillers_total=3,
        filler_counts={"um": 1, "uh": 1, "you know": 1},
        pauses=2,
        long_pauses=1,
        longest_pause=2.5,
        speaking_s=speaking,
        duration_s=end,
        wpm=len(WORDS) / speaking * 60,
        latency_s=FIRST_START,
        covered={"listening", "apology"},
        missed={"follow-up"},
    )
    return data, expected


def write_transcript(path: Path) -> Expected:
    data, expected = transcript_data()
    path.write_text(json.dumps(data), encoding="utf-8")
    return expected


def write_silent_wav(path: Path, seconds: float, rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(b"\0\0" * int(seconds * rate))
    return path
