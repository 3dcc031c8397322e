output "key_arn" {
  description = "ARN of the customer-managed key; pass it as kms_key_arn to the other modules."
  value       = local.key.arn
}

output "key_id" {
  description = "ID of the customer-managed key."
  value       = local.key.key_id
}

output "alias_name" {
  description = "Alias of the key (alias/<project>-<environment>)."
  value       = aws_kms_alias.this.name
}

output "alias_arn" {
  description = "ARN of the key alias."
  value       = aws_kms_alias.this.arn
}
