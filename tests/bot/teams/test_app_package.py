"""The Teams app package in `deploy/teams/`: a manifest Microsoft's schema accepts, and the icons it names."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from PIL import Image

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "deploy" / "teams"
SCHEMA = Path(__file__).with_name("schema") / "MicrosoftTeams.v1.24.schema.json"


def test_the_manifest_validates_against_the_teams_schema() -> None:
    manifest = json.loads((PACKAGE / "manifest.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(manifest)
    assert manifest["manifestVersion"] == "1.24" and manifest["$schema"].endswith("/v1.24/MicrosoftTeams.schema.json")
    (bot,) = manifest["bots"]
    assert bot["botId"] == manifest["id"]  # the one Entra app id, replaced in both places (docs/teams.md)
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}


def test_the_icons_are_the_sizes_teams_asks_for() -> None:
    manifest = json.loads((PACKAGE / "manifest.json").read_text(encoding="utf-8"))
    with Image.open(PACKAGE / manifest["icons"]["color"]) as color:
        assert color.size == (192, 192)
    with Image.open(PACKAGE / manifest["icons"]["outline"]) as outline:
        assert outline.size == (32, 32) and outline.mode == "RGBA"
        # the outline icon is white on a transparent ground: every pixel white, transparent, or between
        data = outline.tobytes()
        pixels = [tuple(data[i : i + 4]) for i in range(0, len(data), 4)]
        assert all(pixel[:3] == (255, 255, 255) or pixel[3] == 0 for pixel in pixels)


def test_a_schema_violation_is_caught() -> None:
    manifest = json.loads((PACKAGE / "manifest.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    manifest["id"] = "not-a-guid"
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(manifest))
    assert errors  # the test above could fail: the validator reads the schema's rules
