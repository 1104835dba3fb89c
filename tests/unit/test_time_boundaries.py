"""`bot/time` is shared by every feature, so it must not depend on any of them."""

from __future__ import annotations

import ast
from pathlib import Path

TIME = Path(__file__).parents[2] / "bot" / "time"
ALLOWED_BOT_MODULES = ("bot.time", "bot.markup")  # markup: `timefmt.moment` builds a token


def bot_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            module = node.module or ""
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in names if name == "bot" or name.startswith("bot.")}


def test_time_imports_no_feature_code() -> None:
    modules = list(TIME.rglob("*.py"))
    offenders = {
        f"{path.relative_to(TIME.parent)}: {name}"
        for path in modules
        for name in bot_imports(path)
        if not name.startswith(ALLOWED_BOT_MODULES)
    }
    assert len(modules) >= 10
    assert offenders == set()


def test_no_time_module_is_over_500_lines() -> None:
    sizes = {path.name: len(path.read_text().splitlines()) for path in TIME.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 500} == {}
