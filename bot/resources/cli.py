"""`mentorbot resources search`: the bot's ranking from the shell, for content maintainers."""

from __future__ import annotations

import json

import typer

app = typer.Typer(help="The resource library.", no_args_is_help=True)


@app.callback()
def resources() -> None:
    """The resource library."""


@app.command("search")
def search(
    query: list[str] = typer.Argument(None, help="What to look for (any words)."),  # noqa: B008
    role: str = typer.Option(None, "--role", help="A role id or name (mle, mlops, ...)."),
    topic: str = typer.Option(None, "--topic", help="A topic id or synonym."),
    level: str = typer.Option(None, "--level", help="beginner, intermediate or advanced."),
    kind: str = typer.Option(None, "--kind", help="book, course, paper, tool, ..."),
    free: bool = typer.Option(False, "--free", help="Only free resources."),
    limit: int = typer.Option(10, "--limit", min=1, max=1000, help="How many results."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list of objects."),
) -> None:
    """Rank the library for QUERY exactly as `/resources` does."""
    from bot.resources.library import library  # not paid by other commands

    lib = library()
    resolved = lib.index.resolve(role=role, topic=topic, level=level, kind=kind, free=free)
    hits = lib.index.search(" ".join(query or []), resolved.filters, limit)
    for note in resolved.notes:
        typer.echo(f"Ignored {note}: not a known value.", err=True)
    if as_json:
        rows = [
            {
                "id": h.resource.id,
                "title": h.resource.title,
                "authors": h.resource.authors,
                "kind": h.resource.kind,
                "level": h.resource.level,
                "roles": h.resource.roles,
                "topics": h.resource.topics,
                "cost": h.resource.cost,
                "time": h.resource.time,
                "url": h.resource.url,
                "score": h.score,
            }
            for h in hits
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("Nothing found.")
        return
    for rank, h in enumerate(hits, 1):
        r = h.resource
        typer.echo(f"{rank:>2}. {r.title} — {', '.join(r.authors)}  [{r.id}, score {h.score}]")
        typer.echo(f"    {r.kind}, {r.level}, {r.cost}, {r.time}: {r.url}")
