"""`styrbot profile draft`: a municipality's profile drafted from its own documents, with a review list.

The files are read by `ingest` (any format it reads), turned into the passages `rules.drafting` reads — a
paragraph, a list item, a table cell with the words that date its row or column and who its row names —
and the draft is written as a profiles folder:

```
DIR/municipalities/<id>.yaml     the drafted profile (every entry `confirmed: false` until accepted)
DIR/documents/<id>/<file>.txt    the text each quote was taken from, to check the quotes against
DIR/granskning-<id>.md           the review list: each entry with its quote, page and section, doubts first
```
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot import texts
from bot.profiles.review import review_list, review_path, write_atomically
from ingest.errors import IngestError
from ingest.models import Block, ParsedDocument
from ingest.pipeline import load_bytes
from rules.drafting import Draft, Passage, draft, month_named, role_label, sentences
from rules.drafting.text import ascii_id
from rules.engine import load_synonyms
from rules.matching import Analyzer
from rules.models import Profile
from rules.profiles import ProfileStore, dump_profile

_WHEN_HEADER = re.compile(r"^(?:månad|när|tidpunkt|datum|tid|period|senast|deadline)\b", re.IGNORECASE)
_WHO_HEADER = re.compile(r"^(?:ansvarig\w*|vem|beslutas\s+av|beslut\w*|ansvar|utförare|aktör)\b", re.IGNORECASE)
_DECIDES_HEADER = re.compile(r"\bbeslut", re.IGNORECASE)
# a delegation list's column of who decides on the body's behalf ("Ärende | Delegat | Anmärkning")
_DELEGATE_HEADER = re.compile(r"^(?:delegat|delegerad\s+till|beslutsfattare|beslutande)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentText:
    """A document the draft quotes: its key in the profile, its file name and the text quotes come from."""

    key: str
    file: str
    title: str
    text: str


def passages(document: ParsedDocument, key: str) -> list[Passage]:
    """The passages of a parsed document in reading order, under their nearest heading. A table whose
    header names months ("JAN | FEB | …") dates each cell by its column; one whose header has a Månad or
    När column dates each row by that cell, and an Ansvarig column says who the row is for. A heading that
    names a month ("Oktober" on an årshjul page) dates the lines under it as a month column does, and a line
    that names only a role ("Politiker", "Tjänstemän") heads the lines below it on its page."""
    found: list[Passage] = []
    section: str | None = None
    table: _Table | None = None
    under: tuple[str, int | None] | None = None  # the role label the lines below stand under, and its page
    for block in document.blocks:
        if block.kind == "heading":
            section, table, under = block.text, None, None
            continue
        if block.kind != "table":
            table = None
            label = role_label(block.text)
            if label is not None:
                under = (label, block.page)
                continue
            role = under[0] if under is not None and under[1] == block.page else None
            item = block.kind == "list_item"
            line = (
                item or len(sentences(block.text)) == 1
            )  # not a paragraph of prose ("Sidan uppdaterades …. Frågor …")
            when = section if line and section is not None and month_named(section) is not None else None
            found.append(Passage(key, block.text, section, block.page, when=when, item=item, under=role))
            continue
        under = None
        if table is None:
            table = _Table.starting(block)
            if table.header:
                continue
        found.extend(table.passages(block, key, section))
    return found


@dataclass
class _Table:
    """What a table's header row says about its columns: the month of each grid column, which column dates a
    row and which says who acts, or a delegation list's column of who decides."""

    months: dict[int, str]  # grid column → its header ("MAR")
    when: tuple[int, ...] = ()  # the columns that date a row ("Månad", "När"), the most precise last
    who: tuple[int, ...] = ()  # the columns that name who acts or decides ("Ansvarig", "Beslutas av")
    delegate: int | None = None  # a delegation list's Delegat column

    @property
    def header(self) -> bool:
        return bool(self.months) or bool(self.when) or self.delegate is not None

    @classmethod
    def starting(cls, block: Block) -> _Table:
        cells = _grid(block)
        months = {column: text for column, text in cells if month_named(text) is not None}
        if len(months) >= 3:
            return cls(months)
        when = tuple(column for column, text in cells if _WHEN_HEADER.match(text))
        who = [column for column, text in cells if _WHO_HEADER.match(text)]
        # a row's step belongs to the body that decides it when the table says so ("Vem beslutar"), else
        # to the one responsible ("Vem ansvarar": often the office that prepares it)
        who.sort(key=lambda column: not _DECIDES_HEADER.search(dict(cells)[column]))
        if when:
            return cls({}, when, tuple(who))
        delegate = next((column for column, text in cells if _DELEGATE_HEADER.match(text)), None)
        return cls({}, delegate=delegate)

    def passages(self, block: Block, key: str, section: str | None) -> list[Passage]:
        cells = _grid(block)
        if not cells:
            return [Passage(key, block.text, section, block.page)]
        if self.months:
            label = next((text for column, text in cells if column not in self.months and text), None)
            return [
                Passage(key, text, section, block.page, when=self._months(column, span), row=label)
                for column, span, text in _spans(block)
                if text and column in self.months
            ]
        if self.when:
            by_column = dict(cells)
            dating = [by_column.get(column, "") for column in self.when]
            precise = next((text for text in reversed(dating) if text and month_named(text) is None), None)
            when = precise or next((text for text in dating if text), None)
            who = next((by_column[column] for column in self.who if _names_someone(by_column.get(column))), None)
            steps = [text for column, text in cells if text and column not in (*self.when, *self.who)]
            # the first other column says what is done; the rest ("Underlag", "Kommentar") describe it
            return [Passage(key, steps[0], section, block.page, when=when, who=who)] if steps else []
        if self.delegate is not None:  # "Attest och utanordning | Förvaltningschef | …": decided on delegation
            by_column = dict(cells)
            matter = next((text for column, text in cells if text and column != self.delegate), None)
            delegate = by_column.get(self.delegate) or None
            return [Passage(key, matter, section, block.page, who=delegate, delegated=True)] if matter else []
        texts = [text for _, text in cells if text]
        if len(texts) == 2:  # "what | who": the other cell says who
            return [Passage(key, texts[0], section, block.page, row=texts[1])]
        return [Passage(key, item, section, block.page, item=True) for text in texts for item in _items(text)]

    def _months(self, column: int, span: int) -> str | None:
        """The header of the month a cell stands under, or "JUL–NOV" for a cell spanning several; None for one
        across every month of the table ("Förvaltningarna … arbetar med verksamhetsplaner"), which says what
        goes on all the period, not a step due by its end."""
        covered = [self.months[c] for c in range(column, column + span) if c in self.months]
        if len(covered) > 1 and len(covered) == len(self.months):
            return None
        return covered[0] if len(covered) == 1 else f"{covered[0]}–{covered[-1]}"


_ITEM_DASH = re.compile(r"\s+[–•]\s+(?=[A-ZÅÄÖ])")


def _items(cell: str) -> list[str]:
    """A cell's dashed items, each a passage of its own ("Planering – KF beslut om bolagens ägardirektiv –
    Bolagsstämma antagande av ägardirektiv"); a dash before a small letter joins ("31 mars – årsredovisningen")."""
    return [item for item in _ITEM_DASH.split(cell) if item.strip()]


def _names_someone(cell: str | None) -> bool:
    """Whether a table cell names anyone, rather than being empty or a dash ("–")."""
    return bool(cell) and re.search(r"\w", cell or "") is not None


def _spans(block: Block) -> list[tuple[int, int, str]]:
    """A row's cells with the grid column each starts in and how many it spans."""
    cells, column = [], 0
    for cell in block.cells:
        cells.append((column, cell.span, cell.text))
        column += cell.span
    return cells


def _grid(block: Block) -> list[tuple[int, str]]:
    """A row's cells with the grid column each starts in."""
    return [(column, text) for column, _, text in _spans(block)]


@dataclass(frozen=True)
class FileRead:
    """What became of one file given to the drafter: read, or why not (in Swedish)."""

    name: str
    error: str | None = None
    error_type: str | None = None


def read_files(files: Sequence[tuple[str, bytes]]) -> tuple[list[tuple[Path, ParsedDocument]], list[FileRead]]:
    """Uploaded files parsed by their content; each one's outcome, a broken file costing only itself."""
    read: list[tuple[Path, ParsedDocument]] = []
    outcomes: list[FileRead] = []
    for name, data in files:
        try:
            document = load_bytes(data, name)
        except IngestError as exc:
            kind = type(exc).__name__
            outcomes.append(FileRead(name, texts.ingest_reason(kind), kind))
            continue
        read.append((Path(name), document))
        outcomes.append(FileRead(name))
    return read, outcomes


def draft_documents(
    documents: Sequence[tuple[Path, ParsedDocument]],
    municipality: str,
    name: str,
    store: ProfileStore,
) -> tuple[Draft, list[DocumentText]]:
    """The draft of a municipality's profile from its parsed documents, and the texts it quotes."""
    texts: list[DocumentText] = []
    found: list[Passage] = []
    for path, document in documents:
        key = _document_key(path, [t.key for t in texts])
        texts.append(DocumentText(key, path.name, document.title or path.stem, document.text))
        found.extend(passages(document, key))
    references = {
        t.key: {"title": t.title, "file": t.file, "reference": _reference(municipality, t.file)} for t in texts
    }
    synonyms = load_synonyms()
    national = {anchor_id: anchor.title for anchor_id, anchor in store.national.anchors.items()}
    analyzer = Analyzer(synonyms)
    drafted = draft(municipality, name, references, found, analyzer, national, synonyms, store.national.events)
    return drafted, texts


def _document_key(path: Path, taken: Sequence[str]) -> str:
    base = ascii_id(path.stem) or "dokument"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}_{number}"
    return key


def write_draft(result: Draft, texts: Sequence[DocumentText], out: Path) -> list[Path]:
    """Write the quoted texts, the review list and the drafted profile into the profiles folder `out`
    (the profile last: a reader that sees it finds its texts)."""
    written = []
    for text in texts:
        path = out / "documents" / _reference(result.id, text.file)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.text + "\n", encoding="utf-8")
        written.append(path)
    profile = result.profile()
    review = review_path(out, result.id)
    review.write_text(review_list(Profile.model_validate(profile)), encoding="utf-8")
    profile_path = out / "municipalities" / f"{result.id}.yaml"
    profile_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(profile_path, dump_profile(profile))
    return [profile_path, *written, review]


def _reference(municipality: str, file: str) -> str:
    return f"{municipality}/{file}.txt"
