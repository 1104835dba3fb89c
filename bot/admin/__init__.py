"""Per-workspace settings that a community's admins change themselves (`/admin settings`)."""
