"""The model's input signature, reduced to what request validation needs."""

from __future__ import annotations

from dataclasses import dataclass

NUMERIC_TYPES = frozenset({"float", "double", "integer", "long"})
FLOAT_TYPES = frozenset({"float", "double"})
INTEGER_TYPES = frozenset({"integer", "long"})


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # MLflow DataType name ("float", "long", "string", ...) or "any" for nested types
    required: bool = True


@dataclass(frozen=True)
class InputSchema:
    """``kind`` is ``columns`` (named columns), ``tensor`` (one unnamed tensor) or ``none`` (no signature)."""

    kind: str
    columns: tuple[Column, ...] = ()
    tensor_shape: tuple[int, ...] = ()
    tensor_dtype: str = "float32"

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def all_numeric(self) -> bool:
        return self.kind == "columns" and all(c.type in NUMERIC_TYPES for c in self.columns)

    def describe(self) -> str:
        if self.kind == "columns":
            return ", ".join(f"{c.name} ({c.type})" for c in self.columns)
        if self.kind == "tensor":
            return f"tensor {self.tensor_dtype} of shape {list(self.tensor_shape)}"
        return "no signature"


def schema_from_mlflow(mlflow_schema) -> InputSchema:
    """Translate ``mlflow.types.Schema`` (or None) into :class:`InputSchema`."""
    if mlflow_schema is None:
        return InputSchema(kind="none")
    if mlflow_schema.is_tensor_spec():
        specs = mlflow_schema.inputs
        if len(specs) != 1 or specs[0].name:
            # Several named tensors: leave validation to MLflow's own schema enforcement.
            return InputSchema(kind="none")
        spec = specs[0]
        return InputSchema(kind="tensor", tensor_shape=tuple(spec.shape), tensor_dtype=str(spec.type))
    if any(not spec.name for spec in mlflow_schema.inputs):
        return InputSchema(kind="none")  # unnamed columns: nothing to check names against
    columns = []
    for spec in mlflow_schema.inputs:
        type_name = getattr(spec.type, "name", None) or "any"
        columns.append(Column(name=spec.name, type=type_name, required=bool(getattr(spec, "required", True))))
    return InputSchema(kind="columns", columns=tuple(columns))
