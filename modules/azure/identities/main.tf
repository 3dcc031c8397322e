# One user-assigned managed identity per duty (naming.DUTIES) plus the encryption identity services use for
# the CMK. Their roles are the access module's: it runs after the resources they are scoped to exist.
resource "azurerm_user_assigned_identity" "duty" {
  for_each = var.identity_names

  name                = each.value
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}
