# Optional spot GPU fleet: an autoscaling group that rests at zero and is scaled up by whoever
# runs VM training (desired capacity is left to them: see ignore_changes below).

locals {
  fleet_count           = var.vm_fleet_enabled ? 1 : 0
  create_fleet_identity = var.vm_fleet_enabled && var.vm_instance_profile_name == null
  fleet_profile_name    = local.create_fleet_identity ? aws_iam_instance_profile.fleet[0].name : var.vm_instance_profile_name
  artifacts_bucket_arn  = "arn:${data.aws_partition.current.partition}:s3:::${var.artifacts_bucket_name}"
}

data "aws_ssm_parameter" "gpu_ami" {
  count = local.fleet_count

  name = var.vm_ami_ssm_parameter
}

data "aws_iam_policy_document" "fleet_assume" {
  statement {
    sid     = "Ec2AssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "fleet" {
  statement {
    sid       = "ReadJobDefaults"
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.job_defaults.arn]
  }

  statement {
    sid       = "ListTrainingPrefix"
    actions   = ["s3:ListBucket"]
    resources = [local.artifacts_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["training/*"]
    }
  }

  statement {
    sid       = "ReadWriteTrainingObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${local.artifacts_bucket_arn}/training/*"]
  }

  statement {
    sid       = "UseEnvironmentKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  statement {
    # GetAuthorizationToken has no resource-level permissions; pulls are scoped below.
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(var.vm_ecr_repository_arns) > 0 ? [1] : []

    content {
      sid       = "PullTrainingImage"
      actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      resources = var.vm_ecr_repository_arns
    }
  }

  statement {
    # Session Manager instead of SSH: no inbound rules, no key pairs.
    sid       = "SessionManagerRegistration"
    actions   = ["ssm:UpdateInstanceInformation"]
    resources = ["arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:instance/*"]
  }

  statement {
    # The Session Manager message channels have no resource-level permissions.
    sid = "SessionManagerChannels"
    actions = [
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role" "fleet" {
  count = local.create_fleet_identity ? 1 : 0

  # IAM role name prefixes are at most 38 characters; a 24-character project in staging would make 42.
  name_prefix        = "${substr("${local.prefix}-gpu-fleet", 0, 37)}-"
  description        = "GPU fleet instances of ${local.prefix}: training data and checkpoints, image pull, Session Manager"
  assume_role_policy = data.aws_iam_policy_document.fleet_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "fleet" {
  count = local.create_fleet_identity ? 1 : 0

  name   = "gpu-fleet"
  role   = aws_iam_role.fleet[0].id
  policy = data.aws_iam_policy_document.fleet.json
}

resource "aws_iam_instance_profile" "fleet" {
  count = local.create_fleet_identity ? 1 : 0

  name_prefix = "${local.prefix}-gpu-fleet-"
  role        = aws_iam_role.fleet[0].name
  tags        = local.tags
}

resource "aws_launch_template" "fleet" {
  count = local.fleet_count

  name_prefix            = "${local.prefix}-gpu-fleet-"
  description            = "Spot GPU training instances of ${local.prefix}"
  image_id               = data.aws_ssm_parameter.gpu_ami[0].insecure_value
  instance_type          = var.vm_instance_types[0]
  update_default_version = true
  user_data              = var.vm_user_data == null ? null : base64encode(var.vm_user_data)
  ebs_optimized          = "true"

  iam_instance_profile {
    name = local.fleet_profile_name
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  network_interfaces {
    associate_public_ip_address = false
    delete_on_termination       = true
    security_groups             = [local.security_group_id]
  }

  block_device_mappings {
    device_name = "/dev/sda1"

    ebs {
      volume_size           = var.vm_root_volume_size_gb
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.kms_key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { Name = "${local.prefix}-gpu-fleet" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = local.tags
  }

  tags = local.tags
}

resource "aws_autoscaling_group" "fleet" {
  count = local.fleet_count

  name_prefix         = "${local.prefix}-gpu-fleet-"
  vpc_zone_identifier = var.subnet_ids
  min_size            = 0
  max_size            = var.vm_max_instances
  desired_capacity    = 0
  capacity_rebalance  = true
  health_check_type   = "EC2"

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 0
      on_demand_percentage_above_base_capacity = 0
      spot_allocation_strategy                 = "price-capacity-optimized"
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.fleet[0].id
        version            = "$Latest"
      }

      dynamic "override" {
        for_each = var.vm_instance_types

        content {
          instance_type = override.value
        }
      }
    }
  }

  dynamic "tag" {
    for_each = merge(local.tags, { Name = "${local.prefix}-gpu-fleet" })

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    # Jobs (or a person) scale the group up and back to zero; Terraform must not fight them.
    ignore_changes = [desired_capacity]
  }
}
