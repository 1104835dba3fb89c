"""Members the operator names as admins (`MENTORBOT_ADMINS`), beside each platform's own admins.

Discord's Manage Server and Slack's workspace admins are read by the adapters; this list is for
the people an operator trusts who hold neither (a mentor, a moderator), and for the console.
An entry is `platform:user` (that user in every workspace of the platform) or
`platform:workspace:user` (one workspace only), separated by commas or spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.chat import Actor

_SPLIT = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class OperatorAdmins:
    anywhere: frozenset[tuple[str, str]] = frozenset()  # (platform, user)
    scoped: frozenset[tuple[str, str, str]] = frozenset()  # (platform, workspace, user)

    @classmethod
    def parse(cls, text: str | None) -> OperatorAdmins:
        """Read the setting; a malformed entry raises ValueError naming it (refused at start)."""
        anywhere: set[tuple[str, str]] = set()
        scoped: set[tuple[str, str, str]] = set()
        for entry in _SPLIT.split(text or ""):
            if not entry:
                continue
            parts = entry.split(":")
            if len(parts) == 2 and all(parts):
                anywhere.add((parts[0].lower(), parts[1]))
            elif len(parts) == 3 and all(parts):
                scoped.add((parts[0].lower(), parts[1], parts[2]))
            else:
                raise ValueError(
                    f"MENTORBOT_ADMINS entry {entry!r} is not platform:user or"
                    " platform:workspace:user"
                )
        return cls(frozenset(anywhere), frozenset(scoped))

    def lists(self, actor: Actor) -> bool:
        return (actor.platform, actor.user_id) in self.anywhere or (
            actor.platform,
            actor.workspace_id,
            actor.user_id,
        ) in self.scoped

    def elevate(self, actor: Actor) -> Actor:
        """`actor`, marked admin if the operator lists them (unchanged otherwise)."""
        if actor.is_admin or not self.lists(actor):
            return actor
        return replace(actor, is_admin=True)
