"""Load an MLflow model and run batches of validated requests through it.

PyTorch-flavour models whose inputs are all numeric run as a plain ``torch.nn.Module`` on one
concatenated tensor under ``torch.inference_mode`` — this skips pyfunc's per-request pandas round trip,
which is most of ``mlflow models serve``'s cost for small models. Everything else runs through
``mlflow.pyfunc`` with MLflow's own schema enforcement.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from model_server.inputs import InputError, Payload
from model_server.schema import InputSchema, schema_from_mlflow

log = logging.getLogger("model_server.model")


class PredictionError(RuntimeError):
    """The model failed on input that passed validation: a server-side error (500)."""


@dataclass
class LoadedModel:
    backend: str  # "torch" or "pyfunc"
    schema: InputSchema
    metadata: dict[str, Any]
    _runner: Any = field(repr=False, default=None)

    def predict(self, payloads: list[Payload]) -> list[list[Any]]:
        """Predictions for several requests at once; one list of per-row predictions per request."""
        return self._runner(payloads)


def _split(outputs: Any, payloads: list[Payload]) -> list[list[Any]]:
    sizes = [p.n_rows for p in payloads]
    total = sum(sizes)
    if len(outputs) != total:
        if len(payloads) == 1:
            return [outputs]
        raise PredictionError(f"model returned {len(outputs)} predictions for {total} rows")
    result, start = [], 0
    for size in sizes:
        result.append(outputs[start : start + size])
        start += size
    return result


def _prepared(module: Any, device: Any) -> Any:
    """The module in eval mode on ``device``; torch.export (pt2) modules refuse ``eval()``, and need not."""
    try:
        module = module.eval()
    except NotImplementedError:
        pass  # an exported graph has no train/eval behaviour to switch
    try:
        module = module.to(device)
    except NotImplementedError:
        if device.type != "cpu":
            raise
    return module


class TorchRunner:
    def __init__(self, module: Any, schema: InputSchema, device: str) -> None:
        import torch

        self.torch = torch
        self.device = torch.device(device)
        self.module = _prepared(module, self.device)
        params = list(module.parameters()) if hasattr(module, "parameters") else []
        self.dtype = params[0].dtype if params else torch.float32
        self.numpy_dtype = torch.empty(0, dtype=self.dtype).numpy().dtype
        self.schema = schema

    def _array(self, payload: Payload) -> np.ndarray:
        if payload.array is not None:
            return payload.array
        return np.asarray(payload.rows, dtype=self.numpy_dtype)

    def __call__(self, payloads: list[Payload]) -> list[list[Any]]:
        torch = self.torch
        arrays = [self._array(p) for p in payloads]
        batch = arrays[0] if len(arrays) == 1 else np.concatenate(arrays)
        tensor = torch.from_numpy(np.ascontiguousarray(batch, dtype=self.numpy_dtype)).to(self.device)
        with torch.inference_mode():
            output = self.module(tensor)
        if not isinstance(output, torch.Tensor):
            raise PredictionError(f"model returned {type(output).__name__}, expected one tensor")
        values = output.detach().to("cpu").numpy()
        if values.ndim == 2 and values.shape[1] == 1:
            values = values[:, 0]  # one value per row: answer a number, not a one-element list
        return _split(values.tolist(), payloads)


class PyfuncRunner:
    def __init__(self, model: Any, schema: InputSchema) -> None:
        self.model = model
        self.schema = schema

    def _frame(self, payload: Payload) -> Any:
        import pandas as pd

        if payload.array is not None:
            return payload.array
        frame = pd.DataFrame(payload.rows, columns=payload.columns)
        if self.schema.kind == "columns":
            # JSON numbers arrive as Python int/float; give pandas the signature's widths so MLflow's
            # schema enforcement sees float32 where the model said float.
            dtypes = {
                c.name: {"float": "float32", "double": "float64", "integer": "int32", "long": "int64"}[c.type]
                for c in self.schema.columns
                if c.type in ("float", "double", "integer", "long") and c.required
            }
            frame = frame.astype(dtypes)
        return frame

    def __call__(self, payloads: list[Payload]) -> list[list[Any]]:
        import pandas as pd
        from mlflow.exceptions import MlflowException
        from mlflow.utils.proto_json_utils import _get_jsonable_obj

        frames = [self._frame(p) for p in payloads]
        if len(frames) == 1:
            data = frames[0]
        elif all(isinstance(f, np.ndarray) for f in frames):
            data = np.concatenate(frames)
        else:
            data = pd.concat(frames, ignore_index=True)
        params = payloads[0].params if len(payloads) == 1 else None
        try:
            output = self.model.predict(data, params=params) if params else self.model.predict(data)
        except MlflowException as exc:
            if "schema" in exc.message.lower() or "incompatible input" in exc.message.lower():
                raise InputError(exc.message.split("\n")[0]) from None
            raise
        jsonable = _get_jsonable_obj(output, pandas_orient="records")
        if not isinstance(jsonable, list):
            jsonable = [jsonable]
        return _split(jsonable, payloads)


def _select_device() -> str:
    wanted = os.environ.get("SERVING_DEVICE", "auto").lower()
    if wanted != "auto":
        return wanted
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _tag_metadata(mlmodel: Any, run_tags: dict[str, str]) -> dict[str, Any]:
    extra = dict(mlmodel.metadata or {})
    code_version = (
        extra.get("code_version") or run_tags.get("code_version") or run_tags.get("mlflow.source.git.commit")
    )
    dataset_version = extra.get("dataset_version") or run_tags.get("dataset_version")
    return {"code_version": code_version, "dataset_version": dataset_version, "model_metadata": extra}


def _signature_json(signature: Any) -> dict[str, Any] | None:
    if signature is None:
        return None
    # MLmodel stores each part as a JSON string; answer real JSON so clients need not decode twice.
    return {
        key: json.loads(value) if isinstance(value, str) else value
        for key, value in signature.to_dict().items()
    }


def _warm_up(runner: TorchRunner, schema: InputSchema) -> None:
    """One tiny forward pass so the first real request does not pay for lazy initialisation."""
    if schema.kind == "columns":
        rows = [[0 for _ in schema.columns]]
        runner([Payload(rows=rows, columns=schema.names, array=None, params=None, n_rows=1)])
    elif schema.kind == "tensor" and all(d > 0 for d in schema.tensor_shape[1:]):
        array = np.zeros((1, *schema.tensor_shape[1:]), dtype=schema.tensor_dtype)
        runner([Payload(rows=None, columns=None, array=array, params=None, n_rows=1)])


def load_model(model_dir: Path, identity: dict[str, Any], torch_threads: int) -> LoadedModel:
    """Load the model in ``model_dir`` (a directory with ``MLmodel``), choosing the fastest backend."""
    from mlflow.models import Model

    mlmodel = Model.load(str(model_dir / "MLmodel"))
    schema = schema_from_mlflow(mlmodel.get_input_schema())
    signature = mlmodel.signature
    metadata: dict[str, Any] = {
        "name": identity.get("name"),
        "version": identity.get("version"),
        "source": identity.get("source"),
        "run_id": mlmodel.run_id,
        "model_id": getattr(mlmodel, "model_id", None) or mlmodel.model_uuid,
        "flavors": sorted(mlmodel.flavors),
        "mlflow_version": getattr(mlmodel, "mlflow_version", None),
        "created": mlmodel.utc_time_created,
        "signature": _signature_json(signature),
        "run_tags": identity.get("run_tags") or {},
        **_tag_metadata(mlmodel, identity.get("run_tags") or {}),
    }
    # The tensor path needs a dense numeric matrix: optional (nullable) columns go through pyfunc.
    dense_columns = schema.all_numeric and all(column.required for column in schema.columns)
    torch_eligible = "pytorch" in mlmodel.flavors and (dense_columns or schema.kind in ("tensor", "none"))
    if torch_eligible:
        import torch

        torch.set_num_threads(torch_threads)
        try:
            torch.set_num_interop_threads(1)  # one batch at a time: inter-op parallelism only adds contention
        except RuntimeError:
            pass  # already set in this process
        import mlflow.pytorch

        device = _select_device()
        module = mlflow.pytorch.load_model(str(model_dir), map_location=device)
        if isinstance(module, torch.nn.Module) or callable(module):
            runner = TorchRunner(module, schema, device)
            try:
                _warm_up(runner, schema)
            except Exception:
                log.warning("warm-up forward pass failed; continuing", exc_info=True)
            metadata["backend"] = "torch"
            log.info("model loaded", extra={"backend": "torch", "device": device, "threads": torch_threads})
            return LoadedModel("torch", schema, metadata, runner)
    import mlflow.pyfunc

    pyfunc_model = mlflow.pyfunc.load_model(str(model_dir))
    metadata["backend"] = "pyfunc"
    log.info("model loaded", extra={"backend": "pyfunc"})
    return LoadedModel("pyfunc", schema, metadata, PyfuncRunner(pyfunc_model, schema))
