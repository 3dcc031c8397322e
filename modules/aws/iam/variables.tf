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
  description = "ARN of the environment's customer-managed KMS key (output key_arn of the kms module)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "bucket_arns" {
  description = "Data zone => bucket ARN (output bucket_arns of the storage module). Training reads every zone; data scientists read every zone."
  type        = map(string)

  validation {
    condition     = length(var.bucket_arns) > 0 && alltrue([for arn in values(var.bucket_arns) : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]+$", arn))])
    error_message = "bucket_arns must map zone names to S3 bucket ARNs (arn:aws:s3:::<bucket>)."
  }
}

variable "artifacts_zone" {
  description = "Zone whose bucket holds model artifacts and checkpoints: training writes there, serving reads there."
  type        = string
  default     = "artifacts"

  validation {
    condition     = contains(keys(var.bucket_arns), var.artifacts_zone)
    error_message = "artifacts_zone must be one of the keys of bucket_arns."
  }
}

variable "data_scientist_write_zones" {
  description = "Zones the data-scientist role may write to (raw stays read-only: it is filled by ingestion)."
  type        = list(string)
  default     = ["processed", "features", "artifacts"]

  validation {
    condition     = alltrue([for zone in var.data_scientist_write_zones : contains(keys(var.bucket_arns), zone)])
    error_message = "Every data_scientist_write_zones entry must be a key of bucket_arns."
  }
}

variable "data_capture_prefix" {
  description = "Key prefix in the artifacts bucket where serving endpoints write captured requests and responses."
  type        = string
  default     = "data-capture/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/$", var.data_capture_prefix))
    error_message = "data_capture_prefix must be a relative S3 key prefix ending with '/', e.g. data-capture/."
  }
}

variable "ecr_repository_arns" {
  description = "Repository key => ECR repository ARN (output repository_arns of the registry module). Workloads pull from them, CI pushes to them."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.ecr_repository_arns) : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", arn))])
    error_message = "ecr_repository_arns values must be ECR repository ARNs."
  }
}

variable "mlflow_tracking_server_arn" {
  description = "ARN of a SageMaker managed MLflow tracking server (or MLflow app) the training and data-scientist roles may use; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.mlflow_tracking_server_arn == null || can(regex("^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:(mlflow-tracking-server|mlflow-app)/.+$", var.mlflow_tracking_server_arn))
    error_message = "mlflow_tracking_server_arn must be null or a SageMaker MLflow tracking server or MLflow app ARN."
  }
}

variable "data_scientist_principals" {
  description = "IAM principal ARNs (users, roles, or an account root to delegate to its IAM) allowed to assume the data-scientist role; empty creates no role."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.data_scientist_principals : can(regex("^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:.+$", arn))])
    error_message = "data_scientist_principals must be IAM or STS principal ARNs."
  }
}

variable "data_scientist_require_mfa" {
  description = "Require MFA (aws:MultiFactorAuthPresent) to assume the data-scientist role. null: required when every principal is an IAM user or account root; not required when a principal is a role, because role chaining (an SSO or federated role assuming this one) carries no MFA context and would be locked out. Enforce MFA where those principals sign in."
  type        = bool
  default     = null

  validation {
    condition     = var.data_scientist_require_mfa != true || alltrue([for arn in var.data_scientist_principals : !can(regex(":(role|assumed-role)/", arn))])
    error_message = "data_scientist_require_mfa = true locks out role principals: a chained role session carries no MFA context. Require MFA where the role is assumed first (the identity provider), or list IAM users."
  }
}

variable "data_scientist_max_session_hours" {
  description = "Maximum session length of the data-scientist role, in hours (1-12). null: 4 for IAM users, 1 when a principal is a role (AWS caps chained role sessions at one hour)."
  type        = number
  default     = null

  validation {
    condition     = var.data_scientist_max_session_hours == null || try(var.data_scientist_max_session_hours >= 1 && var.data_scientist_max_session_hours <= 12 && floor(var.data_scientist_max_session_hours) == var.data_scientist_max_session_hours, false)
    error_message = "data_scientist_max_session_hours must be null or a whole number between 1 and 12."
  }
}

variable "training_jobs" {
  description = <<-EOT
    What a training job the data-scientist role creates must look like (CreateTrainingJob conditions): in
    these subnets and security groups, volumes and output encrypted with kms_key_arn, on these instance
    types. job_defaults_parameter_name is the SSM parameter `mlgen train submit` reads (gpu_compute output).
    null: the role may not create training jobs.
  EOT
  type = object({
    subnet_ids                  = list(string)
    security_group_ids          = list(string)
    instance_types              = list(string)
    job_defaults_parameter_name = string
  })
  default = null

  validation {
    condition     = var.training_jobs == null || try(length(var.training_jobs.subnet_ids) > 0 && length(var.training_jobs.security_group_ids) > 0 && length(var.training_jobs.instance_types) > 0, false)
    error_message = "training_jobs needs at least one subnet, one security group and one instance type."
  }

  validation {
    condition     = var.training_jobs == null || try(alltrue([for t in var.training_jobs.instance_types : can(regex("^ml\\.[a-z0-9]+\\.[a-z0-9]+$", t))]) && startswith(var.training_jobs.job_defaults_parameter_name, "/"), false)
    error_message = "training_jobs.instance_types must be SageMaker types such as ml.g5.xlarge and job_defaults_parameter_name an SSM path starting with '/'."
  }
}

variable "ci" {
  description = <<-EOT
    GitHub Actions federation; null creates no CI roles. repository is "org/repo". The plan role (read-only,
    state read, lock-file write) trusts pushes to `branches` (repo:<org/repo>:ref:refs/heads/<branch>) and,
    with pull_requests, pull requests (repo:<org/repo>:pull_request). The apply role trusts only jobs that
    name one of `environments` (repo:<org/repo>:environment:<name>; give the GitHub environment required
    reviewers and restrict it to protected branches) and the protected `apply_branches`; no apply role
    without either. oidc_provider_arn reuses the account's token.actions.githubusercontent.com provider
    (one per account); null creates it.
  EOT
  type = object({
    repository        = string
    branches          = optional(list(string), ["main"])
    pull_requests     = optional(bool, true)
    environments      = optional(list(string), [])
    apply_branches    = optional(list(string), [])
    oidc_provider_arn = optional(string)
  })
  default = null

  validation {
    condition     = var.ci == null || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.ci.repository))
    error_message = "ci.repository must be \"<org>/<repo>\"."
  }

  validation {
    condition     = var.ci == null || try(length(var.ci.branches) > 0 || var.ci.pull_requests, false)
    error_message = "ci must let the plan role run somewhere: a branch or pull_requests."
  }

  validation {
    condition     = var.ci == null || try(alltrue([for b in var.ci.apply_branches : !strcontains(b, "*")]), false)
    error_message = "ci.apply_branches must name protected branches exactly (no globs): every match may write state."
  }

  validation {
    condition     = var.ci == null || try(var.ci.oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.ci.oidc_provider_arn)), false)
    error_message = "ci.oidc_provider_arn must be null or the ARN of the token.actions.githubusercontent.com OIDC provider."
  }
}

variable "ci_managed_policy_arns" {
  description = "Managed policies attached to the CI apply role in addition to its read, image-push and state permissions (what `terraform apply` of this environment needs, e.g. AdministratorAccess or a scoped policy), keyed by a stable name so adding one never re-attaches the others. The plan role never gets them."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.ci_managed_policy_arns) : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", arn))])
    error_message = "ci_managed_policy_arns values must be IAM policy ARNs."
  }
}

variable "state_bucket_arn" {
  description = "ARN of the Terraform state bucket (state_bootstrap output bucket_arn); with state_kms_key_arn it lets the CI roles use state (plan: read + lock file; apply: read and write). null: no state access."
  type        = string
  default     = null

  validation {
    condition     = var.state_bucket_arn == null || can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]+$", var.state_bucket_arn))
    error_message = "state_bucket_arn must be null or an S3 bucket ARN."
  }
}

variable "state_kms_key_arn" {
  description = "ARN of the state bucket's KMS key (state_bootstrap output kms_key_arn); required when state_bucket_arn is set."
  type        = string
  default     = null

  validation {
    condition     = (var.state_kms_key_arn == null) == (var.state_bucket_arn == null)
    error_message = "state_kms_key_arn and state_bucket_arn must be set together."
  }
}

variable "state_key_prefix" {
  description = "Key prefix of this project's state objects in the state bucket; the CI roles may touch only these."
  type        = string
  default     = "mlgen/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/$", var.state_key_prefix))
    error_message = "state_key_prefix must be a relative S3 key prefix ending with '/', e.g. mlgen/."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary applied to every role this module creates; null for none."
  type        = string
  default     = null
}
