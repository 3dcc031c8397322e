"""Jinja2 rendering of the text templates under ``templates/``.

StrictUndefined turns a missing template variable into an error instead of silently empty output, and
``keep_trailing_newline`` keeps the files POSIX-clean; both matter for byte-identical regeneration.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from mlgen.assets import asset_dir


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(asset_dir("templates"))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # we render HCL, shell and Markdown, never HTML
        trim_blocks=False,
    )


def render_template(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)
