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
  description = "ARN of the customer-managed KMS key that encrypts the flow-log group (its policy must allow CloudWatch Logs, as the kms module's does)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC, /16 to /24, e.g. 10.0.0.0/16."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition = (
      can(cidrhost(var.cidr, 0)) &&
      can(regex("^[0-9.]+/[0-9]+$", var.cidr)) &&
      try(cidrsubnet(var.cidr, 0, 0) == var.cidr, false) &&
      try(tonumber(split("/", var.cidr)[1]) >= 16 && tonumber(split("/", var.cidr)[1]) <= 24, false)
    )
    error_message = "cidr must be an IPv4 network address in CIDR notation with a prefix between /16 and /24, e.g. 10.0.0.0/16."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread subnets over (2-6)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number between 2 and 6."
  }
}

variable "availability_zones" {
  description = "Explicit availability zone names; empty picks the first az_count available zones of the region. When set, its length must equal az_count."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) == var.az_count
    error_message = "availability_zones must be empty or list exactly az_count zones."
  }
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for each subnet (4 turns a /16 into /20 subnets). Private subnets take the lower half of the range, public subnets the upper half."
  type        = number
  default     = 4

  validation {
    condition     = var.subnet_newbits >= 4 && var.subnet_newbits <= 8 && try(tonumber(split("/", var.cidr)[1]) + var.subnet_newbits <= 28, false)
    error_message = "subnet_newbits must be between 4 and 8, and the resulting subnets no smaller than /28."
  }
}

variable "nat_mode" {
  description = "Outbound internet for private subnets: none (endpoints only, no public subnets), single (one NAT gateway) or per_az (one NAT gateway per zone)."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "single", "per_az"], var.nat_mode)
    error_message = "nat_mode must be one of: none, single, per_az."
  }
}

variable "private_endpoints" {
  description = "Create interface VPC endpoints (interface_endpoints) so workloads reach AWS APIs without the internet. The S3 gateway endpoint is always created (it is free)."
  type        = bool
  default     = true
}

variable "interface_endpoints" {
  description = "AWS services reached through interface endpoints when private_endpoints is true (service suffixes of com.amazonaws.<region>.<suffix>)."
  type        = set(string)
  default     = ["sagemaker.api", "sagemaker.runtime", "ecr.api", "ecr.dkr", "sts", "logs", "kms"]

  validation {
    condition     = alltrue([for s in var.interface_endpoints : can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", s))])
    error_message = "interface_endpoints must be service suffixes such as sagemaker.api or ecr.dkr."
  }
}

variable "interface_endpoint_az_count" {
  description = "Zones that carry an ENI of every interface endpoint (each endpoint bills per zone and hour); null puts them in every zone. Workloads in other zones reach them across zones, and lose AWS APIs while those zones are down."
  type        = number
  default     = null

  validation {
    condition     = var.interface_endpoint_az_count == null || try(var.interface_endpoint_az_count >= 1 && var.interface_endpoint_az_count <= var.az_count && floor(var.interface_endpoint_az_count) == var.interface_endpoint_az_count, false)
    error_message = "interface_endpoint_az_count must be null or a whole number from 1 to az_count."
  }
}

variable "extra_interface_endpoint_service_names" {
  description = "Full service names of further interface endpoints created when private_endpoints is true, for services outside com.amazonaws.<region>.* (e.g. SageMaker managed MLflow's aws.sagemaker.<region>.experiments when there is no NAT)."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.extra_interface_endpoint_service_names : can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", s))])
    error_message = "extra_interface_endpoint_service_names must be full VPC endpoint service names such as aws.sagemaker.eu-west-1.experiments."
  }
}

variable "flow_log_retention_days" {
  description = "Days that VPC flow logs are kept in CloudWatch Logs (a value CloudWatch accepts)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be one of CloudWatch's values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "flow_log_traffic_type" {
  description = "Traffic captured by the VPC flow log: ALL, ACCEPT or REJECT."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ALL", "ACCEPT", "REJECT"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be one of: ALL, ACCEPT, REJECT."
  }
}

variable "s3_endpoint_aws_owned_bucket_arns" {
  description = "Further AWS-owned buckets (ARNs) workloads may read through the S3 gateway endpoint, e.g. the Amazon Linux package repositories of the region for a GPU fleet without NAT. ECR's layer bucket is always allowed; every bucket of this account is."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.s3_endpoint_aws_owned_bucket_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]+$", arn))])
    error_message = "s3_endpoint_aws_owned_bucket_arns must be S3 bucket ARNs (arn:aws:s3:::<bucket>)."
  }
}
