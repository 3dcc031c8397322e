output "endpoint_ids" {
  description = "Endpoint name => Vertex AI endpoint id (mlgen.clouds.gcp.naming.endpoint_id)."
  value       = { for name, endpoint in google_vertex_ai_endpoint.this : name => endpoint.name }
}

output "endpoint_resource_names" {
  description = "Endpoint name => full resource name (projects/<p>/locations/<l>/endpoints/<id>)."
  value       = { for name, endpoint in google_vertex_ai_endpoint.this : name => endpoint.id }
}
