"""PDF loader: pypdf text runs become lines, lines become headings, paragraphs and list items.

pypdf (BSD) hands every text run of a page to a visitor with its font, size and position. Runs on
one baseline make a line; lines close together with the same style make a paragraph; a line that
starts with a bullet glyph starts a list item. Lines that repeat at the top or bottom of most pages
(digits masked, so "Sida 3 av 17" matches "Sida 4 av 17") are running headers and footers and are
dropped, as are lone page numbers there. Headings are blocks in a larger or bold font, ranked by
size into levels 1-3; in a slide deck (every page landscape) each slide's title is a level-1 heading. A
month-by-month overview (a header line of month names side by side) is read as the table it is: one row per
label on its left, each cell under the month its text starts in, as Word's tables come out.
"""

from __future__ import annotations

import io
import math
import re
import statistics
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from pypdf import PdfReader, mult
from pypdf.errors import DependencyError

from ingest.cleaning import clean_line, is_bullet, join_cell, join_lines
from ingest.errors import (
    DamagedDocument,
    EmptyDocument,
    EncryptedDocument,
    IngestError,
    NeedsOCR,
    TooLarge,
    TooMuchContent,
)
from ingest.limits import MAX_TEXT_CHARS
from ingest.models import Block, BlockKind, Cell, ParsedDocument

MAX_PAGES = 3000
TIME_LIMIT_S = 120.0

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^[-–(\[]?\s*(?:sida|page|s\.)?\s*(\d{1,4})(?:\s*(?:av|of|/)\s*\d{1,4})?\s*[-–)\]]?$", re.I)
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[a-zA-Z])[.)]\s*$")
_FOOTNOTE = re.compile(r"^(?:\d{1,3}|\*+|†)\s*\S")
_LEADER_DOTS = re.compile(r"(?:\s?\.){4,}|…{2,}")
_MEANINGLESS_TITLE = re.compile(
    r"^(?:untitled|namnlös|document\d*|dokument\d*|presentation\d*)$|microsoft|powerpoint|\.\w{3,4}$", re.I
)


@dataclass
class _Line:
    """One baseline of text on a page, with the style of its runs."""

    x: float  # where the first run starts
    y: float  # the baseline
    size: float
    bold: bool
    end: float  # where the last run ends
    text_x: float | None  # where the text after a bullet or list number starts
    parts: list[str] = field(default_factory=list)

    @property
    def raw(self) -> str:
        return "".join(self.parts)


@dataclass
class _Page:
    number: int
    height: float
    landscape: bool
    lines: list[_Line]


@dataclass
class _Para:
    """Lines that make one block (a table row's cells, in grid order, for a row of a month overview)."""

    lines: list[_Line]
    page: int
    kind: BlockKind = "paragraph"
    level: int | None = None
    cells: tuple[Cell, ...] = ()

    @property
    def first(self) -> _Line:
        return self.lines[0]

    @property
    def text(self) -> str:
        if self.cells:
            return " | ".join(cell.text for cell in self.cells if cell.text)
        return join_lines([_LEADER_DOTS.sub(" ", line.raw) for line in self.lines])


class _LineCollector:
    """The pypdf text visitor: collects the runs of one page into lines, one per baseline and column."""

    def __init__(self, deadline: float, chars: int, fonts: dict[int, tuple[Any, Callable[[str], float]]]) -> None:
        self.lines: list[_Line] = []
        self.current: _Line | None = None
        self.deadline = deadline
        self.chars = chars  # characters read so far in the document
        self.fonts = fonts  # em width of a text per font resource, shared by all pages

    def __call__(self, text: Any, cm: Any, tm: Any, font: Any, font_size: Any) -> None:
        self.chars += len(text)
        _check_budget(self.deadline, self.chars)
        m = mult(tm, cm)
        size = float(font_size) * (math.hypot(m[2], m[3]) or 1.0)
        width_scale = float(font_size) * (math.hypot(m[0], m[1]) or 1.0)
        name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        measure = self._measure(font)
        for index, piece in enumerate(str(text).split("\n")):
            if index:
                self.flush()
            if piece.strip():
                end = float(m[4]) + measure(piece) * width_scale
                self.add(piece, float(m[4]), float(m[5]), size, end, bool(_BOLD_FONT.search(name)))

    def _measure(self, font: Any) -> Callable[[str], float]:
        if id(font) not in self.fonts:
            self.fonts[id(font)] = (font, _text_width(font))  # the font is kept so that its id stays its own
        return self.fonts[id(font)][1]

    def add(self, text: str, x: float, y: float, size: float, end: float, bold: bool) -> None:
        line = self.current
        # A run on the line's baseline continues it, unless a gap wider than a word space (a new column) comes first;
        # after a lone bullet or list number the text that follows belongs to it.
        reach = (5.0 if line is None or line.text_x is None else 1.2) * size
        if line is not None and abs(y - line.y) <= 0.5 * max(size, line.size) and -size < x - line.end < reach:
            if x - line.end > 0.15 * size and not line.parts[-1][-1:].isspace() and not text[:1].isspace():
                text = " " + text  # a gap between runs is a word space
            line.parts.append(text)
            line.end, line.size, line.bold = end, max(line.size, size), line.bold and bold
            if line.text_x is None:
                line.text_x = x
            return
        self.flush()
        marker = is_bullet(text) or bool(_LIST_NUMBER.match(text))
        self.current = _Line(x, y, size, bold, end, None if marker else x, [text])

    def flush(self) -> None:
        if self.current is not None and clean_line(self.current.raw):
            self.lines.append(self.current)
        self.current = None


def _text_width(font: Any) -> Callable[[str], float]:
    """A function giving a text's width in em from the font's glyph widths (half an em per glyph if unknown)."""
    try:  # pypdf's font metrics live in a private module: when it moves, estimate
        from pypdf.generic._font import Font

        metrics = Font.from_font_resource(font)
        codes = {unicode: code for code, unicode in metrics.character_map.items()}
        widths, default = metrics.character_widths, float(metrics.character_widths.get("default", 500) or 500)
    except Exception:  # no or broken font dictionary: estimate
        return lambda text: 0.5 * len(text)
    return lambda text: sum(float(widths.get(codes.get(char, char), default)) for char in text) / 1000


def load_pdf(data: bytes, name: str) -> ParsedDocument:
    """Parse a PDF into blocks; raises an IngestError subclass when the file cannot be read."""
    if not data:
        raise EmptyDocument("empty file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _parse(data, name)
    except IngestError:
        raise
    except Exception as error:  # pypdf raises many types on hostile input; all mean the same to us
        raise DamagedDocument(f"corrupt or truncated PDF ({type(error).__name__}: {error})") from error


def _parse(data: bytes, name: str) -> ParsedDocument:
    reader = _open(data)
    pages = _read_pages(reader)
    if not any(page.lines for page in pages):
        raise NeedsOCR("no extractable text (scanned document, OCR needed)")
    _drop_running_lines(pages)
    paras = [para for page in pages for para in _paragraphs(page)]
    if not paras:
        raise EmptyDocument("no text besides running headers and footers")
    if all(page.landscape for page in pages):
        _mark_slide_titles(pages, paras)
    else:
        _mark_headings(paras)
    blocks = tuple(
        Block(text, kind=para.kind, level=para.level, page=para.page, cells=para.cells)
        for para in paras
        if (text := para.text)
    )
    if not blocks:
        raise NeedsOCR("no extractable text (scanned document, OCR needed)")
    return ParsedDocument(name, "pdf", _title(reader, blocks, name), blocks, pages=len(pages))


def _open(data: bytes) -> PdfReader:
    """A reader for an intact PDF; a missing end marker means the file was cut short."""
    if b"%PDF-" not in data[:1024]:
        raise DamagedDocument("not a PDF: no %PDF- header")
    tail = data[-4096:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise DamagedDocument("corrupt or truncated PDF: end-of-file marker or xref offset missing")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)  # tries the empty password itself
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedDocument("password-protected PDF")
    except DependencyError as error:  # AES, even with an empty password, needs the optional 'cryptography' package
        raise EncryptedDocument("password-protected PDF (AES; opening it needs the 'cryptography' package)") from error
    return reader


def _check_budget(deadline: float, chars: int) -> None:
    """Stop reading a hostile or huge file: a time limit and a text size limit for the whole document."""
    if time.monotonic() > deadline:
        raise DamagedDocument(f"PDF took over {TIME_LIMIT_S:.0f} s to read")
    if chars > MAX_TEXT_CHARS:
        raise TooMuchContent(f"PDF text is over {MAX_TEXT_CHARS:,} characters")


def _read_pages(reader: PdfReader) -> list[_Page]:
    """Every page's lines, within the time and size limits."""
    if len(reader.pages) > MAX_PAGES:
        raise TooLarge(f"PDF has {len(reader.pages)} pages, over the limit of {MAX_PAGES}")
    deadline = time.monotonic() + TIME_LIMIT_S
    fonts: dict[int, tuple[Any, Callable[[str], float]]] = {}
    pages: list[_Page] = []
    chars = 0
    for number, page in enumerate(reader.pages, start=1):
        _check_budget(deadline, chars)
        collector = _LineCollector(deadline, chars, fonts)
        page.extract_text(visitor_text=collector)
        collector.flush()
        chars = collector.chars
        box = page.mediabox  # unrotated, like the positions of the text
        pages.append(_Page(number, float(box.height), float(box.width) > float(box.height), collector.lines))
    return pages


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove running headers/footers (same text, digits masked, same place on most pages) and page numbers."""
    seen: dict[tuple[str, str], list[tuple[float, int, _Line]]] = defaultdict(list)
    drop: set[int] = set()
    for page in pages:
        by_height = sorted(page.lines, key=lambda line: -line.y)  # the two top and the two bottom lines
        edges = [("top", page.height - line.y, line) for line in by_height[:2]]
        edges += [("bottom", line.y, line) for line in by_height[2:][-2:]]
        for zone, distance, line in edges:
            text = clean_line(line.raw)
            number = _PAGE_NUMBER.match(text)
            if number and int(number.group(1)) == page.number:  # a lone page number ("4", "- 4 -", "Sida 4")
                drop.add(id(line))
            seen[zone, re.sub(r"\d+", "#", text.lower())].append((distance, page.number, line))
    needed = max(2, math.ceil(0.5 * sum(1 for page in pages if page.lines)))
    for occurrences in seen.values():
        middle = statistics.median(distance for distance, _, _ in occurrences)
        same_place = [(n, line) for distance, n, line in occurrences if abs(distance - middle) <= 6]
        if len({n for n, _ in same_place}) >= needed:
            drop.update(id(line) for _, line in same_place)
    for page in pages:
        page.lines = [line for line in page.lines if id(line) not in drop]


def _starts_block(para: _Para, line: _Line) -> bool:
    """Whether a line begins a new block rather than continuing the paragraph before it."""
    previous, first = para.lines[-1], para.first
    if is_bullet(line.raw) or abs(line.size - first.size) > 0.5 or line.bold != first.bold:
        return True
    gap = previous.y - line.y
    limit = 1.25 * (para.lines[-2].y - previous.y) if len(para.lines) >= 2 else 1.5 * line.size
    if gap <= 0.2 * line.size or gap > limit:
        return True
    return not _aligned(first, previous, line)


def _aligned(first: _Line, previous: _Line, line: _Line) -> bool:
    """Whether a line lines up with its paragraph: left edge (or hanging indent), centre or right edge."""
    tolerance = max(2.0, 0.2 * line.size)
    indent = first.text_x if first.text_x is not None else first.x
    centre_shift = abs((previous.x + previous.end) / 2 - (line.x + line.end) / 2)
    return (
        abs(line.x - indent) <= tolerance
        or abs(line.x - previous.x) <= tolerance
        or (centre_shift <= line.size and line.x > first.x - 0.5 * (first.end - first.x))
        or (abs(line.end - previous.end) <= tolerance and line.x > first.x)
    )


def _paragraphs(page: _Page) -> list[_Para]:
    header = _month_header(page.lines)
    if header is not None:  # the lines before a month overview, the overview row by row, the lines after it
        before, table, after = _split_at_table(page, header)
        return _paragraphs(before) + _month_rows(table, header, page.number) + _paragraphs(after)
    paras: list[_Para] = []
    for line in page.lines:
        if paras and not _starts_block(paras[-1], line):
            paras[-1].lines.append(line)
        else:
            paras.append(_Para([line], page.number, "list_item" if is_bullet(line.raw) else "paragraph"))
    return paras


# a month as a month-by-month overview's header writes it: "JAN", "Feb", "mars", "Sept"
_MONTH_HEADER = re.compile(
    r"^(?:jan(?:uari)?|feb(?:ruari)?|mar(?:s)?|apr(?:il)?|maj|jun(?:i)?|jul(?:i)?|aug(?:usti)?|sept?(?:ember)?|"
    r"okt(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$",
    re.IGNORECASE,
)


def _month_header(lines: list[_Line]) -> list[_Line] | None:
    """The header of a month-by-month overview on a page: three or more month names side by side on one
    baseline ("JAN  FEB  MAR …"), left to right; None when the page has none."""
    months = [line for line in lines if _MONTH_HEADER.match(clean_line(line.raw))]
    for line in months:
        row = sorted((m for m in months if abs(m.y - line.y) <= 1.0), key=lambda m: m.x)
        if len(row) >= 3 and all(b.x - a.end > a.size for a, b in pairwise(row)):
            return row
    return None


def _split_at_table(page: _Page, header: list[_Line]) -> tuple[_Page, list[_Line], _Page]:
    """A page's lines before a month overview's header, the overview's (the header's and those after it,
    up to the first line above the header or in a larger font, a heading), and the lines after it."""
    top = header[0].y
    size = max(line.size for line in header)
    start = min(page.lines.index(line) for line in header)
    end = start
    for index in range(start, len(page.lines)):
        line = page.lines[index]
        if line.y > top + 1.0 or line.size > 1.3 * size:
            break
        end = index + 1
    rest = page.lines[end:]
    return (
        _Page(page.number, page.height, page.landscape, page.lines[:start]),
        page.lines[start:end],
        _Page(page.number, page.height, page.landscape, rest),
    )


def _month_rows(lines: list[_Line], header: list[_Line], page: int) -> list[_Para]:
    """A month overview read row by row, as a Word table is: its header, then for each row label on the left
    ("Återapportering", "Bolagen") the cells beside and below it, each under the month its text starts in,
    spanning the months its text reaches into."""
    starts = [line.x for line in header]
    tolerance = 0.5 * header[0].size

    def column(line: _Line) -> int:  # -1: the labels' column, left of the first month
        return max((i for i, x in enumerate(starts) if line.x >= x - tolerance), default=-1)

    cells: list[tuple[int, list[_Line]]] = []  # each cell's column and lines, in reading order
    for line in lines:
        if line in header:
            continue
        last = cells[-1] if cells else None
        if last is not None and last[0] == column(line) and 0 < last[1][-1].y - line.y <= 1.5 * line.size:
            last[1].append(line)
        else:
            cells.append((column(line), [line]))
    labels = sorted((lines_[0].y for col, lines_ in cells if col < 0), reverse=True)

    def row_of(first: _Line) -> int:  # the label at or above the cell's first line, by their tops
        return max((i for i, y in enumerate(labels) if y >= first.y - tolerance), default=0)

    placed = [(row_of(cell_lines[0]), col, cell_lines) for col, cell_lines in cells]

    def below_its_row(row: int, cell_lines: list[_Line]) -> bool:  # starts where the rest of its row has ended
        others = [lines_ for r, col, lines_ in placed if r == row and col >= 0 and lines_ is not cell_lines]
        return bool(others) and all(lines_[-1].y > cell_lines[0].y + tolerance for lines_ in others)

    grid: dict[float, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    spans: dict[tuple[float, int], int] = {}
    row_lines: dict[float, list[_Line]] = defaultdict(list)
    for label_row, col, cell_lines in placed:
        reach = max(line.end for line in cell_lines)
        span = 1 + sum(1 for x in starts[col + 1 :] if col >= 0 and reach > x + tolerance)
        # text across the months, or under the last cells of its label's row ("Förvaltningarna … arbetar med
        # verksamhetsplaner …" at the table's foot, wrapped narrower), is a row of its own across them all, as
        # a Word table's merged row is
        alone = col == 0 and (span == len(starts) or below_its_row(label_row, cell_lines))
        row: float = label_row + 0.5 if alone else label_row
        span = len(starts) if alone else span
        row_lines[row] += cell_lines
        grid[row][col].append(join_lines([line.raw for line in cell_lines]))
        spans[row, col] = max(spans.get((row, col), 1), span)
    header_cells = (Cell(""), *(Cell(clean_line(line.raw)) for line in header))
    rows = [_Para(list(header), page, "table", cells=header_cells)]
    for row in sorted(grid):
        found: list[Cell] = [Cell(join_cell(grid[row].get(-1, [])))]
        col = 0
        while col < len(starts):  # a wide cell spans the months it reaches into, up to the next filled one
            taken = next((c for c in range(col + 1, len(starts)) if grid[row].get(c)), len(starts))
            span = min(spans.get((row, col), 1), taken - col)
            found.append(Cell(join_cell(grid[row].get(col, [])), span))
            col += span
        if any(cell.text for cell in found):
            rows.append(_Para(row_lines[row], page, "table", cells=tuple(found)))
    return rows


def _could_be_heading(para: _Para) -> bool:
    text = para.text
    return (
        para.kind == "paragraph"
        and len(para.lines) <= 3
        and 2 <= len(text) <= 150
        and sum(char.isalpha() for char in text) >= 2
        and not text.endswith((".", ",", ";"))
    )


def _mark_headings(paras: list[_Para]) -> None:
    """Larger-than-body or bold short blocks become headings, sizes ranked into levels 1-3; footnotes are marked."""
    sizes: Counter[float] = Counter()
    for para in paras:
        for line in para.lines:
            sizes[round(line.size * 2) / 2] += len(line.raw)
    body = sizes.most_common(1)[0][0]
    headings = [
        para
        for para in paras
        if _could_be_heading(para)
        and (para.first.size >= body + 1 or (para.first.bold and para.first.size >= body - 0.25))
    ]
    for index, para in enumerate(paras):  # small print at the foot of a page that starts "1 " or "*": a footnote
        last_on_page = index + 1 == len(paras) or paras[index + 1].page != para.page
        if last_on_page and para.first.size <= body - 1 and _FOOTNOTE.match(para.text):
            para.kind = "footnote"
    styles = Counter((round(para.first.size * 2) / 2, para.first.bold) for para in headings)
    ranked = sorted(styles, reverse=True)
    if len(ranked) > 3 and styles[ranked[0]] == 1 and headings[0].page == 1:
        ranked = ranked[1:]  # a one-off largest heading on page 1 is the document title: level 1 too
    for para in headings:
        style = (round(para.first.size * 2) / 2, para.first.bold)
        para.kind, para.level = "heading", min(ranked.index(style) + 1 if style in ranked else 1, 3)


def _mark_slide_titles(pages: list[_Page], paras: list[_Para]) -> None:
    """On a slide, the first block in the page's largest font is the title when it is short."""
    largest = {page.number: max((line.size for line in page.lines), default=0.0) for page in pages}
    done: set[int] = set()
    for para in paras:
        if para.page not in done and para.first.size >= largest[para.page] - 0.5:
            done.add(para.page)
            if _could_be_heading(para):
                para.kind, para.level = "heading", 1


def _title(reader: PdfReader, blocks: tuple[Block, ...], name: str) -> str:
    """The metadata title when it says something, else the first heading, else the file name."""
    try:
        title = clean_line(str(reader.metadata.title or "")) if reader.metadata else ""
    except Exception:  # a broken info dictionary is no reason to reject the text
        title = ""
    if len(title) >= 3 and any(char.isalpha() for char in title) and not _MEANINGLESS_TITLE.search(title):
        return title
    heading = next((block.text for block in blocks if block.kind == "heading"), None)
    return heading or Path(name).stem
