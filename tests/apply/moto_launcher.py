"""Start moto's server on loopback, with the few patches the generated landing zone needs.

Run as ``python tests/apply/moto_launcher.py PORT``; the account is taken from ``MOTO_ACCOUNT_ID``
(the harness sets it to the environment's ``allowed_account_ids`` so the provider's account check is real).

Every patch below names the moto version it was written against and why it exists. Each one fills a
gap the real provider trips over; none changes what moto checks. ``PATCHED_FOR`` is compared with the
installed moto so a newer moto that may have fixed a gap is noticed (the launcher prints a note).
"""

from __future__ import annotations

import json
import sys
import time
import types
from typing import Any

PATCHED_FOR = "5.2.5"


def patch_put_bucket_logging_principal_star() -> None:
    """moto 5.2.5: PutBucketLogging raises AttributeError (HTTP 500) when the target bucket's policy has a
    statement with ``"Principal": "*"`` (a string, which our DenyInsecureTransport statements use): the
    permission check calls ``.get("Service")`` on it. Check only the statements with a principal map, which
    is what AWS does for the logging service principal."""
    from moto.s3.models import FakeBucket

    original = FakeBucket._log_permissions_enabled_policy

    def checked(target_bucket: Any, target_prefix: str | None) -> bool:
        if not target_bucket.policy:
            return False
        policy = json.loads(target_bucket.policy.decode())
        policy["Statement"] = [s for s in policy["Statement"] if isinstance(s.get("Principal"), dict)]
        view = types.SimpleNamespace(
            policy=json.dumps(policy).encode(), partition=target_bucket.partition, name=target_bucket.name
        )
        return original(view, target_prefix)

    FakeBucket._log_permissions_enabled_policy = staticmethod(checked)


def patch_s3_bucket_policy_conditions() -> None:
    """moto 5.2.5: DeleteObjects checks each key against the bucket policy with moto's IAMPolicy, which
    ignores Condition blocks, so our TLS-only statement (Deny s3:* unless aws:SecureTransport) denies every
    batch delete. AWS applies the statement only to plain-HTTP requests; the harness talks HTTP on loopback
    standing in for TLS, so conditional statements are left out of that check."""
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = json.loads(self.policy.decode())
        statements = policy.get("Statement", [])
        statements = [statements] if isinstance(statements, dict) else statements
        policy["Statement"] = [statement for statement in statements if "Condition" not in statement]
        return IAMPolicy(json.dumps(policy)).is_action_permitted(action, resource)

    FakeBucket.get_permission = get_permission


def patch_budgets_subscribers_and_tags() -> None:
    """moto 5.2.5: Budgets has no DescribeSubscribersForNotification, ListTagsForResource, TagResource or
    UntagResource; the provider calls them on every read of aws_budgets_budget(_action) and gets HTTP 500.
    Subscribers are answered from the notifications moto already stores; tags (given to CreateBudget as
    ResourceTags, or by TagResource) are kept per budget ARN."""
    from moto.budgets.responses import BudgetsResponse

    tags: dict[str, dict[str, str]] = {}
    create_budget = BudgetsResponse.create_budget

    def create_budget_with_tags(self: Any) -> str:
        result = create_budget(self)
        name = self._get_param("Budget")["BudgetName"]
        arn = f"arn:{self.partition}:budgets::{self._get_param('AccountId')}:budget/{name}"
        tags[arn] = {t["Key"]: t["Value"] for t in self._get_param("ResourceTags", []) or []}
        return result

    def describe_subscribers_for_notification(self: Any) -> str:
        budget = self.backend.budgets[self._get_param("AccountId")][self._get_param("BudgetName")]
        wanted = self._get_param("Notification")
        for notification in budget.notifications:
            if notification.details == wanted:
                return json.dumps({"Subscribers": notification.subscribers})
        return json.dumps({"Subscribers": []})

    def list_tags_for_resource(self: Any) -> str:
        arn = self._get_param("ResourceARN")
        return json.dumps({"ResourceTags": [{"Key": k, "Value": v} for k, v in tags.get(arn, {}).items()]})

    def tag_resource(self: Any) -> str:
        arn = self._get_param("ResourceARN")
        tags.setdefault(arn, {}).update({t["Key"]: t["Value"] for t in self._get_param("ResourceTags", [])})
        return json.dumps({})

    def untag_resource(self: Any) -> str:
        arn = self._get_param("ResourceARN")
        for key in self._get_param("ResourceTagKeys", []):
            tags.get(arn, {}).pop(key, None)
        return json.dumps({})

    BudgetsResponse.create_budget = create_budget_with_tags
    BudgetsResponse.describe_subscribers_for_notification = describe_subscribers_for_notification
    BudgetsResponse.list_tags_for_resource = list_tags_for_resource
    BudgetsResponse.tag_resource = tag_resource
    BudgetsResponse.untag_resource = untag_resource


def patch_application_autoscaling_tags() -> None:
    """moto 5.2.5: Application Auto Scaling has no ListTagsForResource, TagResource or UntagResource; the
    provider reads a scalable target's tags after creating it and fails the apply on the HTTP 500. Tags given
    to RegisterScalableTarget, or by TagResource, are kept per target ARN (the ARN moto's answer carries)."""
    from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse

    tags: dict[str, dict[str, str]] = {}
    register = ApplicationAutoScalingResponse.register_scalable_target

    def register_with_tags(self: Any) -> str:
        result = register(self)
        arn = json.loads(result).get("ScalableTargetARN") if result else None
        if arn:
            tags.setdefault(arn, {}).update(self._get_param("Tags", {}) or {})
        return result

    def list_tags_for_resource(self: Any) -> str:
        return json.dumps({"Tags": tags.get(self._get_param("ResourceARN"), {})})

    def tag_resource(self: Any) -> str:
        tags.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags", {}) or {})
        return json.dumps({})

    def untag_resource(self: Any) -> str:
        for key in self._get_param("TagKeys", []) or []:
            tags.get(self._get_param("ResourceARN"), {}).pop(key, None)
        return json.dumps({})

    ApplicationAutoScalingResponse.register_scalable_target = register_with_tags
    ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource
    ApplicationAutoScalingResponse.tag_resource = tag_resource
    ApplicationAutoScalingResponse.untag_resource = untag_resource


def patch_sagemaker_mlflow_tracking_server() -> None:
    """moto 5.2.5: SageMaker has no MLflow tracking server API (Create/Describe/Update/Delete
    MlflowTrackingServer); the production blueprint's managed MLflow cannot be applied without it. A tracking
    server is stored as given and is ``Created`` at once; its tags go through moto's ListTags/AddTags."""
    from moto.sagemaker.models import SageMakerModelBackend
    from moto.sagemaker.responses import SageMakerResponse

    def servers(backend: Any) -> dict[str, Any]:
        if not hasattr(backend, "mlflow_tracking_servers"):
            backend.mlflow_tracking_servers = {}
        return backend.mlflow_tracking_servers

    def not_found(name: str) -> Any:
        # Raised, not returned: moto answers a returned (status, headers, body) tuple from these added
        # methods with 200, and the provider's delete waiter then reads a server with an empty status.
        from moto.core.exceptions import JsonRESTError

        raise JsonRESTError("ResourceNotFound", f"Tracking server {name} not found")

    def create_mlflow_tracking_server(self: Any) -> str:
        backend = self.sagemaker_backend
        name = self._get_param("TrackingServerName")
        arn = f"arn:{backend.partition}:sagemaker:{self.region}:{self.current_account}:mlflow-tracking-server/{name}"
        server = types.SimpleNamespace(
            arn=arn,
            tags=list(self._get_param("Tags", [])),
            description={
                "TrackingServerArn": arn,
                "TrackingServerName": name,
                "ArtifactStoreUri": self._get_param("ArtifactStoreUri"),
                "TrackingServerSize": self._get_param("TrackingServerSize", "Small"),
                "MlflowVersion": self._get_param("MlflowVersion", "2.16.2"),
                "RoleArn": self._get_param("RoleArn"),
                "TrackingServerStatus": "Created",
                "IsActive": "Active",
                "TrackingServerUrl": f"https://{name}.mlflow.example.invalid",
                "WeeklyMaintenanceWindowStart": self._get_param("WeeklyMaintenanceWindowStart", "Tue:03:30"),
                "AutomaticModelRegistration": self._get_param("AutomaticModelRegistration", False),
                "CreationTime": time.time(),
                "LastModifiedTime": time.time(),
            },
        )
        servers(backend)[name] = server
        return json.dumps({"TrackingServerArn": arn})

    def describe_mlflow_tracking_server(self: Any) -> Any:
        name = self._get_param("TrackingServerName")
        server = servers(self.sagemaker_backend).get(name)
        return not_found(name) if server is None else json.dumps(server.description)

    def update_mlflow_tracking_server(self: Any) -> Any:
        name = self._get_param("TrackingServerName")
        server = servers(self.sagemaker_backend).get(name)
        if server is None:
            return not_found(name)
        for key in (
            "ArtifactStoreUri",
            "TrackingServerSize",
            "WeeklyMaintenanceWindowStart",
            "AutomaticModelRegistration",
        ):
            if self._get_param(key) is not None:
                server.description[key] = self._get_param(key)
        return json.dumps({"TrackingServerArn": server.arn})

    def delete_mlflow_tracking_server(self: Any) -> Any:
        name = self._get_param("TrackingServerName")
        server = servers(self.sagemaker_backend).pop(name, None)
        return not_found(name) if server is None else json.dumps({"TrackingServerArn": server.arn})

    def list_mlflow_tracking_servers(self: Any) -> str:
        summaries = [
            {k: s.description[k] for k in ("TrackingServerArn", "TrackingServerName", "TrackingServerStatus")}
            for s in servers(self.sagemaker_backend).values()
        ]
        return json.dumps({"TrackingServerSummaries": summaries})

    original_lookup = SageMakerModelBackend._get_resource_from_arn

    def lookup(self: Any, arn: str) -> Any:
        if ":mlflow-tracking-server/" in arn:
            return servers(self)[arn.rsplit("/", 1)[1]]
        return original_lookup(self, arn)

    SageMakerResponse.create_mlflow_tracking_server = create_mlflow_tracking_server
    SageMakerResponse.describe_mlflow_tracking_server = describe_mlflow_tracking_server
    SageMakerResponse.update_mlflow_tracking_server = update_mlflow_tracking_server
    SageMakerResponse.delete_mlflow_tracking_server = delete_mlflow_tracking_server
    SageMakerResponse.list_mlflow_tracking_servers = list_mlflow_tracking_servers
    SageMakerModelBackend._get_resource_from_arn = lookup


def patch_sagemaker_model_isolation() -> None:
    """moto 5.2.5: CreateModel drops EnableNetworkIsolation (always reads back false) and
    InferenceExecutionConfig, and reads back an empty VpcConfig for a model created without one; each forces
    replacement in the provider, so every re-plan would replace the serving model and its endpoint
    configuration. Store them as given."""
    from moto.sagemaker.responses import SageMakerResponse

    create_model = SageMakerResponse.create_model

    def create_model_keeping_settings(self: Any) -> Any:
        result = create_model(self)
        model = self.sagemaker_backend._models[self._get_param("ModelName")]
        model.enable_network_isolation = bool(self._get_param("EnableNetworkIsolation", False))
        if self._get_param("InferenceExecutionConfig") is not None:
            model.inference_execution_config = self._get_param("InferenceExecutionConfig")
        if not self._get_param("VpcConfig"):
            # moto answers DescribeModel with VpcConfig {} for a model created without one (the serverless
            # starter's); the provider reads that as a vpc_config block and replaces the model on re-plan.
            model.vpc_config = None
        return result

    SageMakerResponse.create_model = create_model_keeping_settings


def patch_ssm_deep_learning_ami_parameter() -> None:
    """moto 5.2.5: the public SSM parameters of the AWS Deep Learning AMIs
    (``/aws/service/deeplearning/ami/...``) do not exist, so the GPU fleet's AMI lookup fails; and names under
    ``/aws`` cannot be put. Answer them with the Ubuntu image moto ships (ami-1e749f67)."""
    import datetime

    from moto.ssm.models import Parameter, SimpleSystemManagerBackend

    get_parameter = SimpleSystemManagerBackend.get_parameter

    def get_parameter_with_ami(self: Any, name: str) -> Any:
        found = get_parameter(self, name)
        if found is None and name.startswith("/aws/service/deeplearning/ami/"):
            found = Parameter(
                account_id=self.account_id,
                name=name,
                value="ami-1e749f67",
                parameter_type="String",
                description=None,
                allowed_pattern=None,
                keyid=None,
                last_modified_date=datetime.datetime.now(datetime.UTC),
                version=1,
                data_type="aws:ec2:image",
            )
        return found

    SimpleSystemManagerBackend.get_parameter = get_parameter_with_ami


def patch_sagemaker_endpoint_config_data_capture() -> None:
    """moto 5.2.5 answers DescribeEndpointConfig with DataCaptureConfig {} for a configuration created
    without one; the provider reads that as a data_capture_config block and replaces the configuration (and so
    the endpoint) on every re-plan. Leave the empty block out, as SageMaker does."""
    from moto.core.responses import ActionResult
    from moto.sagemaker.responses import SageMakerResponse

    def describe_endpoint_config(self: Any) -> ActionResult:
        response = dict(
            self.sagemaker_backend.describe_endpoint_config(self._get_param("EndpointConfigName"))
        )
        if not response.get("DataCaptureConfig"):
            response.pop("DataCaptureConfig", None)
        return ActionResult(response)

    SageMakerResponse.describe_endpoint_config = describe_endpoint_config


def patch_launch_template_tag_specifications() -> None:
    """moto 5.2.5 copies CreateLaunchTemplate's own TagSpecifications (the template's tags, resource type
    launch-template) into the template data, so DescribeLaunchTemplateVersions reads back a third
    tag_specifications block and the provider plans a new version on every re-plan. Keep the data as sent."""
    from moto.ec2.responses.launch_templates import LaunchTemplates

    create_launch_template = LaunchTemplates.create_launch_template

    def create_keeping_data(self: Any) -> Any:
        sent = self._get_param("LaunchTemplateData", {}).get("TagSpecifications", [])
        sent_types = {spec.get("ResourceType") for spec in sent}
        result = create_launch_template(self)
        template = self.ec2_backend.get_launch_template_by_name(self._get_param("LaunchTemplateName"))
        for version in template.versions:
            data = version.data
            kept = [s for s in data.get("TagSpecifications", []) if s.get("ResourceType") in sent_types]
            if kept:
                data["TagSpecifications"] = kept
            else:
                data.pop("TagSpecifications", None)
        return result

    LaunchTemplates.create_launch_template = create_keeping_data


PATCHES = (
    patch_put_bucket_logging_principal_star,
    patch_s3_bucket_policy_conditions,
    patch_budgets_subscribers_and_tags,
    patch_application_autoscaling_tags,
    patch_sagemaker_mlflow_tracking_server,
    patch_sagemaker_model_isolation,
    patch_ssm_deep_learning_ami_parameter,
    patch_sagemaker_endpoint_config_data_capture,
    patch_launch_template_tag_specifications,
)


def main(port: int) -> None:
    import moto
    from moto.server import main as moto_main

    if moto.__version__ != PATCHED_FOR:
        print(
            f"note: patches were written for moto {PATCHED_FOR}, running {moto.__version__}", file=sys.stderr
        )
    for patch in PATCHES:
        patch()
    moto_main(["-H", "127.0.0.1", "-p", str(port)])


if __name__ == "__main__":
    main(int(sys.argv[1]))
