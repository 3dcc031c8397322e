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

from mlgen.clouds.gcp import naming
from mlgen.clouds.gcp.ops.inventory import location
from mlgen.clouds.gcp.ops.session import Clients
from mlgen.ops.base import Echo
from mlgen.plan import EnvironmentPlan

SERVING_PORT = 8080
HEALTH_ROUTE = "/ready"
PREDICT_ROUTE = "/predict"
# The spec's abstract endpoint sizes as Vertex AI prediction machines: (machine type, accelerator enum
# name, count). The same table as the landing zone's catalog (mlgen.clouds.gcp.catalog.ENDPOINT_SIZES,
# which prices them): small/medium are CPU machines, large is one L4, which a G2 machine must name.
SERVING_MACHINES = {
    "small": ("n2-standard-2", "", 0),
    "medium": ("n2-standard-8", "", 0),
    "large": ("g2-standard-8", "NVIDIA_L4", 1),
}
DEPLOY_TIMEOUT_S = 3600  # a first deployment provisions machines and pulls the image: tens of minutes


@dataclass(frozen=True)
class Deployment:
    endpoint: str  # the endpoint's resource name
    deployed_model_id: str
    undeployed: tuple[str, ...]  # ids of the deployed models the release replaced


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


def build_deployed_model(env: EnvironmentPlan, endpoint: Any, model_name: str, image_tag: str) -> Any:
    """How the model runs behind one endpoint of the spec: machine type by size, replicas, serving identity."""
    from google.cloud.aiplatform_v1 import types

    machine_type, accelerator, count = SERVING_MACHINES[endpoint.size]
    machine = types.MachineSpec(machine_type=machine_type)
    if accelerator:
        machine.accelerator_type = types.AcceleratorType[accelerator]
        machine.accelerator_count = count
    return types.DeployedModel(
        model=model_name,
        display_name=f"{env.prefix}-{endpoint.name}-{image_tag}"[:128],
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


def deploy(clients: Clients, endpoint: str, deployed_model: Any, echo: Echo) -> Deployment:
    """Deploy with 100 % of the traffic to the new model ("0" is the API's name for the model being
    deployed), then undeploy the models that served before: they have no traffic left, so nothing is lost."""
    service = clients.vertex("endpoint")
    before = [model.id for model in service.get_endpoint(name=endpoint).deployed_models]
    echo(f"deploying to {endpoint} (all traffic to the new model)")
    operation = service.deploy_model(
        request={"endpoint": endpoint, "deployed_model": deployed_model, "traffic_split": {"0": 100}}
    )
    new_id = operation.result(timeout=DEPLOY_TIMEOUT_S).deployed_model.id
    undeployed = []
    for old in before:
        if old == new_id:
            continue
        echo(f"undeploying the previous model {old} from {endpoint}")
        service.undeploy_model(
            request={"endpoint": endpoint, "deployed_model_id": old, "traffic_split": {new_id: 100}}
        ).result(timeout=DEPLOY_TIMEOUT_S)
        undeployed.append(old)
    return Deployment(endpoint=endpoint, deployed_model_id=new_id, undeployed=tuple(undeployed))
