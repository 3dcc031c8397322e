"""Errors of the ops commands: a message a person can act on and an exit code, never a traceback."""

from __future__ import annotations

import click

# Exit codes shared by every ops command (documented in docs/operations.md).
EXIT_FAILED = 1  # a cloud call failed, a check failed, or resources were left behind
EXIT_USAGE = 2  # bad option or spec (Click's own code for usage errors)
EXIT_REFUSED = 3  # a guard refused a destructive step (missing or wrong confirmation)
EXIT_PROTECTED = 4  # deletion protection is on: nothing was deleted


class OpsError(click.ClickException):
    """A failure the user can fix (credentials, permissions, an environment not applied yet)."""

    exit_code = EXIT_FAILED


class GuardRefused(OpsError):
    """A destructive command refused to start: nothing was changed."""

    exit_code = EXIT_REFUSED


class ProtectedEnvironment(OpsError):
    exit_code = EXIT_PROTECTED


class Quiet(click.ClickException):
    """Exit with a code after the command already printed why (no extra "Error:" line)."""

    def __init__(self, exit_code: int) -> None:
        super().__init__("")
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        pass
