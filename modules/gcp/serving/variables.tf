variable "project_id" {
  description = "The GCP project id of the environment (the spec's account id)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter."
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

variable "region" {
  description = "Region of the resources (the environment's region)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a GCP region such as us-central1."
  }
}

variable "kms_key_id" {
  description = "Cloud KMS key that encrypts the endpoints (output key_ids[\"vertex\"] of the kms module)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id must be a Cloud KMS key id (projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>)."
  }
}

variable "endpoints" {
  description = "Endpoint name => id (numeric, mlgen.clouds.gcp.naming.endpoint_id) and display name."
  type = map(object({
    id           = string
    display_name = string
  }))
  default = {}

  validation {
    condition     = alltrue([for e in values(var.endpoints) : can(regex("^[1-9][0-9]{0,9}$", e.id))])
    error_message = "each endpoint id must be a number of at most 10 digits without a leading zero."
  }
}

variable "private" {
  description = "Serve only over Private Service Connect from this project (the spec's network.private_endpoints)."
  type        = bool
  default     = true

  validation {
    condition     = var.private == true || var.private == false
    error_message = "private must be true or false."
  }
}
