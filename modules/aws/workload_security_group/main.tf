# A workload's security group: HTTPS egress to AWS APIs and, where members talk to each other (multi-node
# training), traffic within the group. No inbound from outside the group: the services that call a workload
# (SageMaker's front end) reach it without an ingress rule.

resource "aws_security_group" "this" {
  #checkov:skip=CKV2_AWS_5:Attached by the calling module (training job VpcConfig at submit time, launch templates, SageMaker models' vpc_config), a relation the check does not follow.
  name_prefix = "${var.name}-"
  description = var.description
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = var.name })

  # The group is referenced by running jobs and endpoints: make the replacement before removing this one.
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = var.https_egress_description
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "intra_group" {
  count = var.allow_intra_group ? 1 : 0

  security_group_id            = aws_security_group.this.id
  description                  = "Traffic to other members of the group (multi-node collective communication)"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.this.id
  tags                         = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "intra_group" {
  count = var.allow_intra_group ? 1 : 0

  security_group_id            = aws_security_group.this.id
  description                  = "Traffic from other members of the group (multi-node collective communication)"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.this.id
  tags                         = var.tags
}
