"""Imports point one way: rules imports nothing of ours; ingest and knowledge know no Slack, Teams or FastAPI."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"bot", "ingest", "knowledge", "rules"}
ALLOWED = {"rules": set(), "ingest": set(), "knowledge": {"ingest"}, "bot": {"rules", "ingest", "knowledge"}}
WEB = {"slack_bolt", "slack_sdk", "microsoft_agents", "fastapi", "starlette", "uvicorn"}


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


# Inside bot/: the core (answering, the library, the database, reminders, the calendar, the services that
# assemble them) knows no channel; each channel adapter imports the core, never another channel, and
# only the command line (which starts the web server and Socket Mode) may import them all.
ADAPTERS = {"slack", "teams", "web", "cli"}
MAY_IMPORT = {"core": set(), "slack": set(), "teams": set(), "web": set(), "cli": {"slack", "teams", "web"}}
CHANNEL_LIBRARIES = WEB | {"click"}


def _layer(module: str) -> str:
    """The layer of a module of bot/ ("bot.slack.app" → "slack", "bot.answering" → "core")."""
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else ""
    return "cli" if name == "__main__" else name if name in ADAPTERS else "core"


def _bot_imports() -> set[tuple[str, str]]:
    """(importing module, imported module) for every import of bot/ by bot/, and of outside libraries."""
    found = set()
    for path in (ROOT / "bot").rglob("*.py"):
        relative = path.relative_to(ROOT).with_suffix("")
        module = ".".join(relative.parts[:-1] if relative.name == "__init__" else relative.parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(module, alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names] if node.module == "bot" else [node.module]
                found |= {(module, target) for target in targets}
    return found


def test_inside_bot_the_core_knows_no_channel_and_no_channel_knows_another() -> None:
    wrong = sorted(
        (importer, imported)
        for importer, imported in _bot_imports()
        if imported.startswith("bot.")
        and _layer(imported) != "core"
        and _layer(imported) != _layer(importer)
        and _layer(imported) not in MAY_IMPORT[_layer(importer)]
    )
    assert not wrong, f"imports against the layers of bot/: {wrong}"


def test_slack_fastapi_and_click_appear_only_in_their_adapters() -> None:
    wrong = sorted(
        (importer, imported)
        for importer, imported in _bot_imports()
        if imported.split(".")[0] in CHANNEL_LIBRARIES and _layer(importer) == "core"
    )
    assert not wrong, f"the core of bot/ imports a channel's library: {wrong}"


def test_the_layer_map_sees_the_adapters_it_names() -> None:
    """The map above is about real packages: each adapter exists and imports the core."""
    imports = _bot_imports()
    for adapter in ADAPTERS:
        assert (ROOT / "bot" / adapter / "__init__.py").is_file()
        assert any(_layer(a) == adapter and _layer(b) == "core" and b.startswith("bot.") for a, b in imports)
