"""A drafted profile as an administrator reviews it: its entries with their quotes (on the page, and as the
list written beside the draft), and accepting them.

Accepting marks entries `confirmed: true` in the draft's YAML, written at once (never half a file); the
rules source sees the change and the next answer uses it, with no restart.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from rules.models import Decision, Event, Profile
from rules.profiles import dump_profile, load_profile, load_yaml, parse_profile
from rules.texts import body_name


@dataclass(frozen=True)
class ReviewEntry:
    """One entry of a draft as the review page shows it."""

    id: str
    kind: str  # "event" | "decision"
    text: str  # what happens, or the matter decided
    who: str | None  # the body, in Swedish
    when: str | None  # the document's wording of the date rule, and which years ("bara valår")
    quote: str
    document: str
    page: int | None
    section: str | None
    doubt: str | None
    confirmed: bool
    delegable: bool | None = None
    replaces: str | None = None  # the national entry it replaces


def review_path(folder: Path, municipality: str) -> Path:
    """The review list of a municipality's draft."""
    return folder / f"granskning-{municipality}.md"


def write_atomically(path: Path, text: str) -> None:
    """Replace a file at once, so that a reader (the rules source, another replica) never sees half of it."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def draft_file(folder: Path, municipality: str) -> Path:
    return folder / "municipalities" / f"{municipality}.yaml"


def load_draft(folder: Path, municipality: str) -> Profile | None:
    """The draft of a municipality in the profiles folder, or None when there is none."""
    path = draft_file(folder, municipality)
    return load_profile(path) if path.is_file() else None


def review_entries(profile: Profile) -> list[ReviewEntry]:
    """The draft's entries, those the drafter doubted first, then in the draft's order."""
    entries = [_entry(e) for e in profile.events] + [_entry(d) for d in profile.decisions]
    return sorted(entries, key=lambda entry: entry.doubt is None)


def review_list(profile: Profile) -> str:
    """The draft as a person checks it, written beside it: the entries the drafter doubts first, each with
    its quote and where it stands."""
    entries = review_entries(profile)
    lines = [
        f"# Utkast till profil för {profile.name}",
        "",
        f"{len(profile.events)} händelser i årshjulet och {len(profile.decisions)} beslut, alla ur dokumenten "
        "med citat. Inget gäller förrän det har godkänts. Kontrollera särskilt de markerade posterna.",
        "",
    ]
    for heading, kind in (("Årshjulet", "event"), ("Vem beslutar", "decision")):
        lines += [f"## {heading}", ""]
        for entry in (e for e in entries if e.kind == kind):
            where = ", ".join(part for part in (entry.document, f"s. {entry.page}" if entry.page else "", entry.section)
                              if part)  # fmt: skip
            mark = "⚠ " if entry.doubt else ""
            lines.append(f"- {mark}**{entry.text}** ({entry.id}) – {entry.who or 'okänt vem'}"
                         + (f", {entry.when}" if entry.when else ""))  # fmt: skip
            lines += [f"  > {entry.quote}", f"  ({where})" + (f" Osäker: {entry.doubt}" if entry.doubt else ""), ""]
    principle = profile.role_principle
    lines += ["## Rollfördelningen", ""]
    if principle is None:
        lines += ["Dokumenten säger inget om VAD/NÄR och HUR/VEM med de orden.", ""]
    else:
        lines += [f"- Politiken: {principle.politik}", f"- Förvaltningen: {principle.forvaltning}", ""]
    return "\n".join(lines)


# which years a step is for, as the review says it
_YEARS = {"election": "bara valår", "after_election": "året efter valår", "non_election": "inte valår"}


def _entry(entry: Event | Decision) -> ReviewEntry:
    source = entry.source
    event = isinstance(entry, Event)
    when = None
    if isinstance(entry, Event):  # "under april, bara valår"
        rule = entry.rule[:1].lower() + entry.rule[1:] if entry.rule else ""
        when = ", ".join(part for part in (rule, _YEARS.get(entry.years, "")) if part) or None
    return ReviewEntry(
        id=entry.id,
        kind="event" if event else "decision",
        text=entry.title if isinstance(entry, Event) else entry.matter,
        who=body_name(entry.body),
        when=when,
        quote=source.quote or "",
        document=source.document or "",
        page=source.page,
        section=source.section,
        doubt=entry.doubt,
        confirmed=entry.confirmed,
        delegable=entry.delegable if isinstance(entry, Decision) else None,
        replaces=entry.overrides,
    )


def accept(folder: Path, municipality: str, entry_ids: Collection[str] | None = None) -> tuple[Profile, int]:
    """Confirm the entries with these ids (None: every entry) of a municipality's draft; the draft as it
    now reads, and how many entries were confirmed by this call. KeyError for an id the draft lacks."""
    path = draft_file(folder, municipality)
    data = load_yaml(path.read_text(encoding="utf-8"))
    entries = [*data.get("events", []), *data.get("decisions", [])]
    known = {entry["id"] for entry in entries}
    unknown = sorted(set(entry_ids or ()) - known)
    if unknown:
        raise KeyError(", ".join(unknown))
    changed = 0
    for entry in entries:
        if (entry_ids is None or entry["id"] in entry_ids) and not entry.get("confirmed", True):
            entry["confirmed"] = True
            changed += 1
    text = dump_profile(data)
    profile = parse_profile(text, str(path))  # never write what would not load
    write_atomically(path, text)
    return profile, changed


def remove_draft(folder: Path, municipality: str) -> bool:
    """Delete a municipality's draft, its review list and the texts it quoted; whether there was one."""
    path = draft_file(folder, municipality)
    if not path.is_file():
        return False
    path.unlink()
    review_path(folder, municipality).unlink(missing_ok=True)
    shutil.rmtree(folder / "documents" / municipality, ignore_errors=True)
    return True
