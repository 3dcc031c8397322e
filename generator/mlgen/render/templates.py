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
def _environment(trim_blocks: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(asset_dir("templates"))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # we render HCL, shell and Markdown, never HTML
        trim_blocks=trim_blocks,
        lstrip_blocks=trim_blocks,
    )


def render_template(name: str, *, trim_blocks: bool = False, **context: Any) -> str:
    """Render ``templates/<name>``. ``trim_blocks`` drops the newline and indentation around block tags
    (`{% if %}` lines), which YAML templates with many conditionals need to stay readable."""
    return _environment(trim_blocks).get_template(name).render(**context)
