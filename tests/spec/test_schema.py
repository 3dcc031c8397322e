"""`mlgen schema`: a valid JSON Schema that accepts the specs mlgen writes and rejects bad ones."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML
from tests.spec.conftest import VALID_AWS

from mlgen.cli import main
from mlgen.spec import render_initial_spec


@pytest.fixture(scope="module")
def schema() -> dict:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.output)


def test_schema_is_valid_against_the_meta_schema(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_output_is_deterministic():
    first = CliRunner().invoke(main, ["schema"]).output
    assert first == CliRunner().invoke(main, ["schema"]).output
    assert first == json.dumps(json.loads(first), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    ("cloud", "region", "blueprint"),
    [("aws", "eu-west-1", "starter"), ("aws", "eu-west-1", "production"), ("azure", "westeurope", "starter")],
)
def test_schema_accepts_the_initial_specs(schema, cloud, region, blueprint):
    document = YAML(typ="safe", pure=True).load(render_initial_spec("fraud-detect", cloud, region, blueprint))
    jsonschema.Draft202012Validator(schema).validate(document)


def test_schema_accepts_partial_environment_overrides(schema):
    document = YAML(typ="safe", pure=True).load(
        VALID_AWS + "serving:\n  endpoints: [{name: scoring, variants: [{name: blue, weight: 100}]}]\n"
    )
    document["environments"]["prod"]["network"] = {"nat": "per_az"}
    jsonschema.Draft202012Validator(schema).validate(document)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(netwrok={}),
        lambda d: d.update(training={"gpu": "v100"}),
        lambda d: d.update(training={"nodes": "2"}),
        lambda d: d["environments"].update(qa={"account_id": "444444444444"}),
        lambda d: d.pop("project"),
        lambda d: d["environments"]["dev"].pop("account_id"),
        lambda d: d.update(region="europe-west4"),
    ],
    ids=[
        "unknown-key",
        "bad-enum",
        "string-for-int",
        "unknown-environment",
        "no-project",
        "no-account",
        "region-of-another-cloud",
    ],
)
def test_schema_rejects_bad_specs(schema, change):
    document = YAML(typ="safe", pure=True).load(VALID_AWS)
    change(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(document)


def test_every_field_has_a_description(schema):
    definitions = {"Spec": schema, **schema["$defs"]}
    for name, definition in definitions.items():
        assert definition.get("description"), f"{name} has no description"
        for field, prop in definition.get("properties", {}).items():
            # a bare $ref to a section model carries the model's own description
            referenced = schema["$defs"].get(prop.get("$ref", "").rsplit("/", 1)[-1], {})
            assert prop.get("description") or referenced.get("description"), f"{name}.{field}: no description"
