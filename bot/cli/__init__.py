"""The `styrbot` command line: thin commands over `bot.services`, one module per group of commands."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from bot.cli import answers, arshjul, documents, profiles, records, reminders, server
from bot.cli.common import ConfigurationError, UserError
from bot.cli.swedish import in_swedish
from bot.cli.swedish import show as swedish_error
from bot.errors import BotError, swedish
from rules import ProfileError, RulesError


class _Commands(click.Group):
    """The command group that words every error in Swedish: the bot's and the rules' (`bot.errors`), and
    click's own usage errors (`bot.cli.swedish`)."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        try:
            status = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.ClickException as exc:
            swedish_error(exc)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Avbrutet.", err=True)
            sys.exit(1)
        sys.exit(status if isinstance(status, int) else 0)

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
    profiles.profile,
    records.feedback,
    records.questions,
    reminders.reminders,
):
    main.add_command(command)
in_swedish(main)
