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

variable "name" {
  description = "Name of the Cloud Run service and the Cloud SQL instance (mlgen.clouds.gcp.naming.tracking_service_name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,47}[a-z0-9]$", var.name))
    error_message = "name must be a 2-49 character lowercase name."
  }
}

variable "remote_repository_id" {
  description = "Name of the Artifact Registry remote repository that proxies ghcr.io."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.remote_repository_id))
    error_message = "remote_repository_id must be a 1-63 character lowercase name."
  }
}

variable "image" {
  description = "MLflow image under ghcr.io, pinned to a version (e.g. mlflow/mlflow:v3.17.2)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9./_-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$", var.image))
    error_message = "image must be an image with a tag or digest."
  }
}

variable "proxy_image" {
  description = "Cloud SQL Auth Proxy image, pinned."
  type        = string
  default     = "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1"

  validation {
    condition     = can(regex("^[a-z0-9./_-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$", var.proxy_image))
    error_message = "proxy_image must be an image with a tag or digest."
  }
}

variable "network_id" {
  description = "Id of the VPC (output network_id of the network module)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/global/networks/[^/]+$", var.network_id))
    error_message = "network_id must be a network id."
  }
}

variable "subnet_id" {
  description = "Id of the workload subnet (output subnet_id of the network module)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/regions/[^/]+/subnetworks/[^/]+$", var.subnet_id))
    error_message = "subnet_id must be a subnetwork id."
  }
}

variable "private_services_connection" {
  description = "The private-services peering (output private_services_connection of the network module): the instance is created after it."
  type        = string

  validation {
    condition     = length(var.private_services_connection) > 0
    error_message = "private_services_connection must be the network module's output."
  }
}

variable "sql_tier" {
  description = "Cloud SQL machine tier."
  type        = string

  validation {
    condition     = can(regex("^db-[a-z0-9-]+$", var.sql_tier))
    error_message = "sql_tier must be a Cloud SQL tier such as db-custom-1-3840."
  }
}

variable "cpu" {
  description = "CPUs of the Cloud Run container."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+$", var.cpu))
    error_message = "cpu must be a whole number of CPUs."
  }
}

variable "memory" {
  description = "Memory of the Cloud Run container."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "memory must be a size such as 2Gi."
  }
}

variable "kms_key_id" {
  description = "Cloud KMS key that encrypts the Cloud SQL instance (output key_ids[\"sql\"] of the kms module)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id must be a Cloud KMS key id (projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>)."
  }
}

variable "registry_kms_key_id" {
  description = "Cloud KMS key that encrypts the remote repository (output key_ids[\"registry\"] of the kms module)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.registry_kms_key_id))
    error_message = "registry_kms_key_id must be a Cloud KMS key id (projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>)."
  }
}

variable "artifacts_bucket_name" {
  description = "The artifacts zone bucket; MLflow artifacts go under mlflow/."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "artifacts_bucket_name must be a GCS bucket name: 3-63 lowercase letters, digits, _ and -."
  }
}

variable "service_account_email" {
  description = "Service account the server runs as and logs in to Postgres with."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]+@[a-z0-9-]+\\.iam\\.gserviceaccount\\.com$", var.service_account_email))
    error_message = "service_account_email must be a service account e-mail."
  }
}

variable "ingress" {
  description = "Cloud Run ingress of the server. INGRESS_TRAFFIC_ALL (default) lets Vertex AI jobs and laptops in, gated by IAM (invokers); INGRESS_TRAFFIC_INTERNAL_ONLY suits only a project whose callers are all in its VPC or its VPC Service Controls perimeter."
  type        = string
  default     = "INGRESS_TRAFFIC_ALL"

  validation {
    condition     = contains(["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"], var.ingress)
    error_message = "ingress must be INGRESS_TRAFFIC_ALL, INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER."
  }
}

variable "invokers" {
  description = "Name => IAM member allowed to call the server (roles/run.invoker); the names key the grants."
  type        = map(string)
  default     = {}

  validation {
    # No allUsers/allAuthenticatedUsers: with ingress ALL the invoker grant is the only gate.
    condition     = alltrue([for m in values(var.invokers) : can(regex("^(user|group|serviceAccount|domain):", m))])
    error_message = "invokers must map names to IAM members (user:, group:, serviceAccount:, domain:; never allUsers)."
  }
}

variable "deletion_protection" {
  description = "Protect the module's data and keys against `terraform destroy` (lifecycle.prevent_destroy); true for prod in the generated roots."
  type        = bool
  default     = false

  validation {
    condition     = var.deletion_protection == true || var.deletion_protection == false
    error_message = "deletion_protection must be true or false."
  }
}
