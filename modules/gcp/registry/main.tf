# One Docker repository per environment for the training and serving images (<repository>/training,
# <repository>/serving), encrypted with the registry key and scanned for vulnerabilities.

locals {
  repository = one(concat(google_artifact_registry_repository.protected, google_artifact_registry_repository.this))
}

# prevent_destroy must be a literal, so the repository exists in one of two variants (see README).
resource "google_artifact_registry_repository" "protected" {
  count = var.deletion_protection ? 1 : 0

  project       = var.project_id
  location      = var.location
  repository_id = var.repository_id
  description   = "Training and serving images (mlgen)."
  format        = "DOCKER"
  kms_key_name  = var.kms_key_id
  labels        = var.labels

  docker_config {
    # A tag names one image for ever: a release can be audited and rolled back by tag.
    immutable_tags = true
  }

  vulnerability_scanning_config {
    # INHERITED: scanned whenever the Container Scanning API is on (the project_services module enables it).
    enablement_config = "INHERITED"
  }

  # Tagged images (releases v*, CI pushes git-*) are kept by the KEEP policy, which wins over DELETE;
  # only untagged layers older than untagged_retention_days go.
  cleanup_policies {
    id     = "keep-tagged-releases"
    action = "KEEP"
    condition {
      tag_state    = "TAGGED"
      tag_prefixes = var.keep_tag_prefixes
    }
  }

  cleanup_policies {
    id     = "delete-old-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = "${var.untagged_retention_days * 86400}s"
    }
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_artifact_registry_repository" "this" {
  count = var.deletion_protection ? 0 : 1

  project       = var.project_id
  location      = var.location
  repository_id = var.repository_id
  description   = "Training and serving images (mlgen)."
  format        = "DOCKER"
  kms_key_name  = var.kms_key_id
  labels        = var.labels

  docker_config {
    immutable_tags = true
  }

  vulnerability_scanning_config {
    enablement_config = "INHERITED"
  }

  cleanup_policies {
    id     = "keep-tagged-releases"
    action = "KEEP"
    condition {
      tag_state    = "TAGGED"
      tag_prefixes = var.keep_tag_prefixes
    }
  }

  cleanup_policies {
    id     = "delete-old-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = "${var.untagged_retention_days * 86400}s"
    }
  }
}
