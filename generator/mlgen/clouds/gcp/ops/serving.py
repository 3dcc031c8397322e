"""`mlgen release` on GCP: upload the model, deploy it to each endpoint with all traffic, undeploy the old one.

The google provider has no resource for a model deployed to a Vertex AI endpoint (and ``traffic_split``
cannot be set when Terraform creates the endpoint), so the landing zone makes the empty endpoints and the
release is applied through the API. The committed release file (mlgen.ops.release_file) still records what
each environment serves.

The model's container is the serving image (training_images/serving): it listens on the first declared
port (``AIP_HTTP_PORT``, 8080), answers readiness on ``/ready`` and predictions on ``/predict``, and
downloads the model from ``AIP_STORAGE_URI`` (the model's ``artifactUri``) when it starts.

Private endpoints (the spec's ``network.private_endpoints``) are Private Service Connect endpoints: they take
several deployed models and a traffic split like public ones, so the release runs the same way; clients
reach them through a PSC forwarding rule to the endpoint's service attachment, which Vertex AI creates with
the first deployed model, so the release prints it and how to connect. An endpoint still peered to a VPC
(``network`` set: made by an older landing zone) serves one deployed model and cannot split traffic: there
the release undeploys before it deploys (a stated gap in service) and refuses more than one model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlgen.clouds.gcp import catalog, naming
from mlgen.clouds.gcp.ops.inventory import location
from mlgen.clouds.gcp.ops.session import Clients
from mlgen.ops.base import Echo
from mlgen.ops.errors import OpsError
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
    """Make the endpoint serve ``wanted`` (``models``: (image tag, folder) -> Vertex model) without a gap:
    deploy what is missing (with no traffic while it starts), then move the traffic in one update, then
    undeploy what no longer gets any. Returns the split (deployed model id -> percent). A peered endpoint
    takes the one-model path instead (:func:`replace_on_peered_endpoint`)."""
    service = clients.vertex("endpoint")
    name = endpoint_name(clients, env, endpoint.name)
    current = service.get_endpoint(name=name)
    if current.network:
        return replace_on_peered_endpoint(clients, env, endpoint, current, wanted, models, echo)
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
    echo_private_access(clients, env, endpoint.name, echo)
    return split


def replace_on_peered_endpoint(
    clients: Clients,
    env: EnvironmentPlan,
    endpoint: Any,
    current: Any,
    wanted: list[Wanted],
    models: dict[tuple[str, str], str],
    echo: Echo,
) -> dict[str, int]:
    """A VPC-peering endpoint serves exactly one deployed model and cannot split traffic (Vertex AI's
    documented limit), so the old model goes before the new one comes: predictions fail in between."""
    name = current.name or endpoint_name(clients, env, endpoint.name)
    if len(wanted) != 1:
        variants = ", ".join(item.variant for item in wanted)
        raise OpsError(
            f"endpoint {endpoint.name} ({name}) is peered to the VPC ({current.network}), and such an "
            f"endpoint serves one model without a traffic split; this release asks for {len(wanted)} "
            f"({variants}). Release one model (no variants or weights), or re-apply the landing zone: it "
            "now makes private endpoints with Private Service Connect, which split traffic"
        )
    (item,) = wanted
    model = models[item.image_tag, item.artifact_uri]
    display = deployed_display_name(env, endpoint.name, item)
    service = clients.vertex("endpoint")
    for deployed in current.deployed_models:
        if deployed.display_name == display and deployed.model == model:
            echo(f"{display} already serves {name}")
            return {deployed.id: 100}
    if current.deployed_models:
        echo(
            f"{name} is peered to the VPC and serves one model at a time: undeploying the old one first, "
            "so it answers no predictions until the new one is up (tens of minutes)"
        )
    for deployed in current.deployed_models:
        echo(f"undeploying {deployed.display_name} ({deployed.id}) from {name}")
        service.undeploy_model(
            request={"endpoint": name, "deployed_model_id": deployed.id, "traffic_split": {}}
        ).result(timeout=DEPLOY_TIMEOUT_S)
    echo(f"deploying {display} to {name} with all traffic")
    operation = service.deploy_model(
        request={
            "endpoint": name,
            "deployed_model": build_deployed_model(env, endpoint, model, item),
            "traffic_split": {"0": 100},  # "0": the model this request deploys
        }
    )
    deployed_id = operation.result(timeout=DEPLOY_TIMEOUT_S).deployed_model.id
    return {deployed_id: 100}


def service_attachment(current: Any) -> str:
    """The PSC service attachment of an endpoint, once a model is deployed (empty before, or when public)."""
    attachment = current.private_service_connect_config.service_attachment
    for deployed in current.deployed_models:
        attachment = attachment or deployed.private_endpoints.service_attachment
    return attachment


def echo_private_access(clients: Clients, env: EnvironmentPlan, endpoint: str, echo: Echo) -> None:
    """Say how clients reach a Private Service Connect endpoint: through a forwarding rule in the VPC to
    the service attachment, which exists only now that a model is deployed (so the landing zone, applied
    before any model, cannot create the rule). Once made, the rule stays valid across releases."""
    current = clients.vertex("endpoint").get_endpoint(name=endpoint_name(clients, env, endpoint))
    if not current.private_service_connect_config.enable_private_service_connect:
        return
    attachment = service_attachment(current)
    if not attachment:
        echo(f"endpoint {endpoint}: private (Private Service Connect), no service attachment yet")
        return
    rule = naming.psc_forwarding_rule(env, endpoint)
    echo(
        f"endpoint {endpoint}: private (Private Service Connect), service attachment {attachment}. "
        f"Clients in the VPC connect through a forwarding rule to it; once per endpoint:\n"
        f"  gcloud compute addresses create {rule} --project {env.account_id} --region {env.region} "
        f"--subnet {naming.subnet_name(env)}\n"
        f"  gcloud compute forwarding-rules create {rule} --project {env.account_id} --region {env.region} "
        f"--network {naming.network_name(env)} --address {rule} --target-service-attachment {attachment}\n"
        f"then send predictions to http://<that address>/v1/{current.name}:predict"
    )
