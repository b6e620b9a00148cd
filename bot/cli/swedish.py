"""click in Swedish: the help's headings, usage line and option words, and the usage errors.

click words these in English through gettext, which would need a compiled catalogue and a Swedish locale on
every machine. Instead the command line uses `SwedishContext` (its help formatter translates click's few
fixed words) and `show` (a usage error in Swedish, click's own messages translated by pattern). Our own
help texts and errors are Swedish from the start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import click

HEADINGS = {"Options": "Flaggor", "Commands": "Kommandon", "Positional arguments": "Argument"}
USAGE_WORDS = (
    ("[OPTIONS]", "[FLAGGOR]"),
    ("COMMAND [ARGS]...", "KOMMANDO [ARGUMENT]..."),
    ("[ARGS]...", "[ARGUMENT]..."),
)
HELP_WORDS = {
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
}
METAVARS = {"INTEGER": "HELTAL", "FLOAT": "TAL", "DIRECTORY": "MAPP", "FILE": "FIL", "PATH": "SÖKVÄG"}
# click's usage errors, as click words them (8.x), and in Swedish
MESSAGES = (
    (r"No such option: (\S+)", r"Flaggan \1 finns inte."),
    (r"No such option '(.+)'\.", r"Flaggan \1 finns inte."),
    (r"No such command '(.+)'\.", r"Kommandot \1 finns inte."),
    (r"Missing argument '(.+)'\.", r"Argumentet \1 saknas."),
    (r"Missing option '(.+)'\.", r"Flaggan \1 saknas."),
    (r"Missing command\.", "Ange ett kommando."),
    (r"Option '(.+)' requires an argument\.", r"Flaggan \1 behöver ett värde."),
    (r"Invalid value for '(.+)': '(.*)' is not a valid integer\.", r"Ogiltigt värde för \1: \2 är inte ett heltal."),
    (r"Invalid value for '(.+)': '(.*)' is not a valid float\.", r"Ogiltigt värde för \1: \2 är inte ett tal."),
    (
        r"Invalid value for '(.+)': (?:File|Path|Directory) '(.*)' does not exist\.",
        r"Ogiltigt värde för \1: \2 finns inte.",
    ),
    (r"Invalid value for '(.+)': '(.*)' is not one of (.+)\.", r"Ogiltigt värde för \1: \2 är inte något av \3."),
    (r"Invalid value for '(.+)': (.+)", r"Ogiltigt värde för \1: \2"),
    (r"Got unexpected extra arguments? \((.+)\)", r"Oväntade argument: \1."),
    (r"\(Possible options: (.+)\)", r"(Möjliga flaggor: \1)"),
    (r"Did you mean (.+)\?", r"Menade du \1?"),
)


class SwedishHelp(click.HelpFormatter):
    """click's help with its fixed words in Swedish."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, swedish in USAGE_WORDS:
            args = args.replace(english, swedish)
        super().write_usage(prog, args, "Användning: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(_metavars(term), _help_words(text)) for term, text in rows], col_max, col_spacing)


class SwedishContext(click.Context):
    """A context whose help is written by `SwedishHelp`."""

    formatter_class = SwedishHelp


def in_swedish(command: click.Command) -> None:
    """Give the command and every command under it Swedish help."""
    command.context_class = SwedishContext
    for sub in getattr(command, "commands", {}).values():
        in_swedish(sub)


def show(error: click.ClickException) -> None:
    """Print an error as click does, in Swedish: a usage error with the usage line and where to find help."""
    if not isinstance(error, click.UsageError):
        error.show()  # ours are Swedish already (`bot.cli.common.UserError`)
        return
    context = error.ctx
    if context is not None:
        usage = context.get_usage()
        hint = f"Prova '{context.command_path} --help' för hjälp." if context.command.get_help_option(context) else ""
        click.echo("\n".join(part for part in (usage, hint) if part), err=True)
    click.echo(f"Fel: {swedish_message(error.format_message())}", err=True)


def swedish_message(message: str) -> str:
    """click's English wording of a usage error in Swedish (unknown ones as they are)."""
    for pattern, replacement in MESSAGES:
        message = re.sub(pattern, replacement, message)
    return message


def _metavars(term: str) -> str:
    return " ".join(METAVARS.get(word, word) for word in term.split(" "))


def _help_words(text: str) -> str:
    text = HELP_WORDS.get(text, text)
    return re.sub(r"\[default: ([^\]]*)\]", r"[standard: \1]", text)
