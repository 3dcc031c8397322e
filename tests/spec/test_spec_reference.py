"""docs/spec-reference.md is generated from the models; the committed file must match the script."""

from __future__ import annotations

from pathlib import Path

from scripts import gen_spec_reference

from mlgen.spec import SECTION_NAMES, blueprint_names
from mlgen.spec.models import SECTION_MODELS


def test_committed_reference_matches_the_generator():
    committed = Path(gen_spec_reference.OUTPUT).read_text(encoding="utf-8")
    assert committed == gen_spec_reference.render(), "run: python scripts/gen_spec_reference.py"


def test_reference_documents_every_section_field_and_blueprint():
    text = gen_spec_reference.render()
    for section in SECTION_NAMES:
        assert f"## `{section}`" in text
        for field in SECTION_MODELS[section].model_fields:
            assert f"| `{field}` |" in text, f"{section}.{field} is not documented"
    for name in blueprint_names():
        assert f"### `{name}`" in text
