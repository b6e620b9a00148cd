"""PPTX loader: one page per slide; the slide title is a heading, then the text of the shapes top to bottom.

python-pptx (MIT) opens the package. On each slide the shapes are read by position: row bands from the
top, the title placeholder (a level-1 heading) first in its band, then from the left; group shapes are
recursed. Text placed above the title (a left-over template hint, say) stays above it, as on screen. Every text-frame
paragraph is a block: a list item when it has a bullet (set on the paragraph, or inherited from the
layout and master for placeholders) or an indent level, otherwise a paragraph. A table gives one "table"
block per row with its cells joined by " | " (a merged cell once). Speaker notes end the slide as
paragraphs. Footer, date and slide-number placeholders are page chrome and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pptx
from lxml.etree import QName, _Element
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation
from pptx.shapes.autoshape import Shape
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.group import GroupShape
from pptx.slide import Slide
from pptx.table import Table
from pptx.table import _Cell as _TableCell
from pptx.text.text import _Paragraph

from ingest.cleaning import clean_line, join_lines
from ingest.errors import EmptyDocument
from ingest.loaders._office import check_package, library_errors, meaningful_title, open_package
from ingest.models import Block, BlockKind, Cell, ParsedDocument

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
ROW_BAND_EMU = 182_880  # shapes whose tops differ by less than 0.2 inch are read as one row, left to right

_TITLES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE}
_CHROME = {PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.HEADER}
_BULLETS = {"buChar", "buAutoNum", "buBlip"}


def _text(raw: str) -> str:
    """Text of a paragraph or cell on one line; line breaks (vertical tab in python-pptx) become spaces."""
    return join_lines(raw.replace("\v", "\n").split("\n"))


def _placeholder_type(shape: BaseShape) -> PP_PLACEHOLDER | None:
    """The placeholder type of a shape, None for shapes that are not placeholders."""
    return shape.placeholder_format.type if shape.is_placeholder else None


def _bullet_setting(ppr: _Element | None) -> bool | None:
    """True when paragraph properties set a bullet, False when they switch it off, None when silent."""
    for child in () if ppr is None else ppr.iterchildren():
        name = QName(child).localname
        if name == "buNone":
            return False
        if name in _BULLETS:
            return True
    return None


def _list_styles(shape: BaseShape, slide: Slide) -> list[_Element]:
    """Where a shape's paragraphs inherit bullets from: its own list style, then layout and master."""
    styles = [el for el in shape.element.iterfind(f"{P}txBody/{A}lstStyle")]
    if not shape.is_placeholder:
        return styles
    layout = slide.slide_layout
    master = layout.slide_master
    is_title = _placeholder_type(shape) in _TITLES
    bases = [
        layout.placeholders.get(idx=shape.placeholder_format.idx),
        master.placeholders.get(PP_PLACEHOLDER.TITLE if is_title else PP_PLACEHOLDER.BODY),
    ]
    for base in bases:
        if base is not None:
            styles.extend(base.element.iterfind(f"{P}txBody/{A}lstStyle"))
    styles.extend(master.element.iterfind(f"{P}txStyles/{P}{'titleStyle' if is_title else 'bodyStyle'}"))
    return styles


def _is_list_item(paragraph: _Paragraph, inherited: list[_Element]) -> bool:
    """Whether a paragraph shows a bullet (own setting, else inherited for its level) or is indented."""
    level = f"{A}lvl{min(paragraph.level, 8) + 1}pPr"
    settings = [paragraph._p.pPr, *(style.find(level) for style in inherited)]
    for ppr in settings:
        if (setting := _bullet_setting(ppr)) is not None:
            return setting
    return paragraph.level > 0


def _frame_blocks(shape: Shape, slide: Slide, number: int) -> list[Block]:
    """The paragraphs of a shape's text frame as paragraphs and list items."""
    inherited = _list_styles(shape, slide)
    blocks: list[Block] = []
    for paragraph in shape.text_frame.paragraphs:
        if text := _text(paragraph.text):
            kind: BlockKind = "list_item" if _is_list_item(paragraph, inherited) else "paragraph"
            blocks.append(Block(text, kind, page=number))
    return blocks


def _table_blocks(table: Table, number: int) -> list[Block]:
    """One "table" block per row with text; cells joined by " | ", a merged cell once."""
    blocks: list[Block] = []
    for row in table.rows:
        cells = tuple(_cell(cell) for cell in row.cells if not cell._tc.hMerge)  # a merged cell once
        if any(cell.text for cell in cells):
            blocks.append(Block(" | ".join(c.text for c in cells if c.text), "table", page=number, cells=cells))
    return blocks


def _cell(cell: _TableCell) -> Cell:
    """A cell at its place in the grid: the continuation of a cell merged from above is an empty cell."""
    return Cell("", 1) if cell.is_spanned else Cell(_text(cell.text), cell.span_width)


def _ordered(shapes: Iterable[BaseShape], title_id: int | None = None) -> list[BaseShape]:
    """Shapes in reading order: by row band from the top, the title first in its band, then from the left."""
    return sorted(shapes, key=lambda s: ((s.top or 0) // ROW_BAND_EMU, s.shape_id != title_id, s.left or 0))


def _shape_blocks(shape: BaseShape, slide: Slide, number: int) -> Iterator[Block]:
    """The blocks of one shape; group shapes are recursed."""
    if _placeholder_type(shape) in _CHROME:
        return
    if isinstance(shape, GroupShape):
        for child in _ordered(shape.shapes):
            yield from _shape_blocks(child, slide, number)
    elif isinstance(shape, Shape) and shape.has_text_frame:
        yield from _frame_blocks(shape, slide, number)
    elif isinstance(shape, GraphicFrame) and shape.has_table:
        yield from _table_blocks(shape.table, number)


def _slide_blocks(slide: Slide, number: int) -> list[Block]:
    """The slide's shapes in reading order (the title as a level-1 heading), then the speaker notes."""
    blocks: list[Block] = []
    title = slide.shapes.title
    title_id = None if title is None else title.shape_id
    for shape in _ordered(slide.shapes, title_id):
        if shape.shape_id != title_id:
            blocks.extend(_shape_blocks(shape, slide, number))
        elif isinstance(shape, Shape) and (text := _text(shape.text_frame.text)):
            blocks.append(Block(text, "heading", 1, number))
    if slide.has_notes_slide and (notes := slide.notes_slide.notes_text_frame) is not None:
        blocks.extend(Block(text, page=number) for p in notes.paragraphs if (text := _text(p.text)))
    return blocks


def _open(data: bytes) -> Presentation:
    """The python-pptx presentation of a checked package."""
    return open_package(pptx.Presentation, data, "PPTX")


def _title(presentation: Presentation, blocks: list[Block], name: str) -> str:
    """Core-properties title if meaningful, else the first slide's title, else the file stem."""
    core = clean_line(presentation.core_properties.title or "")
    if meaningful_title(core):
        return core
    first = next((b.text for b in blocks if b.page == 1 and b.kind == "heading"), None)
    return first or Path(name).stem


def load_pptx(data: bytes, name: str) -> ParsedDocument:
    """Parse a PowerPoint deck into blocks, one page per slide; raises an IngestError when it cannot."""
    check_package(data, "PPTX")
    presentation = _open(data)
    with library_errors("PPTX"):
        slides = list(presentation.slides)
        blocks = [block for number, slide in enumerate(slides, 1) for block in _slide_blocks(slide, number)]
        title = _title(presentation, blocks, name)
    if not blocks:
        raise EmptyDocument("no text in PPTX")
    return ParsedDocument(name, "pptx", title, tuple(blocks), pages=len(slides))
