output "arn" {
  description = "ARN of the topic."
  value       = aws_sns_topic.this.arn
}

output "name" {
  description = "Name of the topic."
  value       = aws_sns_topic.this.name
}

output "policy_id" {
  description = "ID of the topic policy; depend on it before a service first publishes."
  value       = aws_sns_topic_policy.this.id
}
