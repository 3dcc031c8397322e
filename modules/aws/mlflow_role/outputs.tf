output "arn" {
  description = "ARN of the role."
  value       = aws_iam_role.this.arn
}

output "name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "policy_id" {
  description = "Id of the role's inline policy (depend on it before using the role: the policy must exist first)."
  value       = aws_iam_role_policy.this.id
}
