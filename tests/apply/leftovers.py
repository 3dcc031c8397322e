"""What a project left in the emulator, found by listing each service with boto3 (not by Terraform state)."""

from __future__ import annotations

from typing import Any


def leftovers(endpoint: str, region: str, project: str) -> dict[str, list[str]]:
    """Every resource whose name or tags carry the project name, per service; empty lists when clean.

    A KMS key that is pending deletion counts as gone (that is all AWS lets anyone do to a key).
    """
    import boto3

    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )

    def client(service: str) -> Any:
        return session.client(service, endpoint_url=endpoint)

    found: dict[str, list[str]] = {}
    s3 = client("s3")
    buckets = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
    found["s3 buckets"] = [b for b in buckets if project in b]
    found["s3 objects and versions"] = [
        f"{b}/{v['Key']}"
        for b in found["s3 buckets"]
        for kind in ("Versions", "DeleteMarkers")
        for v in s3.list_object_versions(Bucket=b).get(kind, [])
    ]
    kms = client("kms")
    found["kms keys not pending deletion"] = [
        k["KeyId"]
        for k in kms.list_keys()["Keys"]
        if kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] != "PendingDeletion"
    ]
    found["kms aliases"] = [
        a["AliasName"] for a in kms.list_aliases()["Aliases"] if project in a["AliasName"]
    ]
    found["log groups"] = [
        g["logGroupName"] for g in client("logs").describe_log_groups().get("logGroups", [])
    ]
    found["ecr repositories"] = [
        r["repositoryName"] for r in client("ecr").describe_repositories()["repositories"]
    ]
    iam = client("iam")
    found["iam roles"] = [
        r["RoleName"] for r in iam.list_roles()["Roles"] if not r["Path"].startswith("/aws-service-role/")
    ]
    found["iam policies"] = [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]]
    found["iam instance profiles"] = [
        p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]
    ]
    found["oidc providers"] = [
        p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    ]
    ec2 = client("ec2")
    tagged = [{"Name": "tag:project", "Values": [project]}]
    found["vpcs"] = [v["VpcId"] for v in ec2.describe_vpcs(Filters=tagged)["Vpcs"]]
    found["subnets"] = [s["SubnetId"] for s in ec2.describe_subnets(Filters=tagged)["Subnets"]]
    found["route tables"] = [
        r["RouteTableId"] for r in ec2.describe_route_tables(Filters=tagged)["RouteTables"]
    ]
    found["security groups"] = [
        g["GroupId"] for g in ec2.describe_security_groups(Filters=tagged)["SecurityGroups"]
    ]
    found["internet gateways"] = [
        g["InternetGatewayId"] for g in ec2.describe_internet_gateways(Filters=tagged)["InternetGateways"]
    ]
    found["nat gateways"] = [
        g["NatGatewayId"]
        for g in ec2.describe_nat_gateways()["NatGateways"]
        if g["State"] not in ("deleted", "deleting")
    ]
    found["elastic ips"] = [a["AllocationId"] for a in ec2.describe_addresses(Filters=tagged)["Addresses"]]
    found["vpc endpoints"] = [
        e["VpcEndpointId"]
        for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]
        if e["State"].lower() != "deleted"
    ]
    found["flow logs"] = [f["FlowLogId"] for f in ec2.describe_flow_logs()["FlowLogs"]]
    found["launch templates"] = [
        t["LaunchTemplateName"] for t in ec2.describe_launch_templates()["LaunchTemplates"]
    ]
    found["autoscaling groups"] = [
        g["AutoScalingGroupName"]
        for g in client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"]
    ]
    found["ssm parameters"] = [p["Name"] for p in client("ssm").describe_parameters()["Parameters"]]
    found["sns topics"] = [t["TopicArn"] for t in client("sns").list_topics()["Topics"]]
    account = client("sts").get_caller_identity()["Account"]
    found["budgets"] = [
        b["BudgetName"] for b in client("budgets").describe_budgets(AccountId=account).get("Budgets", [])
    ]
    found["cloudwatch alarms"] = [
        a["AlarmName"] for a in client("cloudwatch").describe_alarms()["MetricAlarms"]
    ]
    sagemaker = client("sagemaker")
    found["sagemaker endpoints"] = [e["EndpointName"] for e in sagemaker.list_endpoints()["Endpoints"]]
    found["sagemaker endpoint configs"] = [
        c["EndpointConfigName"] for c in sagemaker.list_endpoint_configs()["EndpointConfigs"]
    ]
    found["sagemaker models"] = [m["ModelName"] for m in sagemaker.list_models()["Models"]]
    found["scalable targets"] = [
        t["ResourceId"]
        for t in client("application-autoscaling").describe_scalable_targets(ServiceNamespace="sagemaker")[
            "ScalableTargets"
        ]
    ]
    return {kind: names for kind, names in found.items() if names}
