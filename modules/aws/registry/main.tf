locals {
  prefix = "${var.project}-${var.environment}"
  tags   = merge(var.tags, { project = var.project, environment = var.environment })

  repository_names = { for name in var.repositories : name => "${local.prefix}/${name}" }

  # prevent_destroy must be a literal, so each repository exists in one of two variants (see README).
  repositories = merge(aws_ecr_repository.this, aws_ecr_repository.protected)
}

resource "aws_ecr_repository" "protected" {
  for_each = var.deletion_protection ? local.repository_names : {}

  name                 = each.value
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false
  tags                 = merge(local.tags, { repository = each.key })

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }

  image_scanning_configuration {
    scan_on_push = true
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_ecr_repository" "this" {
  for_each = var.deletion_protection ? {} : local.repository_names

  name                 = each.value
  image_tag_mutability = "IMMUTABLE"
  force_delete         = var.force_delete
  tags                 = merge(local.tags, { repository = each.key })

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = local.repositories

  repository = each.value.name
  policy     = local.lifecycle_policy
}
