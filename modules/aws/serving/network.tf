# Endpoint instances only need to reach AWS APIs (S3 for model data and capture, ECR, Logs, KMS) over
# HTTPS; SageMaker's own front end reaches the containers, so no inbound rule is needed.
module "security_group" {
  source = "../workload_security_group"
  count  = var.create_security_group ? 1 : 0

  name        = "${local.prefix}-endpoints"
  description = "SageMaker endpoints of ${local.prefix}: HTTPS egress only"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

# The group and its rule lived in this module before workload_security_group existed.
moved {
  from = aws_security_group.endpoints[0]
  to   = module.security_group[0].aws_security_group.this
}

moved {
  from = aws_vpc_security_group_egress_rule.https[0]
  to   = module.security_group[0].aws_vpc_security_group_egress_rule.https
}
