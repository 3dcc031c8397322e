output "endpoint_ids" {
  description = "Online endpoint resource ids by key."
  value       = local.endpoint_ids
}

output "endpoint_names" {
  description = "Online endpoint names by key."
  value       = { for key, endpoint in var.endpoints : key => endpoint.name }
}
