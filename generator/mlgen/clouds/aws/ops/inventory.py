"""Finding the environment's resources by their tags, service by service, and emptying/deleting them.

Everything here filters on the project and environment tags: a resource without both is never touched.
Where an API is missing from the endpoint (moto lacks some), the step says so instead of failing silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlgen.clouds.aws.ops.session import Clients, error_code, is_unavailable, tag_dict
from mlgen.ops.base import Echo, Resource
from mlgen.ops.errors import OpsError

DELETE_BATCH = 1000  # DeleteObjects takes at most 1000 keys
IMAGE_BATCH = 100  # BatchDeleteImage takes at most 100 image ids


class Tags:
    """The tag pair that marks a resource as the environment's."""

    def __init__(self, project: str, environment: str) -> None:
        self.project, self.environment = project, environment

    def match(self, tags: dict[str, str]) -> bool:
        return tags.get("project") == self.project and tags.get("environment") == self.environment

    def filters(self) -> list[dict[str, Any]]:
        return [
            {"Key": "project", "Values": [self.project]},
            {"Key": "environment", "Values": [self.environment]},
        ]


# --- S3 ---------------------------------------------------------------------------------------------------


def tagged_buckets(clients: Clients, tags: Tags) -> list[str]:
    s3 = clients("s3")
    names = []
    for bucket in s3.list_buckets().get("Buckets", []):
        try:
            bucket_tags = tag_dict(s3.get_bucket_tagging(Bucket=bucket["Name"]).get("TagSet"))
        except Exception as error:  # NoSuchTagSet, or a bucket of another region/account we may not read
            if error_code(error) in {"NoSuchTagSet", "NoSuchBucket", "AccessDenied", "PermanentRedirect"}:
                continue
            raise
        if tags.match(bucket_tags):
            names.append(bucket["Name"])
    return sorted(names)


def _object_versions(s3: Any, bucket: str) -> Iterator[dict[str, str]]:
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
            yield {"Key": item["Key"], "VersionId": item["VersionId"]}


def empty_bucket(clients: Clients, bucket: str, dry_run: bool) -> int:
    """Delete every object version and delete marker (a versioned bucket is empty only then)."""
    s3 = clients("s3")
    versions = list(_object_versions(s3, bucket))
    if dry_run or not versions:
        return len(versions)
    for start in range(0, len(versions), DELETE_BATCH):
        batch = versions[start : start + DELETE_BATCH]
        result = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        if result.get("Errors"):
            first = result["Errors"][0]
            raise OpsError(
                f"could not delete {first['Key']} from {bucket}: {first['Message']} "
                f"({len(result['Errors'])} of {len(batch)} objects in this batch refused; a bucket policy or "
                "object lock denies s3:DeleteObject to the role you are using)"
            )
    return len(versions)


# --- ECR --------------------------------------------------------------------------------------------------


def tagged_repositories(clients: Clients, tags: Tags) -> list[dict[str, str]]:
    ecr = clients("ecr")
    found = []
    for page in ecr.get_paginator("describe_repositories").paginate():
        for repository in page["repositories"]:
            repo_tags = tag_dict(
                ecr.list_tags_for_resource(resourceArn=repository["repositoryArn"]).get("tags")
            )
            if tags.match(repo_tags):
                found.append(repository)
    return found


def empty_repository(clients: Clients, name: str, dry_run: bool) -> int:
    ecr = clients("ecr")
    images = [
        image
        for page in ecr.get_paginator("list_images").paginate(repositoryName=name)
        for image in page["imageIds"]
    ]
    if not dry_run:
        for start in range(0, len(images), IMAGE_BATCH):
            ecr.batch_delete_image(repositoryName=name, imageIds=images[start : start + IMAGE_BATCH])
    return len(images)


# --- SageMaker --------------------------------------------------------------------------------------------

# list call, result key, name key, arn key, delete call, delete argument (in deletion order)
SAGEMAKER_KINDS = [
    (
        "endpoint",
        "list_endpoints",
        "Endpoints",
        "EndpointName",
        "EndpointArn",
        "delete_endpoint",
        "EndpointName",
    ),
    (
        "endpoint-config",
        "list_endpoint_configs",
        "EndpointConfigs",
        "EndpointConfigName",
        "EndpointConfigArn",
        "delete_endpoint_config",
        "EndpointConfigName",
    ),
    ("model", "list_models", "Models", "ModelName", "ModelArn", "delete_model", "ModelName"),
    (
        "model-package",
        "list_model_packages",
        "ModelPackageSummaryList",
        "ModelPackageArn",
        "ModelPackageArn",
        "delete_model_package",
        "ModelPackageName",
    ),
    (
        "model-package-group",
        "list_model_package_groups",
        "ModelPackageGroupSummaryList",
        "ModelPackageGroupName",
        "ModelPackageGroupArn",
        "delete_model_package_group",
        "ModelPackageGroupName",
    ),
]


def _sagemaker_tags(sagemaker: Any, arn: str) -> dict[str, str]:
    return tag_dict(sagemaker.list_tags(ResourceArn=arn).get("Tags"))


def tagged_sagemaker(clients: Clients, tags: Tags) -> Iterator[tuple[str, str, str, str, str]]:
    """(kind, name, arn, delete call, delete argument) of every tagged SageMaker resource, in deletion order."""
    sagemaker = clients("sagemaker")
    for kind, list_call, key, name_key, arn_key, delete_call, delete_arg in SAGEMAKER_KINDS:
        next_token: str | None = None
        while True:
            kwargs = {"NextToken": next_token} if next_token else {}
            page = getattr(sagemaker, list_call)(**kwargs)
            for item in page.get(key, []):
                if tags.match(_sagemaker_tags(sagemaker, item[arn_key])):
                    yield kind, item[name_key], item[arn_key], delete_call, delete_arg
            next_token = page.get("NextToken")
            if not next_token:
                break


def delete_sagemaker(clients: Clients, tags: Tags, dry_run: bool, echo: Echo) -> list[Resource]:
    sagemaker = clients("sagemaker")
    done = []
    for kind, name, arn, delete_call, delete_arg in list(tagged_sagemaker(clients, tags)):
        echo(f"    {'would delete' if dry_run else 'deleting'} SageMaker {kind} {name}")
        if not dry_run:
            try:
                getattr(sagemaker, delete_call)(**{delete_arg: name})
            except Exception as error:
                if not is_unavailable(error):
                    raise
                echo(f"    warning: this endpoint does not implement {delete_call}; {kind} {name} is left")
        done.append(Resource(f"sagemaker-{kind}", arn))
    return done


def running_training_jobs(clients: Clients, tags: Tags) -> list[str]:
    sagemaker = clients("sagemaker")
    jobs = []
    for status in ("InProgress", "Stopping"):
        for page in sagemaker.get_paginator("list_training_jobs").paginate(StatusEquals=status):
            for job in page["TrainingJobSummaries"]:
                if tags.match(_sagemaker_tags(sagemaker, job["TrainingJobArn"])):
                    jobs.append(job["TrainingJobName"])
    return sorted(jobs)


# --- KMS --------------------------------------------------------------------------------------------------

LIVE_KEY_STATES = {"Enabled", "Disabled", "PendingImport", "Unavailable", "Creating"}


def tagged_live_keys(clients: Clients, tags: Tags) -> list[str]:
    """Customer-managed keys of the environment that are not already pending deletion."""
    kms = clients("kms")
    keys = []
    for page in kms.get_paginator("list_keys").paginate():
        for key in page["Keys"]:
            metadata = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
            if metadata.get("KeyManager") != "CUSTOMER" or metadata["KeyState"] not in LIVE_KEY_STATES:
                continue
            key_tags = tag_dict(kms.list_resource_tags(KeyId=key["KeyId"]).get("Tags"), "TagKey", "TagValue")
            if tags.match(key_tags):
                keys.append(metadata["Arn"])
    return sorted(keys)


# --- everything else, for the sweep -----------------------------------------------------------------------


def tagged_roles(clients: Clients, tags: Tags) -> list[str]:
    iam = clients("iam")
    arns = []
    for page in iam.get_paginator("list_roles").paginate():
        for role in page["Roles"]:
            if tags.match(tag_dict(iam.list_role_tags(RoleName=role["RoleName"]).get("Tags"))):
                arns.append(role["Arn"])
    return arns


def tagged_log_groups(clients: Clients, tags: Tags) -> list[str]:
    logs = clients("logs")
    arns = []
    for page in logs.get_paginator("describe_log_groups").paginate():
        for group in page["logGroups"]:
            arn = group["arn"].removesuffix(":*")
            if tags.match(logs.list_tags_for_resource(resourceArn=arn).get("tags", {})):
                arns.append(arn)
    return arns


def tagged_parameters(clients: Clients, tags: Tags) -> list[str]:
    ssm = clients("ssm")
    names = []
    for page in ssm.get_paginator("describe_parameters").paginate():
        for parameter in page["Parameters"]:
            found = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=parameter["Name"])
            if tags.match(tag_dict(found.get("TagList"))):
                names.append(parameter["Name"])
    return names


def tagged_by_tagging_api(clients: Clients, tags: Tags) -> list[str]:
    """The Resource Groups Tagging API: every taggable resource of the region with both tags (ARNs)."""
    tagging = clients("resourcegroupstaggingapi")
    arns = []
    for page in tagging.get_paginator("get_resources").paginate(TagFilters=tags.filters()):
        arns += [item["ResourceARN"] for item in page["ResourceTagMappingList"]]
    return arns


def finished_nat_gateways(clients: Clients, arns: list[str]) -> set[str]:
    """The NAT gateway ARNs among ``arns`` that are deleted or being deleted: EC2 keeps a deleted gateway
    visible (and tagged) for about an hour, but it no longer bills and cannot be deleted again."""
    ids = {arn.rsplit("/", 1)[1]: arn for arn in arns if ":natgateway/" in arn}
    if not ids:
        return set()
    finished = set()
    pages = clients("ec2").get_paginator("describe_nat_gateways").paginate(NatGatewayIds=sorted(ids))
    for page in pages:
        for gateway in page["NatGateways"]:
            if gateway["State"] in {"deleted", "deleting"}:
                finished.add(ids[gateway["NatGatewayId"]])
    return finished
