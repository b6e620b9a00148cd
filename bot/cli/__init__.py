"""The `styrbot` command line: thin commands over `bot.services`, one module per group of commands."""

from __future__ import annotations

from typing import Any

import click

from bot.cli import answers, arshjul, documents, records, reminders, server
from bot.cli.common import ConfigurationError, UserError
from bot.errors import BotError, swedish
from rules import ProfileError, RulesError


class _Commands(click.Group):
    """The command group that words every error of the bot and the rules in Swedish (`bot.errors`)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProfileError as exc:
            raise ConfigurationError(swedish(exc)) from None
        except (BotError, RulesError) as exc:
            raise UserError(swedish(exc)) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="styrbot")
def main() -> None:
    """Styrbot: svar om kommunens styrmodell, årshjul och roller – med källor."""


for command in (
    answers.ask,
    answers.eval_,
    documents.ingest,
    arshjul.deadlines,
    server.serve,
    server.slack,
    records.feedback,
    records.questions,
    reminders.reminders,
):
    main.add_command(command)
