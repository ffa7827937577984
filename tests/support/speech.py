"""Korean sentences for the tests that make real Vosk hear real espeak-ng speech."""

from __future__ import annotations

KOREAN_ANSWER = (
    "안녕하세요 저는 고객 서비스를 정말 좋아합니다 고객의 말을 잘 듣고 문제를 해결합니다"
)
"""A short Korean answer (about 8 s) where the length of the speech matters."""

SHORT_KO = "안녕하세요 저는 고객의 말을 잘 듣습니다"
"""A short Korean answer (about 3 s of espeak-ng speech) where real Vosk must hear speech."""

ENGLISH_SENTENCE = "Hello, this is me checking my microphone before the interview."
"""An English sentence espeak-ng says for the microphone-check tests (the ``speech`` fixture)."""

TINY_KO = "안녕하세요"
"""One Korean greeting (about 1.5 s of espeak-ng speech, which real Vosk hears as a few
words): for tests where some recognised speech must be there but its length is not the point
(Vosk on this machine decodes about as fast as real time, so every second of it counts)."""
