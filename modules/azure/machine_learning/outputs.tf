output "workspace_id" {
  description = "Resource id of the Azure ML workspace."
  value       = azurerm_machine_learning_workspace.this.id
}

output "workspace_name" {
  description = "Name of the Azure ML workspace."
  value       = azurerm_machine_learning_workspace.this.name
}

output "compute_name" {
  description = "Name of the GPU compute cluster."
  value       = azurerm_machine_learning_compute_cluster.gpu.name
}

output "job_defaults_blob" {
  description = "Blob with the training-job defaults `mlgen train submit` reads (in the artifacts container)."
  value       = azurerm_storage_blob.job_defaults.name
}

output "datastore_names" {
  description = "Registered datastores (identity-based, one per lake container)."
  value       = keys(azurerm_machine_learning_datastore_datalake_gen2.zone)
}
