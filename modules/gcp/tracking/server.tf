# Cloud Run pulls only from Artifact Registry (or gcr.io / Docker Hub), so the MLflow image comes from
# ghcr.io through a remote repository, encrypted with the registry key.
resource "google_artifact_registry_repository" "ghcr" {
  project       = var.project_id
  location      = var.region
  repository_id = var.remote_repository_id
  description   = "Proxy of ghcr.io for the MLflow server image (mlgen)."
  format        = "DOCKER"
  mode          = "REMOTE_REPOSITORY"
  kms_key_name  = var.registry_kms_key_id
  labels        = var.labels

  remote_repository_config {
    description = "ghcr.io"
    docker_repository {
      custom_repository {
        uri = "https://ghcr.io"
      }
    }
  }
}

# Ingress ALL by default, because two of the three callers are not "internal" to Cloud Run: Vertex AI custom
# jobs run in Google's tenant project (peering does not make them internal) and data scientists' laptops are
# outside. IAM is the gate instead: no allUsers, roles/run.invoker only for var.invokers, and Cloud Run
# rejects a request without a Google-signed ID token for the service before it reaches MLflow. The GPU VMs
# reach it privately through the network module's run.app zone (Private Google Access).
resource "google_cloud_run_v2_service" "mlflow" {
  project             = var.project_id
  name                = var.name
  location            = var.region
  description         = "MLflow tracking server (mlgen)."
  ingress             = var.ingress
  deletion_protection = var.deletion_protection
  labels              = var.labels

  template {
    service_account = var.service_account_email
    labels          = var.labels

    scaling {
      min_instance_count = 0
      max_instance_count = 2
    }

    # Direct VPC egress: private ranges (the Cloud SQL private IP) go through the VPC, the rest direct.
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = var.network_id
        subnetwork = var.subnet_id
      }
    }

    containers {
      name    = "mlflow"
      image   = "${var.region}-docker.pkg.dev/${var.project_id}/${var.remote_repository_id}/${var.image}"
      command = ["mlflow"]
      args = [
        "server", "--host", "0.0.0.0", "--port", "8080",
        "--backend-store-uri", "postgresql://${urlencode(local.db_user)}@127.0.0.1:5432/mlflow",
        "--artifacts-destination", "gs://${var.artifacts_bucket_name}/mlflow",
        "--serve-artifacts",
      ]
      depends_on = ["cloud-sql-proxy"]

      ports {
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
      }
    }

    containers {
      name  = "cloud-sql-proxy"
      image = var.proxy_image
      args = [
        "--auto-iam-authn", "--private-ip", "--port=5432",
        "--health-check", "--http-address=0.0.0.0", "--http-port=9090",
        local.instance.connection_name,
      ]

      startup_probe {
        http_get {
          path = "/startup"
          port = 9090
        }
      }
    }
  }

  depends_on = [google_sql_user.server, google_sql_database.mlflow]
}

# Only the training jobs and the data scientists may call the server (no allUsers): with ingress ALL this
# grant is the whole access control, so the members are service accounts, never a public principal.
resource "google_cloud_run_v2_service_iam_member" "invoker" {
  for_each = var.invokers

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.mlflow.name
  role     = "roles/run.invoker"
  member   = each.value
}
