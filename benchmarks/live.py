"""Live practice turns as the app runs them, instrumented for latency, lag and memory.

Each answer goes through `voice_mock.coach.turn.PracticeTurn` exactly as the CLI
and the TUI use it: a `FileSource` plays the speech in real time (or a
`SoundDeviceSource` records a PulseAudio null sink's monitor while ``paplay``
plays it), the recorder writes the WAV and feeds the streaming recogniser on
its listener thread, and after `stop()` the turn transcribes, analyses and
saves. The only additions are clocks:

- the source's callback notes when the first block was delivered (the audio
  clock's zero), so a word ending at ``t`` in the audio was said at
  ``zero + t``;
- `StreamingRecognizer` is replaced, for the duration of a run, by a subclass
  that notes after each ``accept`` when the live text grew (the n-th word of
  the final transcript was shown when the text first held n words; lag = that
  moment minus when the word was said);
- the turn's listener timestamps every state change, so the time from
  ``stop()`` to ``done`` (the report saved) splits into draining the
  recogniser, closing it, and analysing + saving;
- while the answer is being recorded, the process's CPU time (every thread:
  PortAudio's callback, the recorder, Vosk, the turn's loop) is read in
  windows of wall time (`CpuClock`), and the live coach's own calls are timed
  on the thread that makes them, so figure 6 can say what the live nudges
  cost (`live_nudges` on and off, `[practice] live_nudges` as a user sets it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

from benchmarks.memory import heap_in_use_mb, rss_mb


@dataclass
class LagLog:
    """When the live text first held 1, 2, 3... words, to set against the words' audio times.

    The recogniser's partial words carry times too, but Vosk gives them only
    for the part of the lattice it has already determinised, which trails the
    text shown to the user; so the lag is measured on what the user sees: the
    n-th word of the final transcript counts as shown when the live text
    first held n words.
    """

    zero: float | None = None
    """Clock time at which the audio started (first block delivered), or 0 for audio time."""
    first_block: threading.Event = field(default_factory=threading.Event)
    """Set when the source delivered its first block (the device is really recording)."""
    shown: list[tuple[float, int]] = field(default_factory=list)
    """(clock time, word count) each time the live text grew past its longest so far."""

    def note(self, text: str, now: float) -> None:
        count = len(text.split())
        if count > (self.shown[-1][1] if self.shown else 0):
            self.shown.append((now, count))

    def lags(self, word_ends: list[float]) -> list[float]:
        """Seconds from each word's end in the audio to the live text first holding it."""
        if self.zero is None:
            return []
        out = []
        position = 0
        for index, end in enumerate(word_ends):
            while position < len(self.shown) and self.shown[position][1] <= index:
                position += 1
            if position == len(self.shown):
                break  # this word only came with the final result, after stop
            out.append(self.shown[position][0] - (self.zero + end))
        return out


def lagging_recognizer(log: LagLog) -> type:
    """A `StreamingRecognizer` subclass that notes the live text's length after every ``accept``."""
    from voice_mock.speech.stt import StreamingRecognizer

    class LaggingRecognizer(StreamingRecognizer):
        def accept(self, pcm16: bytes) -> str | None:
            out = super().accept(pcm16)
            log.note(self.live_text, time.monotonic())
            return out

    return LaggingRecognizer


@contextmanager
def instrumented_recognizer(log: LagLog) -> Iterator[None]:
    """Swap in the logging recogniser where `PracticeTurn` imports it from."""
    from voice_mock.speech import stt

    with mock.patch.object(stt, "StreamingRecognizer", lagging_recognizer(log)):
        yield


def clocked(source: Any, log: LagLog) -> Any:
    """Wrap `source.start` so the first delivered block starts the audio clock."""
    original: Callable[[Callable[[np.ndarray], None]], None] = source.start

    def start(callback: Callable[[np.ndarray], None]) -> None:
        def first(block: np.ndarray) -> None:
            if log.zero is None:
                log.zero = time.monotonic()
                log.first_block.set()
            callback(block)

        original(first)

    source.start = start
    return source


class CpuClock:
    """The process's CPU time over wall time, in windows, while an answer is recorded.

    ``time.process_time`` is ``CLOCK_PROCESS_CPUTIME_ID``: the CPU of every
    thread of this process, Vosk's and PortAudio's included, and nothing of
    other processes (``paplay`` and the sound server are not counted, and they
    do the same work whether nudges are on or not). A reading every
    `window_s` gives a series whose median shrugs off a moment when the
    shared machine was busy; the whole span is kept too.
    """

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self.samples: list[tuple[float, float]] = []
        """(monotonic wall time, process CPU time) at the start and after each window."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cpu-clock", daemon=True)

    def _sample(self) -> None:
        self.samples.append((time.monotonic(), time.process_time()))

    def _run(self) -> None:
        while not self._stop.wait(self.window_s):
            self._sample()

    def start(self) -> None:
        self._sample()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def windows_pct(self) -> list[float]:
        """CPU as a percentage of one core in each whole window (a short last one is left out)."""
        out = []
        for (wall0, cpu0), (wall1, cpu1) in zip(self.samples, self.samples[1:], strict=False):
            if wall1 - wall0 >= self.window_s * 0.9:
                out.append(100.0 * (cpu1 - cpu0) / (wall1 - wall0))
        return out

    @property
    def cpu_s(self) -> float:
        return self.samples[-1][1] - self.samples[0][1] if len(self.samples) > 1 else 0.0

    @property
    def wall_s(self) -> float:
        return self.samples[-1][0] - self.samples[0][0] if len(self.samples) > 1 else 0.0


@dataclass
class CoachTime:
    """CPU the live coach itself spent (its ``heard`` and ``tick``), on the thread calling it."""

    cpu_s: float = 0.0
    calls: int = 0


@contextmanager
def timed_live_coach(spent: CoachTime) -> Iterator[None]:
    """Swap in a `LiveCoach` that adds the thread CPU time of each call to `spent`.

    The turn imports `LiveCoach` from its module when it builds one, so the
    patch reaches it. ``thread_time`` counts only the calling thread, so
    Vosk working on other threads at the same moment is not charged to it.
    """
    from voice_mock.analysis import live

    class TimedLiveCoach(live.LiveCoach):
        def heard(self, final: str, partial: str, at_s: float) -> None:
            began = time.thread_time()
            try:
                super().heard(final, partial, at_s)
            finally:
                spent.cpu_s += time.thread_time() - began
                spent.calls += 1

        def tick(self, at_s: float, speaking: bool) -> Any:
            began = time.thread_time()
            try:
                return super().tick(at_s, speaking)
            finally:
                spent.cpu_s += time.thread_time() - began
                spent.calls += 1

    with mock.patch.object(live, "LiveCoach", TimedLiveCoach):
        yield


class StateClock:
    """A `TurnListener` that timestamps states and counts partials."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.partials = 0
        self.messages: list[str] = []
        self.live_readings = 0
        self.nudges: list[str] = []
        self._nudge: str | None = None
        self.recording = threading.Event()
        self.done = threading.Event()

    def on_state(self, state: Any) -> None:
        self.times.setdefault(str(state), time.monotonic())
        if str(state) == "recording":
            self.recording.set()
        if str(state) in ("done", "skipped"):
            self.done.set()

    def on_level(self, dbfs: float, speaking: bool, elapsed_s: float) -> None:
        return None

    def on_partial(self, text: str) -> None:
        self.partials += 1

    def on_message(self, text: str) -> None:
        self.messages.append(text)

    def on_live(self, reading: Any) -> None:
        """A live pace/filler reading, as the app's gauge gets it (counted, nudges kept)."""
        self.live_readings += 1
        if reading.nudge and reading.nudge != self._nudge:
            self.nudges.append(reading.nudge)
        self._nudge = reading.nudge


@dataclass
class TurnRun:
    """One measured answer."""

    feedback_s: float
    """stop() until the state ``done`` (transcript, report and index row saved)."""
    drain_s: float
    """stop() until ``transcribing``: the recorder and recogniser catching up."""
    finish_s: float
    """``transcribing`` until ``analysing``: Vosk's final result."""
    analyse_save_s: float
    """``analysing`` until ``done``: audio features, the report, and the store."""
    lags: list[float]
    rss_after_mb: float
    audio_s: float
    words: int
    partials: int
    overflows: int
    stopped_by: str | None
    message: str | None
    first_block_s: float = 0.0
    """From the turn saying "recording" to the first audio block (speech before it is lost)."""
    rss_trimmed_mb: float = 0.0
    """RSS after the answer once the C allocator returned its free pages (`malloc_trim`)."""
    heap_in_use_mb: float | None = None
    """Memory the C allocator has handed out and not had back after the answer."""
    live_nudges: bool = True
    """Whether the turn ran the live coach (`[practice] live_nudges`)."""
    cpu_windows_pct: list[float] = field(default_factory=list)
    """Process CPU, % of one core, in each window from the first audio block to stop()."""
    cpu_s: float = 0.0
    """Process CPU seconds from the first audio block to stop() (every thread)."""
    cpu_wall_s: float = 0.0
    """Wall seconds of that span."""
    coach_cpu_s: float = 0.0
    """CPU seconds spent inside the live coach's own calls (0 with nudges off)."""
    coach_calls: int = 0
    live_readings: int = 0
    """Live readings (pace, fillers, nudge) the turn sent its listener."""
    nudges: list[str] = field(default_factory=list)
    """The distinct nudges shown, in order."""

    @property
    def cpu_pct(self) -> float:
        """Process CPU over the recording, as a percentage of one core."""
        return 100.0 * self.cpu_s / self.cpu_wall_s if self.cpu_wall_s else 0.0


def trimmed_rss_mb() -> float:
    """RSS after asking glibc to hand free heap pages back (Vosk frees a lot per answer).

    Raw RSS after an answer depends on what the allocator keeps cached; after
    ``malloc_trim(0)`` what remains is what is really held, so growth across
    answers then means a leak rather than allocator caching.
    """
    import ctypes
    import gc

    gc.collect()
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_mb()


def practice_settings(*, live_nudges: bool = True) -> Any:
    """Default settings with auto-stop off (the benchmark presses stop itself).

    `live_nudges` is the user's ``[practice] live_nudges``: on by default, as in the app.
    """
    from voice_mock.config import AudioSettings, PracticeSettings, Settings

    return Settings(
        audio=AudioSettings(silence_stop_s=0.0, max_answer_s=0.0),
        practice=PracticeSettings(live_nudges=live_nudges),
    )


def first_question() -> Any:
    """A real question from the bundled bank (key points make analysis do its full work)."""
    try:
        from voice_mock.bank import load_library

        questions = load_library().questions()
    except ImportError:
        return None
    with_points = [q for q in questions if q.key_points]
    chosen = with_points or questions
    return chosen[0] if chosen else None


def run_turn(
    source: Any,
    *,
    store: Any,
    model: Path,
    question: Any,
    wait_for_end: Callable[[], None],
    live_nudges: bool = True,
    cpu_window_s: float = 5.0,
) -> TurnRun:
    """Run one `PracticeTurn` from `source`; `wait_for_end` blocks until the answer is over.

    The process CPU is read every `cpu_window_s` from the first audio block to stop().
    """
    from voice_mock.coach.turn import PracticeTurn
    from voice_mock.speech.tts import SilentSpeaker

    log = LagLog()
    clock = StateClock()
    clocked(source, log)
    results: list[Any] = []
    errors: list[BaseException] = []
    coach_time = CoachTime()
    cpu = CpuClock(cpu_window_s)
    with instrumented_recognizer(log), timed_live_coach(coach_time):
        turn = PracticeTurn(
            question,
            settings=practice_settings(live_nudges=live_nudges),
            store=store,
            model_path=model,
            source=source,
            speaker=SilentSpeaker(),
            listener=clock,
        )

        def run() -> None:
            try:
                results.append(turn.run())
            except BaseException as exc:
                errors.append(exc)
                clock.done.set()

        thread = threading.Thread(target=run, name="bench-turn", daemon=True)
        thread.start()
        if not clock.recording.wait(30):
            raise RuntimeError("the practice turn never started recording")
        recording_at = time.monotonic()
        if not log.first_block.wait(30):
            raise RuntimeError("the source delivered no audio within 30 s of recording")
        first_block_s = (log.zero or recording_at) - recording_at
        cpu.start()
        try:
            wait_for_end()
        finally:
            cpu.stop()
        stop_at = time.monotonic()
        turn.stop()
        thread.join(600)
    if errors:
        raise errors[0]
    if not results:
        raise RuntimeError("the practice turn did not finish")
    result = results[0]
    t = clock.times
    done = t.get("done", time.monotonic())
    transcribing = t.get("transcribing", done)
    analysing = t.get("analysing", done)
    recording = result.recording
    return TurnRun(
        feedback_s=done - stop_at,
        drain_s=transcribing - stop_at,
        finish_s=analysing - transcribing,
        analyse_save_s=done - analysing,
        lags=log.lags([w.end for w in result.transcript.words]) if result.transcript else [],
        rss_after_mb=rss_mb(),
        audio_s=float(recording.duration_s) if recording else 0.0,
        words=len(result.transcript.words) if result.transcript else 0,
        partials=clock.partials,
        overflows=int(recording.overflows) if recording else 0,
        stopped_by=result.stopped_by,
        message=result.message,
        first_block_s=first_block_s,
        rss_trimmed_mb=trimmed_rss_mb(),
        heap_in_use_mb=heap_in_use_mb(),
        live_nudges=live_nudges,
        cpu_windows_pct=cpu.windows_pct,
        cpu_s=cpu.cpu_s,
        cpu_wall_s=cpu.wall_s,
        coach_cpu_s=coach_time.cpu_s,
        coach_calls=coach_time.calls,
        live_readings=clock.live_readings,
        nudges=list(clock.nudges),
    )


def file_turn(
    wav: Path, *, store: Any, model: Path, question: Any, live_nudges: bool = True
) -> TurnRun:
    """One answer played from `wav` in real time; stop is pressed when the file has played."""
    from voice_mock.audio.sources import FileSource

    source = FileSource(wav, realtime=True, loop_silence=True)
    budget = source.duration_s + 60

    def wait_for_end() -> None:
        if not source.delivered.wait(budget):
            raise RuntimeError(f"{wav.name} was not delivered within {budget:.0f} s")

    return run_turn(
        source,
        store=store,
        model=model,
        question=question,
        wait_for_end=wait_for_end,
        live_nudges=live_nudges,
    )


def turn_series(ctx: Any) -> dict[str, Any]:
    """The consecutive real-time answers shared by figures 1, 2 and 5 (run once per process)."""
    cached = ctx.shared.get("turn_series")
    if cached is not None:
        return dict(cached)
    from benchmarks.speech import model_path, speech_wav
    from voice_mock.speech.stt import load_model
    from voice_mock.store import Store

    seconds = ctx.pick(15.0, 60.0)
    count = ctx.pick(3, 10)
    model = model_path()
    wav = speech_wav(ctx.work, seconds)
    load_model(model)
    question = first_question()
    rss_before = rss_mb()
    runs: list[TurnRun] = []
    with Store(ctx.work / "home" / "turns") as store:
        for n in range(count):
            run = file_turn(wav, store=store, model=model, question=question)
            ctx.log(
                f"    answer {n + 1}/{count}: feedback {run.feedback_s * 1000:.0f} ms "
                f"(drain {run.drain_s * 1000:.0f}, final {run.finish_s * 1000:.0f}, "
                f"analyse+save {run.analyse_save_s * 1000:.0f}), {run.words} words, "
                f"rss {run.rss_after_mb:.0f} MB (trimmed {run.rss_trimmed_mb:.0f})"
            )
            runs.append(run)
    out = {"seconds": seconds, "runs": runs, "rss_before_mb": rss_before, "wav": wav}
    ctx.shared["turn_series"] = out
    return dict(out)


@contextmanager
def pulse_null_sink(work: Path) -> Iterator[Any]:
    """A private PulseAudio null sink (the test suite's `PulseSink`), PortAudio pointed at it."""
    import shutil

    if shutil.which("pulseaudio") is None or shutil.which("paplay") is None:
        raise RuntimeError(
            "pulseaudio/paplay are not installed (scripts/setup.sh dev installs them)"
        )
    from tests.support.pulse import private_sink

    with private_sink(work / "pulse") as sink:
        yield sink


@dataclass
class LongSession:
    """One long answer with live transcription, with its peak memory."""

    turn: TurnRun
    seconds: float
    source: str
    """``pulse`` (SoundDeviceSource on a null sink's monitor) or ``file`` (FileSource)."""
    rss_before_mb: float
    peak_mb: float
    sampled_peak_mb: float
    kernel_peak_mb: float | None
    device: str | None = None
    source_overflows: int = 0
    problem: str | None = None
    """Why the PulseAudio path could not be used, when it could not."""


def _pulse_turn(
    ctx: Any,
    wav: Path,
    seconds: float,
    store: Any,
    model: Path,
    question: Any,
    live_nudges: bool,
) -> tuple[TurnRun, str, int]:
    from voice_mock.audio.sources import SoundDeviceSource

    with pulse_null_sink(ctx.work) as sink:
        source = SoundDeviceSource(None, 16000)

        def wait_for_end() -> None:
            player = sink.play(wav)
            if player.wait(timeout=seconds * 1.5 + 30) != 0:
                raise RuntimeError(f"paplay failed with exit status {player.returncode}")
            time.sleep(0.5)  # the sink's and the stream's buffers

        turn = run_turn(
            source,
            store=store,
            model=model,
            question=question,
            wait_for_end=wait_for_end,
            live_nudges=live_nudges,
        )
        return turn, source.device.name, int(source.overflows)


def long_session(ctx: Any, *, live_nudges: bool = True) -> LongSession:
    """The 10-minute (quick: 30 s) live session shared by figures 5 and 6 (run once each way).

    With `live_nudges` (the default, as the app runs) the turn's live coach
    works on every meter reading; figure 6 runs it off too, to see what it costs.
    """
    key = "long_session" if live_nudges else "long_session_nudges_off"
    cached = ctx.shared.get(key)
    if cached is not None:
        assert isinstance(cached, LongSession)
        return cached
    from benchmarks.memory import PeakSampler
    from benchmarks.speech import model_path, speech_wav
    from voice_mock.speech.stt import load_model
    from voice_mock.store import Store

    seconds = ctx.pick(30.0, 600.0)
    model = model_path()
    load_model(model)
    wav = speech_wav(ctx.work, seconds)
    question = first_question()
    problem: str | None = None
    device: str | None = None
    overflows = 0
    with Store(ctx.work / "home" / ("long" if live_nudges else "long-nudges-off")) as store:
        before = rss_mb()
        with PeakSampler() as peak:
            try:
                turn, device, overflows = _pulse_turn(
                    ctx, wav, seconds, store, model, question, live_nudges
                )
                kind = "pulse"
            except Exception as exc:  # no PulseAudio here: memory can still be measured
                problem = f"{type(exc).__name__}: {exc}"
                ctx.log(f"    PulseAudio path unavailable ({problem}); using FileSource")
                turn = file_turn(
                    wav, store=store, model=model, question=question, live_nudges=live_nudges
                )
                kind = "file"
    session = LongSession(
        turn=turn,
        seconds=seconds,
        source=kind,
        rss_before_mb=before,
        peak_mb=peak.peak_mb,
        sampled_peak_mb=peak.sampled_peak_mb,
        kernel_peak_mb=peak.kernel_peak_mb,
        device=device,
        source_overflows=overflows,
        problem=problem,
    )
    ctx.log(
        f"    {kind} session {seconds:g} s, live nudges {'on' if live_nudges else 'off'}: "
        f"recorded {turn.audio_s:.1f} s, {turn.words} words, overflows {turn.overflows}, "
        f"CPU {turn.cpu_pct:.1f}% of a core (live coach {turn.coach_cpu_s:.2f} s in "
        f"{turn.coach_calls} calls, {turn.live_readings} readings, {len(turn.nudges)} nudges), "
        f"peak {session.peak_mb:.0f} MB (before {before:.0f} MB)"
    )
    ctx.shared[key] = session
    return session
