# Vertex AI endpoints, encrypted with the Vertex key. Models and the traffic split are deployed by
# `mlgen release` (the provider has no model deployment resource, and traffic_split cannot be set when an
# endpoint is created); an endpoint without a deployed model bills nothing.

resource "google_vertex_ai_endpoint" "this" {
  for_each = var.endpoints

  project      = var.project_id
  name         = each.value.id
  display_name = each.value.display_name
  description  = "mlgen serving endpoint ${each.key}."
  location     = var.region
  region       = var.region
  labels       = merge(var.labels, { endpoint = each.key })

  encryption_spec {
    kms_key_name = var.kms_key_id
  }

  # private: reachable only from the environment's VPC, over the private-services peering; never a public
  # address. Otherwise the endpoint is public (IAM still decides who may predict).
  network = var.private ? var.network : null

  lifecycle {
    # `mlgen release` owns the traffic split.
    ignore_changes = [traffic_split]
  }
}
