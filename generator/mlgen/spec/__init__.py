"""The project spec (mlgen.yaml): models, blueprints, loading with positioned errors, JSON Schema.

Not imported by `mlgen --help`: the CLI imports this package only inside the commands that need it.
"""

from __future__ import annotations

from mlgen.spec.blueprints import (
    blueprint_names,
    describe_blueprint,
    load_blueprint,
)
from mlgen.spec.errors import Problem, SpecError
from mlgen.spec.initial import render_initial_spec
from mlgen.spec.loader import load_spec, load_spec_text
from mlgen.spec.models import (
    ENVIRONMENT_NAMES,
    REQUIRED_TAG_KEYS,
    SECTION_NAMES,
    EnvironmentSpec,
    Spec,
)
from mlgen.spec.schema import spec_json_schema

__all__ = [
    "ENVIRONMENT_NAMES",
    "REQUIRED_TAG_KEYS",
    "SECTION_NAMES",
    "EnvironmentSpec",
    "Problem",
    "Spec",
    "SpecError",
    "blueprint_names",
    "describe_blueprint",
    "load_blueprint",
    "load_spec",
    "load_spec_text",
    "render_initial_spec",
    "spec_json_schema",
]
