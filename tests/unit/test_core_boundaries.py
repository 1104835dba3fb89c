"""`bot/` is the platform-neutral core: it never imports a platform SDK or an adapter.

Neither by an import statement nor by name (`importlib.import_module("adapters.launch")`, a
`"module:function"` reference): the composition root that knows both lives in `adapters/cli.py`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

FORBIDDEN = ("discord", "slack_bolt", "slack_sdk", "adapters")
CORE = Path(__file__).parents[2] / "bot"
BY_NAME = re.compile(rf"^({'|'.join(FORBIDDEN)})[.:]\w")  # "adapters.cli:main", not "discord"
LOADERS = {"import_module", "__import__", "find_spec", "run_module"}


def imported_modules(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_named(tree: ast.AST) -> set[str]:
    """Module names a loader is called with, and `pkg.mod` / `pkg.mod:func` text references."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in LOADERS:
                names.update(
                    arg.value
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                    else "<computed name>"
                    for arg in node.args[:1]
                )
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and BY_NAME.match(node.value)
            and " " not in node.value
        ):
            names.add(node.value)
    return names


def offenders(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = {name for name in imported_modules(tree) if name.split(".")[0] in FORBIDDEN}
    found |= {
        name
        for name in modules_named(tree)
        if name == "<computed name>" or name.split(".")[0].split(":")[0] in FORBIDDEN
    }
    return {f"{path.relative_to(CORE.parent)}: {name}" for name in found}


def test_core_imports_no_platform_code() -> None:
    assert len(list(CORE.rglob("*.py"))) > 10
    assert set().union(*(offenders(path) for path in CORE.rglob("*.py"))) == set()


def test_the_check_catches_loading_an_adapter_by_name(tmp_path: Path) -> None:
    sneaky = tmp_path / "bot" / "cli.py"
    sneaky.parent.mkdir()
    sneaky.write_text(
        "import importlib\n"
        "launch = importlib.import_module('adapters.launch')\n"
        "entry = 'adapters.cli:main'\n"
        "other = __import__(name)\n"
        "fine = ('adapters are translators', 'discord')\n"
    )
    tree = ast.parse(sneaky.read_text())
    assert modules_named(tree) == {"adapters.launch", "adapters.cli:main", "<computed name>"}
