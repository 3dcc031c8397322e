locals {
  prefix     = "${var.project}-${var.environment}"
  tags       = merge(var.tags, { project = var.project, environment = var.environment })
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  # Zone names are pinned (the given ones, or <region>a..f) so the lookup is a closed set that cannot grow
  # when AWS opens a zone; the first az_count available ones are used.
  candidate_azs = length(var.availability_zones) > 0 ? var.availability_zones : [for letter in ["a", "b", "c", "d", "e", "f"] : "${local.region}${letter}"]
  azs           = length(var.availability_zones) > 0 ? var.availability_zones : slice(sort(data.aws_availability_zones.available.names), 0, var.az_count)

  # Keyed by zone name so adding a zone never renumbers the others.
  az_index = { for index, az in local.azs : az => index }

  # Private subnets take the lower half of the address range, public subnets the upper half.
  public_offset = pow(2, var.subnet_newbits - 1)

  nat_enabled = var.nat_mode != "none"
  nat_azs     = var.nat_mode == "per_az" ? local.az_index : (var.nat_mode == "single" ? { (local.azs[0]) = 0 } : {})
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "zone-name"
    values = local.candidate_azs
  }

  # Local and Wavelength zones lack most services; stay on the region's standard zones.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }

  lifecycle {
    postcondition {
      condition     = length(self.names) >= var.az_count && alltrue([for az in var.availability_zones : contains(self.names, az)])
      error_message = "Fewer than az_count standard availability zones are available among ${join(", ", local.candidate_azs)}; lower az_count or set availability_zones."
    }
  }
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  # Interface endpoints with private DNS need both.
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(local.tags, { Name = local.prefix })
}

resource "aws_subnet" "private" {
  for_each = local.az_index

  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr, var.subnet_newbits, each.value)
  tags              = merge(local.tags, { Name = "${local.prefix}-private-${each.key}", tier = "private" })
}

resource "aws_route_table" "private" {
  for_each = local.az_index

  vpc_id = aws_vpc.this.id
  tags   = merge(local.tags, { Name = "${local.prefix}-private-${each.key}" })
}

resource "aws_route_table_association" "private" {
  for_each = local.az_index

  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private[each.key].id
}

# Public subnets exist only to host NAT gateways.
resource "aws_subnet" "public" {
  for_each = local.nat_enabled ? local.az_index : {}

  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.key
  cidr_block              = cidrsubnet(var.cidr, var.subnet_newbits, local.public_offset + each.value)
  map_public_ip_on_launch = false
  tags                    = merge(local.tags, { Name = "${local.prefix}-public-${each.key}", tier = "public" })
}

resource "aws_internet_gateway" "this" {
  count = local.nat_enabled ? 1 : 0

  vpc_id = aws_vpc.this.id
  tags   = merge(local.tags, { Name = local.prefix })
}

resource "aws_route_table" "public" {
  count = local.nat_enabled ? 1 : 0

  vpc_id = aws_vpc.this.id
  tags   = merge(local.tags, { Name = "${local.prefix}-public" })
}

resource "aws_route" "public_internet" {
  count = local.nat_enabled ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  for_each = local.nat_azs

  domain = "vpc"
  tags   = merge(local.tags, { Name = "${local.prefix}-nat-${each.key}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  for_each = local.nat_azs

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id
  tags          = merge(local.tags, { Name = "${local.prefix}-${each.key}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route" "private_nat" {
  for_each = local.nat_enabled ? local.az_index : {}

  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  # single: every zone uses the one gateway; per_az: each zone its own, so a zone outage stays local.
  nat_gateway_id = var.nat_mode == "per_az" ? aws_nat_gateway.this[each.key].id : aws_nat_gateway.this[local.azs[0]].id
}
