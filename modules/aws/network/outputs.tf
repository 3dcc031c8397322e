output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "availability_zones" {
  description = "Availability zones the subnets are spread over, in subnet order."
  value       = local.azs
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, in availability_zones order (SageMaker VpcConfig.Subnets)."
  value       = [for az in local.azs : aws_subnet.private[az].id]
}

output "private_subnet_ids_by_az" {
  description = "Availability zone => private subnet ID."
  value       = { for az, subnet in aws_subnet.private : az => subnet.id }
}

output "public_subnet_ids" {
  description = "IDs of the public (NAT) subnets; empty when nat_mode is none."
  value       = [for az in local.azs : aws_subnet.public[az].id if local.nat_enabled]
}

output "private_route_table_ids" {
  description = "Availability zone => private route table ID."
  value       = { for az, table in aws_route_table.private : az => table.id }
}

output "nat_gateway_ids" {
  description = "Availability zone => NAT gateway ID (empty when nat_mode is none)."
  value       = { for az, nat in aws_nat_gateway.this : az => nat.id }
}

output "workload_security_group_id" {
  description = "Security group for SageMaker training jobs, endpoints and GPU instances (SageMaker VpcConfig.SecurityGroupIds)."
  value       = aws_security_group.workloads.id
}

output "endpoint_security_group_id" {
  description = "Security group of the interface VPC endpoints (HTTPS from the VPC CIDR only)."
  value       = aws_security_group.endpoints.id
}

output "s3_gateway_endpoint_id" {
  description = "ID of the S3 gateway endpoint (usable in aws:sourceVpce bucket policy conditions)."
  value       = aws_vpc_endpoint.s3.id
}

output "interface_endpoint_ids" {
  description = "Service suffix (e.g. sagemaker.api) or extra full service name => interface endpoint ID; empty when private_endpoints is false."
  value       = { for service, endpoint in aws_vpc_endpoint.interface : service => endpoint.id }
}

output "flow_log_group_name" {
  description = "Name of the CloudWatch log group that receives VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}

output "flow_log_group_arn" {
  description = "ARN of the CloudWatch log group that receives VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.arn
}
