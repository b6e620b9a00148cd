"""`styrbot ingest`: documents read into the knowledge base, with progress on a terminal."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from bot import texts
from bot.cli.common import (
    current_rules,
    data_dir_option,
    load_settings,
)
from bot.cli.text import ingest_text


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="SÖKVÄG...", type=click.Path(exists=True, path_type=Path))
@click.option("--municipality", "-m", default=None, help="Kommun för alla filerna (standard: enligt profilerna).")
@click.option("--prune", is_flag=True, help="Ta bort dokument vars filer inte längre finns under PATHS.")
@click.option("--json", "as_json", is_flag=True, help="Skriv en sammanfattning som JSON.")
@data_dir_option
def ingest(
    paths: tuple[Path, ...], municipality: str | None, prune: bool, as_json: bool, data_dir: Path | None
) -> None:
    """Läs in dokument (PDF, DOCX, PPTX, HTML, Markdown, text) i kunskapsbasen."""
    from bot.library import ingest_paths, open_indexer  # parsers, the model and Chroma load only for this command
    from ingest import iter_files

    settings = load_settings(data_dir)
    engine = current_rules(settings)
    if municipality is not None:
        municipality = engine.store.resolve(municipality)  # its id ("Trollhättan" → trollhattan)
    indexer = open_indexer(settings)
    municipality_of = (lambda _name: municipality) if municipality else engine.store.municipality_of_file
    with _progress(len(list(iter_files(paths)))) as report:
        summary = ingest_paths(indexer, paths, municipality_of, prune, report)
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(ingest_text(summary))
    sys.exit(1 if summary.failed else 0)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int, int, Path], None] | None]:
    """A progress bar on standard error when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty() or total == 0:
        yield None
        return
    with click.progressbar(length=total, label=texts.INGEST_PROGRESS, file=sys.stderr) as bar:
        yield lambda done, _total, _path: bar.update(1)
