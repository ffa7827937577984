"""Errors a user can act on.

Every front (CLI, TUI) shows a `UserError` as its one-sentence message and, in
the CLI, exits with status 2. Anything else is a bug and may show a traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a missing prerequisite, described in one clear sentence."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
