"""Did-you-mean for HCL names: mlgen's one suggestion function, quoting names as code, one match."""

from __future__ import annotations

from collections.abc import Iterable

from mlgen.suggest import did_you_mean as _did_you_mean


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    return _did_you_mean(name, candidates, code=True, limit=1)
