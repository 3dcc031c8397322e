"""Azure: capabilities only, until its adapter and modules/azure/ are written."""
