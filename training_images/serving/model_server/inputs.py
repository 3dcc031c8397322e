"""Request bodies → validated rows, in the formats MLflow's scoring server accepts, plus SageMaker CSV.

JSON: exactly one of ``instances`` / ``inputs`` (Vertex AI, TF-serving style), ``dataframe_split`` or
``dataframe_records`` (pandas orients), with optional ``params`` (MLflow) or ``parameters`` (Vertex).
Every error is an :class:`InputError` whose message names the offending field and row, so a caller can
fix the request without reading server logs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from model_server.schema import FLOAT_TYPES, INTEGER_TYPES, InputSchema

FORMAT_KEYS = ("instances", "inputs", "dataframe_split", "dataframe_records")
_MISSING = object()


class InputError(ValueError):
    """The request is wrong; answered with 400 and this message."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Payload:
    """Validated input. ``rows`` are in signature column order; ``array`` is set for tensor signatures."""

    rows: list[list[Any]] | None
    columns: list[str] | None
    array: np.ndarray | None
    params: dict[str, Any] | None
    n_rows: int


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
    }.get(type(value), type(value).__name__)


def _check_value(value: Any, name: str, type_name: str, row: int, required: bool) -> Any:
    kind = type(value)
    if type_name in FLOAT_TYPES:
        if kind is float or kind is int:
            return value
    elif type_name in INTEGER_TYPES:
        if kind is int:
            return value
    elif type_name == "boolean":
        if kind is bool:
            return value
    elif type_name == "string":
        if kind is str:
            return value
    else:  # binary, datetime, nested types: MLflow's own schema enforcement decides
        return value
    if value is None:
        if not required:
            return None
        raise InputError(f"column '{name}' in row {row} is null; a {type_name} value is required", field=name)
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    raise InputError(
        f"column '{name}' in row {row} must be a {type_name}, got {_json_type(value)} {shown}", field=name
    )


def _records_to_rows(records: list[Any], schema: InputSchema, where: str) -> list[list[Any]]:
    columns = schema.columns
    rows = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise InputError(
                f"{where}: row {index} must be a list of {len(columns)} values or an object keyed by column "
                f"name, got {_json_type(record)}"
            )
        row = []
        for column in columns:
            value = record.get(column.name, _MISSING)
            if value is _MISSING:
                if column.required:
                    raise InputError(
                        f"{where}: row {index} is missing required column '{column.name}'", field=column.name
                    )
                value = None
            row.append(_check_value(value, column.name, column.type, index, column.required))
        rows.append(row)
    return rows


def _positional_to_rows(rows_in: list[Any], schema: InputSchema, where: str) -> list[list[Any]]:
    columns = schema.columns
    width = len(columns)
    rows = []
    for index, row_in in enumerate(rows_in):
        if not isinstance(row_in, list):
            raise InputError(
                f"{where}: row {index} must be a list of {width} values ({', '.join(schema.names)}), "
                f"got {_json_type(row_in)}"
            )
        if len(row_in) != width:
            raise InputError(
                f"{where}: row {index} has {len(row_in)} values, expected {width} ({', '.join(schema.names)})"
            )
        rows.append(
            [_check_value(v, c.name, c.type, index, c.required) for v, c in zip(row_in, columns, strict=True)]
        )
    return rows


def _columnar_to_records(data: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """``{"x0": [1, 2], "x1": [3, 4]}`` (TF-serving columnar) or ``{"x0": 1, ...}`` (one row)."""
    lengths = {len(v) for v in data.values() if isinstance(v, list)}
    if not lengths:
        return [data]
    if len(lengths) != 1 or any(not isinstance(v, list) for v in data.values()):
        raise InputError(f"{where}: every column must be a list of the same length")
    count = lengths.pop()
    return [{name: values[i] for name, values in data.items()} for i in range(count)]


def _table_from_split(data: Any, schema: InputSchema) -> list[list[Any]]:
    where = "dataframe_split"
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise InputError(f'{where} must be an object with "columns" and "data" (a list of rows)')
    names = data.get("columns")
    rows_in = data["data"]
    if names is None:
        return _positional_to_rows(rows_in, schema, where)
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InputError(f'{where}: "columns" must be a list of column names')
    records = []
    for index, row in enumerate(rows_in):
        if not isinstance(row, list) or len(row) != len(names):
            raise InputError(f"{where}: row {index} must be a list of {len(names)} values, one per column")
        records.append(dict(zip(names, row, strict=True)))
    return _records_to_rows(records, schema, where)


def _to_tensor(data: Any, schema: InputSchema, where: str) -> np.ndarray:
    try:
        array = np.asarray(data)
    except ValueError:
        raise InputError(f"{where}: rows must all have the same shape") from None
    if array.dtype.kind not in "iuf":
        raise InputError(
            f"{where}: expected numbers for {schema.describe()}, got {array.dtype.kind!r} values"
        )
    expected = schema.tensor_shape
    if expected and (
        array.ndim != len(expected)
        or any(e not in (-1, a) for e, a in zip(expected, array.shape, strict=True))
    ):
        raise InputError(f"{where}: input shape {list(array.shape)} does not match {schema.describe()}")
    return array.astype(schema.tensor_dtype, copy=False)


def _rows_from_data(
    key: str, data: Any, schema: InputSchema
) -> tuple[list[list[Any]] | None, list[str] | None]:
    """Rows in signature order (column schemas), or rows plus column names when there is no signature."""
    if key == "dataframe_split":
        if schema.kind == "columns":
            return _table_from_split(data, schema), schema.names
        if isinstance(data, dict) and isinstance(data.get("data"), list):
            return data["data"], data.get("columns")
        raise InputError('dataframe_split must be an object with "columns" and "data" (a list of rows)')
    if key == "dataframe_records":
        if not isinstance(data, list):
            raise InputError("dataframe_records must be a list of objects keyed by column name")
        records = data
    elif isinstance(data, dict):
        records = _columnar_to_records(data, key)
    elif isinstance(data, list):
        if data and all(isinstance(item, list) for item in data):
            if schema.kind == "columns":
                return _positional_to_rows(data, schema, key), schema.names
            return data, None
        records = data
    else:
        raise InputError(f"{key} must be a list of rows or an object of columns, got {_json_type(data)}")
    if schema.kind == "columns":
        return _records_to_rows(records, schema, key), schema.names
    if not all(isinstance(r, dict) for r in records):
        raise InputError(f"{key}: rows must be all lists or all objects")
    names = sorted({name for record in records for name in record})
    return [[record.get(n) for n in names] for record in records], names


def parse_json(body: bytes, schema: InputSchema) -> Payload:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc}") from None
    if not isinstance(document, dict):
        raise InputError(f"the body must be a JSON object with one of the keys {', '.join(FORMAT_KEYS)}")
    keys = [k for k in FORMAT_KEYS if k in document]
    if len(keys) != 1:
        found = ", ".join(sorted(document)) or "none"
        raise InputError(
            f"the body must have exactly one of the keys {', '.join(FORMAT_KEYS)}; found: {found}"
        )
    key = keys[0]
    params = document.get("params", document.get("parameters"))
    if params is not None and not isinstance(params, dict):
        raise InputError("params must be an object", field="params")
    data = document[key]
    if isinstance(data, list) and not data:
        raise InputError(f"{key} is empty; send at least one row", field=key)
    if schema.kind == "tensor":
        if key == "dataframe_split" and isinstance(data, dict):
            data = data.get("data")
        array = _to_tensor(data, schema, key)
        return Payload(rows=None, columns=None, array=array, params=params, n_rows=int(array.shape[0]))
    rows, columns = _rows_from_data(key, data, schema)
    if not rows:
        raise InputError(f"{key} is empty; send at least one row", field=key)
    return Payload(rows=rows, columns=columns, array=None, params=params, n_rows=len(rows))


def _cell(text: str, name: str, type_name: str, row: int, required: bool) -> Any:
    text = text.strip()
    if text == "":
        return _check_value(None, name, type_name, row, required)
    try:
        if type_name in FLOAT_TYPES:
            return float(text)
        if type_name in INTEGER_TYPES:
            return int(text)
    except ValueError:
        raise InputError(
            f"column '{name}' in row {row} must be a {type_name}, got {text[:40]!r}", field=name
        ) from None
    if type_name == "boolean":
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise InputError(f"column '{name}' in row {row} must be true or false, got {text[:40]!r}", field=name)
    return text


def parse_csv(body: bytes, schema: InputSchema) -> Payload:
    """SageMaker's ``text/csv``: rows in signature order, with or without a header row of column names."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("CSV body must be UTF-8 text") from None
    table = [row for row in csv.reader(io.StringIO(text)) if row and any(cell.strip() for cell in row)]
    if not table:
        raise InputError("CSV body has no rows")
    if schema.kind != "columns":
        try:
            array = np.asarray([[float(cell) for cell in row] for row in table], dtype=np.float64)
        except ValueError:
            raise InputError("CSV cells must all be numbers for this model") from None
        return parse_json(orjson.dumps({"instances": array.tolist()}), schema)
    names = schema.names
    header = [cell.strip() for cell in table[0]]
    order = list(range(len(names)))
    width = len(names)
    if set(names) <= set(header):
        order = [header.index(name) for name in names]
        width = len(header)
        table = table[1:]
        if not table:
            raise InputError("CSV body has a header but no rows")
    rows = []
    for index, row in enumerate(table):
        if len(row) != width:
            raise InputError(f"CSV row {index} has {len(row)} values, expected {width} ({', '.join(names)})")
        rows.append(
            [
                _cell(row[i], c.name, c.type, index, c.required)
                for i, c in zip(order, schema.columns, strict=True)
            ]
        )
    return Payload(rows=rows, columns=names, array=None, params=None, n_rows=len(rows))
