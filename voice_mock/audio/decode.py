"""Audio files in, float32 mono samples out.

`voice-mock analyze` accepts WAV/FLAC/OGG at any sample rate, mono or
stereo, and Vosk wants one channel at the model's rate. This module is the one
place that reads such files, so every failure (missing file, a folder, a
corrupt or unsupported file, a recording too short to hold a word) becomes one
`UserError` sentence naming the file instead of a libsndfile traceback.

Decoding is vectorised end to end (libsndfile read, one channel mean, one
polyphase resample, one int16 conversion) because a 10-minute answer must
cost next to nothing compared with recognising it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from math import gcd
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from voice_mock.errors import UserError

if TYPE_CHECKING:
    import soundfile

MIN_DURATION_S = 0.1
"""Anything shorter cannot hold a word; such a file is reported as empty."""

SUPPORTED = "WAV, FLAC or OGG"

READ_BLOCK_FRAMES = 1 << 18
"""Frames per block when mixing multi-channel files down (a few MB per block)."""


def open_regular(path: Path) -> int:
    """A read-only descriptor for `path`, or a `UserError` when it is not a regular file.

    Opening never blocks: a FIFO nobody writes to (or a device) is refused
    instead of hanging the command, and the check is made on what was opened,
    so the path cannot be swapped in between. The caller closes the
    descriptor. Any file name the system accepts works, including names that
    are not UTF-8 (libsndfile only takes UTF-8 paths, a descriptor it takes
    as it is).
    """
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path} does not exist.")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise UserError(f"{path} does not exist.") from None
    except OSError as exc:
        raise UserError(f"{path} could not be read: {exc.strerror or exc}.") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UserError(f"{path} is a folder, not an audio file.")
        if not stat.S_ISREG(mode):
            raise UserError(
                f"{path} is not a regular file (a pipe or a device); give a {SUPPORTED} recording."
            )
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def _sound_file(path: Path) -> Iterator[soundfile.SoundFile]:
    """`path` opened by libsndfile; a file it cannot read becomes one sentence."""
    import soundfile as sf

    fd = open_regular(path)
    try:
        try:
            handle = sf.SoundFile(fd, closefd=False)
        except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
            raise UserError(
                f"{path} could not be read as {SUPPORTED} audio ({_reason(exc)})."
            ) from None
        except OSError as exc:
            raise UserError(f"{path} could not be read: {exc.strerror or exc}.") from None
        with handle:
            yield handle
    finally:
        os.close(fd)


def _reason(exc: BaseException) -> str:
    """libsndfile's own words, without the file name it repeats."""
    text = str(getattr(exc, "error_string", "") or exc).strip().rstrip(".")
    if ": " in text and text.startswith("Error opening"):
        text = text.split(": ", 1)[1]
    return text or type(exc).__name__


def audio_duration(path: Path) -> float:
    """Length in seconds, from the header alone (cheap even for long recordings)."""
    with _sound_file(Path(path)) as handle:
        frames, rate = handle.frames, handle.samplerate
    if rate <= 0:
        raise UserError(f"{path} has no valid sample rate in its header.")
    return float(frames) / float(rate)


def load_audio(path: Path, rate: int = 16000) -> tuple[np.ndarray, int]:
    """Decode `path` to float32 mono samples at `rate` Hz.

    Channels are averaged (a stereo interview recording is the same voice on
    both sides, or one side silent; averaging keeps either intelligible).
    Pure silence is accepted: "no speech" is the report's verdict, not an
    input error. NaN and infinite samples (a float file written by a broken
    program) become silence. Returns ``(samples, rate)``.
    """
    import soundfile as sf

    path = Path(path)
    if rate <= 0:
        raise ValueError(f"rate must be positive, got {rate}")
    with _sound_file(path) as handle:
        frames, file_rate = handle.frames, handle.samplerate
        if frames <= 0 or file_rate <= 0:
            raise UserError(f"{path} is empty: it holds no audio samples.")
        if frames / file_rate < MIN_DURATION_S:
            raise UserError(f"{path} is empty: it holds only {frames / file_rate:.3f} s of audio.")
        try:
            mono = _read_mono(handle)
        except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
            raise UserError(
                f"{path} could not be decoded ({_reason(exc)}); it may be corrupt."
            ) from None
        except OSError as exc:
            raise UserError(f"{path} could not be read: {exc.strerror or exc}.") from None
    if len(mono) < MIN_DURATION_S * file_rate:
        raise UserError(f"{path} is empty or truncated: too few audio samples could be decoded.")
    return resample(mono, int(file_rate), rate), rate


def finite(samples: np.ndarray) -> np.ndarray:
    """`samples` with NaN and infinities replaced by 0, in place (a float array); silent.

    Costs one pass that finds nothing in every sane recording.
    """
    if not np.isfinite(samples).all():
        np.nan_to_num(samples, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    return samples


def _read_mono(handle: soundfile.SoundFile) -> np.ndarray:
    """Decode into one preallocated mono array.

    Multi-channel audio is read in blocks and mixed as it comes, so a long
    stereo file never sits in memory twice; a file shorter than its header
    claims (a recording cut off by a crash) yields what it really holds.
    Non-finite samples are zeroed before they are mixed or converted.
    """
    frames, channels = handle.frames, handle.channels
    mono = np.empty(frames, dtype=np.float32)
    if channels == 1:
        filled = len(handle.read(dtype="float32", out=mono))
        finite(mono[:filled])
    else:
        block = np.empty((min(READ_BLOCK_FRAMES, frames), channels), dtype=np.float32)
        filled = 0
        while filled < frames:
            data = handle.read(dtype="float32", out=block[: min(len(block), frames - filled)])
            if not len(data):
                break
            np.mean(finite(data), axis=1, out=mono[filled : filled + len(data)])
            filled += len(data)
    return mono[:filled]


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Polyphase resampling (exact ratio, anti-aliased), float32 out, contiguous."""
    if from_rate == to_rate:
        return np.ascontiguousarray(samples, dtype=np.float32)
    from scipy.signal import resample_poly

    g = gcd(int(from_rate), int(to_rate))
    out: Any = resample_poly(samples, to_rate // g, from_rate // g)
    return np.ascontiguousarray(out, dtype=np.float32)


def pcm16_bytes(samples: np.ndarray) -> bytes:
    """float32 in [-1, 1] to little-endian signed 16-bit PCM, clipped (Vosk's input format).

    Done once per recording with whole-array operations; callers slice the
    result with a memoryview rather than converting chunk by chunk.
    """
    data = np.asarray(samples, dtype=np.float32)
    if not np.isfinite(data).all():  # NaN would cast to garbage (and warn): silence instead
        data = np.where(np.isfinite(data), data, np.float32(0.0))
    with np.errstate(over="ignore"):  # beyond +-1e34 overflows to inf, which clipping handles
        scaled = np.multiply(data, np.float32(32768.0))
    np.rint(scaled, out=scaled)
    np.clip(scaled, -32768.0, 32767.0, out=scaled)
    return scaled.astype("<i2").tobytes()
