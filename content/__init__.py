"""The curated content mentorbot ships (YAML files, package data; see docs/content-authoring.md)."""
