"""Weekly accountability check-ins (issue 11): prompts, streaks, nudges, digest, report."""
