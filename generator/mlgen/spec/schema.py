"""JSON Schema of mlgen.yaml as a user writes it (for editors and `mlgen schema`).

The models describe the *resolved* spec, in which every section is complete. In the file a user writes,
every section field is optional (the blueprint supplies it), so the schema drops `required` from the
section models and keeps it only where the user must write the value.
"""

from __future__ import annotations

from typing import Any

from mlgen import SPEC_FILENAME
from mlgen.clouds import CLOUDS, capabilities
from mlgen.spec.models import Spec

SCHEMA_ID = "https://mlgen.dev/schema/mlgen.schema.json"

# model title -> the fields a user must write; every other model's fields are all optional.
USER_REQUIRED: dict[str, list[str]] = {
    "Spec": ["cloud", "cost_center", "environments", "owner", "project", "region"],
    "EnvironmentSpec": ["account_id"],
    "EndpointSpec": ["name"],
    "VariantSpec": ["name", "weight"],
    "CISpec": ["repository"],
}


def spec_json_schema() -> dict[str, Any]:
    """A Draft 2020-12 JSON Schema for mlgen.yaml; deterministic (serialise with sort_keys)."""
    schema = Spec.model_json_schema(mode="validation")
    for definition in [schema, *schema.get("$defs", {}).values()]:
        required = USER_REQUIRED.get(definition.get("title", ""), [])
        if required:
            definition["required"] = sorted(required)
        else:
            definition.pop("required", None)
    # Editors can complete the region once the cloud is known.
    schema["allOf"] = [
        {
            "if": {"properties": {"cloud": {"const": cloud}}, "required": ["cloud"]},
            "then": {"properties": {"region": {"enum": list(capabilities(cloud).regions)}}},
        }
        for cloud in CLOUDS
    ]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = SPEC_FILENAME
    return schema
