"""`styrbot profile draft` and `styrbot profile check`: a new municipality's profile from its own documents."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from bot.cli.common import UserError, current_rules, load_settings


@click.group()
def profile() -> None:
    """Kommunprofiler: utkast ur kommunens egna dokument, och kontroll av en profilmapp."""


@profile.command()
@click.argument("files", nargs=-1, required=True, metavar="FIL...", type=click.Path(exists=True, path_type=Path))
@click.option("--municipality", "-m", required=True, help="Profilens id, till exempel ”alvstrand”.")
@click.option("--name", default=None, help="Kommunens namn i svaren (standard: id:t med stor bokstav).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("profiles-draft"),
              show_default=True, help="Mappen som utkastet skrivs till.")  # fmt: skip
def draft(files: tuple[Path, ...], municipality: str, name: str | None, out: Path) -> int:
    """Gör ett utkast till kommunprofil ur styrmodell, årshjul eller delegationsordning (alla format som
    ingest läser): händelser, beslut och rollfördelning, var och en med citat ur dokumenten."""
    from bot.profiles.drafting import draft_documents, write_draft
    from ingest import iter_files
    from ingest.pipeline import process_file

    if not _valid_id(municipality):
        raise UserError(f"Ogiltigt id {municipality!r}: använd små bokstäver a–z, siffror och understreck.")
    started = time.perf_counter()
    read, failed = [], 0
    paths = list(iter_files(files))
    for number, path in enumerate(paths, 1):
        result = process_file(path)
        if result.document is None:
            failed += 1
            click.echo(f"[{number}/{len(paths)}] {path.name}: kunde inte läsas – {result.error}", err=True)
            continue
        click.echo(f"[{number}/{len(paths)}] {path.name}: läst", err=True)
        read.append((path, result.document))
    if not read:
        raise UserError("Inget av dokumenten gick att läsa, så det blev inget utkast.")
    store = current_rules(load_settings(None)).store
    drafted, texts = draft_documents(read, municipality, name or municipality.replace("_", " ").title(), store)
    written = write_draft(drafted, texts, out)
    doubts = sum(1 for entry in (*drafted.events, *drafted.decisions) if entry.doubt)
    click.echo(
        f"Utkast för {drafted.name}: {len(drafted.events)} händelser, {len(drafted.decisions)} beslut"
        f"{', rollfördelningen' if drafted.role_principle else ''}; {doubts} att granska särskilt "
        f"({time.perf_counter() - started:.1f} s)."
    )
    for path in written:
        click.echo(f"  {path}")
    return 1 if failed else 0


@profile.command()
@click.argument("folder", metavar="MAPP", type=click.Path(exists=True, file_okay=False, path_type=Path))
def check(folder: Path) -> int:
    """Läs in en profilmapp som STYRBOT_PROFILES_DIR, kontrollera varje citat mot dokumentets text och
    visa vad som saknas."""
    from bot.known_vectors import demo_root
    from bot.profiles.checking import check_folder

    report = check_folder(folder, [demo_root(load_settings(None)) / "txt"])
    for error in report.errors:
        click.echo(f"Fel: {error}", err=True)
    for note in report.incomplete:
        click.echo(f"Att göra: {note}")
    verdict = "Godkänd" if report.ok else "Underkänd"
    click.echo(
        f"{verdict}: {', '.join(report.municipalities) or 'ingen kommun'}; {report.quotes} citat kontrollerade, "
        f"{len(report.errors)} fel, {len(report.incomplete)} saker att göra.",
        file=sys.stdout,
    )
    return 0 if report.ok else 1


def _valid_id(value: str) -> bool:
    return bool(value) and value.replace("_", "").isalnum() and value.isascii() and value == value.lower()
