# Private Google Access through private.googleapis.com: VMs without an external IP resolve Google's API,
# Artifact Registry, Container Registry and Cloud Run (run.app) names to the private.googleapis.com range
# (199.36.153.8/30), the only Google range the egress firewall allows, instead of public addresses the
# firewall would drop. run.app is here so the GPU VMs reach the MLflow server (Cloud Run) privately:
# Private Google Access carries run.app traffic, and a request that arrives that way from this VPC counts as
# internal for Cloud Run ingress.

locals {
  private_google_ips = ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"]
  google_api_zones = {
    googleapis = "googleapis.com."
    pkg-dev    = "pkg.dev."
    gcr-io     = "gcr.io."
    run-app    = "run.app."
  }
}

resource "google_dns_managed_zone" "google_apis" {
  for_each = local.google_api_zones

  project     = var.project_id
  name        = "${var.network_name}-${each.key}"
  dns_name    = each.value
  description = "Private Google Access: ${each.value} to private.googleapis.com inside ${var.network_name}."
  visibility  = "private"
  labels      = var.labels

  private_visibility_config {
    networks {
      network_url = google_compute_network.this.id
    }
  }
}

resource "google_dns_record_set" "google_apis_a" {
  for_each = local.google_api_zones

  project      = var.project_id
  managed_zone = google_dns_managed_zone.google_apis[each.key].name
  name         = each.key == "googleapis" ? "private.googleapis.com." : each.value
  type         = "A"
  ttl          = 300
  rrdatas      = local.private_google_ips
}

resource "google_dns_record_set" "google_apis_cname" {
  for_each = local.google_api_zones

  project      = var.project_id
  managed_zone = google_dns_managed_zone.google_apis[each.key].name
  name         = "*.${each.value}"
  type         = "CNAME"
  ttl          = 300
  rrdatas      = [google_dns_record_set.google_apis_a[each.key].name]
}
