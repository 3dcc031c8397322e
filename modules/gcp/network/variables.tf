variable "project_id" {
  description = "The GCP project id of the environment (the spec's account id)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the resources (the environment's region)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a GCP region such as us-central1."
  }
}

variable "network_name" {
  description = "Name of the VPC (mlgen.clouds.gcp.naming.network_name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.network_name))
    error_message = "network_name must be a 1-63 character lowercase name."
  }
}

variable "subnet_name" {
  description = "Name of the private workload subnet."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.subnet_name))
    error_message = "subnet_name must be a 1-63 character lowercase name."
  }
}

variable "subnet_cidr" {
  description = "Range of the workload subnet (half of the spec's network.cidr)."
  type        = string

  validation {
    condition     = can(cidrhost(var.subnet_cidr, 0))
    error_message = "subnet_cidr must be an IPv4 CIDR range such as 10.10.0.0/17."
  }
}

variable "private_services_cidr" {
  description = "Range peered to Google's services (Cloud SQL, Vertex AI): the other half of the spec's network.cidr."
  type        = string

  validation {
    condition     = can(cidrhost(var.private_services_cidr, 0))
    error_message = "private_services_cidr must be an IPv4 CIDR range such as 10.10.0.0/17."
  }
}

variable "nat_mode" {
  description = "Outbound internet: none (Google APIs only, through Private Google Access), single or per_az (one regional Cloud NAT; per_az reserves more ports per VM)."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "single", "per_az"], var.nat_mode)
    error_message = "nat_mode must be none, single or per_az."
  }
}

variable "flow_log_sampling" {
  description = "Share of flows the subnet's flow logs sample (0-1]."
  type        = number
  default     = 0.5

  validation {
    condition     = var.flow_log_sampling > 0 && var.flow_log_sampling <= 1
    error_message = "flow_log_sampling must be greater than 0 and at most 1."
  }
}

variable "labels" {
  description = "Labels merged into every resource that takes them (the root also sets provider default_labels)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.labels : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))])
    error_message = "labels must be GCP labels: lowercase keys starting with a letter, values of lowercase letters, digits, _ and -, at most 63 characters."
  }
}

variable "flow_log_retention_days" {
  description = "Days the flow-log bucket keeps VPC flow logs (the spec's network.flow_log_retention_days)."
  type        = number
  default     = 30

  validation {
    condition     = var.flow_log_retention_days >= 1 && var.flow_log_retention_days <= 3650
    error_message = "flow_log_retention_days must be 1-3650 (Cloud Logging's limits)."
  }
}

variable "logging_kms_key_id" {
  description = "Cloud KMS key that encrypts the flow-log bucket (output key_ids[\"logging\"] of the kms module; same region)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.logging_kms_key_id))
    error_message = "logging_kms_key_id must be a Cloud KMS key id (projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>)."
  }
}
