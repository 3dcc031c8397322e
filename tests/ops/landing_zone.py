"""What `terraform apply` of an environment leaves in the account, made directly in moto with boto3.

Only what the ops commands read or must remove: the job-defaults parameter (the gpu_compute module's
contract, same keys), the network parts the job runs in, the key, the roles, buckets, repositories and the
training log group, all tagged as the modules tag them. A tiny real Terraform root covers destroy itself
(test_teardown.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

ACCOUNT = "123456789012"
REGION = "us-east-1"
PROJECT = "churn-starter"

SPEC = """\
project: {project}
cloud: aws
region: us-east-1
blueprint: starter
owner: "data-team@example.com"
cost_center: "cc-0042"
{extra}
environments:
  dev:
    account_id: "{dev_account}"
  prod:
    account_id: "{prod_account}"
    deletion_protection: {prod_protection}
"""


def write_spec(
    directory: Path,
    *,
    project: str = PROJECT,
    dev_account: str = ACCOUNT,
    prod_account: str = ACCOUNT,
    prod_protection: bool = True,
    extra: str = "",
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    text = SPEC.format(
        project=project,
        dev_account=dev_account,
        prod_account=prod_account,
        prod_protection=str(prod_protection).lower(),
        extra=extra,
    )
    (directory / "mlgen.yaml").write_text(text, encoding="utf-8")
    return directory


def tags_for(project: str, environment: str) -> dict[str, str]:
    return {
        "project": project,
        "environment": environment,
        "managed-by": "mlgen",
        "owner": "data-team@example.com",
    }


def tag_list(tags: dict[str, str], key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    return [{key: k, value: v} for k, v in tags.items()]


def client(service: str) -> Any:
    return boto3.client(service, region_name=REGION)


def seed_landing_zone(
    project: str = PROJECT, environment: str = "dev", mlflow_arn: str | None = None
) -> dict[str, Any]:
    """Create the environment's landing-zone resources; return the job defaults written to SSM."""
    prefix = f"{project}-{environment}"
    tags = tags_for(project, environment)
    kms_key = client("kms").create_key(Tags=tag_list(tags, "TagKey", "TagValue"))["KeyMetadata"]["Arn"]
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")[
            "Subnet"
        ]["SubnetId"]
        for i, zone in enumerate("ab")
    ]
    group = ec2.create_security_group(GroupName=f"{prefix}-workload", Description="workloads", VpcId=vpc)[
        "GroupId"
    ]
    iam = client("iam")
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "sagemaker.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    role = iam.create_role(
        RoleName=f"{prefix}-training", AssumeRolePolicyDocument=trust, Tags=tag_list(tags)
    )["Role"]["Arn"]
    s3 = client("s3")
    for zone in ("raw", "artifacts", "access-logs"):
        bucket = f"{prefix}-{zone}-{ACCOUNT}"
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tag_list(tags)})
    ecr = client("ecr")
    for name in ("training", "serving"):
        ecr.create_repository(repositoryName=f"{prefix}/{name}", tags=tag_list(tags))
    logs = client("logs")
    if not logs.describe_log_groups(logGroupNamePrefix="/aws/sagemaker/TrainingJobs")["logGroups"]:
        logs.create_log_group(
            logGroupName="/aws/sagemaker/TrainingJobs", tags=tags
        )  # account-wide: one owner
    artifacts = f"s3://{prefix}-artifacts-{ACCOUNT}/training"
    registry = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
    # The same keys as local.job_defaults in modules/aws/gpu_compute/main.tf (a test checks that).
    defaults = {
        "schema_version": 1,
        "job_name_prefix": prefix,
        "region": REGION,
        "role_arn": role,
        "image_uri": f"{registry}/{prefix}/training:v1",
        "instance_type": "ml.g4dn.xlarge",
        "instance_count": 1,
        "volume_size_gb": 100,
        "volume_kms_key_id": kms_key,
        "output_kms_key_id": kms_key,
        "output_s3_uri": f"{artifacts}/output/",
        "checkpoint_s3_uri": f"{artifacts}/checkpoints/",
        "checkpoint_local_path": "/opt/ml/checkpoints",
        "enable_managed_spot": True,
        "max_runtime_seconds": 24 * 3600,
        "max_wait_seconds": 48 * 3600,
        "subnet_ids": subnets,
        "security_group_ids": [group],
        "inter_container_encryption": True,
        "log_group_name": "/aws/sagemaker/TrainingJobs",
        "mlflow_tracking_arn": mlflow_arn,
        "tags": tags,
    }
    client("ssm").put_parameter(
        Name=f"/{project}/{environment}/training/job-defaults",
        Type="SecureString",
        KeyId=kms_key,
        Value=json.dumps(defaults),
        Tags=tag_list(tags),
    )
    return defaults


def push_fake_image(repository: str, tag: str) -> None:
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 1,
                "digest": "sha256:" + "0" * 64,
            },
            "layers": [],
        }
    )
    client("ecr").put_image(repositoryName=repository, imageManifest=manifest, imageTag=tag)
