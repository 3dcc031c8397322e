# Vertex AI endpoints, encrypted with the Vertex key. Models and the traffic split are deployed by
# `mlgen release` (the provider has no model deployment resource, and traffic_split cannot be set when an
# endpoint is created); an endpoint without a deployed model bills nothing.

resource "google_vertex_ai_endpoint" "this" {
  #checkov:skip=CKV2_GCP_33:Private through Private Service Connect (private_service_connect_config below) wherever the spec sets network.private_endpoints; the rule knows only VPC peering (network), whose endpoints serve one model without the traffic split mlgen release needs.
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

  # private: a Private Service Connect endpoint, reachable only through a PSC forwarding rule in a project
  # of the allowlist (this one), never over a public address. Not the VPC-peering `network` endpoint: that
  # kind serves one deployed model and cannot split traffic, which `mlgen release` needs (deploy the new
  # model, move the traffic, undeploy the old; canaries). The service attachment the forwarding rule
  # targets exists only once a model is deployed, so `mlgen release` prints how to connect to it.
  # Otherwise the endpoint is public (IAM still decides who may predict).
  dynamic "private_service_connect_config" {
    for_each = var.private ? [var.project_id] : []
    content {
      enable_private_service_connect = true
      project_allowlist              = [private_service_connect_config.value]
    }
  }

  lifecycle {
    # `mlgen release` owns the traffic split.
    ignore_changes = [traffic_split]
  }
}
