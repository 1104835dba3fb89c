"""`/help`: the command list, generated from the catalogue so it is never out of date."""

from __future__ import annotations

from bot import markup
from bot.chat import Invocation, Response, reply
from bot.router import CommandSpec, Router

HELP = CommandSpec("help", "What mentorbot can do", usage="/help")


class HelpCommand:
    def __init__(self, router: Router) -> None:
        self.router = router

    def register(self) -> None:
        self.router.command(HELP, self.help)

    async def help(self, event: Invocation) -> Response:
        lines = ["**mentorbot** helps you move into ML engineering. Commands:"]
        for spec in self.router.catalogue:
            if spec.admin_only and not event.actor.is_admin:
                continue
            example = f" — e.g. {markup.code(spec.usage)}" if spec.usage else ""
            lines.append(
                f"• {markup.code('/' + spec.name)}: {markup.escape(spec.description)}{example}"
            )
        for action in self.router.message_catalogue:
            lines.append(f"• On any message: “{markup.escape(action.label)}”")
        lines.append(
            "Times: see `docs/time-phrases.md`; e.g. `in 5 days`, `tomorrow 9am`, "
            '`every monday 9am`, `RemindMe! 2 weeks "check the thread"`.'
        )
        return reply("\n".join(lines))
