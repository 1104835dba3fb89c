"""Curated content: the schema of the YAML files, loading them, and checking them.

The shipped files live in the top-level `content` package (so `pip install` carries them);
`MENTORBOT_CONTENT_DIR` points at a community's own copy instead.
"""

from bot.content.loader import Content, ContentError, content_dir, load_content
from bot.content.schema import COSTS, KINDS, LEVELS, Resource, Role, Topic

__all__ = [
    "COSTS",
    "KINDS",
    "LEVELS",
    "Content",
    "ContentError",
    "Resource",
    "Role",
    "Topic",
    "content_dir",
    "load_content",
]
