# Pure derivations from the inputs (no resources or data sources), kept apart so tests can evaluate them
# with a provider-free `terraform apply`.
locals {
  # A live endpoint or a job may still run any release tag, so only images that nothing deploys expire:
  # untagged ones (superseded builds) and tags matching ephemeral_tag_patterns (CI builds such as sha-*).
  # ECR has no "tagged, but not matching" selector, so an image with any other tag is never expired here.
  lifecycle_policy = jsonencode({
    rules = concat(
      [{
        rulePriority = 1
        description  = "Expire untagged images after ${var.untagged_image_expiry_days} days"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.untagged_image_expiry_days
        }
        action = { type = "expire" }
      }],
      length(var.ephemeral_tag_patterns) == 0 ? [] : [{
        rulePriority = 2
        description  = "Keep the last ${var.keep_last_images} images tagged ${join(", ", var.ephemeral_tag_patterns)}"
        selection = {
          tagStatus      = "tagged"
          tagPatternList = var.ephemeral_tag_patterns
          countType      = "imageCountMoreThan"
          countNumber    = var.keep_last_images
        }
        action = { type = "expire" }
      }],
    )
  })
}
