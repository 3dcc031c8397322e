variable "project" {
  description = "Project name; the first half of every resource name (`<project>-<environment>`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.project))
    error_message = "project must be 3-24 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "environment" {
  description = "Environment name: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of: dev, staging, prod."
  }
}

variable "tags" {
  description = "Extra tags merged into every taggable resource (the root also sets provider default_tags)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the repositories (output key_arn of the kms module)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "deletion_protection" {
  description = "Protect the repositories against `terraform destroy` (lifecycle.prevent_destroy) and never force-delete images."
  type        = bool
  default     = false
}

variable "repositories" {
  description = "Repository names; each becomes <project>-<environment>/<name>."
  type        = set(string)
  default     = ["training", "serving"]

  validation {
    condition     = length(var.repositories) > 0 && alltrue([for r in var.repositories : can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*$", r))])
    error_message = "repositories must be a non-empty set of lowercase names (letters, digits, '.', '_' or '-' between them)."
  }
}

variable "keep_last_images" {
  description = "Number of images with an ephemeral tag (ephemeral_tag_patterns) kept per repository; older ones expire. Release tags never expire."
  type        = number
  default     = 30

  validation {
    condition     = var.keep_last_images >= 1 && var.keep_last_images <= 10000
    error_message = "keep_last_images must be between 1 and 10000."
  }
}

variable "ephemeral_tag_patterns" {
  description = "Tag patterns (ECR wildcards, `*` only) of builds nothing deploys, such as CI builds of every commit; only these and untagged images expire. Empty: only untagged images expire. Never match release tags (the tags serving_release and training_image_tag name)."
  type        = list(string)
  default     = ["sha-*", "pr-*"]

  validation {
    condition     = length(var.ephemeral_tag_patterns) <= 100 && alltrue([for p in var.ephemeral_tag_patterns : can(regex("^[A-Za-z0-9._*-]+$", p)) && p != "*" && length(regexall("\\*", p)) <= 4])
    error_message = "ephemeral_tag_patterns must be tag patterns such as sha-* (at most 4 wildcards each, never a bare *)."
  }
}

variable "untagged_image_expiry_days" {
  description = "Days after push at which untagged images (superseded build layers) expire."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_image_expiry_days >= 1
    error_message = "untagged_image_expiry_days must be at least 1."
  }
}

variable "force_delete" {
  description = "Let `terraform destroy` delete repositories that still hold images (teardown of dev environments). Ignored — always false — when deletion_protection is true."
  type        = bool
  default     = false
}
