"""Synthetic English transcripts in Vosk's form, for analysis and history at scale.

The English model cannot be downloaded here, so long English answers are
generated: customer-service sentences, vocal and verbal fillers at a
realistic rate (a few per minute, some of them the non-filler uses of "like"
and "you know" that the rules must tell apart), repeated words, the odd
``[unk]``, word lengths and gaps like Vosk's (30 ms steps), short breaths,
real pauses and a few long ones, one Vosk result per stretch of speech.
Seeded, so every run analyses the same words.
"""

from __future__ import annotations

import json
import random
from typing import Any

SENTENCES = (
    "i always listen to the customer first and make sure i understand the concern",
    "then i apologize for the trouble and explain what i can do right now",
    "at my last job a customer was upset because her order arrived late",
    "i looked up the tracking number and saw it was stuck at the warehouse",
    "so i offered a replacement with express shipping and a discount on the next order",
    "she felt like we really cared and she wrote a nice review afterwards",
    "i think good service means solving the problem and following up",
    "i would check back the next day to make sure everything worked",
    "do you know what the customer really wants is to feel heard",
    "working with my team i learned to share what customers tell us",
    "it looks like a small thing but it makes a big difference",
    "i stay calm and keep my voice friendly even when people are angry",
)

FILLERS = ("um", "uh", "like", "you know", "so", "basically", "i mean", "kind of", "actually")
FILLER_WEIGHTS = (6, 5, 3, 2, 2, 1, 1, 1, 1)


def vosk_results(minutes: float, seed: int = 7) -> list[dict[str, Any]]:
    """About `minutes` of speech as a list of Vosk final results."""
    rng = random.Random(seed)
    limit = minutes * 60.0
    results: list[dict[str, Any]] = []
    words: list[dict[str, Any]] = []
    t = round(rng.uniform(0.6, 1.8), 2)

    def step(seconds: float) -> float:
        return round(round(seconds / 0.03) * 0.03, 2)

    def say(token: str) -> None:
        nonlocal t
        length = step(max(0.09, rng.gauss(0.1 + 0.045 * len(token), 0.05)))
        conf = 1.0 if rng.random() < 0.7 else round(rng.uniform(0.45, 0.99), 6)
        words.append({"word": token, "start": t, "end": round(t + length, 2), "conf": conf})
        t = round(t + length + step(abs(rng.gauss(0.04, 0.04))), 2)

    def close() -> None:
        if words:
            results.append({"text": " ".join(w["word"] for w in words), "result": list(words)})
            words.clear()

    while t < limit:
        sentence = rng.choice(SENTENCES).split()
        for n, token in enumerate(sentence):
            if rng.random() < 0.05:
                for part in rng.choices(FILLERS, FILLER_WEIGHTS)[0].split():
                    say(part)
            say(token)
            if n < 3 and rng.random() < 0.02:
                say(token)  # a repetition: "i i"
            if rng.random() < 0.004:
                say("[unk]")
        pause = rng.random()
        if pause < 0.55:
            t = round(t + step(rng.uniform(0.15, 0.45)), 2)  # a breath: same utterance
        else:
            close()
            long = pause > 0.96
            t = round(t + step(rng.uniform(2.0, 3.5) if long else rng.uniform(0.5, 1.6)), 2)
    close()
    return results


def transcript_json(minutes: float, seed: int = 7) -> str:
    """`vosk_results` as the JSON text a transcript file would hold."""
    return json.dumps(vosk_results(minutes, seed))
