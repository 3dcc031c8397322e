# Endpoint instances only need to reach AWS APIs (S3 for model data and capture, ECR, Logs, KMS) over
# HTTPS; SageMaker's own front end reaches the containers, so no inbound rule is needed.
resource "aws_security_group" "endpoints" {
  #checkov:skip=CKV2_AWS_5:Attached through aws_sagemaker_model.vpc_config.security_group_ids, a relation the check does not follow.
  count = var.create_security_group ? 1 : 0

  name_prefix = "${local.prefix}-endpoints-"
  description = "SageMaker endpoints of ${local.prefix}: HTTPS egress only"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${local.prefix}-endpoints" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "https" {
  count = var.create_security_group ? 1 : 0

  security_group_id = aws_security_group.endpoints[0].id
  description       = "HTTPS to AWS APIs via VPC endpoints or NAT"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}
