#!/usr/bin/env python3
"""Refresh the provider schemas that `mlgen.conformance` checks Terraform against.

`terraform validate` needs provider binaries we cannot download, but the full schemas of the big providers
ship inside the CDKTF prebuilt provider packages on PyPI: a jsii assembly (`.jsii`, JSON) inside
`_jsii/*.jsii.tgz`, next to the compiled JavaScript bindings. This script downloads the pinned packages
(`pip download --no-deps`), reads the assembly and writes one compact, deterministic schema per provider to
`generator/mlgen/conformance/schemas/<provider>.json.gz` plus `index.json`.

How the jsii assembly maps onto Terraform (see docs/conformance.md for the full notes):

- Every resource / data source is a class (base `cdktf.TerraformResource` / `cdktf.TerraformDataSource`)
  whose summary links the registry page, e.g. `{@link .../docs/resources/s3_bucket aws_s3_bucket}`; the
  link text is the Terraform type name. The constructor's `config` parameter is a struct (jsii interface
  with `datatype: true`) that lists exactly the *configurable* arguments; computed-only attributes are
  getters on the class and never appear in it. Meta-arguments come from `cdktf.TerraformMetaArguments`,
  which is not part of this assembly.
- Each property's docs carry the snake_case name: `{@link ...#expected_bucket_owner Class#expected_bucket_owner}`.
- A property is required when jsii does not mark it `optional`.
- Nested *blocks* are the properties whose summary reads exactly `<name> block.` (the cdktf generator writes
  this only for blocks). Their type is either a struct (the block may appear at most once: NestingSingle, or a
  list/set block with max_items = 1) or an array of structs (NestingList/NestingSet). Whether an array block
  is a set is not in the assembly; it is in the JavaScript: `new <Struct>List(this, "<name>", <wrapsSet>)`.
- Struct-typed properties *without* that summary are nested *attributes* (plugin-framework nested attributes or
  legacy list-of-object attributes): written `name = {...}` / `name = [{...}]`, recorded as attributes with
  their object's attributes so a checker can look inside literal values if it wants.
- A handful of very deep blocks are not modelled by cdktf (type `any`, summary `<name> block.`); they are
  recorded as blocks with `"opaque": true` so their contents are not checked. So is a block whose struct
  contains itself (recursive in the assembly, e.g. aws_wafv2_web_acl_rule `statement`).

Usage: python scripts/refresh_provider_schemas.py [--provider aws ...] [--wheel-dir DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "generator" / "mlgen" / "conformance" / "schemas"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ProviderPackage:
    name: str  # provider local name as used in Terraform (`google-beta`)
    source: str  # registry source address
    package: str  # PyPI distribution
    version: str  # pinned distribution version
    library: str = "cdktf"  # jsii namespace of the core library its classes extend (`cdktf` or `cdktn`)


# Pins: the last cdktf prebuilt releases (HashiCorp stopped publishing them on 2025-12-10), except aws, which
# comes from the community continuation (`cdktn-provider-*`, core library `cdktn`, same generator and layout)
# because mlgen emits aws resources newer than 6.25 (aws_sagemaker_mlflow_app). The provider version each was
# generated from is read from the package itself and written to index.json.
# cdktn-provider-aws 25.8.1 -> hashicorp/aws 6.69.1; cdktf-cdktf-provider-aws 21.22.1 was 6.25.0.
PACKAGES: dict[str, ProviderPackage] = {
    p.name: p
    for p in (
        ProviderPackage(
            "aws", "registry.terraform.io/hashicorp/aws", "cdktn-provider-aws", "25.8.1", "cdktn"
        ),
        ProviderPackage(
            "google", "registry.terraform.io/hashicorp/google", "cdktf-cdktf-provider-google", "16.12.1"
        ),
        ProviderPackage(
            "google-beta",
            "registry.terraform.io/hashicorp/google-beta",
            "cdktf-cdktf-provider-google-beta",
            "16.12.1",
        ),
        ProviderPackage(
            "azurerm", "registry.terraform.io/hashicorp/azurerm", "cdktf-cdktf-provider-azurerm", "14.23.1"
        ),
    )
}

_SNAKE_LINK = re.compile(r"#(\w+) \w+#\1\}")
_TYPE_LINK = re.compile(r"\{@link (\S+) ([\w-]+)\}")
# Getters name the Terraform attribute they read: `get bucketDomainName() { return this.getStringAttribute(
# 'bucket_domain_name'); }`, and block getters are backed by `this._corsRule = new ...List(this, "cors_rule"`.
_GETTER = re.compile(
    r"get (\w+)\(\) \{\s*return (this\.\w+|(?:cdktf|cdktn)\.Fn\.tolist\(this\.\w+)\('(\w+)'\)"
)
_GETTER_FIELD = re.compile(r"this\._(\w+) = new \w+\(this, \"(\w+)\"")
_LIST_CTOR = re.compile(r"new (\w+)List\(this, \"(\w+)\", (true|false)\)")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_PROVIDER_VERSION = re.compile(r"/providers/[\w-]+/[\w-]+/(\d+\.\d+\.\d+)/docs")


# cdktf accessor a computed getter calls -> the Terraform (cty) type of the attribute it reads.
_ACCESSOR_TYPES: dict[str, Any] = {
    "getStringAttribute": "string",
    "getNumberAttribute": "number",
    "getBooleanAttribute": "bool",
    "getListAttribute": ["list", "string"],
    "getNumberListAttribute": ["list", "number"],
    "getStringMapAttribute": ["map", "string"],
    "getNumberMapAttribute": ["map", "number"],
    "getBooleanMapAttribute": ["map", "bool"],
    "getAnyMapAttribute": ["map", "dynamic"],
    # Sets: cdktf wraps the list accessor in Fn.tolist (library prefix stripped by read_assembly).
    "Fn.tolist(this.getListAttribute": ["set", "string"],
    "Fn.tolist(this.getNumberListAttribute": ["set", "number"],
}
# The token type cdktf/cdktn union every complex property type with.
_TOKEN_FQNS = {"cdktf.IResolvable", "cdktn.IResolvable"}
_PRIMITIVES = {"string": "string", "number": "number", "boolean": "bool", "any": "dynamic", "json": "dynamic"}


def _primitive_type(jsii_ref: dict[str, Any]) -> Any:
    """The Terraform type of a non-struct jsii property type. jsii has arrays only, so sets read as lists."""
    if "primitive" in jsii_ref:
        return _PRIMITIVES[jsii_ref["primitive"]]
    if "union" in jsii_ref:
        arms = [a for a in jsii_ref["union"]["types"] if a.get("fqn") not in _TOKEN_FQNS]
        return _primitive_type(arms[0]) if len(arms) == 1 else "dynamic"
    if "collection" in jsii_ref:
        kind = "list" if jsii_ref["collection"]["kind"] == "array" else "map"
        return [kind, _primitive_type(jsii_ref["collection"]["elementtype"])]
    return "dynamic"  # cdktf.IResolvable alone: a token of any type


class AssemblyError(RuntimeError):
    """The package does not look like a cdktf prebuilt provider."""


def download_wheel(package: ProviderPackage, dest: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            f"{package.package}=={package.version}",
            "-d",
            str(dest),
        ],
        check=True,
    )
    wheel_prefix = package.package.replace("-", "_") + "-" + package.version
    wheels = sorted(dest.glob(f"{wheel_prefix}-*.whl"))
    if not wheels:
        raise AssemblyError(f"pip download produced no wheel for {package.package}=={package.version}")
    return wheels[0]


@dataclass
class Assembly:
    types: dict[str, Any]
    wraps_set: dict[str, bool]  # struct fqn -> its list block is a set
    getter_names: dict[str, dict[str, str]]  # type fqn -> {camelCase getter: Terraform attribute name}
    getter_methods: dict[str, dict[str, str]]  # type fqn -> {camelCase getter: cdktf accessor it calls}


def read_assembly(wheel: Path) -> Assembly:
    """Read the jsii assembly and the facts only the compiled JavaScript holds."""
    with zipfile.ZipFile(wheel) as zf:
        tgz_names = [n for n in zf.namelist() if n.endswith(".jsii.tgz") and "/_jsii/" in n]
        if len(tgz_names) != 1:
            raise AssemblyError(f"{wheel.name}: expected one _jsii/*.jsii.tgz, found {tgz_names}")
        tgz_bytes = zf.read(tgz_names[0])
    assembly: dict[str, Any] | None = None
    wraps_set_by_file: dict[str, dict[str, bool]] = {}
    getters_by_file: dict[str, dict[str, str]] = {}
    methods_by_file: dict[str, dict[str, str]] = {}
    with tarfile.open(fileobj=io.BytesIO(tgz_bytes), mode="r:gz") as tar:
        for member in tar:
            if not member.isfile():
                continue
            if member.name == "package/.jsii":
                assembly = json.load(tar.extractfile(member))  # type: ignore[arg-type]
            elif member.name.startswith("package/lib/") and member.name.endswith("/index.js"):
                source = tar.extractfile(member).read().decode()  # type: ignore[union-attr]
                module_dir = member.name.removeprefix("package/lib/").removesuffix("/index.js")
                wraps_set_by_file[module_dir] = {
                    struct: flag == "true" for struct, _name, flag in _LIST_CTOR.findall(source)
                }
                found = _GETTER.findall(source)
                getters = {getter: name for getter, _method, name in found}
                getters.update(_GETTER_FIELD.findall(source))
                getters_by_file[module_dir] = getters
                methods_by_file[module_dir] = {
                    getter: method.removeprefix("this.").removeprefix("cdktf.").removeprefix("cdktn.")
                    for getter, method, _name in found
                }
    if assembly is None:
        raise AssemblyError(f"{wheel.name}: no package/.jsii in {tgz_names[0]}")
    # Key the set flags by struct fqn: the JS file of a type is its jsii source file, compiled.
    wraps_set: dict[str, bool] = {}
    getter_names: dict[str, dict[str, str]] = {}
    getter_methods: dict[str, dict[str, str]] = {}
    for fqn, jsii_type in assembly["types"].items():
        filename = jsii_type.get("locationInModule", {}).get("filename", "")
        module_dir = filename.removeprefix("src/").removesuffix("/index.ts")
        flag = wraps_set_by_file.get(module_dir, {}).get(jsii_type["name"])
        if flag is not None:
            wraps_set[fqn] = flag
        if jsii_type.get("kind") == "class":
            getter_names[fqn] = getters_by_file.get(module_dir, {})
            getter_methods[fqn] = methods_by_file.get(module_dir, {})
    return Assembly(assembly["types"], wraps_set, getter_names, getter_methods)


class SchemaBuilder:
    def __init__(self, assembly: Assembly) -> None:
        self.types = assembly.types
        self.wraps_set = assembly.wraps_set
        self.getter_names = assembly.getter_names
        self.getter_methods = assembly.getter_methods
        self.derived_names: list[str] = []

    def _is_struct(self, fqn: str) -> bool:
        return bool(self.types.get(fqn, {}).get("datatype"))

    def _shape(self, jsii_ref: dict[str, Any]) -> tuple[str, str | None]:
        """Classify a property type: ('primitive'|'struct'|'array'|'map', struct fqn or None)."""
        if "union" in jsii_ref:
            # cdktf unions every complex type with cdktf.IResolvable (a token); the other arm is the shape.
            arms = [a for a in jsii_ref["union"]["types"] if a.get("fqn") not in _TOKEN_FQNS]
            return self._shape(arms[0]) if len(arms) == 1 else ("primitive", None)
        if "collection" in jsii_ref:
            kind = jsii_ref["collection"]["kind"]
            inner_shape, inner_fqn = self._shape(jsii_ref["collection"]["elementtype"])
            if inner_shape == "struct":
                return ("array" if kind == "array" else "map"), inner_fqn
            return "primitive", None
        if "fqn" in jsii_ref and self._is_struct(jsii_ref["fqn"]):
            return "struct", jsii_ref["fqn"]
        return "primitive", None

    def block(self, struct_fqn: str, depth: int = 0, ancestors: tuple[str, ...] = ()) -> dict[str, Any]:
        if depth > 40:
            raise AssemblyError(f"nesting deeper than 40 levels at {struct_fqn}")
        ancestors = (*ancestors, struct_fqn)
        attributes: dict[str, Any] = {}
        blocks: dict[str, Any] = {}
        for prop in self.types[struct_fqn].get("properties", []):
            docs = prop.get("docs", {})
            # The link usually sits in summary/remarks; where the description contains a jsdoc tag
            # (`@pattern ...`) jsii files the rest, link included, under docs.custom.
            doc_text = " ".join(
                [docs.get("summary", ""), docs.get("remarks", ""), *docs.get("custom", {}).values()]
            )
            match = _SNAKE_LINK.search(doc_text)
            if match is not None:
                name = match.group(1)
            else:
                # A description containing `*/` truncates the doc comment and the link with it (a handful
                # of google properties). cdktf derived the camelCase name from the snake_case one, so the
                # reverse mapping is exact for plain names.
                name = _CAMEL_BOUNDARY.sub("_", prop["name"]).lower()
                self.derived_names.append(f"{struct_fqn}.{prop['name']} -> {name}")
            required = not prop.get("optional", False)
            shape, inner = self._shape(prop["type"])
            if docs.get("summary", "").strip() == f"{name} block.":
                if shape == "primitive":
                    blocks[name] = {"nesting": "any", "opaque": True, "min_items": int(required)}
                    continue
                assert inner is not None
                # A struct that contains itself (aws_wafv2_web_acl_rule `statement`, since aws 6.x) is
                # recursive in the assembly; Terraform nests it a fixed number of levels. Stop there, opaque.
                recursive = inner in ancestors
                nested = {"opaque": True} if recursive else self.block(inner, depth + 1, ancestors)
                if shape == "struct":
                    nesting = "single"
                elif shape == "array":
                    nesting = "set" if self.wraps_set.get(inner) else "list"
                else:
                    raise AssemblyError(f"{struct_fqn}.{prop['name']}: block of unexpected shape {shape}")
                blocks[name] = {"nesting": nesting, "min_items": int(required), **nested}
                if shape == "struct":
                    # A struct block appears at most once (NestingSingle or a list/set with max_items = 1).
                    blocks[name]["max_items"] = 1
            elif shape == "primitive":
                attributes[name] = {"type": _primitive_type(prop["type"])}
                if required:
                    attributes[name]["required"] = True
            else:
                assert inner is not None
                entry: dict[str, Any] = {"object": {"struct": "single", "array": "list", "map": "map"}[shape]}
                if required:
                    entry["required"] = True
                entry.update(
                    {"opaque": True} if inner in ancestors else self.block(inner, depth + 1, ancestors)
                )
                attributes[name] = entry
        result: dict[str, Any] = {}
        if attributes:
            result["attributes"] = attributes
        if blocks:
            result["blocks"] = blocks
        return result

    def computed_attributes(self, class_fqn: str, schema: dict[str, Any]) -> dict[str, Any]:
        """Read-only attributes a reference may use (`aws_s3_bucket.b.arn`) beyond the arguments, with the
        Terraform type the getter's cdktf accessor reads them as (`dynamic` for nested objects)."""
        configurable = set(schema.get("attributes", {})) | set(schema.get("blocks", {}))
        names: dict[str, Any] = {}
        for prop in self.types[class_fqn].get("properties", []):
            if prop.get("static") or not prop.get("immutable") or prop["name"].endswith("Input"):
                continue
            getter = prop["name"]
            name = self.getter_names[class_fqn].get(getter) or _CAMEL_BOUNDARY.sub("_", getter).lower()
            if name not in configurable:
                method = self.getter_methods[class_fqn].get(getter, "")
                names[name] = _ACCESSOR_TYPES.get(method, "dynamic")
        return dict(sorted(names.items()))

    def config_struct(self, class_fqn: str) -> str:
        params = self.types[class_fqn].get("initializer", {}).get("parameters", [])
        for param in params:
            if param["name"] == "config":
                return param["type"]["fqn"]
        raise AssemblyError(f"{class_fqn}: constructor has no config parameter")


def build_schema(package: ProviderPackage, wheel: Path) -> dict[str, Any]:
    assembly = read_assembly(wheel)
    builder = SchemaBuilder(assembly)
    resources: dict[str, Any] = {}
    data_sources: dict[str, Any] = {}
    provider_config: dict[str, Any] | None = None
    provider_versions: set[str] = set()
    for fqn, jsii_type in assembly.types.items():
        base = (jsii_type.get("base") or "").removeprefix(package.library + ".")
        if base not in {"TerraformResource", "TerraformDataSource", "TerraformProvider"}:
            continue
        summary = jsii_type.get("docs", {}).get("summary", "")
        link = _TYPE_LINK.search(summary)
        if link is None:
            raise AssemblyError(f"{fqn}: summary has no registry link: {summary!r}")
        url, type_name = link.groups()
        version = _PROVIDER_VERSION.search(url)
        if version:
            provider_versions.add(version.group(1))
        schema = builder.block(builder.config_struct(fqn))
        if base != "TerraformProvider":
            computed = builder.computed_attributes(fqn, schema)
            if computed:
                schema["computed"] = sorted(computed)
                schema["computed_types"] = computed
        if base == "TerraformProvider":
            provider_config = schema
        elif base == "TerraformDataSource":
            data_sources[type_name] = schema
        else:
            resources[type_name] = schema
    for derived in builder.derived_names:
        print(f"  note: no registry link, name derived from camelCase: {derived}", file=sys.stderr)
    if len(provider_versions) != 1 or provider_config is None:
        raise AssemblyError(f"{wheel.name}: expected one provider version, found {sorted(provider_versions)}")
    return {
        "format": FORMAT_VERSION,
        "provider": package.name,
        "source": package.source,
        "provider_version": provider_versions.pop(),
        "package": package.package,
        "package_version": package.version,
        "provider_config": provider_config,
        "resources": resources,
        "data_sources": data_sources,
    }


def write_gzip_json(path: Path, payload: dict[str, Any]) -> None:
    """Write sorted, compact JSON gzip'd with no mtime and no file name: same input, same bytes."""
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    path.write_bytes(buffer.getvalue())


def update_index(out_dir: Path, schemas: list[dict[str, Any]]) -> None:
    index_path = out_dir / "index.json"
    index: dict[str, Any] = json.loads(index_path.read_text()) if index_path.exists() else {}
    providers = index.setdefault("providers", {})
    index["format"] = FORMAT_VERSION
    index["generated_by"] = "scripts/refresh_provider_schemas.py"
    for schema in schemas:
        providers[schema["provider"]] = {
            "file": f"{schema['provider']}.json.gz",
            "source": schema["source"],
            "provider_version": schema["provider_version"],
            "package": schema["package"],
            "package_version": schema["package_version"],
            "resources": len(schema["resources"]),
            "data_sources": len(schema["data_sources"]),
        }
    index_path.write_text(json.dumps(index, sort_keys=True, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--provider",
        action="append",
        choices=sorted(PACKAGES),
        help="provider to refresh (repeatable; default: all)",
    )
    parser.add_argument(
        "--wheel-dir", type=Path, help="use wheels already downloaded here instead of calling pip download"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="schema directory")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    schemas = []
    with tempfile.TemporaryDirectory(prefix="mlgen-schemas-") as tmp:
        for name in args.provider or sorted(PACKAGES):
            package = PACKAGES[name]
            if args.wheel_dir:
                prefix = package.package.replace("-", "_") + "-" + package.version
                found = sorted(args.wheel_dir.glob(f"{prefix}-*.whl"))
                if not found:
                    parser.error(f"no {prefix}-*.whl in {args.wheel_dir}")
                wheel = found[0]
            else:
                wheel = download_wheel(package, Path(tmp))
            schema = build_schema(package, wheel)
            write_gzip_json(args.out / f"{name}.json.gz", schema)
            size = (args.out / f"{name}.json.gz").stat().st_size
            print(
                f"{name}: hashicorp provider {schema['provider_version']} from {package.package}=="
                f"{package.version}: {len(schema['resources'])} resources, "
                f"{len(schema['data_sources'])} data sources, {size / 1024:.0f} KiB compressed"
            )
            schemas.append(schema)
            del schema
    update_index(args.out, schemas)
    return 0


if __name__ == "__main__":
    sys.exit(main())
