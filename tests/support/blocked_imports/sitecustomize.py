"""Put this folder on a child's PYTHONPATH to make packages look uninstalled.

`MENTORBOT_TEST_BLOCKED_IMPORTS=discord,asyncpg` makes `import discord` (and its submodules)
raise ModuleNotFoundError exactly as it does when the package is missing, so the operator
errors for a missing extra are tested on the real `mentorbot` command.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

BLOCKED = {name for name in os.environ.get("MENTORBOT_TEST_BLOCKED_IMPORTS", "").split(",") if name}


class Uninstalled:
    """A meta path finder that finds the blocked packages nowhere."""

    @staticmethod
    def find_spec(
        name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Uninstalled())
