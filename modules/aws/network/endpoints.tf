# S3 is reached through a free gateway endpoint on every private route table, so training data never
# crosses a NAT gateway.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for az in local.azs : aws_route_table.private[az].id]
  tags              = merge(local.tags, { Name = "${local.prefix}-s3" })
}

locals {
  # Keyed by what the caller wrote (a suffix or a full name), so outputs stay readable and stable.
  interface_endpoint_services = var.private_endpoints ? merge(
    { for suffix in var.interface_endpoints : suffix => "com.amazonaws.${local.region}.${suffix}" },
    { for name in var.extra_interface_endpoint_service_names : name => name },
  ) : {}
  # The first zones (in the order the subnets were made) carry the endpoints; see interface_endpoint_az_count.
  endpoint_azs = slice(local.azs, 0, coalesce(var.interface_endpoint_az_count, length(local.azs)))
}

resource "aws_vpc_endpoint" "interface" {
  for_each = local.interface_endpoint_services

  vpc_id              = aws_vpc.this.id
  service_name        = each.value
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [for az in local.endpoint_azs : aws_subnet.private[az].id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
  tags                = merge(local.tags, { Name = "${local.prefix}-${each.key}" })
}
