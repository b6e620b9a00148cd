"""`styrbot feedback` and `styrbot questions`: what people thought of the answers, and what they asked."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import click

from bot.cli.common import (
    data_dir_option,
    load_settings,
)
from bot.cli.text import feedback_text, questions_text
from bot.services import open_database


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Skriv återkopplingen som JSON.")
@data_dir_option
def feedback(as_json: bool, data_dir: Path | None) -> None:
    """Visa återkopplingen (👍/👎) som användarna har gett på svaren."""
    rows = open_database(load_settings(data_dir)).feedback()
    if as_json:
        click.echo(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2))
        return
    click.echo(feedback_text(rows))


@click.command()
@click.option("--unanswered", is_flag=True, help="Bara frågorna som dokumenten inte besvarade.")
@click.option("--json", "as_json", is_flag=True, help="Skriv frågorna som JSON, en per rad.")
@data_dir_option
def questions(unanswered: bool, as_json: bool, data_dir: Path | None) -> None:
    """Visa frågeloggen (bara med STYRBOT_LOG_QUESTIONS=1; sparas STYRBOT_QUESTION_LOG_DAYS dagar)."""
    settings = load_settings(data_dir)
    database = open_database(settings)
    database.purge_questions(timedelta(days=settings.question_log_days))
    rows = database.questions(unanswered=unanswered)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.to_json(), ensure_ascii=False))
        return
    click.echo(questions_text(rows, settings.log_questions, settings.question_log_days))
