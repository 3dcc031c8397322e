# Self-hosted MLflow: a Cloud Run service (scales to zero) in front of Cloud SQL for PostgreSQL on a
# private IP, artifacts in the artifacts bucket. No password exists anywhere: the server's service account
# logs in to Postgres with IAM database authentication through the Cloud SQL Auth Proxy sidecar, so there
# is no secret to keep (in Secret Manager or elsewhere).

locals {
  instance = one(concat(google_sql_database_instance.protected, google_sql_database_instance.this))
  # Cloud SQL names an IAM service-account user by its e-mail without ".gserviceaccount.com".
  db_user = trimsuffix(var.service_account_email, ".gserviceaccount.com")
}

# prevent_destroy must be a literal, so the instance exists in one of two variants (see README).
resource "google_sql_database_instance" "protected" {
  count = var.deletion_protection ? 1 : 0

  project             = var.project_id
  name                = var.name
  region              = var.region
  database_version    = "POSTGRES_18"
  encryption_key_name = var.kms_key_id
  deletion_protection = true

  settings {
    tier                        = var.sql_tier
    edition                     = "ENTERPRISE"
    availability_type           = "ZONAL"
    disk_size                   = 10
    disk_type                   = "PD_SSD"
    disk_autoresize             = true
    deletion_protection_enabled = true
    user_labels                 = var.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network_id
      # The Auth Proxy always presents a client certificate, so requiring one costs nothing.
      ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "03:00"
    }

    # IAM database login, and the logging flags the CIS benchmark asks of Cloud SQL for PostgreSQL
    # (written out: checkov cannot read a dynamic block).
    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }

    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }

    database_flags {
      name  = "pgaudit.log"
      value = "ddl"
    }

    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }

    database_flags {
      name  = "log_connections"
      value = "on"
    }

    database_flags {
      name  = "log_disconnections"
      value = "on"
    }

    database_flags {
      name  = "log_duration"
      value = "on"
    }

    database_flags {
      name  = "log_hostname"
      value = "on"
    }

    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }

    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }

    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }

    database_flags {
      name  = "log_min_messages"
      value = "error"
    }

    database_flags {
      name  = "log_statement"
      value = "ddl"
    }

    database_flags {
      name  = "log_temp_files"
      value = "0"
    }
  }

  depends_on = [var.private_services_connection]

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_sql_database_instance" "this" {
  count = var.deletion_protection ? 0 : 1

  project             = var.project_id
  name                = var.name
  region              = var.region
  database_version    = "POSTGRES_18"
  encryption_key_name = var.kms_key_id
  # Deletion protection is off for this environment: destroy means destroy.
  deletion_protection = false

  settings {
    tier                        = var.sql_tier
    edition                     = "ENTERPRISE"
    availability_type           = "ZONAL"
    disk_size                   = 10
    disk_type                   = "PD_SSD"
    disk_autoresize             = true
    deletion_protection_enabled = false
    user_labels                 = var.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network_id
      # The Auth Proxy always presents a client certificate, so requiring one costs nothing.
      ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "03:00"
    }

    # IAM database login, and the logging flags the CIS benchmark asks of Cloud SQL for PostgreSQL
    # (written out: checkov cannot read a dynamic block).
    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }

    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }

    database_flags {
      name  = "pgaudit.log"
      value = "ddl"
    }

    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }

    database_flags {
      name  = "log_connections"
      value = "on"
    }

    database_flags {
      name  = "log_disconnections"
      value = "on"
    }

    database_flags {
      name  = "log_duration"
      value = "on"
    }

    database_flags {
      name  = "log_hostname"
      value = "on"
    }

    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }

    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }

    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }

    database_flags {
      name  = "log_min_messages"
      value = "error"
    }

    database_flags {
      name  = "log_statement"
      value = "ddl"
    }

    database_flags {
      name  = "log_temp_files"
      value = "0"
    }
  }

  depends_on = [var.private_services_connection]
}

resource "google_sql_database" "mlflow" {
  project  = var.project_id
  name     = "mlflow"
  instance = local.instance.name
}

resource "google_sql_user" "server" {
  project  = var.project_id
  name     = local.db_user
  instance = local.instance.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}
