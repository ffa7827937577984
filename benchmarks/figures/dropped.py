"""Figure 6: dropped audio, input overflows during a long recording with live transcription.

A private PulseAudio null sink (the test suite's `PulseSink`) plays the
10-minute speech (quick: 30 s) with ``paplay`` while a `PracticeTurn` records
the sink's monitor through `SoundDeviceSource` and transcribes it live. The
figure is the number of input overflows PortAudio reported; the recorded
length is compared with the played length as a second sign of loss (playing
starts only once the stream delivers audio, and stops 0.5 s after it ends).
"""

from __future__ import annotations

from benchmarks.live import long_session
from benchmarks.runner import Context, Measurement


def run(ctx: Context) -> list[Measurement]:
    session = long_session(ctx)
    if session.source != "pulse":
        raise RuntimeError(f"the PulseAudio path could not run: {session.problem}")
    turn = session.turn
    return [
        Measurement(
            key="input_overflows",
            title="6. dropped audio (input overflows)",
            unit="count",
            runs=[float(turn.overflows)],
            target=0.0,
            notes=f"{session.seconds:g} s via {session.device}; recorded {turn.audio_s:.1f} s",
            extra={
                "played_s": session.seconds,
                "first_block_after_recording_state_s": turn.first_block_s,
                "recorded_s": turn.audio_s,
                "device": session.device,
                "source_overflows": session.source_overflows,
                "words": turn.words,
                "partials": turn.partials,
                "message": turn.message,
            },
        )
    ]
