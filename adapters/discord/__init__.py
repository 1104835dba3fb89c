"""The Discord adapter (discord.py): translate interactions for the core, render its replies.

Install with the `discord` extra; `mentorbot run` starts it when `MENTORBOT_DISCORD_TOKEN` is set
(see `adapters.discord.setup.run_discord`). Nothing here imports discord.py until it is used.
"""
