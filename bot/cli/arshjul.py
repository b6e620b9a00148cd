"""`styrbot deadlines`: the årshjul of a period, as text or JSON."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import click

from bot import texts
from bot.calendar.deadlines import deadlines_json
from bot.cli.common import (
    UserError,
    current_rules,
    data_dir_option,
    load_settings,
    parse_day,
)
from bot.cli.text import deadlines_text
from rules import today_in_stockholm


@click.command()
@click.option(
    "--municipality",
    "-m",
    default=None,
    help="Kommunens id eller namn, t.ex. Strängnäs (standard: $STYRBOT_MUNICIPALITY).",
)
@click.option("--from", "start", default=None, help="Första dag (ÅÅÅÅ-MM-DD, standard: i dag).")
@click.option("--days", default=365, show_default=True, type=int, help="Antal dagar framåt.")
@click.option(
    "--all", "every_undated", is_flag=True, help="Visa också lagens regler utan fast datum, inte bara antalet."
)
@click.option("--json", "as_json", is_flag=True, help="Skriv listan som JSON.")
@data_dir_option
def deadlines(
    municipality: str | None, start: str | None, days: int, every_undated: bool, as_json: bool, data_dir: Path | None
) -> None:
    """Kommande händelser i årshjulet, med sina datum."""
    if not 1 <= days <= 3660:
        raise UserError(texts.BAD_DAYS)
    settings = load_settings(data_dir)
    engine = current_rules(settings)
    first = parse_day(start) or today_in_stockholm()
    last = first + timedelta(days=days - 1)
    rulebook = engine.rulebook(municipality or settings.municipality)
    if as_json:
        click.echo(json.dumps(deadlines_json(engine, rulebook, first, last), ensure_ascii=False, indent=2))
        return
    items = engine.upcoming(rulebook.municipality, first, last)
    click.echo(deadlines_text(items, rulebook, first, last, every_undated))
