"""``voice-mock practice`` as a real process, with a sound file for a microphone.

Run as ``python -m tests.support.practice_child WAV ARGS...`` (ARGS as for
``voice-mock``). Everything but the hardware is real: the CLI, the turn, the
recorder, Vosk, the store. The microphone is `FileSource` (real time, then
silence like a quiet room), the speaker is silent. Two knobs let a test stop
the process at a chosen moment of the turn:

- ``E2E_SPEAK_S``: the silent speaker takes this long to "say" the question
  (default: no speaker at all, as without espeak-ng).
- ``E2E_HOLD``: ``stage=seconds,...``; after printing a stage's line
  ("Transcribing...", "Analysing...") the turn waits this long, so a kill
  lands inside that stage rather than after it.

With ``E2E_DELIVERED=PATH`` the microphone keeps in PATH how many samples it
has handed to the recorder so far, so a test that kills the process knows
exactly how much audio had been recorded, whatever the machine's load.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any


def _holds() -> dict[str, float]:
    holds: dict[str, float] = {}
    for part in os.environ.get("E2E_HOLD", "").split(","):
        if "=" in part:
            stage, seconds = part.split("=", 1)
            holds[stage.strip()] = float(seconds)
    return holds


class SlowSilentSpeaker:
    """Takes `seconds` to say nothing; `stop()` ends it at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._stop = threading.Event()

    def say(self, text: str, *, phone: bool = False) -> None:
        self._stop.clear()
        self._stop.wait(self.seconds)

    def stop(self) -> None:
        self._stop.set()


def main(argv: list[str]) -> int:
    import voice_mock.audio.sources as sources
    import voice_mock.cli.live as live
    import voice_mock.speech.tts as tts
    from voice_mock.cli import main as cli_main

    wav = argv[0]

    delivered = os.environ.get("E2E_DELIVERED")

    class CountingSource(sources.FileSource):
        """Writes the number of samples delivered so far to `delivered` after each block."""

        def start(self, callback: Any) -> None:
            if delivered is None:
                return super().start(callback)
            fd = os.open(delivered, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            count = 0

            def counted(block: Any) -> None:
                nonlocal count
                callback(block)
                count += len(block)
                os.pwrite(fd, f"{count:>15}".encode(), 0)

            return super().start(counted)

    def microphone(device: Any = None, preferred_rate: int = 16000) -> Any:
        return CountingSource(wav, realtime=True, loop_silence=True)

    speak_s = os.environ.get("E2E_SPEAK_S")

    def speaker(*args: Any, **kwargs: Any) -> Any:
        if speak_s is None:
            raise tts.TtsUnavailable("Questions cannot be spoken in this test.")
        return SlowSilentSpeaker(float(speak_s))

    holds = _holds()
    on_state = live.ConsoleListener.on_state

    def holding_on_state(self: Any, state: Any) -> None:
        on_state(self, state)
        seconds = holds.get(str(state))
        if seconds:
            time.sleep(seconds)

    sources.SoundDeviceSource = microphone  # type: ignore[assignment,misc]
    tts.TtsSpeaker = speaker  # type: ignore[assignment,misc]
    live.ConsoleListener.on_state = holding_on_state  # type: ignore[method-assign]
    return cli_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
