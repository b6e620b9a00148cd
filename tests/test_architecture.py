"""Imports point one way: rules imports nothing of ours; ingest and knowledge know no Slack or FastAPI."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"bot", "ingest", "knowledge", "rules"}
ALLOWED = {"rules": set(), "ingest": set(), "knowledge": {"ingest"}, "bot": {"rules", "ingest", "knowledge"}}
WEB = {"slack_bolt", "slack_sdk", "fastapi", "starlette", "uvicorn"}


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(str(path), alias.name.split(".")[0]) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path), node.module.split(".")[0]))
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_it_may(package: str) -> None:
    wrong = {(p, m) for p, m in _imports(package) if m in OURS and m != package and m not in ALLOWED[package]}
    assert not wrong, f"{package} may not import: {sorted(wrong)}"


@pytest.mark.parametrize("package", ["rules", "ingest", "knowledge"])
def test_no_slack_or_web_framework_below_bot(package: str) -> None:
    wrong = {(p, m) for p, m in _imports(package) if m in WEB}
    assert not wrong, f"{package} may not import Slack or web frameworks: {sorted(wrong)}"
