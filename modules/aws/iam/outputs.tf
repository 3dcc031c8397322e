output "training_role_arn" {
  description = "ARN of the SageMaker training execution role (RoleArn of training jobs)."
  value       = aws_iam_role.training.arn
}

output "training_role_name" {
  description = "Name of the SageMaker training execution role."
  value       = aws_iam_role.training.name
}

output "serving_role_arn" {
  description = "ARN of the SageMaker serving execution role (ExecutionRoleArn of models)."
  value       = aws_iam_role.serving.arn
}

output "serving_role_name" {
  description = "Name of the SageMaker serving execution role."
  value       = aws_iam_role.serving.name
}

output "data_scientist_role_arn" {
  description = "ARN of the data-scientist role; null when no data_scientist_principals are given."
  value       = one(aws_iam_role.data_scientist[*].arn)
}

output "data_scientist_role_name" {
  description = "Name of the data-scientist role; null when no data_scientist_principals are given."
  value       = one(aws_iam_role.data_scientist[*].name)
}

output "ci_plan_role_arn" {
  description = "ARN of the GitHub Actions plan role (read-only; pull requests and branches); null when ci is null."
  value       = try(aws_iam_role.ci["plan"].arn, null)
}

output "ci_apply_role_arn" {
  description = "ARN of the GitHub Actions apply role (GitHub environments and protected branches only); null without ci.environments or ci.apply_branches."
  value       = try(aws_iam_role.ci["apply"].arn, null)
}

output "github_oidc_provider_arn" {
  description = "ARN of the token.actions.githubusercontent.com OIDC provider used by the CI role (created or given); null when ci is null."
  value       = local.oidc_provider_arn
}

output "key_user_role_arns" {
  description = "Role ARNs that use the environment key (feed to the kms module's key_user_arns)."
  value       = concat([aws_iam_role.training.arn, aws_iam_role.serving.arn], aws_iam_role.data_scientist[*].arn)
}
