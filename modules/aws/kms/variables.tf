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

variable "deletion_protection" {
  description = "Protect the key against `terraform destroy` (lifecycle.prevent_destroy). Defaults to true for prod in the generated roots."
  type        = bool
  default     = false
}

variable "deletion_window_in_days" {
  description = "Waiting period before AWS deletes the key once deletion is scheduled (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "rotation_period_in_days" {
  description = "Automatic key rotation period in days (90-2560)."
  type        = number
  default     = 365

  validation {
    condition     = var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560
    error_message = "rotation_period_in_days must be between 90 and 2560."
  }
}

variable "key_user_arns" {
  description = "IAM role ARNs allowed to use the key for encryption and decryption (and to create grants for AWS services), e.g. the training, serving and data-scientist roles."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.key_user_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", arn))])
    error_message = "Every key_user_arns entry must be an IAM role or user ARN."
  }
}

variable "allow_cloudwatch_logs" {
  description = "Let CloudWatch Logs in this account and region encrypt log groups with the key (flow logs, SageMaker logs)."
  type        = bool
  default     = true
}

variable "sns_publisher_services" {
  description = "AWS service principals that publish to SNS topics encrypted with this key (alarms, budgets); they get GenerateDataKey/Decrypt only, limited to this account."
  type        = list(string)
  default     = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]

  validation {
    condition     = alltrue([for s in var.sns_publisher_services : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", s))])
    error_message = "sns_publisher_services must be AWS service principals such as cloudwatch.amazonaws.com."
  }
}

variable "allow_autoscaling_service_role" {
  description = "Let EC2 Auto Scaling's service-linked role (AWSServiceRoleForAutoScaling) use the key and create grants for EC2, so an Auto Scaling group can launch instances whose EBS volumes this key encrypts (the gpu_compute GPU fleet)."
  type        = bool
  default     = false
}
