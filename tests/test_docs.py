"""The docs stay honest: every setting is in the README, every Body and RoleSplit name is in the glossary."""

import re
from pathlib import Path
from typing import get_args

import yaml

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


def test_the_compose_file_uses_only_settings_styrbot_knows_and_the_example_fills_them() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    replicas = [
        name
        for name, service in services.items()
        if service.get("image") == "styrbot:latest" and "entrypoint" not in service
    ]
    assert len(replicas) >= 2
    for name in replicas:
        environment = services[name]["environment"]
        assert environment["STYRBOT_CHROMA_URL"] == "http://chroma:8000"
        assert environment["STYRBOT_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert {"chroma", "postgres"} <= set(services[name]["depends_on"]) and "ports" not in services[name]
        unknown = {v for v in environment if v.startswith(("STYRBOT_", "SLACK_"))} - set(ENVIRONMENT)
        assert not unknown, unknown
    # the Chroma server is the image's own `chroma run`, on the port the replicas are given
    chroma = services["chroma"]
    assert chroma["entrypoint"] == ["chroma"] and chroma["command"][:1] == ["run"]
    assert chroma["command"][chroma["command"].index("--port") + 1] == "8000"
    # every ${VARIABLE} the compose file reads is in the example .env, and nginx balances every replica
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    example = (ROOT / "deploy" / "styrbot.env.example").read_text(encoding="utf-8")
    read = set(re.findall(r"\$\{(\w+)", text))
    assert read and all(re.search(rf"^{name}=", example, re.MULTILINE) for name in read), read
    upstreams = set(re.findall(r"server (\S+):8000", (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")))
    assert upstreams == set(replicas)
    # the image makes the volumes the compose file mounts, owned by its non-root user
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for service in services.values():
        for volume in service.get("volumes", []):
            mount = volume.split(":")[1]
            if service.get("image") == "styrbot:latest":
                assert mount in dockerfile and "chown styrbot:styrbot /data /chroma" in dockerfile, mount
    assert "USER styrbot" in dockerfile and '"torch==2.13.0"' in dockerfile


# `GET /api/v1/wheel/{municipality}.png[?year=YYYY]`, `POST /api/v1/ask`, `GET /healthz` …
_ROUTE = re.compile(r"`(GET|POST|DELETE) (/[^`\s\[?]*)")
_EXAMPLES = {"{municipality}": "strangnas", "{id}": "no-such-document"}


def test_every_route_the_readme_names_is_served(tmp_path: Path) -> None:
    """Each method and path the README names reaches a route of the real app (Slack's and Teams' too): never
    the 404 or 405 of a path or method that does not exist."""
    from fastapi.testclient import TestClient

    from bot import texts
    from bot.db import Database
    from bot.slack import build_app
    from bot.teams import build_teams
    from bot.web import create_app
    from rules import RulesEngine
    from tests.services import services
    from tests.slack_requests import SECRET, authorize

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(_ROUTE.findall(readme))
    assert {("GET", "/healthz"), ("POST", "/api/v1/ask"), ("POST", "/slack/events"), ("POST", "/api/messages")} <= named
    assert "`/openapi.json`" in readme and "`/docs`" not in readme  # there is no Swagger UI to point at
    database = Database.open(tmp_path)
    running = services(RulesEngine(), database=database)
    bolt = build_app(running, signing_secret=SECRET, authorize=authorize)
    teams = build_teams(running, app_id="app", secret="secret", tenant="tenant")
    with TestClient(create_app(running, bolt, teams=teams)) as client:
        for method, path in sorted(named | {("GET", "/openapi.json"), ("GET", "/")}):
            url = path
            for placeholder, example in _EXAMPLES.items():
                url = url.replace(placeholder, example)
            response = client.request(method, url, json={} if method == "POST" else None)
            assert response.status_code != 405, (method, path)
            if response.status_code == 404:
                assert response.json()["detail"] != texts.HTTP_NOT_FOUND, (method, path)
    database.close()
