"""The command line: ``voice-mock`` (the Textual app) and its headless commands.

A thin front on the `Coach`, like the TUI. Two promises shape it:

- ``voice-mock --help`` must be instant, so this package imports only the
  standard library and light core modules at the top; vosk, numpy, scipy,
  sounddevice, pyttsx3 and textual are imported inside the command that needs
  them.
- Bad input never shows a traceback: every `UserError` becomes one sentence on
  stderr and exit status 2 (argparse's own errors also exit 2), Ctrl-C exits
  130 quietly, and nothing from a bank or a transcript reaches the terminal
  without its control characters made visible.

`main(argv, services=...)` runs in-process with fake services, as the tests do.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from voice_mock.cli.output import EXIT_INTERRUPTED, PROG, err
from voice_mock.errors import UserError
from voice_mock.render.safe import visible

if TYPE_CHECKING:
    from voice_mock.coach import Services


def main(argv: Sequence[str] | None = None, *, services: Services | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 2 bad input, 130 interrupted)."""
    from voice_mock.cli.commands import Context
    from voice_mock.cli.parser import build_parser

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else 2
    context = Context(args, services)
    try:
        return int(args.func(args, context))
    except UserError as exc:
        # A message may quote what the user typed or a file's name: show its controls.
        message = visible(" ".join(str(exc).split()))
        err(f"{PROG}: {message}")
        return exc.exit_code
    except KeyboardInterrupt:
        err("")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); silence Python's own complaint at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        context.close()
