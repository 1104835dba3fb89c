"""Role fit: a questionnaire that ranks ML career roles, says why, and points to next steps."""
