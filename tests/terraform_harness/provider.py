"""The provider service (tfplugin6.Provider) that serves a bundled schema and plans like a provider would:
every computed attribute the configuration leaves unset is unknown until apply. Data sources answer with
typed placeholders, or real values where generated code depends on them (aws_data.py).

Run by Terraform as `python -m tests.terraform_harness.provider <local name>` (see runner.py)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import grpc

from . import aws_data, cty, google_data
from . import tfplugin6_pb2 as pb
from . import tfplugin6_pb2_grpc as pb_grpc
from .handshake import serve
from .schema import Block, ProviderModel, provider_model


def computed_unknown(value: Any, block: Block) -> Any:
    """The planned value: `value` (the proposed new state) with every null computed attribute unknown."""
    if value is None or value is cty.UNKNOWN:
        return value
    out = dict(value)
    for name, attr in block.attributes.items():
        if attr.computed and out.get(name) is None:
            out[name] = cty.UNKNOWN
    for name, nested in block.blocks.items():
        items = out.get(name)
        if isinstance(items, list):
            out[name] = [computed_unknown(item, nested.block) for item in items]
    return out


def placeholder(cty_type: Any, name: str) -> Any:
    """A known value of `cty_type` for a computed attribute whose real value only the cloud knows."""
    if cty_type == "string":
        return f"placeholder-{name}"
    if cty_type == "number":
        return 0
    if cty_type == "bool":
        return False
    if cty_type == "dynamic":
        return None
    kind = cty_type[0]
    if kind in ("list", "set", "tuple"):
        return []
    if kind == "map":
        return {}
    return {attr: None for attr in cty_type[1]}


def known(value: Any, block: Block) -> Any:
    """`value` with every null or unknown computed attribute replaced by a placeholder."""
    if value is None:
        return value
    out = dict(value)
    for name, attr in block.attributes.items():
        if attr.computed and (out.get(name) is None or out.get(name) is cty.UNKNOWN):
            out[name] = placeholder(attr.type, name)
    for name, nested in block.blocks.items():
        items = out.get(name)
        if isinstance(items, list):
            out[name] = [known(item, nested.block) for item in items]
    return out


def _dv(value: Any, block: Block) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=cty.pack(value, block.cty_type))


def _read(dv: pb.DynamicValue, block: Block) -> Any:
    if dv.msgpack:
        return cty.unpack(dv.msgpack, block.cty_type)
    if dv.json:
        return json.loads(dv.json)
    return None


def _error(summary: str) -> pb.Diagnostic:
    return pb.Diagnostic(severity=pb.Diagnostic.ERROR, summary=summary)


class Provider(pb_grpc.ProviderServicer):
    def __init__(self, model: ProviderModel, schema_bytes: bytes) -> None:
        self.model = model
        self.schema_bytes = schema_bytes
        self.config: dict[str, Any] = {}

    def GetMetadata(self, request, context):
        return pb.GetMetadata.Response(
            resources=[pb.GetMetadata.ResourceMetadata(type_name=t) for t in self.model.resources],
            data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=t) for t in self.model.data_sources],
        )

    def GetProviderSchema(self, request, context):
        return pb.GetProviderSchema.Response.FromString(self.schema_bytes)

    def ValidateProviderConfig(self, request, context):
        return pb.ValidateProviderConfig.Response()

    def ValidateResourceConfig(self, request, context):
        return pb.ValidateResourceConfig.Response()

    def ValidateDataResourceConfig(self, request, context):
        return pb.ValidateDataResourceConfig.Response()

    def ConfigureProvider(self, request, context):
        self.config = _read(request.config, self.model.provider) or {}
        return pb.ConfigureProvider.Response()

    def UpgradeResourceState(self, request, context):
        block = self.model.resources[request.type_name]
        state = json.loads(request.raw_state.json) if request.raw_state.json else None
        if state is not None:
            state = {name: state.get(name) for name in block.cty_type[1]}
        return pb.UpgradeResourceState.Response(upgraded_state=_dv(state, block))

    def ReadResource(self, request, context):
        return pb.ReadResource.Response(new_state=request.current_state, private=request.private)

    def PlanResourceChange(self, request, context):
        block = self.model.resources[request.type_name]
        proposed = _read(request.proposed_new_state, block)
        if _read(request.prior_state, block) is not None:
            # An update: Terraform's proposed state already carries the prior value of every computed
            # attribute the configuration leaves unset, as a provider keeps them; only a create has unknowns.
            return pb.PlanResourceChange.Response(planned_state=_dv(proposed, block))
        return pb.PlanResourceChange.Response(planned_state=_dv(computed_unknown(proposed, block), block))

    def ApplyResourceChange(self, request, context):
        block = self.model.resources[request.type_name]
        planned = _read(request.planned_state, block)
        return pb.ApplyResourceChange.Response(new_state=_dv(known(planned, block), block))

    def ImportResourceState(self, request, context):
        block = self.model.resources[request.type_name]
        state = known({"id": request.id}, block)
        return pb.ImportResourceState.Response(
            imported_resources=[
                pb.ImportResourceState.ImportedResource(type_name=request.type_name, state=_dv(state, block))
            ]
        )

    def ReadDataSource(self, request, context):
        block = self.model.data_sources[request.type_name]
        config = _read(request.config, block)
        try:
            answer = aws_data.answer(self.model.name, request.type_name, config, self.config)
            answer |= google_data.answer(self.model.name, request.type_name, config, self.config)
        except ValueError as exc:
            return pb.ReadDataSource.Response(diagnostics=[_error(f"{request.type_name}: {exc}")])
        state = known({**config, **answer}, block)
        return pb.ReadDataSource.Response(state=_dv(state, block))

    def StopProvider(self, request, context):
        return pb.StopProvider.Response()


def _schema_bytes(model: ProviderModel) -> bytes:
    """The serialized schema response, cached next to the plugin (building it takes about a second)."""
    cache_dir = os.environ.get("MLGEN_TF_HARNESS_CACHE")
    if not cache_dir:
        return model.schema_response().SerializeToString()
    path = Path(cache_dir) / f"{model.name}-{model.version}.schema.pb"
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(model.schema_response().SerializeToString())
        tmp.replace(path)
    return path.read_bytes()


def main(argv: list[str]) -> None:
    model = provider_model(argv[0])
    provider = Provider(model, _schema_bytes(model))

    def register(server: grpc.Server) -> None:
        pb_grpc.add_ProviderServicer_to_server(provider, server)

    serve(register)


if __name__ == "__main__":
    main(sys.argv[1:])
