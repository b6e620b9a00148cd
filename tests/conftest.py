"""Shared fixtures: the repository's paths and one rules engine for the whole run."""

from pathlib import Path

import pytest

from rules import RulesEngine

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def engine() -> RulesEngine:
    return RulesEngine()
