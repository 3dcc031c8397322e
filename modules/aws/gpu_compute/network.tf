# Shared by SageMaker training jobs (VpcConfig) and fleet instances. No inbound from outside the group:
# members talk to each other (NCCL/DDP across nodes) and reach AWS APIs over HTTPS (VPC endpoints or NAT).
resource "aws_security_group" "compute" {
  #checkov:skip=CKV2_AWS_5:Attached outside Terraform by SageMaker training jobs (VpcConfig at submit time) and, when enabled, by the fleet launch template's network interface, which the check does not follow.
  count = var.create_security_group ? 1 : 0

  name_prefix = "${local.prefix}-gpu-compute-"
  description = "GPU training jobs and fleet of ${local.prefix}: HTTPS egress and intra-group traffic only"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${local.prefix}-gpu-compute" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "https" {
  count = var.create_security_group ? 1 : 0

  security_group_id = aws_security_group.compute[0].id
  description       = "HTTPS to AWS APIs (S3, ECR, SageMaker, Logs, KMS) via VPC endpoints or NAT"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}

resource "aws_vpc_security_group_egress_rule" "intra_group" {
  count = var.create_security_group ? 1 : 0

  security_group_id            = aws_security_group.compute[0].id
  description                  = "Traffic to other members of the group (multi-node collective communication)"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.compute[0].id
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "intra_group" {
  count = var.create_security_group ? 1 : 0

  security_group_id            = aws_security_group.compute[0].id
  description                  = "Traffic from other members of the group (multi-node collective communication)"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.compute[0].id
  tags                         = local.tags
}
