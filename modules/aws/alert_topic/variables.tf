variable "name" {
  description = "Topic name (the callers use <project>-<environment>-<purpose>)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.name))
    error_message = "name must be 1-256 letters, digits, '-' or '_'."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the topic; its key policy must let publisher_service use it (kms module: sns_publisher_services)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "publisher_service" {
  description = "The AWS service principal allowed to publish, e.g. budgets.amazonaws.com or cloudwatch.amazonaws.com."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", var.publisher_service))
    error_message = "publisher_service must be a service principal such as cloudwatch.amazonaws.com."
  }
}

variable "publisher_source_arns" {
  description = "ARN patterns (aws:SourceArn) the publisher must act for; empty: any resource of this account."
  type        = list(string)
  default     = []
}

variable "emails" {
  description = "E-mail addresses subscribed to the topic (each must confirm the subscription)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags of the topic."
  type        = map(string)
  default     = {}
}
