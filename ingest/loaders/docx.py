"""DOCX loader: the body in document order (paragraphs and tables interleaved), then the footnotes.

python-docx (MIT) opens the package; the body XML is walked directly, so tables keep their place. Heading
styles ("Heading 1", "Rubrik 1", outline levels) and Title become headings, list styles and numbered
paragraphs list items, each table row a "table" block with its cells joined by " | " (a merged cell once).
Left out: the table of contents (TOC field, TOC content control, "TOC n" styles), empty paragraphs, hidden
text, deleted revisions, headers and footers. Footnotes are numbered in reading order, marked "[n]" where
referenced and appended as "footnote" blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from lxml import etree
from lxml.etree import _Element

from ingest.cleaning import clean_line, join_cell, join_lines
from ingest.errors import EmptyDocument
from ingest.loaders._office import check_package, library_errors, meaningful_title, open_package
from ingest.models import Block, BlockKind, Cell, ParsedDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*([1-9])$", re.I)
_TITLE_STYLE = re.compile(r"^(?:title|rubrik)$", re.I)
_LIST_STYLE = re.compile(r"^(?:list (?:bullet|number)|punktlista|numrerad lista)", re.I)
_TOC_STYLE = re.compile(r"^(?:toc\s*(?:\d|heading)|innehåll\s*\d|innehållsförteckningsrubrik)", re.I)
# Elements whose content is never visible body text.
_SKIPPED = {f"{W}pPr", f"{W}rPr", f"{W}del", f"{W}moveFrom", f"{W}sdtPr", f"{W}sdtEndPr", _MC_FALLBACK}
_CHARACTERS = {f"{W}tab": " ", f"{W}ptab": " ", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
_FIELDS_TO_DROP = ("TOC", "INDEX")  # a table of contents or an index repeats headings with page numbers


@dataclass(frozen=True)
class _Style:
    """What a paragraph style means for us, with its basedOn chain resolved."""

    name: str = ""
    outline: int | None = None  # outline level 0-8 makes a heading, 9 is body text
    numbered: bool = False


@dataclass
class _Walk:
    """State of one walk through a document: styles, open fields, footnote numbers, the title."""

    styles: dict[str, _Style]
    default: _Style
    fields: list[str] = field(default_factory=list)  # instruction text of each open field, innermost last
    notes: dict[str, int] = field(default_factory=dict)  # footnote id -> number in reading order
    title: str | None = None

    @property
    def in_dropped_field(self) -> bool:
        return any(instr.lstrip().upper().startswith(_FIELDS_TO_DROP) for instr in self.fields)

    def note_marker(self, note_id: str) -> str:
        return f"[{self.notes.setdefault(note_id, len(self.notes) + 1)}]"


def _val(element: _Element | None, tag: str) -> str | None:
    """The w:val of a child element, or None when the child is missing."""
    child = None if element is None else element.find(f"{W}{tag}")
    return None if child is None else child.get(f"{W}val")


def _numbered(ppr: _Element | None) -> bool | None:
    """True/False when pPr sets numbering (numId 0 switches it off), None when it says nothing."""
    num = None if ppr is None else ppr.find(f"{W}numPr")
    return None if num is None else _val(num, "numId") not in (None, "0")


def _read_styles(document: Document) -> tuple[dict[str, _Style], _Style]:
    """Paragraph styles by id, and the default paragraph style."""
    raw = {el.get(f"{W}styleId") or "": el for el in document.styles.element.iterchildren(f"{W}style")}
    styles: dict[str, _Style] = {}
    default = _Style()
    for style_id, element in raw.items():
        chain = [element]
        while len(chain) < 10 and (base := raw.get(_val(chain[-1], "basedOn") or "")) is not None:
            chain.append(base)
        outline = next((lvl for el in chain if (lvl := _val(el.find(f"{W}pPr"), "outlineLvl")) is not None), "")
        numbered = next((num for el in chain if (num := _numbered(el.find(f"{W}pPr"))) is not None), False)
        style = _Style(_val(element, "name") or style_id, int(outline) if outline.isdigit() else None, numbered)
        styles[style_id] = style
        if element.get(f"{W}type") == "paragraph" and element.get(f"{W}default") in ("1", "true"):
            default = style
    return styles, default


def _hidden(run: _Element) -> bool:
    """Whether a run is formatted as hidden text."""
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(f"{W}val") not in ("0", "false", "off")


def _collect(element: _Element, walk: _Walk, out: list[str]) -> None:
    """Append the visible text inside `element` to `out`, keeping track of fields on the way."""
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED or (tag == f"{W}r" and _hidden(child)):
            continue
        if tag == f"{W}fldChar":
            kind = child.get(f"{W}fldCharType")
            if kind == "begin":
                walk.fields.append("")
            elif kind == "end" and walk.fields:
                walk.fields.pop()
        elif tag == f"{W}instrText":
            if walk.fields:
                walk.fields[-1] += child.text or ""
        elif walk.in_dropped_field:
            _collect(child, walk, [])  # still follow the fields, to find where the dropped one ends
        elif tag == f"{W}t":
            out.append(child.text or "")
        elif tag in _CHARACTERS:
            out.append(_CHARACTERS[tag])
        elif tag == f"{W}footnoteReference":
            out.append(walk.note_marker(child.get(f"{W}id") or ""))
        elif tag == f"{W}fldSimple" and (child.get(f"{W}instr") or "").lstrip().upper().startswith(_FIELDS_TO_DROP):
            continue
        else:
            if tag == f"{W}p":
                out.append("\n")  # a paragraph inside a text box
            _collect(child, walk, out)


def _text(element: _Element, walk: _Walk) -> str:
    """The visible text of a paragraph (or a footnote) as one clean line."""
    pieces: list[str] = []
    _collect(element, walk, pieces)
    return join_lines("".join(pieces).split("\n"))


def _heading_level(style: _Style, ppr: _Element | None) -> int | None:
    """Heading level from the style name ("Heading 2", "Rubrik 2"), else from the outline level."""
    if match := _HEADING_STYLE.match(style.name):
        return int(match[1])
    direct = _val(ppr, "outlineLvl")
    outline = int(direct) if direct and direct.isdigit() else style.outline
    return outline + 1 if outline is not None and outline < 9 else None


def _paragraph(p: _Element, walk: _Walk) -> Block | None:
    """One body paragraph as a block; None for empty paragraphs and the table of contents."""
    ppr = p.find(f"{W}pPr")
    style = walk.styles.get(_val(ppr, "pStyle") or "", walk.default)
    text = _text(p, walk)
    if not text or _TOC_STYLE.match(style.name):
        return None
    if _TITLE_STYLE.match(style.name):
        walk.title = walk.title or text
        return Block(text, "heading", 1)
    level = _heading_level(style, ppr)
    if level is not None and len(text) <= 300:  # a long "heading" is a paragraph styled by mistake
        return Block(text, "heading", level)
    numbered = _numbered(ppr)
    listed = _LIST_STYLE.match(style.name) or (style.numbered if numbered is None else numbered)
    kind: BlockKind = "list_item" if listed else "paragraph"
    return Block(text, kind)


def _table(tbl: _Element, walk: _Walk) -> list[Block]:
    """One "table" block per row with text; cells joined by " | ", and kept in grid order with their spans
    (a vertically merged cell's continuation is an empty cell in its column)."""
    blocks: list[Block] = []
    for row in tbl.iterchildren(f"{W}tr"):
        cells = [Cell(join_cell([b.text for b in _blocks(cell, walk)]), _span(cell)) for cell in _grid(row)]
        if any(cell.text for cell in cells):
            blocks.append(Block(" | ".join(c.text for c in cells if c.text), "table", cells=tuple(cells)))
    return blocks


def _grid(row: _Element) -> list[_Element]:
    """Every cell of a table row in grid order, continuations of vertically merged cells included."""
    cells: list[_Element] = []
    for child in row.iterchildren():
        if child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            cells.extend(_grid(child))
        elif child.tag == f"{W}tc":
            cells.append(child)
    return cells


def _span(cell: _Element) -> int:
    span = cell.find(f"{W}tcPr/{W}gridSpan")
    value = span.get(f"{W}val") if span is not None else None
    return int(value) if value is not None and value.isdigit() and int(value) > 0 else 1


def _is_toc_control(sdt: _Element) -> bool:
    """Whether a content control holds Word's table of contents."""
    gallery = _val(sdt.find(f"{W}sdtPr/{W}docPartObj"), "docPartGallery") or ""
    return "table of contents" in gallery.lower()


def _blocks(container: _Element, walk: _Walk) -> list[Block]:
    """The blocks of a body, cell or content control, in document order."""
    blocks: list[Block] = []
    for child in container.iterchildren():
        if child.tag == f"{W}p":
            if (block := _paragraph(child, walk)) is not None:
                blocks.append(block)
        elif child.tag == f"{W}tbl":
            blocks.extend(_table(child, walk))
        elif child.tag in (f"{W}sdtContent", f"{W}customXml", f"{W}ins") or (
            child.tag == f"{W}sdt" and not _is_toc_control(child)
        ):
            blocks.extend(_blocks(child, walk))
    return blocks


def _footnotes(document: Document, walk: _Walk) -> list[Block]:
    """The referenced footnotes as "footnote" blocks, in the order of their numbers."""
    try:
        part = document.part.part_related_by(RELATIONSHIP_TYPE.FOOTNOTES)
    except KeyError:
        return []
    root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
    texts: dict[str, str] = {}
    for note in root.iterchildren(f"{W}footnote"):
        if note.get(f"{W}type") in (None, "normal"):
            walk.fields = []
            texts[note.get(f"{W}id") or ""] = _text(note, walk)
    numbered = sorted(walk.notes.items(), key=lambda item: item[1])
    return [Block(f"[{number}] {texts[note_id]}", "footnote") for note_id, number in numbered if texts.get(note_id)]


def _open(data: bytes) -> Document:
    """The python-docx document of a checked package."""
    return open_package(docx.Document, data, "DOCX")


def _title(document: Document, walk: _Walk, blocks: list[Block], name: str) -> str:
    """Core-properties title if meaningful, else the Title paragraph, else the first heading 1, else the stem."""
    core = clean_line(document.core_properties.title or "")
    if meaningful_title(core):
        return core
    first_heading = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    return walk.title or first_heading or Path(name).stem


def load_docx(data: bytes, name: str) -> ParsedDocument:
    """Parse a Word document into blocks in reading order; raises an IngestError when it cannot."""
    check_package(data, "DOCX")
    document = _open(data)
    with library_errors("DOCX"):
        styles, default = _read_styles(document)
        walk = _Walk(styles, default)
        blocks = _blocks(document.element.body, walk)
        blocks.extend(_footnotes(document, walk))
        title = _title(document, walk, blocks, name)
    if not blocks:
        raise EmptyDocument("no text in DOCX")
    return ParsedDocument(name, "docx", title, tuple(blocks), pages=None)
