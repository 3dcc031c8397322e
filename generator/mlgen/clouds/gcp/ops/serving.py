"""`mlgen release` on GCP: upload the model, deploy it to each endpoint with all traffic, undeploy the old one.

The google provider has no resource for a model deployed to a Vertex AI endpoint (and ``traffic_split``
cannot be set when Terraform creates the endpoint), so the landing zone makes the empty endpoints and the
release is applied through the API. The committed release file (mlgen.ops.release_file) still records what
each environment serves.

The model's container is the serving image (training_images/serving): it listens on the first declared
port (``AIP_HTTP_PORT``, 8080), answers readiness on ``/ready`` and predictions on ``/predict``, and
downloads the model from ``AIP_STORAGE_URI`` (the model's ``artifactUri``) when it starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlgen.clouds.gcp import catalog, naming
from mlgen.clouds.gcp.ops.inventory import location
from mlgen.clouds.gcp.ops.session import Clients
from mlgen.ops.base import Echo
from mlgen.plan import EnvironmentPlan

SERVING_PORT = 8080
HEALTH_ROUTE = "/ready"
PREDICT_ROUTE = "/predict"
DEPLOY_TIMEOUT_S = 3600  # a first deployment provisions machines and pulls the image: tens of minutes


@dataclass(frozen=True)
class Wanted:
    """One model an endpoint should serve: a variant (``default`` without named variants) and its share."""

    variant: str
    image_tag: str
    artifact_uri: str
    weight: int


def wanted_models(endpoint: Any, release: dict) -> list[Wanted]:
    """What the release file asks of one endpoint: per named variant its own image and model (else the
    release's) and its weight (the file's, else the spec's); one model with all traffic otherwise."""
    whole = (release["image_tag"], release["model_data_url"])
    if not endpoint.variants:
        return [Wanted("default", *whole, 100)]
    own = release.get("variants", {})
    weights = release.get("weights", {})
    wanted = []
    for variant in endpoint.variants:
        tag, uri = (
            (own[variant.name]["image_tag"], own[variant.name]["model_data_url"])
            if variant.name in own
            else whole
        )
        wanted.append(Wanted(variant.name, tag, uri, int(weights.get(variant.name, variant.weight))))
    return wanted


def endpoint_name(clients: Clients, env: EnvironmentPlan, endpoint: str) -> str:
    return f"{location(clients)}/endpoints/{naming.endpoint_id(env, endpoint)}"


def model_display_name(env: EnvironmentPlan, image_tag: str) -> str:
    return f"{env.prefix}-{image_tag}"[:128]


def build_model(
    env: EnvironmentPlan, image_tag: str, artifact_uri: str, kms_key_name: str, labels: dict[str, str]
) -> Any:
    """The ``aiplatform_v1.Model`` to upload: the serving image with its routes, port and the model files."""
    from google.cloud.aiplatform_v1 import types

    return types.Model(
        display_name=model_display_name(env, image_tag),
        artifact_uri=artifact_uri,
        container_spec=types.ModelContainerSpec(
            image_uri=naming.image_uri(env, "serving", image_tag),
            ports=[types.Port(container_port=SERVING_PORT)],
            health_route=HEALTH_ROUTE,
            predict_route=PREDICT_ROUTE,
            env=[types.EnvVar(name="SERVING_PLATFORM", value="vertex")],
        ),
        encryption_spec=types.EncryptionSpec(kms_key_name=kms_key_name),
        labels={**labels, "image-tag": image_tag.lower()[:63]},
    )


def deployed_display_name(env: EnvironmentPlan, endpoint: str, wanted: Wanted) -> str:
    """Names a deployed model by endpoint, variant and image tag: how a later release recognises it."""
    return f"{env.prefix}-{endpoint}-{wanted.variant}-{wanted.image_tag}"[:128]


def build_deployed_model(env: EnvironmentPlan, endpoint: Any, model_name: str, wanted: Wanted) -> Any:
    """How the model runs behind one endpoint of the spec: machine type by size, replicas, serving identity."""
    from google.cloud.aiplatform_v1 import types

    size = catalog.endpoint_size(endpoint.size)
    machine = types.MachineSpec(machine_type=size.machine_type)
    if size.accelerator:
        machine.accelerator_type = types.AcceleratorType[size.accelerator]
        machine.accelerator_count = size.accelerator_count
    return types.DeployedModel(
        model=model_name,
        display_name=deployed_display_name(env, endpoint.name, wanted),
        service_account=naming.service_account_email(env, "serving"),
        dedicated_resources=types.DedicatedResources(
            machine_spec=machine,
            min_replica_count=endpoint.min_replicas,
            max_replica_count=endpoint.max_replicas,
        ),
    )


def upload_model(clients: Clients, model: Any, echo: Echo) -> str:
    echo(f"uploading model {model.display_name} ({model.artifact_uri}) to Vertex AI")
    operation = clients.vertex("model").upload_model(request={"parent": location(clients), "model": model})
    return operation.result(timeout=DEPLOY_TIMEOUT_S).model


def reconcile_endpoint(
    clients: Clients,
    env: EnvironmentPlan,
    endpoint: Any,
    wanted: list[Wanted],
    models: dict[tuple[str, str], str],
    echo: Echo,
) -> dict[str, int]:
    """Make the endpoint serve ``wanted`` (``models``: (image tag, folder) -> Vertex model) without a gap: deploy what is missing (with no traffic while it
    starts), then move the traffic in one update, then undeploy what no longer gets any. Returns the split
    (deployed model id -> percent)."""
    service = clients.vertex("endpoint")
    name = endpoint_name(clients, env, endpoint.name)
    current = service.get_endpoint(name=name)
    by_display = {deployed.display_name: deployed for deployed in current.deployed_models}
    split: dict[str, int] = {}
    for item in wanted:
        model = models[item.image_tag, item.artifact_uri]
        display = deployed_display_name(env, endpoint.name, item)
        found = by_display.get(display)
        if found is not None and found.model == model:
            deployed_id = found.id
        else:
            echo(f"deploying {display} to {name} (no traffic until it is up)")
            # An empty split keeps today's traffic where it is (a first model gets it all).
            operation = service.deploy_model(
                request={
                    "endpoint": name,
                    "deployed_model": build_deployed_model(env, endpoint, model, item),
                    "traffic_split": {},
                }
            )
            deployed_id = operation.result(timeout=DEPLOY_TIMEOUT_S).deployed_model.id
        split[deployed_id] = split.get(deployed_id, 0) + item.weight
    echo(f"traffic of {name}: " + ", ".join(f"{i}={w}%" for i, w in sorted(split.items())))
    service.update_endpoint(
        request={
            "endpoint": {"name": name, "traffic_split": split},
            "update_mask": {"paths": ["traffic_split"]},
        }
    )
    for deployed in current.deployed_models:
        if deployed.id not in split:
            echo(f"undeploying {deployed.display_name} ({deployed.id}) from {name}: it has no traffic left")
            service.undeploy_model(
                request={"endpoint": name, "deployed_model_id": deployed.id, "traffic_split": split}
            ).result(timeout=DEPLOY_TIMEOUT_S)
    return split
