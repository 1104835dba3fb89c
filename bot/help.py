"""`/help`: the command list, generated from the catalogue so it is never out of date."""

from __future__ import annotations

from bot import markup
from bot.chat import Invocation, Response, reply
from bot.context import Context
from bot.features import FeatureBase
from bot.router import CommandSpec, Router

HELP = CommandSpec("help", "What mentorbot can do", usage="/help")


class HelpFeature(FeatureBase):
    """Lists what the member can use: every other feature's commands, as registered."""

    name = "help"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.router = Router()

    def register(self, router: Router) -> None:
        self.router = router
        router.command(HELP, self.help)

    async def help(self, event: Invocation) -> Response:
        lines = ["**mentorbot** helps you move into ML engineering. Commands:"]
        for spec in self.router.visible_to(event.actor):
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
