"""Load mlgen.yaml: read it, lay it over its blueprint, validate it, and report every problem with its position.

Each job has its own module: reading (text to data with positions), layering (blueprint precedence),
validating (checks across environments) and reporting (errors as Problems at the user's line).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlgen import SPEC_FILENAME
from mlgen.spec.errors import SpecError
from mlgen.spec.layering import DEFAULT_BLUEPRINT, resolve_document
from mlgen.spec.models import Spec
from mlgen.spec.reading import Origin, Path_, parse_spec_text, read_spec_file
from mlgen.spec.reporting import Reporter
from mlgen.spec.validating import environment_overlaps, validate_spec_data


def load_spec(path: Path) -> Spec:
    """Load, merge and validate mlgen.yaml; raise SpecError listing every problem."""
    path = Path(path)
    user, user_origins = read_spec_file(path)
    return _validate(user, user_origins, str(path))


def load_spec_text(text: str, file: str = SPEC_FILENAME) -> Spec:
    """Like load_spec, for text not (yet) on disk, e.g. what `mlgen init` is about to write."""
    user, user_origins = parse_spec_text(text, file)
    return _validate(user, user_origins, file)


def _validate(user: dict[str, Any], user_origins: dict[Path_, Origin], file: str) -> Spec:
    document, origins = resolve_document(user, user_origins)
    reporter = Reporter(file, origins, user.get("blueprint", DEFAULT_BLUEPRINT))
    spec: Spec | None = None
    try:
        spec = validate_spec_data(document)
    except ValidationError as error:
        errors = error.errors(include_url=False)
        top_level = {_signature(item["loc"], item) for item in errors if item["loc"][:1] != ("environments",)}
        for item in errors:
            if not reporter.inherited_from_top_level(
                tuple(item["loc"]), _signature(item["loc"][2:], item), top_level
            ):
                reporter.pydantic(item)
    for loc, message, hint in environment_overlaps(document):
        reporter.add(loc, message, hint)
    if reporter.problems or spec is None:
        raise SpecError(reporter.problems)
    return spec


def _signature(loc: Any, error: dict[str, Any]) -> tuple[Any, ...]:
    return (tuple(loc), error["type"], str((error.get("ctx") or {}).get("message", error["msg"])))
