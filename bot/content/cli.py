"""`mentorbot content ...`: commands for the people who maintain the content files."""

from __future__ import annotations

import typer

app = typer.Typer(help="Curated content (resources, topics, roles).", no_args_is_help=True)


@app.callback()
def content() -> None:
    """Curated content (resources, topics, roles)."""


@app.command("check")
def check(
    folder: str = typer.Option(
        None, "--dir", help="Content folder (default: MENTORBOT_CONTENT_DIR, else the shipped one)."
    ),
) -> None:
    """Validate every content file; list each problem with its file and entry; exit 1 if any."""
    from bot.content.loader import check_content, content_dir  # not paid by `mentorbot run`
    from bot.rolefit.checks import check_folder as rolefit_problems

    where = content_dir(folder)
    problems = check_content(where) + rolefit_problems(where)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {where}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Content in {where} is valid.")
