"""Errors the writer raises for problems a person has to fix.

They subclass :class:`click.ClickException` so the CLI shows the message without a traceback
(user errors are ClickException subclasses with a message a person can act on).
"""

from __future__ import annotations

import click


class WriterError(click.ClickException):
    """The generated tree cannot be written or checked as asked."""


class UnsafePathError(WriterError):
    """A generated path would land outside the output root or in a place mlgen reserves."""


class ManifestError(WriterError):
    """`.mlgen/manifest.json` exists but cannot be read."""
