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

variable "artifacts_bucket_name" {
  description = "The artifacts zone bucket (output bucket_names[\"artifacts\"] of the storage module)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "artifacts_bucket_name must be a GCS bucket name: 3-63 lowercase letters, digits, _ and -."
  }
}

variable "job_defaults_object" {
  description = "Object name of the job-defaults document (mlgen.clouds.gcp.naming.JOB_DEFAULTS_OBJECT)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_./-]+\\.json$", var.job_defaults_object))
    error_message = "job_defaults_object must be an object path ending in .json."
  }
}

variable "job_defaults" {
  description = "The job-defaults document (mlgen.clouds.gcp.ops.job_defaults.JobDefaults): everything a Vertex AI custom job needs that the spec cannot name."
  type = object({
    schema_version                = number
    project_id                    = string
    project_number                = string
    region                        = string
    network                       = string
    image_uri                     = string
    machine_type                  = string
    accelerator_type              = string
    accelerator_count             = number
    replica_count                 = number
    boot_disk_type                = string
    boot_disk_size_gb             = number
    spot                          = bool
    restart_job_on_worker_restart = bool
    max_runtime_seconds           = number
    service_account               = string
    kms_key_name                  = string
    base_output_uri               = string
    staging_bucket                = string
    mlflow_tracking_uri           = string
  })

  validation {
    condition     = var.job_defaults.schema_version == 1 && var.job_defaults.accelerator_count >= 1 && var.job_defaults.replica_count >= 1 && var.job_defaults.max_runtime_seconds > 0
    error_message = "job_defaults must be schema version 1 with at least one GPU, one replica and a positive run time."
  }
}

variable "vm_enabled" {
  description = "Create the spot GPU instance template and the managed instance group (training.platform: vm)."
  type        = bool
  default     = false

  validation {
    condition     = var.vm_enabled == true || var.vm_enabled == false
    error_message = "vm_enabled must be true or false."
  }
}

variable "vm" {
  description = "The GPU group (vm_enabled only): machine type and attached accelerators (count 0 for A2/A3/G2), size limit, subnet, service account, disk key."
  type = object({
    region               = string
    template_name_prefix = string
    group_name           = string
    machine_type         = string
    accelerator_type     = string
    accelerator_count    = number
    max_instances        = number
    subnetwork           = string
    service_account      = string
    kms_key_id           = string
    boot_disk_size_gb    = number
  })
  default = null

  validation {
    condition     = var.vm == null || try(var.vm.max_instances >= 1 && var.vm.accelerator_count >= 0 && var.vm.boot_disk_size_gb >= 10, false)
    error_message = "vm needs max_instances of at least 1, a non-negative accelerator count and a boot disk of at least 10 GB."
  }
}
