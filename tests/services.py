"""`bot.services.Services` as a test assembles it: given rules (fixed, or a watched folder), and
optionally a document library, a database and settings."""

from __future__ import annotations

from bot.answering import Answerer
from bot.db import Database
from bot.library import DocumentLibrary
from bot.services import Services
from bot.settings import Settings
from rules import RulesEngine
from rules.source import RulesSource


def services(
    rules: RulesEngine | RulesSource,
    *,
    library: DocumentLibrary | None = None,
    database: Database | None = None,
    settings: Settings | None = None,
    municipality: str = "exempelkommun",
    check_rules: bool = False,
) -> Services:
    answerer = Answerer(rules, municipality, library, check_rules=check_rules)
    return Services(answerer, library=library, database=database, settings=settings)
