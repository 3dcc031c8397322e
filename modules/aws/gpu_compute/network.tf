# Shared by SageMaker training jobs (VpcConfig) and fleet instances. No inbound from outside the group:
# members talk to each other (NCCL/DDP across nodes) and reach AWS APIs over HTTPS (VPC endpoints or NAT).
module "security_group" {
  source = "../workload_security_group"
  count  = var.create_security_group ? 1 : 0

  name                     = "${local.prefix}-gpu-compute"
  description              = "GPU training jobs and fleet of ${local.prefix}: HTTPS egress and intra-group traffic only"
  vpc_id                   = var.vpc_id
  https_egress_description = "HTTPS to AWS APIs (S3, ECR, SageMaker, Logs, KMS) via VPC endpoints or NAT"
  allow_intra_group        = true
  tags                     = local.tags
}

# The group and its rules lived in this module before workload_security_group existed.
moved {
  from = aws_security_group.compute[0]
  to   = module.security_group[0].aws_security_group.this
}

moved {
  from = aws_vpc_security_group_egress_rule.https[0]
  to   = module.security_group[0].aws_vpc_security_group_egress_rule.https
}

moved {
  from = aws_vpc_security_group_egress_rule.intra_group[0]
  to   = module.security_group[0].aws_vpc_security_group_egress_rule.intra_group[0]
}

moved {
  from = aws_vpc_security_group_ingress_rule.intra_group[0]
  to   = module.security_group[0].aws_vpc_security_group_ingress_rule.intra_group[0]
}
