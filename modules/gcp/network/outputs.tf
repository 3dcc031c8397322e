output "network_id" {
  description = "Id of the VPC (projects/<p>/global/networks/<name>)."
  value       = google_compute_network.this.id
}

output "network_name" {
  description = "Name of the VPC."
  value       = google_compute_network.this.name
}

output "network_self_link" {
  description = "Self link of the VPC."
  value       = google_compute_network.this.self_link
}

output "subnet_id" {
  description = "Id of the private workload subnet."
  value       = google_compute_subnetwork.workloads.id
}

output "subnet_self_link" {
  description = "Self link of the private workload subnet."
  value       = google_compute_subnetwork.workloads.self_link
}

output "private_services_connection" {
  description = "The private-services peering (Cloud SQL and Vertex AI need it before they use the network)."
  value       = google_service_networking_connection.private_services.id
}
