output "repository_id" {
  description = "Id of the Docker repository (projects/<p>/locations/<l>/repositories/<name>)."
  value       = local.repository.id
}

output "repository_name" {
  description = "Name of the Docker repository."
  value       = local.repository.name
}

output "repository_url" {
  description = "Registry path of the repository: <location>-docker.pkg.dev/<project>/<repository>."
  value       = "${var.location}-docker.pkg.dev/${var.project_id}/${var.repository_id}"
}
