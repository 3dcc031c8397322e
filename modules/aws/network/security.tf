# The default security group is adopted and left with no rules, so nothing can use it by accident.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(local.tags, { Name = "${local.prefix}-default-locked" })
}

resource "aws_security_group" "endpoints" {
  name        = "${local.prefix}-endpoints"
  description = "Interface VPC endpoints: HTTPS from inside the VPC only"
  vpc_id      = aws_vpc.this.id
  tags        = merge(local.tags, { Name = "${local.prefix}-endpoints" })
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  security_group_id = aws_security_group.endpoints.id
  description       = "HTTPS from the VPC CIDR"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.cidr
  tags              = local.tags
}

# Attached by the compute and serving modules to SageMaker training jobs, endpoints and GPU instances.
resource "aws_security_group" "workloads" {
  #checkov:skip=CKV2_AWS_5:Attached outside this module by the compute and serving modules (training jobs, endpoints, GPU instances).
  name        = "${local.prefix}-workloads"
  description = "SageMaker training, serving and GPU workloads"
  vpc_id      = aws_vpc.this.id
  tags        = merge(local.tags, { Name = "${local.prefix}-workloads" })
}

# Multi-node training exchanges NCCL/gloo traffic on arbitrary ports between members of this group.
resource "aws_vpc_security_group_ingress_rule" "workloads_self" {
  security_group_id            = aws_security_group.workloads.id
  description                  = "Node-to-node traffic within the workload group (distributed training)"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.workloads.id
  tags                         = local.tags
}

resource "aws_vpc_security_group_egress_rule" "workloads_self" {
  security_group_id            = aws_security_group.workloads.id
  description                  = "Node-to-node traffic within the workload group (distributed training)"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.workloads.id
  tags                         = local.tags
}

# HTTPS inside the VPC goes to the interface endpoints' security group only, not to any address of the VPC.
resource "aws_vpc_security_group_egress_rule" "workloads_endpoints_https" {
  security_group_id            = aws_security_group.workloads.id
  description                  = "HTTPS to the interface VPC endpoints"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints.id
  tags                         = local.tags
}

resource "aws_vpc_security_group_egress_rule" "workloads_s3" {
  security_group_id = aws_security_group.workloads.id
  description       = "HTTPS to S3 through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id
  tags              = local.tags
}

# Only when a NAT gateway exists: package indexes, model hubs and other HTTPS services on the internet.
resource "aws_vpc_security_group_egress_rule" "workloads_internet_https" {
  count = local.nat_enabled ? 1 : 0

  security_group_id = aws_security_group.workloads.id
  description       = "HTTPS to the internet through the NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}
