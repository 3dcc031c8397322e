output "services" {
  description = "The APIs enabled in the project (sorted)."
  value       = sort([for service in google_project_service.this : service.service])
}
