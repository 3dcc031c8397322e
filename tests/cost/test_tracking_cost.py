"""What each tracking choice costs idle (tracking.mlflow = managed / serverless / none), from the estimate.

docs/cost.md's table of idle cost per tracking choice is these lines. Wall time: about 1 s (pure Python).
"""

from __future__ import annotations

import pytest

from mlgen.clouds import get_adapter
from mlgen.clouds.aws import costing
from mlgen.cost import estimate_plan
from mlgen.cost.prices import load_price_table


def _dev(make_plan, mlflow: str | None):
    def edit(spec):
        if mlflow is not None:
            spec["environments"]["dev"]["tracking"] = {"mlflow": mlflow}

    envs = {env.name: env for env in estimate_plan(make_plan("production", edit)).environments}
    return envs["dev"]


def _tracking_lines(env) -> dict[str, float]:
    return {line.what: line.monthly for line in env.idle if "MLflow" in line.what}


def test_managed_bills_the_server_hours_serverless_bills_nothing_idle_none_has_no_line(make_plan) -> None:
    table = load_price_table(get_adapter("aws").price_table_path("eu-west-1"))
    small = table.prices["sagemaker.mlflow_tracking_server.Small"].usd
    managed = _dev(make_plan, "managed")
    serverless = _dev(make_plan, "serverless")
    none = _dev(make_plan, "none")
    assert _tracking_lines(managed) == {"MLflow tracking server (Small)": round(730 * small, 2)}
    assert _tracking_lines(serverless) == {"MLflow app (serverless)": 0.0}
    (app_line,) = [line for line in serverless.idle if line.what == "MLflow app (serverless)"]
    assert app_line.status == "free" and "no hourly charge" in app_line.note
    assert _tracking_lines(none) == {}
    # Everything else is the same landing zone: the difference is exactly the server's hours.
    assert managed.idle_total - serverless.idle_total == pytest.approx(730 * small, abs=0.01)
    assert serverless.idle_total == pytest.approx(none.idle_total, abs=0.01)


def test_the_mlflow_app_resource_is_listed_as_free_with_its_assumption() -> None:
    assert costing.RESOURCE_PRICING["aws_sagemaker_mlflow_app"].startswith("free: ")
