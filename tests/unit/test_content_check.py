"""`mentorbot content check`: the shipped content is valid, and each kind of mistake is named
with its file and entry."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.content.cli import app
from bot.content.loader import ContentError, check_content, content_dir, load_content

SHIPPED = content_dir()
SEED_NAMED = {
    "designing-ml-systems",
    "chip-huyen-blog",
    "ml-engineering-with-python",
    "islp",
    "attention-is-all-you-need",
    "bag-of-tricks-fasttext",
    "practical-deep-learning-for-coders",
    "databricks-ml-professional",
    "aws-devops-professional",
    "khan-academy-math",
    "hugging-face-hub",
    "replicate-cog",
    "runpod",
    "pytorch-tutorials",
    "polars",
    "dbt",
    "pyspark",
    "aws-lambda",
    "wellfound",
}


def test_the_shipped_content_is_valid_and_complete() -> None:
    assert check_content() == []
    content = load_content()
    assert len(content.resources) >= 80
    assert {r.id for r in content.resources} >= SEED_NAMED
    assert {r.id for r in content.roles} == {
        "data-scientist",
        "ml-engineer",
        "mlops-engineer",
        "ai-engineer",
        "data-engineer",
        "research-scientist",
        "ml-software-engineer",
        "decision-scientist",
    }
    assert all(r.synonyms for r in content.roles)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in ("resources", "topics", "roles"):
        shutil.copy(SHIPPED / f"{name}.yaml", tmp_path / f"{name}.yaml")
    return tmp_path


def _edit(folder: Path, name: str, change: object) -> None:
    path = folder / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data[name])  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _messages(folder: Path) -> list[str]:
    return [str(p) for p in check_content(folder)]


def test_a_bad_url_names_the_file_entry_and_field(copy: Path) -> None:
    def change(items: list[dict[str, object]]) -> None:
        items[0]["url"] = "http://example.org/x"
        items[1]["url"] = "https://not a url"

    _edit(copy, "resources", change)
    found = _messages(copy)
    assert any(
        m.startswith("resources.yaml: entry 1 (designing-ml-systems): url:") and "https" in m
        for m in found
    )
    assert any("entry 2 (chip-huyen-blog): url:" in m for m in found)


def test_unknown_role_and_topic_references(copy: Path) -> None:
    def change(items: list[dict[str, object]]) -> None:
        items[0]["roles"] = ["astronaut"]
        items[0]["topics"] = ["cooking"]

    _edit(copy, "resources", change)
    found = _messages(copy)
    assert "resources.yaml: designing-ml-systems: role 'astronaut' is not in roles.yaml" in found
    assert "resources.yaml: designing-ml-systems: topic 'cooking' is not in topics.yaml" in found


def test_duplicate_ids_and_titles(copy: Path) -> None:
    def change(items: list[dict[str, object]]) -> None:
        twin = dict(items[0])
        items.append(twin)
        other = dict(items[1], id="another-id", url="https://example.org/other")
        other["title"] = "  designing MACHINE learning systems "
        items.append(other)

    _edit(copy, "resources", change)
    found = _messages(copy)
    assert any("id 'designing-ml-systems' is used twice" in m for m in found)
    assert any(
        m.startswith("resources.yaml: another-id: same title as designing-ml-systems")
        for m in found
    )


def test_a_role_without_resources_at_a_level(copy: Path) -> None:
    def change(items: list[dict[str, object]]) -> None:
        items.append({"id": "prompt-whisperer", "label": "Prompt whisperer", "synonyms": ["pw"]})

    _edit(copy, "roles", change)
    found = _messages(copy)
    for level in ("beginner", "intermediate", "advanced"):
        assert f"roles.yaml: prompt-whisperer: has no {level} resource" in found


def test_schema_errors_and_broken_yaml(copy: Path) -> None:
    def change(items: list[dict[str, object]]) -> None:
        items[0]["kind"] = "podcast"
        items[0]["level"] = "expert"
        del items[0]["why"]
        items[0]["surprise"] = 1

    _edit(copy, "resources", change)
    (copy / "topics.yaml").write_text("topics:\n  - id: [unclosed\n", encoding="utf-8")
    found = _messages(copy)
    joined = "\n".join(found)
    for field in ("kind:", "level:", "why:", "surprise:"):
        assert f"entry 1 (designing-ml-systems): {field}" in joined
    assert any(m.startswith("topics.yaml: line ") and "not valid YAML" in m for m in found)
    with pytest.raises(ContentError) as raised:
        load_content(copy)
    assert len(raised.value.problems) == len(check_content(copy))


def test_the_cli_exits_non_zero_and_lists_problems(copy: Path) -> None:
    runner = CliRunner()
    good = runner.invoke(app, ["check", "--dir", str(SHIPPED)])
    assert good.exit_code == 0, good.output
    assert "is valid" in good.output
    (copy / "roles.yaml").unlink()
    bad = runner.invoke(app, ["check", "--dir", str(copy)])
    assert bad.exit_code == 1
    assert "roles.yaml: -: missing" in bad.output


def test_the_content_dir_setting_points_at_a_community_copy(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORBOT_CONTENT_DIR", str(copy))
    assert content_dir() == copy
    assert load_content().source == str(copy)


@pytest.mark.slow
def test_a_built_wheel_ships_the_content_and_loads_it_outside_the_checkout(
    tmp_path: Path,
) -> None:
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path / "dist"),
            str(root),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("mentorbot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"content/resources.yaml", "content/topics.yaml", "content/roles.yaml"} <= set(names)
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bot.content.loader import load_content as f;"
            " x = f(); print(len(x.resources), x.source)",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    )
    count, source = done.stdout.split(maxsplit=1)
    assert int(count) >= 80
    assert source.strip().startswith(str(target))
