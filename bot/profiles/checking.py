"""`styrbot profile check`: a profiles folder loaded as Styrbot would load it, every quote verified.

Errors stop the folder from being used: a profile that does not load, a quote that does not stand in its
document's text, a document whose text cannot be found. What is only incomplete is reported beside them:
entries nobody has confirmed yet, entries the drafter doubted, events without an actor, relative rules
whose anchor has no date, a missing role principle.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import swedish
from rules.errors import ProfileError
from rules.models import Decision, Event, Profile, Source
from rules.profiles import ProfileStore, quote_stands_in


@dataclass
class CheckReport:
    """What a check found, in Swedish: errors (the folder must not be used) and what is incomplete."""

    municipalities: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    quotes: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def check_folder(folder: Path, texts: Sequence[Path] = ()) -> CheckReport:
    """Load `folder` as STYRBOT_PROFILES_DIR and check every municipality in it. Quoted documents' texts are
    looked for in `folder/documents/`, then in `texts` (the demo corpus's plain texts)."""
    report = CheckReport()
    try:
        store = ProfileStore(folder)
    except ProfileError as exc:
        report.errors.append(swedish(exc))
        return report
    for municipality in store.known:
        profile = store.profile(municipality)
        report.municipalities.append(municipality)
        report.errors.extend(_quote_errors(profile, [folder / "documents", *texts], report))
        report.incomplete.extend(_incomplete(profile, store))
    if not store.known:
        report.errors.append(f"{folder / 'municipalities'}: det finns ingen kommunprofil i mappen.")
    return report


def _sources(profile: Profile) -> Iterator[tuple[str, Source]]:
    for event in profile.events:
        yield event.id, event.source
    for decision in profile.decisions:
        yield decision.id, decision.source
    if profile.role_principle is not None:
        for source in profile.role_principle.sources:
            yield "role_principle", source


def _quote_errors(profile: Profile, folders: Sequence[Path], report: CheckReport) -> Iterator[str]:
    texts: dict[str, str | None] = {}
    for entry_id, source in _sources(profile):
        if source.document is None:
            continue
        if source.document not in texts:
            texts[source.document] = _document_text(profile, source.document, folders)
            if texts[source.document] is None:
                reference = profile.documents[source.document].reference or profile.documents[source.document].file
                yield f"{profile.id}: texten till dokumentet {source.document!r} ({reference}) finns inte."
        text = texts[source.document]
        if text is None:
            continue
        report.quotes += 1
        if not quote_stands_in(source.quote or "", text):
            yield f"{profile.id}: {entry_id}: citatet står inte i dokumentet: ”{source.quote}”"


def _document_text(profile: Profile, key: str, folders: Sequence[Path]) -> str | None:
    """The text a document's quotes are checked against: its `reference`, in the first folder that has it."""
    reference = profile.documents[key].reference
    found = next((folder / reference for folder in folders if reference and (folder / reference).is_file()), None)
    return found.read_text(encoding="utf-8") if found is not None else None


def _incomplete(profile: Profile, store: ProfileStore) -> Iterator[str]:
    entries: list[Event | Decision] = [*profile.events, *profile.decisions]
    unconfirmed = [e for e in entries if not e.confirmed]
    if unconfirmed:
        yield f"{profile.id}: {len(unconfirmed)} av {len(entries)} poster är inte bekräftade."
    for entry in entries:
        if entry.doubt:
            yield f"{profile.id}: {entry.id}: osäker – {entry.doubt}"
    for event in profile.events:
        if event.body is None and event.actor is None:
            yield f"{profile.id}: {event.id}: det framgår inte vem som ska göra det."
    anchors = store.rulebook(profile.id).anchors
    for event in profile.events:
        anchor = getattr(event.date, "anchor", None)
        if anchor is not None and anchors[anchor].month is None:
            yield f"{profile.id}: {event.id}: ”{anchors[anchor].title}” har inget datum, så händelsen får inget datum."
    if profile.role_principle is None:
        yield f"{profile.id}: rollfördelningen (VAD/NÄR och HUR/VEM) saknas; den nationella vägledningen används."
