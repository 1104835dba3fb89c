"""Curated content: the schema of the YAML files (`schema`), loading and checking them (`loader`).

The shipped files live in the top-level `content` package (so `pip install` carries them);
`MENTORBOT_CONTENT_DIR` points at a community's own copy instead.
"""
