"""The teardown sweep lists every tagged resource of the environment, service by service, and nothing of
another project or environment. Against moto's server; wall time ~5 s."""

from __future__ import annotations

from pathlib import Path

from tests.ops.landing_zone import ACCOUNT, PROJECT, client, seed_landing_zone, write_spec

from mlgen.clouds.aws.ops.adapter import AwsOps
from mlgen.ops.context import load_context


def test_sweep_finds_each_service_and_ignores_other_projects(aws: str, tmp_path: Path) -> None:
    project = write_spec(tmp_path / "p")
    seed_landing_zone()
    seed_landing_zone(project="other")
    left = AwsOps(load_context(project, "dev")).leftovers()
    kinds = {item.kind for item in left}
    assert {"s3-bucket", "ecr-repository", "iam-role", "kms-key", "log-group", "ssm-parameter"} <= kinds
    assert all("other" not in item.name for item in left)
    assert f"arn:aws:s3:::{PROJECT}-dev-artifacts-{ACCOUNT}" in {item.name for item in left}
    key = next(item.name for item in left if item.kind == "kms-key")
    client("kms").schedule_key_deletion(KeyId=key.rsplit("/", 1)[-1], PendingWindowInDays=7)
    assert key not in {item.name for item in AwsOps(load_context(project, "dev")).leftovers()}


def test_sweep_counts_a_live_nat_gateway_but_not_a_deleted_one(aws: str, tmp_path: Path) -> None:
    """EC2 lists a deleted NAT gateway, tags and all, for about an hour; it no longer bills."""
    project = write_spec(tmp_path / "p")
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"]
    tags = [{"Key": "project", "Value": PROJECT}, {"Key": "environment", "Value": "dev"}]
    gateways = [
        ec2.create_nat_gateway(
            SubnetId=subnet,
            ConnectivityType="private",
            TagSpecifications=[{"ResourceType": "natgateway", "Tags": tags}],
        )["NatGateway"]["NatGatewayId"]
        for _ in range(2)
    ]
    ec2.delete_nat_gateway(NatGatewayId=gateways[1])
    left = {item.name.rsplit("/", 1)[-1] for item in AwsOps(load_context(project, "dev")).leftovers()}
    assert gateways[0] in left
    assert gateways[1] not in left
