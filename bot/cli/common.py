"""What every command shares: the Swedish user errors, the --data-dir option, the settings and services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from bot import texts
from bot.services import Services
from bot.settings import Settings
from rules import RulesEngine

F = TypeVar("F", bound=Callable[..., Any])


class UserError(click.ClickException):
    """A mistake in what the user asked for: printed in Swedish, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        """Print the message on standard error without click's English prefix."""
        click.echo(f"styrbot: {self.message}", err=True)


class ConfigurationError(UserError):
    """Styrbot's own data is broken (a profile that does not validate): exit code 1."""

    exit_code = 1


def data_dir_option(func: F) -> F:
    return click.option(
        "--data-dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Datamappen (standard: $STYRBOT_DATA_DIR eller ./data).",
    )(func)


def load_settings(data_dir: Path | None) -> Settings:
    try:
        return Settings.from_env().with_data_dir(data_dir)
    except ValueError as exc:
        raise ConfigurationError(texts.SETTINGS_ERROR.format(error=exc)) from None


def open_services(data_dir: Path | None, serving: bool = False) -> Services:
    """Styrbot as configured, announcing on standard error when the demo documents are read in."""
    return Services.open(load_settings(data_dir), serving=serving, announce=announce_demo)


def current_rules(settings: Settings) -> RulesEngine:
    """The rules alone, for the commands that need nothing else (a broken profile: ProfileError)."""
    return RulesEngine(data_dir=settings.profiles_dir, drafts=settings.drafts_dir)


def announce_demo(files: int) -> Callable[[int, int, Path], None]:
    """Say on standard error that the demo documents are being read in (once), and show how far it is."""
    click.echo(texts.DEMO_INGEST.format(files=files), err=True)

    def report(done: int, total: int, path: Path) -> None:
        click.echo(texts.DEMO_INGEST_FILE.format(done=done, total=total, name=path.name), err=True)

    return report


def parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(texts.BAD_DATE.format(value=value)) from None
