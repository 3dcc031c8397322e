"""scripts/refresh_provider_schemas.py turns a jsii assembly into our schema: checked offline on a small
hand-made cdktf-style package that has each shape the real assemblies have."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "refresh_provider_schemas.py"
NS = "@cdktf/provider-demo.thing"
LINK = "{@link https://registry.terraform.io/providers/hashicorp/demo/1.2.3/docs/resources/demo_thing"


@pytest.fixture(scope="module")
def refresh() -> ModuleType:
    spec = importlib.util.spec_from_file_location("refresh_provider_schemas", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def prop(name: str, snake: str, type_: dict, optional: bool = True, block: bool = False) -> dict:
    docs = {
        "summary": f"{snake} block."
        if block
        else f"Docs at Terraform Registry: {LINK}#{snake} Thing#{snake}}}."
    }
    if block:
        docs["remarks"] = f"Docs at Terraform Registry: {LINK}#{snake} Thing#{snake}}}"
    entry = {"name": name, "docs": docs, "type": type_}
    if optional:
        entry["optional"] = True
    return entry


def array_of(fqn: str) -> dict:
    return {
        "union": {
            "types": [
                {"fqn": "cdktf.IResolvable"},
                {"collection": {"kind": "array", "elementtype": {"fqn": fqn}}},
            ]
        }
    }


def struct(name: str, properties: list[dict]) -> dict:
    return {
        "datatype": True,
        "kind": "interface",
        "name": name,
        "properties": properties,
        "locationInModule": {"filename": "src/thing/index.ts"},
    }


def make_wheel(tmp_path: Path) -> Path:
    string = {"primitive": "string"}
    types = {
        f"{NS}.Thing": {
            "kind": "class",
            "base": "cdktf.TerraformResource",
            "name": "Thing",
            "docs": {"summary": f"Represents a {LINK} demo_thing}}."},
            "locationInModule": {"filename": "src/thing/index.ts"},
            "initializer": {"parameters": [{"name": "config", "type": {"fqn": f"{NS}.ThingConfig"}}]},
            "properties": [
                {"name": "arn", "immutable": True, "docs": {}},
                {"name": "zoneIds", "immutable": True, "docs": {}},
                {"name": "size", "immutable": True, "docs": {}},
                {"name": "status", "immutable": True, "docs": {}},
                {"name": "name", "docs": {}},
                {"name": "nameInput", "immutable": True, "docs": {}},
            ],
        },
        f"{NS}.DemoProvider": {
            "kind": "class",
            "base": "cdktf.TerraformProvider",
            "name": "DemoProvider",
            "docs": {
                "summary": "Represents a {@link https://registry.terraform.io/providers/hashicorp/demo/1.2.3/docs demo}."
            },
            "initializer": {"parameters": [{"name": "config", "type": {"fqn": f"{NS}.ProviderConfig"}}]},
        },
        f"{NS}.ProviderConfig": struct("ProviderConfig", [prop("region", "region", string)]),
        f"{NS}.ThingConfig": struct(
            "ThingConfig",
            [
                prop("name", "name", string, optional=False),
                prop("tags", "tags", {"collection": {"kind": "map", "elementtype": string}}),
                prop("rule", "rule", array_of(f"{NS}.ThingRule"), block=True),
                prop("tag", "tag", array_of(f"{NS}.ThingTag"), block=True),
                prop("settings", "settings", {"fqn": f"{NS}.ThingSettings"}, optional=False, block=True),
                prop("encryption", "encryption", {"fqn": f"{NS}.ThingEncryption"}),
                prop("definition", "definition", {"primitive": "any"}, block=True),
                # A description with `*/` loses its registry link: the name is derived from camelCase.
                {"name": "javascriptCode", "optional": True, "type": string, "docs": {"summary": "code /**"}},
            ],
        ),
        f"{NS}.ThingRule": struct("ThingRule", [prop("status", "status", string, optional=False)]),
        f"{NS}.ThingTag": struct("ThingTag", [prop("key", "key", string, optional=False)]),
        f"{NS}.ThingSettings": struct("ThingSettings", [prop("mode", "mode", string)]),
        f"{NS}.ThingEncryption": struct("ThingEncryption", [prop("kmsKeyArn", "kms_key_arn", string)]),
    }
    javascript = (
        'this._rule = new ThingRuleList(this, "rule", false);\n'
        'this._tag = new ThingTagList(this, "tag", true);\n'
        "get arn() {\n        return this.getStringAttribute('arn');\n    }\n"
        "get zoneIds() {\n        return cdktf.Fn.tolist(this.getListAttribute('zone_ids'));\n    }\n"
        "get size() {\n        return this.getNumberAttribute('size');\n    }\n"
        "get status() {\n        return this._status;\n    }\n"
    )
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w:gz") as tar:
        for name, payload in (
            ("package/.jsii", json.dumps({"types": types}).encode()),
            ("package/lib/thing/index.js", javascript.encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    wheel = tmp_path / "cdktf_cdktf_provider_demo-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("cdktf_cdktf_provider_demo/_jsii/provider-demo@9.9.9.jsii.tgz", tar_buffer.getvalue())
    return wheel


def test_build_schema_reads_each_shape(refresh: ModuleType, tmp_path: Path) -> None:
    package = refresh.ProviderPackage(
        "demo", "registry.terraform.io/hashicorp/demo", "cdktf-cdktf-provider-demo", "9.9.9"
    )
    schema = refresh.build_schema(package, make_wheel(tmp_path))
    assert schema["provider_version"] == "1.2.3"
    assert schema["provider_config"] == {"attributes": {"region": {"type": "string"}}}
    thing = schema["resources"]["demo_thing"]
    assert thing["attributes"] == {
        "name": {"required": True, "type": "string"},
        "tags": {"type": ["map", "string"]},
        "encryption": {"object": "single", "attributes": {"kms_key_arn": {"type": "string"}}},
        "javascript_code": {"type": "string"},
    }
    assert thing["blocks"] == {
        "rule": {
            "nesting": "list",
            "min_items": 0,
            "attributes": {"status": {"required": True, "type": "string"}},
        },
        "tag": {
            "nesting": "set",
            "min_items": 0,
            "attributes": {"key": {"required": True, "type": "string"}},
        },
        "settings": {
            "nesting": "single",
            "min_items": 1,
            "max_items": 1,
            "attributes": {"mode": {"type": "string"}},
        },
        "definition": {"nesting": "any", "min_items": 0, "opaque": True},
    }
    assert thing["computed"] == ["arn", "size", "status", "zone_ids"]
    # Types of computed attributes come from the cdktf accessor each getter calls; a set is a list in
    # Fn.tolist; an object the accessors do not type (a complex getter) is dynamic.
    assert thing["computed_types"] == {
        "arn": "string",
        "size": "number",
        "status": "dynamic",
        "zone_ids": ["set", "string"],
    }


def test_written_file_is_byte_identical_across_runs(refresh: ModuleType, tmp_path: Path) -> None:
    payload = {"b": [1, 2], "a": {"z": 1, "y": 2}}
    first, second = tmp_path / "1.json.gz", tmp_path / "2.json.gz"
    refresh.write_gzip_json(first, payload)
    refresh.write_gzip_json(second, dict(reversed(payload.items())))
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(gzip.decompress(first.read_bytes())) == payload
