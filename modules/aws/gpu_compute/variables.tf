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
  description = "ARN of the environment's customer-managed KMS key; encrypts logs, the job-defaults parameter, training volumes and outputs, and fleet EBS volumes. Its key policy must allow CloudWatch Logs and SageMaker to use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "vpc_id" {
  description = "VPC that training jobs and the optional GPU fleet run in; used only when this module creates the security group."
  type        = string
  default     = null

  validation {
    condition     = !var.create_security_group || var.vpc_id != null
    error_message = "create_security_group = true needs vpc_id (the VPC the security group is created in)."
  }
}

variable "subnet_ids" {
  description = "Private subnet ids (at least two AZs) for training jobs and the optional GPU fleet."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must contain at least one subnet id (subnet-...)."
  }
}

variable "create_security_group" {
  description = "Create the security group of training jobs and fleet instances in vpc_id. Set false and pass security_group_id to use an existing one. A plain boolean (known at plan time), so the count it drives never waits for an id that exists only after apply."
  type        = bool
  default     = true
}

variable "security_group_id" {
  description = "Existing security group for training jobs and fleet instances. Used when create_security_group = false; otherwise the module creates one that allows HTTPS egress and traffic between members (needed for multi-node NCCL)."
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

variable "training_role_arn" {
  description = "ARN of the SageMaker training execution role (from the iam module)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.training_role_arn))
    error_message = "training_role_arn must be an IAM role ARN."
  }
}

variable "training_image_uri" {
  description = "Training image URI including an immutable tag or digest (for example <ecr-url>:bootstrap). `mlgen train submit` may override it per job."
  type        = string

  validation {
    condition     = !endswith(var.training_image_uri, ":latest") && length(var.training_image_uri) > 0
    error_message = "training_image_uri must name an immutable tag or digest, never :latest."
  }
}

variable "artifacts_bucket_name" {
  description = "Name of the artifacts bucket (from the storage module); job outputs and checkpoints go under it."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "artifacts_bucket_name must be a valid S3 bucket name."
  }
}

variable "training" {
  description = "Defaults for SageMaker training jobs that `mlgen train submit` reads from the job-defaults parameter."
  type = object({
    instance_type     = optional(string, "ml.g4dn.xlarge")
    instance_count    = optional(number, 1)
    volume_size_gb    = optional(number, 100)
    spot              = optional(bool, true)
    max_runtime_hours = optional(number, 24)
    # Managed spot waits for capacity within this window; must exceed max_runtime_hours.
    max_wait_hours      = optional(number, 48)
    mlflow_tracking_arn = optional(string)
  })
  default = {}

  validation {
    condition     = can(regex("^ml\\.[a-z0-9]+\\.[a-z0-9]+$", var.training.instance_type))
    error_message = "training.instance_type must be a SageMaker instance type such as ml.g5.xlarge."
  }

  validation {
    condition     = var.training.instance_count >= 1 && var.training.instance_count <= 64 && floor(var.training.instance_count) == var.training.instance_count
    error_message = "training.instance_count must be a whole number between 1 and 64."
  }

  validation {
    condition     = var.training.volume_size_gb >= 1 && var.training.volume_size_gb <= 16384
    error_message = "training.volume_size_gb must be between 1 and 16384."
  }

  validation {
    # SageMaker caps MaxRuntimeInSeconds at 28 days.
    condition     = var.training.max_runtime_hours > 0 && var.training.max_runtime_hours <= 672
    error_message = "training.max_runtime_hours must be between 1 and 672 (28 days)."
  }

  validation {
    condition     = !var.training.spot || (var.training.max_wait_hours > var.training.max_runtime_hours && var.training.max_wait_hours <= 672)
    error_message = "With spot, training.max_wait_hours must be greater than max_runtime_hours and at most 672."
  }
}

variable "manage_training_log_group" {
  description = "Create /aws/sagemaker/TrainingJobs with KMS and retention. The name is fixed by SageMaker and account-wide, and the group exists in every account that ever ran a training job (SageMaker creates it), so the default reuses it; set true only where it does not exist yet."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the training log group in days (365 by default: checkov CKV_AWS_338 asks for at least a year)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "vm_fleet_enabled" {
  description = "Create the optional spot GPU autoscaling group (scales from zero) for training outside SageMaker."
  type        = bool
  default     = false
}

variable "vm_instance_types" {
  description = "EC2 instance types the spot fleet may use, in order of preference (more types = better spot availability)."
  type        = list(string)
  default     = ["g4dn.xlarge", "g4dn.2xlarge"]

  validation {
    condition     = length(var.vm_instance_types) >= 1 && alltrue([for t in var.vm_instance_types : can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", t))])
    error_message = "vm_instance_types must list at least one EC2 instance type such as g5.xlarge."
  }
}

variable "vm_max_instances" {
  description = "Upper bound of the spot fleet; the group rests at zero instances."
  type        = number
  default     = 2

  validation {
    condition     = var.vm_max_instances >= 1 && var.vm_max_instances <= 100 && floor(var.vm_max_instances) == var.vm_max_instances
    error_message = "vm_max_instances must be a whole number between 1 and 100."
  }
}

variable "vm_root_volume_size_gb" {
  description = "Size of the encrypted gp3 root volume of fleet instances."
  type        = number
  default     = 200

  validation {
    condition     = var.vm_root_volume_size_gb >= 75 && var.vm_root_volume_size_gb <= 16384
    error_message = "vm_root_volume_size_gb must be between 75 (the Deep Learning AMI's minimum) and 16384."
  }
}

variable "vm_ami_ssm_parameter" {
  description = "Public SSM parameter that resolves to the GPU AMI (AWS Deep Learning Base OSS Nvidia Driver GPU AMI by default)."
  type        = string
  default     = "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id"

  validation {
    condition     = startswith(var.vm_ami_ssm_parameter, "/aws/service/")
    error_message = "vm_ami_ssm_parameter must be an AWS public parameter under /aws/service/."
  }
}

variable "vm_user_data" {
  description = "Optional cloud-init user data (plain text; the module base64-encodes it) for fleet instances."
  type        = string
  default     = null
}

variable "vm_instance_profile_name" {
  description = "Existing instance profile for fleet instances. When null the module creates a least-privilege role and profile."
  type        = string
  default     = null
}

variable "vm_ecr_repository_arns" {
  description = "ECR repositories fleet instances may pull from (the training repository)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.vm_ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", a))])
    error_message = "vm_ecr_repository_arns must contain ECR repository ARNs."
  }
}
