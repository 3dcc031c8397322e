"""Spec problems as a person reads them, and the exception that carries them to the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a spec, pointing at where it was written."""

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str | None = None

    def render(self) -> str:
        # line 0: the problem is about the whole file (missing, unreadable), not a place in it.
        where = (
            f"{self.file}:{self.line}:{self.column}: " if self.line else f"{self.file}: " if self.file else ""
        )
        subject = f"{self.path}: " if self.path else ""
        text = f"{where}{subject}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class SpecError(click.ClickException):
    """The spec cannot be used. Exit code 2 (usage error), never a traceback."""

    exit_code = 2

    def __init__(self, problems: Sequence[Problem], headline: str | None = None) -> None:
        self.problems = sorted(set(problems))
        count = len(self.problems)
        self.headline = (
            headline if headline is not None else f"{count} problem{'s' if count != 1 else ''} in the spec:"
        )
        super().__init__(self.format_message())

    def format_message(self) -> str:
        lines = [problem.render() for problem in self.problems]
        return "\n".join([self.headline, *lines] if self.headline else lines)

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", file=file, err=True)


def join_allowed(values: Iterable[object]) -> str:
    return ", ".join(str(value) for value in values)
