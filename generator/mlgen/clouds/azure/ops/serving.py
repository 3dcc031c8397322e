"""Azure ML online deployments: the serving image's contract as ARM bodies, and the release roll-out.

Deployments and traffic have no azurerm resource, so `mlgen release --apply` manages them here: an
environment version names the serving image with its routes and port (training_images/serving/README.md,
"Azure ML managed online endpoint"), a new deployment per release, then all traffic to it, then the old
deployments removed. The landing zone owns the endpoint itself (and must ignore changes to its traffic).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.catalog import ENDPOINT_SIZES
from mlgen.ops.errors import OpsError
from mlgen.plan.variants import endpoint_variants
from mlgen.spec.models import EndpointSpec

PORT = 8080
LIVENESS_ROUTE, READINESS_ROUTE, SCORING_ROUTE = "/health", "/ready", "/predict"
# Azure sends one request at a time per instance unless told otherwise; the server's micro-batcher needs
# several in flight to form a batch (serving README: raise it to 16–64).
MAX_CONCURRENT_REQUESTS = 32
REQUEST_TIMEOUT = "PT60S"
# The model loads after the port opens (/health is 200, /ready 503 until loaded): give readiness time.
PROBE = {"initialDelay": "PT10S", "period": "PT10S", "timeout": "PT2S", "successThreshold": 1}
LIVENESS_FAILURES, READINESS_FAILURES = 30, 60
# The spec's abstract sizes → VM sizes that managed online endpoints offer (CPU; the model server runs
# one worker per CPU, at most 4).
# The sizes come from the catalog, which the cost estimate and the doctor read too.
INSTANCE_TYPES = ENDPOINT_SIZES
DEPLOY_TIMEOUT_S = 45 * 60

# Autoscale of a deployment (Azure Monitor autoscale settings, "Autoscale online endpoints"): CPU of the
# deployment's instances, a metric Azure Monitor documents for this resource type ("Supported metrics for
# Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments": CpuUtilizationPercentage,
# Percent, per minute). The server runs one worker per CPU, so CPU follows the load it can take.
DEPLOYMENT_METRIC_NAMESPACE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments"
SCALE_METRIC = "CpuUtilizationPercentage"
# Out fast on a short window, in slowly on a longer one, so a burst does not flap the instance count (a new
# instance needs minutes to load the model before it counts).
SCALE_OUT = {"operator": "GreaterThan", "threshold": 70, "timeWindow": "PT5M", "cooldown": "PT5M"}
SCALE_IN = {"operator": "LessThan", "threshold": 25, "timeWindow": "PT10M", "cooldown": "PT10M"}


def serving_environment(prefix: str) -> str:
    return f"{prefix}-serving"


def serving_environment_body(image_uri: str, tags: dict[str, str]) -> dict[str, Any]:
    def route(path: str) -> dict[str, Any]:
        return {"path": path, "port": PORT}

    return {
        "properties": {
            "image": image_uri,
            "osType": "Linux",
            "description": "mlgen serving image",
            "inferenceConfig": {
                "livenessRoute": route(LIVENESS_ROUTE),
                "readinessRoute": route(READINESS_ROUTE),
                "scoringRoute": route(SCORING_ROUTE),
            },
            "tags": dict(sorted(tags.items())),
        }
    }


def deployment_body(
    *,
    location: str,
    model_id: str,
    environment_id: str,
    size: str,
    instances: int,
    tags: dict[str, str],
) -> dict[str, Any]:
    if size not in INSTANCE_TYPES:
        raise OpsError(
            f"endpoint size {size!r} has no Azure instance type (allowed: {', '.join(INSTANCE_TYPES)})"
        )
    return {
        "location": location,
        "tags": dict(sorted(tags.items())),
        "sku": {"name": "Default", "capacity": instances},
        "properties": {
            "endpointComputeType": "Managed",
            "description": "mlgen release",
            "model": model_id,
            "environmentId": environment_id,
            "instanceType": INSTANCE_TYPES[size],
            "scaleSettings": {"scaleType": "Default"},
            "requestSettings": {
                "maxConcurrentRequestsPerInstance": MAX_CONCURRENT_REQUESTS,
                "requestTimeout": REQUEST_TIMEOUT,
            },
            "livenessProbe": {**PROBE, "failureThreshold": LIVENESS_FAILURES},
            "readinessProbe": {**PROBE, "failureThreshold": READINESS_FAILURES},
            # The image detects Azure from AZUREML_MODEL_DIR; saying it avoids guessing.
            "environmentVariables": {"SERVING_PLATFORM": "azure"},
            "appInsightsEnabled": True,
            # The workspace's managed network carries what the container needs; nothing else goes out.
            "egressPublicNetworkAccess": "Disabled",
        },
    }


def with_traffic(endpoint: dict[str, Any], traffic: dict[str, int]) -> dict[str, Any]:
    """The endpoint's PUT body with a new traffic split (its PATCH accepts only tags and identity)."""
    properties = {
        key: value
        for key, value in endpoint.get("properties", {}).items()
        if key in {"authMode", "description", "publicNetworkAccess", "compute", "mirrorTraffic", "keys"}
    }
    body: dict[str, Any] = {
        "location": endpoint["location"],
        "properties": {**properties, "traffic": dict(sorted(traffic.items()))},
    }
    for key in ("identity", "tags", "kind", "sku"):
        if endpoint.get(key) is not None:
            body[key] = endpoint[key]
    return body


def model_reference(uri: str) -> tuple[str, str] | None:
    """(name, version) of a registered model: azureml:NAME:VERSION or models:/NAME/VERSION (the workspace's
    MLflow registry is its model registry); None for a storage path to register."""
    if uri.startswith("azureml:") and not uri.startswith("azureml://"):
        name, _, version = uri.removeprefix("azureml:").partition(":")
        if name and version:
            return name, version
    elif uri.startswith("models:/"):
        name, _, version = uri.removeprefix("models:/").partition("/")
        if "@" in name or not version or not version.isdigit():
            raise OpsError(
                f"{uri}: give models:/NAME/VERSION (a number); aliases and stages are not resolved on Azure"
            )
        return name, version
    elif uri.startswith("runs:/"):
        raise OpsError(
            f"{uri}: register the run's model first (mlflow.register_model) and release models:/NAME/VERSION"
        )
    elif uri.startswith("azureml://") and "/paths/" in uri:
        return None
    raise OpsError(
        f"{uri!r} is not a model URI for Azure: use models:/NAME/VERSION, azureml:NAME:VERSION or "
        "azureml://datastores/<datastore>/paths/<model folder>/ (e.g. a training job's model output)"
    )


def model_version_body(uri: str, tags: dict[str, str]) -> dict[str, Any]:
    return {
        "properties": {
            # custom_model: the serving image loads the MLflow model itself; Azure must not build its own.
            "modelType": "custom_model",
            "modelUri": uri,
            "description": "registered by mlgen release",
            "tags": dict(sorted(tags.items())),
        }
    }


@dataclass(frozen=True)
class Wanted:
    """One deployment an endpoint should have after the release, and its share of traffic."""

    name: str
    variant: str  # "" for an endpoint without named variants
    image_tag: str
    model_id: str
    weight: int


def wanted_deployments(endpoint: EndpointSpec, release: dict[str, Any]) -> list[Wanted]:
    """The release file's serving_release for one endpoint: without named variants one deployment with all
    traffic; with them one deployment per variant (its own image and model if `release --variant` gave
    it some), weighted by the release's weights, else the spec's."""
    if not endpoint.variants:
        image, model = release["image_tag"], release["model_data_url"]
        return [Wanted(naming.online_deployment(image, model), "", image, model, 100)]
    own = release.get("variants", {})
    weights = release.get("weights") or {}
    wanted = []
    for variant in endpoint.variants:
        chosen = own.get(variant.name, release)
        image, model = chosen["image_tag"], chosen["model_data_url"]
        wanted.append(
            Wanted(
                naming.online_deployment(image, model, variant.name),
                variant.name,
                image,
                model,
                int(weights.get(variant.name, variant.weight)),
            )
        )
    return wanted


def capacity(endpoint: EndpointSpec, variant: str) -> tuple[int, int]:
    """(min, max) instances of one deployment: the endpoint's replicas split over its variants by the one
    rule the serving roots and the cost estimates use (mlgen.plan.variants)."""
    split = endpoint_variants(endpoint)[variant or "primary"]
    return int(split["min_capacity"]), int(split["max_capacity"])


def _rule(deployment_id: str, step: dict[str, Any], direction: str) -> dict[str, Any]:
    return {
        "metricTrigger": {
            "metricName": SCALE_METRIC,
            "metricNamespace": DEPLOYMENT_METRIC_NAMESPACE,
            "metricResourceUri": deployment_id,
            "timeGrain": "PT1M",
            "statistic": "Average",
            "timeWindow": step["timeWindow"],
            "timeAggregation": "Average",
            "operator": step["operator"],
            "threshold": step["threshold"],
        },
        "scaleAction": {
            "direction": direction,
            "type": "ChangeCount",
            "value": "1",
            "cooldown": step["cooldown"],
        },
    }


def autoscale_body(
    *, name: str, location: str, deployment_id: str, minimum: int, maximum: int, tags: dict[str, str]
) -> dict[str, Any]:
    """Autoscale Settings - Create Or Update (Microsoft.Insights, 2022-10-01) for one deployment: one profile
    from the spec's range, starting at the minimum (the deployment is created with that many instances);
    capacity and step values are strings in this API."""
    return {
        "location": location,
        "tags": dict(sorted(tags.items())),
        "properties": {
            "name": name,
            "enabled": True,
            "targetResourceUri": deployment_id,
            "targetResourceLocation": location,
            "profiles": [
                {
                    "name": "mlgen",
                    "capacity": {"minimum": str(minimum), "maximum": str(maximum), "default": str(minimum)},
                    "rules": [
                        _rule(deployment_id, SCALE_OUT, "Increase"),
                        _rule(deployment_id, SCALE_IN, "Decrease"),
                    ],
                }
            ],
            "notifications": [],
        },
    }


def _within(ours: Any, theirs: Any) -> bool:
    """Whether what mlgen sets is all there (ARM adds fields of its own to what it returns)."""
    if isinstance(ours, dict):
        return isinstance(theirs, dict) and all(_within(v, theirs.get(k)) for k, v in ours.items())
    if isinstance(ours, list):
        return isinstance(theirs, list) and len(ours) == len(theirs) and all(map(_within, ours, theirs))
    if isinstance(ours, str) and isinstance(theirs, str) and ours.startswith("/subscriptions/"):
        return ours.lower() == theirs.lower()  # ARM ids come back in any case
    return ours == theirs


def autoscale_current(found: dict[str, Any] | None, body: dict[str, Any]) -> bool:
    return found is not None and _within({"tags": body["tags"], "properties": body["properties"]}, found)
