variable "project" {
  description = "Project name; the first half of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.project))
    error_message = "project must be 3-24 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name (dev, staging or prod)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "tags" {
  description = "Tags merged into every taggable resource (project, environment, owner, cost-center, managed-by are expected)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "ARN of the environment's customer-managed KMS key; encrypts the alert topic and the endpoint log groups. Its key policy must let cloudwatch.amazonaws.com and logs.<region>.amazonaws.com use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "emails" {
  description = "E-mail addresses subscribed to the alert topic (each must confirm the subscription)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "emails must be valid e-mail addresses."
  }
}

variable "endpoints" {
  description = <<-EOT
    Endpoints to watch, keyed by endpoint key: the SageMaker endpoint name, whether it is serverless, and its
    variants with their instance type (the serving module's `endpoints` output has this shape). Build it from
    the plan rather than from the serving output so the log groups exist before SageMaker would create them
    (see README). vcpus/gpus override the counts derived from the instance size.
  EOT
  type = map(object({
    name       = string
    serverless = optional(bool, false)
    variants = map(object({
      instance_type = optional(string)
      vcpus         = optional(number)
      gpus          = optional(number)
    }))
  }))
  default = {}

  validation {
    condition     = alltrue([for e in values(var.endpoints) : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", e.name))])
    error_message = "Endpoint names must be valid SageMaker endpoint names (letters, digits, hyphens, at most 63)."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : length(e.variants) >= 1])
    error_message = "Every endpoint needs at least one variant."
  }
}

variable "p99_latency_ms" {
  description = "Alarm when a variant's p99 ModelLatency stays above this many milliseconds."
  type        = number
  default     = 500

  validation {
    condition     = var.p99_latency_ms > 0 && var.p99_latency_ms <= 3600000
    error_message = "p99_latency_ms must be greater than 0 and at most 3600000."
  }
}

variable "error_rate_percent" {
  description = "Alarm when 5XX errors exceed this percentage of invocations."
  type        = number
  default     = 1

  validation {
    condition     = var.error_rate_percent > 0 && var.error_rate_percent <= 100
    error_message = "error_rate_percent must be greater than 0 and at most 100."
  }
}

variable "cpu_utilization_percent" {
  description = "Alarm when average CPU use per vCPU stays above this percentage (instance-based variants)."
  type        = number
  default     = 85

  validation {
    condition     = var.cpu_utilization_percent > 0 && var.cpu_utilization_percent <= 100
    error_message = "cpu_utilization_percent must be between 0 and 100."
  }
}

variable "gpu_utilization_percent" {
  description = "Alarm when average use per GPU stays above this percentage (GPU variants)."
  type        = number
  default     = 90

  validation {
    condition     = var.gpu_utilization_percent > 0 && var.gpu_utilization_percent <= 100
    error_message = "gpu_utilization_percent must be between 0 and 100."
  }
}

variable "evaluation_minutes" {
  description = "How many one-minute periods are evaluated; an alarm fires when most of them breach."
  type        = number
  default     = 5

  validation {
    condition     = var.evaluation_minutes >= 1 && var.evaluation_minutes <= 60
    error_message = "evaluation_minutes must be between 1 and 60."
  }
}

variable "log_retention_days" {
  description = "Retention of the endpoint log groups in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}
