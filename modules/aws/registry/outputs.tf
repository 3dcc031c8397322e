output "repository_urls" {
  description = "Repository key => repository URL (<account>.dkr.ecr.<region>.amazonaws.com/<project>-<environment>/<name>)."
  value       = { for key, repo in local.repositories : key => repo.repository_url }
}

output "repository_arns" {
  description = "Repository key => repository ARN (feed to the iam module's ecr_repository_arns)."
  value       = { for key, repo in local.repositories : key => repo.arn }
}

output "repository_names" {
  description = "Repository key => full repository name."
  value       = { for key, repo in local.repositories : key => repo.name }
}

output "registry_id" {
  description = "The registry (account) id that holds the repositories."
  value       = one(distinct([for repo in local.repositories : repo.registry_id]))
}
