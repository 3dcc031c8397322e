output "key_ids" {
  description = "Purpose => Cloud KMS key id. Known only once every agent's grant exists, so a resource encrypted with a key is created after its agent may use it."
  value       = { for purpose, key in local.keys : purpose => key.id }
  depends_on  = [google_kms_crypto_key_iam_member.agent]
}

output "key_ring_id" {
  description = "Id of the environment's key ring."
  value       = google_kms_key_ring.this.id
}

output "agent_members" {
  description = "Service agent => IAM member granted its purpose's key."
  value       = local.agent_members
}
