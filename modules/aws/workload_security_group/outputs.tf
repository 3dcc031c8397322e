output "id" {
  description = "Id of the security group (sg-...)."
  value       = aws_security_group.this.id
}

output "arn" {
  description = "ARN of the security group."
  value       = aws_security_group.this.arn
}
