"""A real PyTorch model with switches the tests can flip through its input, logged with ``code_paths``.

``x7 == -999`` makes ``forward`` raise (a model bug); ``x7 == 777`` makes it sleep (a slow request, for
draining on SIGTERM); ``SENTINEL_LOAD_DELAY_S`` slows unpickling (a big model loading).
``SENTINEL_LOAD_DELAYS=0,4,2`` with ``SENTINEL_LOAD_COUNTER=<file>`` gives each successive load in any
process the next delay (the last one repeats): workers that load at different speeds.
"""

from __future__ import annotations

import fcntl
import os
import time

import torch


class SentinelMLP(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.linear = torch.nn.Linear(8, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        marker = x[:, 7]
        if bool((marker == -999).any()):
            raise RuntimeError("sentinel failure: x7 == -999")
        if bool((marker == 777).any()):
            time.sleep(float(os.environ.get("SENTINEL_SLEEP_S", "1.5")))
        return self.linear(x)

    def __setstate__(self, state: dict) -> None:
        time.sleep(_load_delay())
        super().__setstate__(state)


def _load_delay() -> float:
    delays, counter = os.environ.get("SENTINEL_LOAD_DELAYS"), os.environ.get("SENTINEL_LOAD_COUNTER")
    if not (delays and counter):
        return float(os.environ.get("SENTINEL_LOAD_DELAY_S", "0"))
    with open(counter, "a+") as handle:  # one load at a time takes the next slot
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        taken = len(handle.read())
        handle.write("x")
    values = [float(v) for v in delays.split(",")]
    return values[min(taken, len(values) - 1)]


def _python_model_base() -> type:
    import mlflow.pyfunc

    return mlflow.pyfunc.PythonModel


class NameScoreModel(_python_model_base()):
    """A non-PyTorch pyfunc model (a string and a double column): served through mlflow.pyfunc."""

    def predict(self, context, model_input, params=None):
        return (model_input["x"] * 2 + model_input["name"].str.len()).tolist()
