"""What `/mydata` says: pure functions from what happened to replies."""

from __future__ import annotations

from bot.chat import Attachment, Button, ButtonStyle, Reply

ERASED = (
    "your reminders (one you shared in a channel stays with the people who joined it, as their"
    " own, without your name), the reminders you joined, your check-in and every answer, your"
    " role-fit results, saved and suggested resources, your time zone, anything half-done and"
    " every message still queued for you"
)


def menu() -> Reply:
    """`/mydata` alone: what it can do, as two buttons."""
    return Reply(
        "🔐 **Your data.** mentorbot keeps only what you gave it. **Export** sends you all of it"
        " by DM as a JSON file; **Delete** erases it everywhere (after you confirm).",
        buttons=(
            (
                Button("Export my data", "mydata.export", "export"),
                Button("Delete my data…", "mydata.ask", "delete", ButtonStyle.DANGER),
            ),
        ),
    )


def export_file(data: bytes, filename: str) -> Reply:
    """The DM that carries the export."""
    return Reply(
        "📦 Here is everything mentorbot holds about you, as JSON. Keep it somewhere safe: it"
        " includes your check-in answers.",
        attachments=(Attachment(filename, data, "application/json"),),
    )


def export_sent(size: int, in_dm: bool) -> Reply:
    where = "here" if in_dm else "in your DMs"
    return Reply(f"📦 Sent {where}: your data as JSON ({_size(size)}).")


def export_not_sent(reason: str) -> Reply:
    return Reply(
        "⚠️ I couldn't DM you your data"
        f" ({reason[:120]}). Allow direct messages from mentorbot, then try `/mydata export` again."
    )


def export_too_large(size: int, limit: int) -> Reply:
    return Reply(
        f"⚠️ Your data is {_size(size)}, more than a chat file may be ({_size(limit)}). Ask the"
        " people who run mentorbot: `mentorbot export` writes it without that limit."
    )


def confirm(token: str) -> Reply:
    """The question before erasing: only the member who asked can answer it."""
    return Reply(
        f"🗑 **Delete everything mentorbot holds about you?** That is {ERASED}. It cannot be"
        " undone; only a note that an erasure happened (when, in which community; no text) is"
        " kept. Export it first with `/mydata export` if you want a copy.",
        buttons=(
            (
                Button("Delete everything", "mydata.delete", token, ButtonStyle.DANGER),
                Button("Keep my data", "mydata.keep", token),
            ),
        ),
    )


def erased(rows: int) -> Reply:
    return Reply(
        f"🗑 Done: everything mentorbot held about you is erased ({rows} records). If you use"
        " mentorbot again, it starts from nothing.",
        update=True,
    )


def kept() -> Reply:
    return Reply("👍 Nothing was deleted.", update=True)


def _size(size: int) -> str:
    return f"{size} bytes" if size < 1024 else f"{size / 1024:.1f} KiB"
