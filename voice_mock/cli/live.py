"""A practice turn on the command line: progress lines, the live text, Enter and Ctrl-C to stop."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from voice_mock.cli.output import err
from voice_mock.render.safe import visible

if TYPE_CHECKING:
    from voice_mock.coach.turn import PracticeTurn, TurnResult, TurnState

STATE_LINES = {
    "speaking": "Speaking the question...",
    "preparing": "Get ready...",
    "recording": "Recording: answer now. Press Enter (or Ctrl-C) to stop.",
    "transcribing": "Transcribing...",
    "analysing": "Analysing...",
    "skipped": "Stopped.",
}


class ConsoleListener:
    """Prints a practice turn's progress on stderr; the live text redraws one line on a TTY."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._partial = ""
        self._lock = threading.Lock()

    def _line(self, text: str) -> None:
        with self._lock:
            if self.tty and self._partial:
                self.stream.write("\n")
            self._partial = ""
            self.stream.write(text + "\n")
            self.stream.flush()

    def on_state(self, state: TurnState) -> None:
        text = STATE_LINES.get(str(state))
        if text:
            self._line(text)

    def on_level(self, dbfs: float, speaking: bool, elapsed_s: float) -> None:
        return None

    def on_partial(self, text: str) -> None:
        with self._lock:
            if text == self._partial:
                return
            self._partial = text
            shown = visible(text)
            if self.tty:
                self.stream.write("\r\x1b[2K> " + fit(shown, terminal_columns() - 3))
            else:
                self.stream.write("> " + shown + "\n")
            self.stream.flush()

    def on_message(self, text: str) -> None:
        self._line(visible(text))


def terminal_columns() -> int:
    return max(20, shutil.get_terminal_size((100, 24)).columns)


def fit(text: str, columns: int) -> str:
    """The end of `text` that fits in `columns` terminal cells (wide CJK letters take two).

    Counting characters instead of cells let a Korean line wrap, and ``\\r``
    cannot redraw a wrapped line: it was printed again and again.
    """
    from rich.cells import cell_len

    if cell_len(text) <= columns:
        return text
    keep = text
    while keep and cell_len("..." + keep) > columns:
        keep = keep[max(1, len(keep) // 8) :]
    return "..." + keep


def run_turn(turn: PracticeTurn) -> tuple[TurnResult, int]:
    """Run `turn` in a thread until it ends; Enter or Ctrl-C stops it, a second Ctrl-C quits.

    Returns the result and how many times Ctrl-C was pressed.
    """
    outcome: dict[str, Any] = {}
    finished = threading.Event()

    def run() -> None:
        try:
            outcome["result"] = turn.run()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            finished.set()

    worker = threading.Thread(target=run, name="practice-turn", daemon=True)
    worker.start()
    watch_enter(turn.stop)
    interrupts = 0
    # Poll with sleep rather than Thread.join: a join interrupted by Ctrl-C can leave
    # the thread reporting itself dead while it is still finishing the answer.
    while not finished.is_set():
        try:
            time.sleep(0.1)
        except KeyboardInterrupt:
            interrupts += 1
            if interrupts > 1:
                raise
            err("Stopping...")
            turn.stop()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"], interrupts


def watch_enter(stop: Callable[[], None]) -> None:
    """Stop the turn when the user presses Enter; end of input (no terminal) is ignored."""
    stdin = sys.stdin
    if stdin is None or stdin.closed:
        return

    def watch() -> None:
        try:
            line = stdin.readline()
        except (OSError, ValueError):
            return
        if line:
            stop()

    threading.Thread(target=watch, name="practice-enter", daemon=True).start()
