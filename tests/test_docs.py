"""The docs stay honest: every setting is in the README, every Body and RoleSplit name is in the glossary."""

from pathlib import Path
from typing import get_args

from bot.settings import ENVIRONMENT
from rules.models import Body, RoleSplit

ROOT = Path(__file__).resolve().parents[1]


def test_readme_lists_every_environment_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ENVIRONMENT:
        assert f"`{name}`" in readme, name


def test_readme_has_exactly_one_run_and_one_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for heading in ("## Run", "## Test"):
        section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
        commands = [line for line in section.splitlines() if line.startswith("    ")]
        assert len(commands) == 1, (heading, commands)


def test_glossary_names_every_body_and_role_side() -> None:
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    for body in get_args(Body):
        assert f"`{body}`" in glossary, body
    for side in RoleSplit:
        assert f"RoleSplit.{side.name}" in glossary and f"`{side.value}`" in glossary
