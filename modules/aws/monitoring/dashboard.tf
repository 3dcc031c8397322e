resource "aws_cloudwatch_dashboard" "endpoints" {
  count = length(var.endpoints) > 0 ? 1 : 0

  dashboard_name = "${local.prefix}-endpoints"
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
