"""The Google Cloud resource types and attributes the ML policies read (mlgen.clouds.policy_fact_types).

Checked against the bundled google 6.50.0 schema by tests/policy/test_policy_facts.py.
"""

from __future__ import annotations

from mlgen.clouds.gcp.naming import JOB_DEFAULTS_OBJECT
from mlgen.clouds.policy_fact_types import (
    BudgetNotifications,
    CustomerKey,
    EndpointScaling,
    GpuCapacity,
    OnlyWhen,
    PolicyFacts,
)

# Compute Engine: an attached accelerator makes any machine GPU capacity; spot is either scheduling flag
# (provisioning_model = "SPOT" is the current form, preemptible = true the older one). A managed instance
# group has no machine type or provisioning model of its own: it runs its template's, so the template
# is what is judged.
_COMPUTE = GpuCapacity(
    machine_attribute="machine_type",
    accelerator_attribute="guest_accelerator",
    spot_values={"scheduling.provisioning_model": frozenset({"spot"})},
    spot_flags=("scheduling.preemptible",),
)

# Vertex AI dedicated serving resources: the replica bounds of the models deployed on them.
_DEDICATED = "dedicated_resources"

POLICY_FACTS = PolicyFacts(
    cloud="gcp",
    providers=("google", "google-beta"),
    default_tag_providers={"google": ("", "default_labels"), "google-beta": ("", "default_labels")},
    # a2/a3/a4: A100/H100/B200 machine families; g2: L4. N1 machines take GPUs as guest accelerators.
    gpu_instance_prefixes=("a2-", "a3-", "a4-", "g2-"),
    gpu_capacity={
        "google_compute_instance_template": _COMPUTE,
        "google_compute_region_instance_template": _COMPUTE,
        "google_compute_instance": _COMPUTE,
        # Vertex AI custom jobs get their machines when `mlgen train submit` runs, so Terraform holds no
        # instance for them; what they will run on (and whether on spot) is the job-defaults document the
        # environment root writes (mlgen.clouds.gcp.ops.job_defaults), and that is what is judged.
        "google_storage_bucket_object": GpuCapacity(
            machine_attribute="machine_type",
            accelerator_attribute="accelerator_count",
            spot_flags=("spot",),
            json_document="content",
            only_when=OnlyWhen("name", frozenset({JOB_DEFAULTS_OBJECT})),
        ),
    },
    # google_vertex_ai_endpoint has no replica settings: a model deployed to it gets its bounds at deploy
    # time, so on GCP the bound is checked at the serving module call (and on these, where used).
    endpoint_autoscaling={
        "google_vertex_ai_deployment_resource_pool": EndpointScaling(
            max_attribute=f"{_DEDICATED}.max_replica_count", min_attribute=f"{_DEDICATED}.min_replica_count"
        ),
        "google_vertex_ai_endpoint_with_model_garden_deployment": EndpointScaling(
            max_attribute=f"deploy_config.{_DEDICATED}.max_replica_count",
            min_attribute=f"deploy_config.{_DEDICATED}.min_replica_count",
        ),
        "google_cloud_run_v2_service": EndpointScaling(
            max_attribute="template.scaling.max_instance_count",
            min_attribute="template.scaling.min_instance_count",
        ),
    },
    # Threshold rules alert the billing account's admins by email unless disable_default_iam_recipients is
    # set; then only the all_updates_rule channels (Cloud Monitoring, Pub/Sub) are told.
    budget_notifications={
        "google_billing_budget": BudgetNotifications(
            block="threshold_rules",
            budget_recipients=(
                "all_updates_rule.monitoring_notification_channels",
                "all_updates_rule.pubsub_topic",
            ),
            default_recipients_off="all_updates_rule.disable_default_iam_recipients",
        )
    },
    budgeted_providers=("google",),
    customer_keys={
        "google_storage_bucket": CustomerKey(key_attributes=("default_kms_key_name",), block="encryption"),
        "google_artifact_registry_repository": CustomerKey(key_attributes=("kms_key_name",)),
        # the MLflow tracking database
        "google_sql_database_instance": CustomerKey(key_attributes=("encryption_key_name",)),
    },
    key_service="Cloud KMS",
    protected_resources=(
        "google_storage_bucket",
        "google_kms_crypto_key",
        "google_kms_key_ring",
        "google_artifact_registry_repository",
        "google_sql_database_instance",
    ),
    # Cloud SQL refuses `terraform destroy` itself while deletion_protection is true, its default.
    native_deletion_protection={"google_sql_database_instance": ("deletion_protection", True)},
    # GCP IAM grants roles, not actions, and custom roles cannot hold wildcards: the wildcards are the basic
    # roles (every permission on every service) and the admin roles of data services.
    role_grants={
        "google_project_iam_member": "role",
        "google_project_iam_binding": "role",
        "google_storage_bucket_iam_member": "role",
        "google_storage_bucket_iam_binding": "role",
        "google_kms_crypto_key_iam_member": "role",
        "google_kms_crypto_key_iam_binding": "role",
        "google_kms_key_ring_iam_member": "role",
        "google_kms_key_ring_iam_binding": "role",
        "google_artifact_registry_repository_iam_member": "role",
        "google_artifact_registry_repository_iam_binding": "role",
    },
    role_grant_data_sources={"google_iam_policy": "binding.role"},  # its binding blocks repeat
    wildcard_roles=frozenset(
        {
            "roles/owner",
            "roles/editor",
            "roles/storage.admin",
            "roles/cloudkms.admin",
            "roles/artifactregistry.admin",
            "roles/cloudsql.admin",
            "roles/aiplatform.admin",
        }
    ),
    image_attributes={
        "google_cloud_run_v2_service": ("template.containers.image",),
        "google_cloud_run_v2_job": ("template.template.containers.image",),
        "google_vertex_ai_endpoint_with_model_garden_deployment": ("model_config.container_spec.image_uri",),
    },
    coverage_notes={
        "MLG003": "google_vertex_ai_endpoint has no replica settings: a model's replica bounds are set when it "
        "is deployed, outside Terraform. Judged instead: the serving module call's max_replicas, Vertex AI "
        "deployment resource pools and Cloud Run services.",
    },
    fix_hints={
        "MLG001": "Set the five labels in the default_labels of every google and google-beta provider block "
        "(label values: lower-case letters, digits, - and _).",
        "MLG002": 'Use spot VMs: scheduling { provisioning_model = "SPOT" } (or preemptible = true) on the '
        "instance template, and spot = true in the job defaults outside prod (training.spot in mlgen.yaml).",
        "MLG003": "Set the maximum to an explicit number no larger than 100 and not below the minimum: "
        "dedicated_resources.max_replica_count (Vertex AI), template.scaling.max_instance_count (Cloud Run), "
        "serving.endpoints[].max_replicas in mlgen.yaml.",
        "MLG004": "Add a google_billing_budget to each environment root with threshold_rules, and keep the "
        "billing admins notified or name all_updates_rule monitoring_notification_channels / pubsub_topic "
        "(budgets.thresholds and budgets.emails in mlgen.yaml).",
        "MLG005": "Encrypt with the environment's Cloud KMS key: encryption { default_kms_key_name } on buckets, "
        "kms_key_name on Artifact Registry repositories, encryption_key_name on Cloud SQL instances.",
        "MLG006": "In the prod root pass deletion_protection = true to the storage, kms, registry and state "
        "modules; resources declared directly in a prod root need lifecycle { prevent_destroy = true } "
        "(Cloud SQL: keep deletion_protection = true).",
        "MLG007": "Grant the narrowest predefined role that does the job (roles/storage.objectViewer, "
        "roles/cloudkms.cryptoKeyEncrypterDecrypter, roles/artifactregistry.reader) instead of basic roles "
        "(owner, editor) or a service's admin role.",
        "MLG008": "Reference images by an explicit version tag or a digest (image:1.2.3 or image@sha256:...), "
        "in Dockerfiles (FROM), Cloud Run containers and the serving module's image inputs.",
    },
)
