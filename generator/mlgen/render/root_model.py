"""What a Terraform root module contains, independent of the syntax it is written in.

A cloud adapter describes each root once as a :class:`RootModule`; the HCL emitter
(:mod:`mlgen.render.root_hcl`) and the CDKTF emitter (:mod:`mlgen.render.cdktf`) both write from that one
description, so the two output formats cannot disagree about a module input, the backend, the provider
configuration or an output.

Values are those :mod:`mlgen.render.hcl_emitter` renders: Python scalars, lists and dicts, :class:`Ref` and
:class:`Expr` for Terraform expressions, and :class:`Block` for nested blocks (provider configuration).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlgen.render.hcl_emitter import Expr, Ref


@dataclass(frozen=True)
class RequiredProvider:
    """A provider the root requires, and the configuration of its (single, default) provider block."""

    name: str  # local name, e.g. "aws"
    source: str  # e.g. "hashicorp/aws"
    version: str  # version constraint
    config: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Backend:
    type: str  # e.g. "s3"
    config: Mapping[str, Any]


@dataclass(frozen=True)
class DataSource:
    type: str
    name: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True)
class Validation:
    condition: Expr
    error_message: str


@dataclass(frozen=True)
class Variable:
    name: str
    description: str
    type: Expr
    default: Any = None
    validations: tuple[Validation, ...] = ()


@dataclass(frozen=True)
class ModuleCall:
    """``module "name" { source = ... }``: ``source`` is relative to the root's directory, as in HCL."""

    name: str
    source: str
    inputs: Mapping[str, Any]
    meta: Mapping[str, Any] = field(default_factory=dict)  # count, for_each, providers, depends_on

    @property
    def depends_on_modules(self) -> list[str]:
        """Names of the modules this call lists in depends_on."""
        return [
            ref.text.removeprefix("module.")
            for ref in self.meta.get("depends_on", [])
            if isinstance(ref, Ref) and ref.text.startswith("module.")
        ]


@dataclass(frozen=True)
class Output:
    name: str
    value: Expr
    description: str


@dataclass(frozen=True)
class RootModule:
    """One directory that `terraform apply` runs in, with everything Terraform reads from it."""

    directory: str  # relative to the project root, e.g. infra/envs/dev
    required_version: str
    providers: tuple[RequiredProvider, ...]
    backend: Backend | None  # None: Terraform's default local state
    locals: Mapping[str, Any] = field(default_factory=dict)
    data_sources: tuple[DataSource, ...] = ()
    variables: tuple[Variable, ...] = ()
    modules: tuple[ModuleCall, ...] = ()
    outputs: tuple[Output, ...] = ()
