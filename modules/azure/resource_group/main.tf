resource "azurerm_resource_group" "this" {
  name     = var.name
  location = var.location
  tags     = var.tags
}

# Deletion protection on Azure is a management lock: while it exists nothing in the group can be deleted,
# `terraform destroy` included (the lock must be removed first, which the unprotected variant of the root does).
resource "azurerm_management_lock" "protect" {
  count = var.deletion_protection ? 1 : 0

  name       = "${var.name}-do-not-delete"
  scope      = azurerm_resource_group.this.id
  lock_level = "CanNotDelete"
  notes      = "mlgen deletion_protection: turn it off in mlgen.yaml and apply before tearing down."
}
