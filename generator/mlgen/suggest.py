"""Did-you-mean suggestions for misspelled names: the one implementation the spec and conformance use."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: object, choices: Iterable[str], *, code: bool = False, limit: int = 3) -> str | None:
    """'did you mean X?' for the closest choices (at most `limit`), or None when nothing is close.

    `code` quotes names as code (`name`, for HCL messages) instead of as a Python repr ('name')."""
    if not isinstance(word, str):
        return None
    quote = (lambda name: f"`{name}`") if code else repr
    options = sorted(set(choices))
    lowered = {choice.lower().replace("_", "-"): choice for choice in options}
    key = word.lower().replace("_", "-")
    if key in lowered and lowered[key] != word:
        return f"did you mean {quote(lowered[key])}?"
    close = difflib.get_close_matches(key, list(lowered), n=limit, cutoff=0.6)
    # then prefixes either way ("prod" -> production, "cidr_block" -> cidr)
    close = (
        close
        or [
            option
            for option in lowered
            if min(len(key), len(option)) >= 3 and (option.startswith(key) or key.startswith(option))
        ][:limit]
    )
    if not close:
        return None
    names = " or ".join(quote(lowered[match]) for match in close)
    return f"did you mean {names}?"
