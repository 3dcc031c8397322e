locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  autoscaling_service_role_arn = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
}

data "aws_iam_policy_document" "key" {
  # In a key policy "Resource": "*" means "this key" and nothing else; these checks are written for identity
  # policies, where "*" would mean every resource in the account.
  #checkov:skip=CKV_AWS_109:Key policy; resources "*" is this key only, administration is limited to the account root.
  #checkov:skip=CKV_AWS_111:Key policy; resources "*" is this key only, writers are the listed roles and services.
  #checkov:skip=CKV_AWS_356:Key policy; resources "*" is the only valid resource and denotes this key.
  # The account root statement is AWS's default key policy: it does not grant access to anyone by itself, it
  # lets IAM policies in this account grant access. Without it the key becomes unmanageable if every listed
  # principal disappears, and the Terraform deployer could not create grants for ECR/S3/SageMaker.
  statement {
    sid       = "AccountRootAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = length(var.key_user_arns) > 0 ? [1] : []

    content {
      sid = "KeyUsers"
      actions = [
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
      ]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = var.key_user_arns
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.key_user_arns) > 0 ? [1] : []

    content {
      # SageMaker, ECR and EBS use grants to act on the key on the caller's behalf; only for AWS resources.
      sid       = "KeyUsersGrantsForAwsResources"
      actions   = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = var.key_user_arns
      }

      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.allow_cloudwatch_logs ? [1] : []

    content {
      sid = "CloudWatchLogsInThisAccount"
      actions = [
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
      ]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = ["logs.${local.region}.amazonaws.com"]
      }

      condition {
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.sns_publisher_services) > 0 ? [1] : []

    content {
      sid       = "ServicesPublishingToEncryptedSns"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = var.sns_publisher_services
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }

  # The GPU fleet's launch template encrypts EBS volumes with this key; EC2 Auto Scaling launches them as
  # its service-linked role, which needs the key and grants for EC2 (AWS: "required KMS key policy for use
  # with encrypted volumes"). Matched by aws:PrincipalArn rather than named as the principal: KMS refuses
  # a key policy naming a role that does not exist yet, and the role appears only with the first group.
  dynamic "statement" {
    for_each = var.allow_autoscaling_service_role ? [1] : []

    content {
      sid = "AutoScalingServiceRoleUse"
      actions = [
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
      ]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalArn"
        values   = [local.autoscaling_service_role_arn]
      }
    }
  }

  dynamic "statement" {
    for_each = var.allow_autoscaling_service_role ? [1] : []

    content {
      sid       = "AutoScalingServiceRoleGrants"
      actions   = ["kms:CreateGrant"]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalArn"
        values   = [local.autoscaling_service_role_arn]
      }

      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }
}
