"""Load the national layer and the municipality profiles, validate them and merge the layers.

A municipality's `Rulebook` is the national layer with the municipality's profile on top: its events
and decisions are added, an entry with `overrides: <id>` replaces that national entry, and its anchors
give national relative rules a concrete date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rules.errors import ProfileError, UnknownMunicipality
from rules.models import Anchor, Decision, DocumentRef, Event, Fact, Profile, RolePrinciple

_DATE_KINDS = {"fixed", "month_end", "month", "monthly", "relative", "undated"}
_PYDANTIC_REASONS = {
    "extra_forbidden": "unknown key",
    "missing": "required key is missing",
}


@dataclass(frozen=True)
class Rulebook:
    """The rules in force for one municipality (or the national layer alone)."""

    municipality: str | None
    name: str
    names: tuple[str, ...]
    events: tuple[Event, ...]
    decisions: tuple[Decision, ...]
    facts: tuple[Fact, ...]
    anchors: Mapping[str, Anchor]
    documents: Mapping[str, DocumentRef]
    lexicon: Mapping[str, tuple[str, ...]]
    role_principle: RolePrinciple | None
    local_ids: frozenset[str] = field(default=frozenset())
    local_role_principle: bool = False

    def is_local(self, entry_id: str) -> bool:
        """Whether an event or decision comes from the municipality's own profile."""
        return entry_id in self.local_ids

    def event(self, event_id: str) -> Event | None:
        """The event with this id, if the rulebook has one."""
        return next((e for e in self.events if e.id == event_id), None)


def _key_path(loc: Iterable[int | str], data: Any) -> str:
    parts: list[str] = []
    node: Any = data
    previous: int | str | None = None
    for item in loc:
        if previous == "date" and item in _DATE_KINDS:
            previous = item
            continue  # the discriminator tag pydantic adds to the location
        if isinstance(item, int):
            child = node[item] if isinstance(node, list) and item < len(node) else None
            ident = child.get("id") if isinstance(child, dict) else None
            parts.append(f"[{item}]" + (f"(id={ident})" if ident else ""))
        else:
            parts.append(f".{item}" if parts else str(item))
        node = _child(node, item)
        previous = item
    return "".join(parts)


def _child(node: Any, item: int | str) -> Any:
    if isinstance(node, list) and isinstance(item, int) and item < len(node):
        return node[item]
    if isinstance(node, dict):
        return node.get(item)
    return None


def _fail(file: str, key: str, reason: str) -> ProfileError:
    return ProfileError(file, key, reason)


# libyaml's safe loader when PyYAML has it (the wheels do): five to ten times faster than the Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """YAML text to plain data, safely (no Python objects)."""
    return yaml.load(text, Loader=_LOADER)  # a safe loader, C or Python


def quote_stands_in(quote: str, text: str) -> bool:
    """Whether a source's quote stands in a document's text: case, whitespace and a word broken over a line
    ("förvaltnings- chefer") do not count."""
    return comparable(quote) in comparable(text)


def comparable(text: str) -> str:
    """Text as quotes are compared: lower case, whitespace collapsed, a word broken over a line joined."""
    return " ".join(re.sub(r"-\s+", "", text.casefold()).split())


def dump_profile(data: Mapping[str, Any]) -> str:
    """Profile data as YAML a person can read and edit: keys in the format's order, Swedish letters as they
    are, long lines kept whole."""
    return yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False, width=1000)


def parse_profile(text: str, file: str) -> Profile:
    """Parse and validate one profile's YAML text; errors name `file`, the key and the reason."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise _fail(file, where, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise _fail(file, "", "a profile must be a mapping of keys to values")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        reason = _PYDANTIC_REASONS.get(first["type"], first["msg"])
        raise _fail(file, _key_path(first["loc"], data), reason) from None
    _check_consistency(profile, file)
    return profile


def _groups(profile: Profile) -> list[tuple[str, Sequence[Event | Decision | Fact]]]:
    return [("events", profile.events), ("decisions", profile.decisions), ("facts", profile.facts)]


def _check_consistency(profile: Profile, file: str) -> None:
    for kind, entries in _groups(profile):
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if entry.id in seen:
                raise _fail(file, f"{kind}[{index}].id", f"duplicate id {entry.id!r}")
            seen.add(entry.id)
            if entry.source.document is not None and entry.source.document not in profile.documents:
                raise _fail(
                    file,
                    f"{kind}[{index}](id={entry.id}).source.document",
                    f"no document {entry.source.document!r} under 'documents'",
                )


def load_profile(path: Path) -> Profile:
    """Load one profile file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(str(path), "", f"cannot be read ({exc.strerror})") from None
    return parse_profile(text, str(path))


def merge(national: Profile, local: Profile | None) -> Rulebook:
    """Put a municipality's profile on top of the national layer."""
    if local is None:
        return Rulebook(
            municipality=None,
            name=national.name,
            names=(),
            events=national.events,
            decisions=national.decisions,
            facts=national.facts,
            anchors=dict(national.anchors),
            documents=dict(national.documents),
            lexicon=dict(national.lexicon),
            role_principle=national.role_principle,
        )
    _check_overrides(national, local)
    replaced = {e.overrides for e in local.events} | {d.overrides for d in local.decisions}
    anchors = dict(national.anchors) | dict(local.anchors)
    rulebook = Rulebook(
        municipality=local.id,
        name=local.name,
        names=local.names,
        events=tuple(e for e in national.events if e.id not in replaced) + local.events,
        decisions=tuple(d for d in national.decisions if d.id not in replaced) + local.decisions,
        facts=national.facts + local.facts,
        anchors=anchors,
        documents=dict(national.documents) | dict(local.documents),
        lexicon=_merge_lexicons(national.lexicon, local.lexicon),
        role_principle=local.role_principle or national.role_principle,
        local_ids=frozenset(e.id for e in local.events)
        | frozenset(d.id for d in local.decisions)
        | frozenset(f.id for f in local.facts),
        local_role_principle=local.role_principle is not None,
    )
    _check_anchors(rulebook, local.id)
    return rulebook


def _merge_lexicons(
    national: Mapping[str, tuple[str, ...]], local: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Both layers' forms for every word: a local entry adds forms, it never removes national ones."""
    merged = {word: tuple(forms) for word, forms in national.items()}
    for word, forms in local.items():
        merged[word] = tuple(dict.fromkeys((*merged.get(word, ()), *forms)))
    return merged


def _check_overrides(national: Profile, local: Profile) -> None:
    file = f"municipalities/{local.id}.yaml"
    targets = {"events": {e.id for e in national.events}, "decisions": {d.id for d in national.decisions}}
    for kind, entries in _groups(local):
        for index, entry in enumerate(entries):
            if isinstance(entry, Fact):
                continue  # facts add to the national layer, they never replace an entry
            if entry.overrides is not None and entry.overrides not in targets[kind]:
                raise _fail(file, f"{kind}[{index}](id={entry.id}).overrides", f"no national entry {entry.overrides!r}")


def _check_anchors(rulebook: Rulebook, profile_id: str) -> None:
    for event in rulebook.events:
        anchor = getattr(event.date, "anchor", None)
        if anchor is not None and anchor not in rulebook.anchors:
            origin = f"municipalities/{profile_id}.yaml" if rulebook.is_local(event.id) else "national.yaml"
            raise _fail(origin, f"events(id={event.id}).date.anchor", f"no anchor {anchor!r} is declared")


class ProfileStore:
    """All profiles of a data folder, loaded once; hands out merged rulebooks."""

    def __init__(self, data_dir: Path | None = None, drafts: Path | None = None) -> None:
        """The profiles of `data_dir` (None: the shipped ones) and the municipalities drafted into the
        profiles folder `drafts` (`styrbot profile draft`, the administrators' review page) beside them; a
        draft never replaces a municipality the data already has."""
        self._dir = data_dir
        # a folder of municipality profiles alone (a draft) stands on the shipped national layer
        own_national = data_dir is None or (data_dir / "national.yaml").exists()
        self.national = self._load("national.yaml") if own_national else ProfileStore._shipped_national()
        self._local: dict[str, Profile] = {}
        for name in self._municipality_files():
            profile = self._load(f"municipalities/{name}")
            if f"{profile.id}.yaml" != name:
                raise _fail(f"municipalities/{name}", "id", f"id {profile.id!r} does not match the file name")
            self._local[profile.id] = profile
        self.drafted: frozenset[str] = frozenset()
        if drafts is not None and (drafts / "municipalities").is_dir():
            self._add_drafts(drafts)
        self._national_rulebook = merge(self.national, None)
        self._rulebooks = {pid: merge(self.national, p) for pid, p in self._local.items()}

    def _add_drafts(self, drafts: Path) -> None:
        drafted = set()
        for path in sorted((drafts / "municipalities").glob("*.yaml")):
            profile = load_profile(path)
            if f"{profile.id}.yaml" != path.name:
                raise _fail(str(path), "id", f"id {profile.id!r} does not match the file name")
            if profile.id in self._local:
                raise _fail(str(path), "id", f"a profile {profile.id!r} already exists; a draft cannot replace it")
            self._local[profile.id] = profile
            drafted.add(profile.id)
        self.drafted = frozenset(drafted)

    @property
    def known(self) -> tuple[str, ...]:
        """The ids of every municipality profile, sorted."""
        return tuple(sorted(self._local))

    def profile(self, municipality: str) -> Profile:
        """One municipality's own profile (without the national layer)."""
        return self._local[self.resolve(municipality)]

    def rulebook(self, municipality: str | None) -> Rulebook:
        """The merged rules for a municipality (by its id or any of its names, see `resolve`), or the
        national layer alone for None."""
        if municipality is None:
            return self._national_rulebook
        return self._rulebooks[self.resolve(municipality)]

    def resolve(self, municipality: str) -> str:
        """The id of the municipality named by its id, its name or any of its names, in any case and with
        or without å, ä and ö ("Trollhättan", "strängnäs", "STRANGNAS", "Tranemo kommun");
        UnknownMunicipality otherwise."""
        if municipality in self._local:
            return municipality
        wanted = fold(municipality)
        for pid, profile in self._local.items():
            if wanted in {fold(pid), fold(profile.name), *(fold(name) for name in profile.names)}:
                return pid
        raise UnknownMunicipality(municipality, self.known)

    def municipality_of_file(self, name: str) -> str | None:
        """The municipality whose profile lists a document published under this file name, if any."""
        for profile in self._local.values():
            for document in profile.documents.values():
                if name in (document.file, document.reference, *document.renditions):
                    return profile.id
        return None

    def _municipality_files(self) -> list[str]:
        if self._dir is not None:
            folder = self._dir / "municipalities"
            return sorted(p.name for p in folder.glob("*.yaml")) if folder.is_dir() else []
        root = resources.files("rules") / "data" / "municipalities"
        return sorted(p.name for p in root.iterdir() if p.name.endswith(".yaml"))

    @staticmethod
    def _shipped_national() -> Profile:
        resource = resources.files("rules") / "data" / "national.yaml"
        return parse_profile(resource.read_text(encoding="utf-8"), "rules/data/national.yaml")

    def _load(self, relative: str) -> Profile:
        if self._dir is not None:
            return load_profile(self._dir / relative)
        resource = resources.files("rules") / "data" / relative
        try:
            text = resource.read_text(encoding="utf-8")
        except OSError as exc:
            raise _fail(relative, "", f"cannot be read ({exc.strerror})") from None
        return parse_profile(text, f"rules/data/{relative}")


def fold(name: str) -> str:
    """A name as it is compared: lower case, without diacritics (å → a, ö → o), spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
