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
  description = "ARN of the environment's customer-managed KMS key; encrypts endpoint volumes (where the instance type allows it) and captured data."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "execution_role_arn" {
  description = "ARN of the SageMaker serving execution role (from the iam module): pulls the image, reads model data, writes data capture."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN."
  }
}

variable "default_image_uri" {
  description = "Serving image used by variants that do not set image_uri, with an immutable tag or digest (for example <ecr serving url>:bootstrap); never :latest."
  type        = string

  validation {
    condition     = length(var.default_image_uri) > 0 && !endswith(var.default_image_uri, ":latest") && can(regex("[:@]", var.default_image_uri))
    error_message = "default_image_uri must carry an explicit tag or digest and must not use :latest."
  }
}

variable "artifacts_bucket_name" {
  description = "Name of the artifacts bucket (from the storage module); data capture is written under data-capture/<endpoint>/."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "artifacts_bucket_name must be a valid S3 bucket name."
  }
}

variable "vpc_id" {
  description = "VPC of the endpoints; used only when this module creates the security group."
  type        = string
  default     = null

  validation {
    condition     = !var.create_security_group || var.vpc_id != null
    error_message = "create_security_group = true needs vpc_id (the VPC the security group is created in)."
  }
}

variable "subnet_ids" {
  description = "Private subnet ids (two or more AZs) for instance-based endpoints."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must contain at least one subnet id (subnet-...)."
  }
}

variable "create_security_group" {
  description = "Create the security group of endpoint instances in vpc_id. Set false and pass security_group_id to use an existing one. A plain boolean (known at plan time), so the count it drives never waits for an id that exists only after apply."
  type        = bool
  default     = true
}

variable "security_group_id" {
  description = "Existing security group for endpoint instances. Used when create_security_group = false; otherwise the module creates one with HTTPS egress only."
  type        = string
  default     = null

  validation {
    condition     = var.create_security_group || var.security_group_id != null
    error_message = "create_security_group = false needs security_group_id (an existing security group, sg-...)."
  }

  validation {
    condition     = var.security_group_id == null || can(regex("^sg-[0-9a-f]+$", var.security_group_id))
    error_message = "security_group_id must be null or a security group id (sg-...)."
  }
}

variable "max_instances_per_variant" {
  description = "Upper bound any variant's autoscaling max_capacity may use (a guard against costly typos)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_instances_per_variant >= 1 && var.max_instances_per_variant <= 100
    error_message = "max_instances_per_variant must be between 1 and 100."
  }
}

variable "endpoints" {
  description = <<-EOT
    Endpoints keyed by a stable short name (the endpoint is named <project>-<environment>-<key>).
    Instance-based endpoints have one or more weighted variants (canary/blue-green traffic), each with its own
    model and target-tracking autoscaling. Serverless endpoints have exactly one variant and no autoscaling,
    VPC or data capture (SageMaker Serverless supports none of them). Containers always run with network
    isolation: the model arrives through model_data_url and the image must carry its dependencies. image_uri/model_data_url on a variant
    override the endpoint's, which override default_image_uri.
  EOT
  type = map(object({
    serverless                 = optional(bool, false)
    instance_type              = optional(string, "ml.m5.large")
    image_uri                  = optional(string)
    model_data_url             = optional(string)
    environment                = optional(map(string), {})
    invocations_per_instance   = optional(number, 100)
    data_capture_percent       = optional(number, 20)
    startup_timeout_seconds    = optional(number, 600)
    serverless_memory_mb       = optional(number, 2048)
    serverless_max_concurrency = optional(number, 5)
    rollback_alarm_names       = optional(list(string), [])
    variants = optional(map(object({
      weight         = number
      instance_type  = optional(string)
      image_uri      = optional(string)
      model_data_url = optional(string)
      min_capacity   = optional(number, 1)
      max_capacity   = optional(number, 2)
    })), { primary = { weight = 100 } })
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.endpoints) : can(regex("^[a-z][a-z0-9-]{0,29}$", k))])
    error_message = "Endpoint keys must be 1-30 characters of lowercase letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = alltrue(flatten([for e in values(var.endpoints) : [for k in keys(e.variants) : can(regex("^[a-z][a-z0-9-]{0,29}$", k))]]))
    error_message = "Variant keys must be 1-30 characters of lowercase letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : length(e.variants) >= 1 && length(e.variants) <= 10])
    error_message = "Each endpoint needs between 1 and 10 variants."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : !e.serverless || length(e.variants) == 1])
    error_message = "A serverless endpoint has exactly one variant."
  }

  validation {
    condition     = alltrue(flatten([for e in values(var.endpoints) : [for v in values(e.variants) : v.weight >= 0 && v.weight <= 100]]))
    error_message = "Variant weights must be between 0 and 100 (relative traffic shares; 0 keeps a variant deployed without traffic, as before a blue/green switch)."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : sum(concat([0], [for v in values(e.variants) : v.weight])) > 0])
    error_message = "Each endpoint needs at least one variant with a weight above 0 (SageMaker would route its traffic nowhere)."
  }

  validation {
    condition = alltrue(flatten([for e in values(var.endpoints) : [
      for v in values(e.variants) : v.min_capacity >= 1 && v.max_capacity >= v.min_capacity && v.max_capacity <= var.max_instances_per_variant
    ]]))
    error_message = "Every variant needs 1 <= min_capacity <= max_capacity <= max_instances_per_variant."
  }

  validation {
    condition = alltrue(flatten([for e in values(var.endpoints) : [
      for t in concat([e.instance_type], [for v in values(e.variants) : v.instance_type if v.instance_type != null]) : can(regex("^ml\\.[a-z0-9]+\\.[a-z0-9]+$", t))
    ]]))
    error_message = "Instance types must be SageMaker hosting types such as ml.m5.large or ml.g5.xlarge."
  }

  validation {
    condition = alltrue(flatten([for e in values(var.endpoints) : [
      for u in concat([e.image_uri], [for v in values(e.variants) : v.image_uri]) : u == null ? true : (!endswith(u, ":latest") && can(regex("[:@]", u)))
    ]]))
    error_message = "Image URIs must carry an explicit tag or digest and must not use :latest."
  }

  validation {
    condition = alltrue(flatten([for e in values(var.endpoints) : [
      for u in concat([e.model_data_url], [for v in values(e.variants) : v.model_data_url]) : u == null ? true : startswith(u, "s3://")
    ]]))
    error_message = "model_data_url values must be s3:// URIs (a model.tar.gz)."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : e.invocations_per_instance >= 1 && e.data_capture_percent >= 0 && e.data_capture_percent <= 100])
    error_message = "invocations_per_instance must be >= 1 and data_capture_percent between 0 and 100."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : e.startup_timeout_seconds >= 60 && e.startup_timeout_seconds <= 3600])
    error_message = "startup_timeout_seconds must be between 60 and 3600."
  }

  validation {
    condition = alltrue([for e in values(var.endpoints) :
      contains([1024, 2048, 3072, 4096, 5120, 6144], e.serverless_memory_mb) && e.serverless_max_concurrency >= 1 && e.serverless_max_concurrency <= 200
    ])
    error_message = "serverless_memory_mb must be 1024-6144 in 1024 steps and serverless_max_concurrency 1-200."
  }
}

variable "blue_green_termination_wait_seconds" {
  description = "With rollback alarms: how long SageMaker keeps the old fleet after an endpoint update before terminating it (the window in which an alarm rolls back)."
  type        = number
  default     = 300

  validation {
    condition     = var.blue_green_termination_wait_seconds >= 0 && var.blue_green_termination_wait_seconds <= 3600
    error_message = "blue_green_termination_wait_seconds must be between 0 and 3600."
  }
}

variable "update_instance_count" {
  description = "Instance count of an instance-based variant when its endpoint is created or updated: \"max\" (max_capacity, default) or \"min\" (min_capacity). SageMaker resets a variant to this count on every endpoint update because the provider never sends RetainAllVariantProperties, discarding what autoscaling had reached; \"max\" never leaves a loaded variant short (autoscaling scales in after its cooldowns, billed meanwhile), \"min\" is cheaper and can drop capacity under load."
  type        = string
  default     = "max"

  validation {
    condition     = contains(["max", "min"], var.update_instance_count)
    error_message = "update_instance_count must be \"max\" or \"min\"."
  }
}
