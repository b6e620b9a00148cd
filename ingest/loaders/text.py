"""Plain text and Markdown: decoded without mojibake, turned into headings, paragraphs and list items.

Plain text exported from PDFs and slide decks has very irregular line breaks: lines broken
mid-sentence, blank lines inside sentences, runs of blank lines between slides, bullets as "•" or
lost altogether (a leading space). Paragraphs are runs of non-blank lines; a run that starts in lower
case continues the paragraph before it. A short line that looks like a title and is followed by body
text is a heading: level 1 for a numbered chapter ("5. Ekonomi"), else level 2. Any paragraph longer
than MAX_BLOCK_CHARS is split at sentence (else word) boundaries, so a 5 MB line stays cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import PurePath

from ingest.cleaning import clean_line, is_bullet, join_lines
from ingest.errors import EmptyDocument
from ingest.models import Block, BlockKind, Format, ParsedDocument

MAX_BLOCK_CHARS = 2000
HEADING_CHARS = 60
TITLE_CHARS = 120

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf\u2013-\u203a\u0152-\u0178\u02c6\u02dc]")
_LIST_MARK = re.compile(r"^\s*[-*]\s+(?=\S)")
_CHAPTER = re.compile(r"^\d{1,2}\.\s+[^\W\d_]")
_SUBCHAPTER = re.compile(r"^\d{1,2}(\.\d{1,2})+\.?\s+[^\W\d_]")
_INNER_SENTENCE = re.compile(r"\D[.!?]\s+[A-ZÅÄÖ]")  # a sentence ends inside the line ("5. Ekonomi" is fine)
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_FIRST_LINE = re.compile(r"\s*(\S[^\n]*)")
_SENTENCE_ENDS = (".", "!", "?", ":", ";")
# A line ending in one of these words is the start of a sentence, never a heading.
_SWEDISH_FUNCTION_WORDS = "att och som för av med i på till om en ett den det de är eller från vid samt men mot"
_FUNCTION_WORDS = frozenset(_SWEDISH_FUNCTION_WORDS.split())


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-8 (with or without BOM), else Windows-1252, else Latin-1.

    UTF-8 is tried strictly, so Latin-1 bytes never turn into U+FFFD; text that was UTF-8 encoded
    twice ("StrÃ¤ngnÃ¤s") is repaired.
    """
    candidates = [("utf-16", data)] if data.startswith(_UTF16_BOMS) else []
    bom = data.startswith(_UTF8_BOM)
    candidates += [("utf-8-sig" if bom else "utf-8", data), ("windows-1252", data.removeprefix(_UTF8_BOM))]
    for encoding, body in candidates:
        try:
            return _repair_double_encoding(body.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "iso-8859-1"


def charset(data: bytes) -> str:
    """The IANA name of the encoding `decode` reads a text file in ("utf-8", "utf-16", "windows-1252" …),
    for a Content-Type header."""
    encoding = decode(data)[1]
    return "utf-8" if encoding == "utf-8-sig" else encoding


def _repair_double_encoding(text: str) -> str:
    """UTF-8 read as Windows-1252 and saved again as UTF-8 ("StrÃ¤ngnÃ¤s" → "Strängnäs")."""
    try:
        return text.encode("cp1252").decode("utf-8") if _MOJIBAKE.search(text) else text
    except UnicodeError:
        return text


def split_paragraph(text: str, limit: int = MAX_BLOCK_CHARS) -> list[str]:
    """Pieces of at most `limit` characters, cut after a sentence where possible, else between words."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        end, floor = start + limit, start + limit // 4
        cut = max(text.rfind(mark, floor, end) for mark in (". ", "! ", "? "))
        if cut >= 0:
            cut += 1  # keep the full stop with its sentence
        else:
            cut = text.rfind(" ", floor, end)
            cut = end if cut < 0 else cut
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def load_text(data: bytes, name: str) -> ParsedDocument:
    """A plain text file as headings, paragraphs and list items."""
    text, _ = decode(data)
    parser = _PlainText()
    for run in _runs(text):
        parser.feed(run)
    first = _FIRST_LINE.match(text[:4096])
    return _document(name, "text", parser.blocks(), clean_line(first.group(1)) if first else "")


def load_markdown(data: bytes, name: str) -> ParsedDocument:
    """A Markdown file: ATX and setext headings, lists, tables and paragraphs, without the markup."""
    text, _ = decode(data)
    blocks = markdown_blocks(text)
    return _document(name, "markdown", blocks, blocks[0].text if blocks else "")


def _document(name: str, fmt: Format, blocks: list[Block], first_line: str) -> ParsedDocument:
    """The document, with over-long blocks split; EmptyDocument when no text is left."""
    pieces = [Block(p, b.kind, b.level) for b in blocks for p in split_paragraph(b.text)]
    if not pieces:
        raise EmptyDocument("no text")
    fallback = first_line if 0 < len(first_line) <= TITLE_CHARS else PurePath(name).stem
    title = next((b.text[:TITLE_CHARS] for b in pieces if b.kind == "heading"), fallback)
    return ParsedDocument(name, fmt, title, tuple(pieces))


def _runs(text: str) -> list[list[tuple[str, str]]]:
    """Runs of non-blank lines, each line as (raw, cleaned)."""
    lines = ((raw, clean_line(raw)) for raw in text.splitlines())
    return [list(run) for filled, run in groupby(lines, key=lambda pair: bool(pair[1])) if filled]


def heading_level(line: str) -> int | None:
    """The level a short title-like line would have as a heading, or None if it is no title."""
    if not 2 <= len(line) <= HEADING_CHARS or line.endswith((".", ",", ";", ":", "!", "-")):
        return None
    if line.rstrip("?").split()[-1].lower() in _FUNCTION_WORDS or _INNER_SENTENCE.search(line):
        return None
    if _CHAPTER.match(line):
        return 1
    return 2 if _SUBCHAPTER.match(line) or line[0].isupper() else None


@dataclass
class _Segment:
    kind: BlockKind  # "heading" means a candidate, decided once the next segment is known
    lines: list[str] = field(default_factory=list)
    level: int | None = None

    @property
    def text(self) -> str:
        return join_lines(self.lines)


class _PlainText:
    """Turns runs of lines into segments: paragraphs, list items and heading candidates."""

    def __init__(self) -> None:
        self.segments: list[_Segment] = []
        self.in_lost_list = False  # inside bullets whose glyphs were lost (lines start with a space)

    def feed(self, run: list[tuple[str, str]]) -> None:
        if len(run) == 1 and _PAGE_NUMBER.match(run[0][1]):
            return  # a page or slide number on a line of its own
        current = self._start(run[0])
        for index, (raw, line) in enumerate(run):
            following = run[index + 1][1] if index + 1 < len(run) else None
            current = self._line(current, raw, line, following)

    def _start(self, first: tuple[str, str]) -> _Segment | None:
        """The segment a run continues: the previous one for a lower-case start, a lost bullet, or none."""
        raw, line = first
        previous = self.segments[-1] if self.segments else None
        if previous is not None and previous.kind != "heading" and line[0].islower():
            return previous
        lost = raw.startswith(" ") and line[0].isupper() and not _is_list_line(raw)
        self.in_lost_list = lost and (self.in_lost_list or (previous is not None and previous.text.endswith(":")))
        return self._new("list_item") if self.in_lost_list else None

    def _line(self, current: _Segment | None, raw: str, line: str, following: str | None) -> _Segment | None:
        """Add one line; returns the segment the next line of the run continues (None: a new one)."""
        if _is_list_line(raw):
            item = self._new("list_item")
            item.lines.append(_LIST_MARK.sub("", line))
            return item
        if current is not None and current.kind == "list_item" and not _ends_item(current, line):
            current.lines.append(line)
            return current
        level = heading_level(line)
        after_sentence = current is None or current.lines[-1].endswith(_SENTENCE_ENDS)
        if level is not None and (after_sentence or level == 1) and not (following or "X")[0].islower():
            self._new("heading", level).lines.append(line)
            return None
        if current is None or current.kind != "paragraph":
            current = self._new("paragraph")
        current.lines.append(line)
        return current

    def _new(self, kind: BlockKind, level: int | None = None) -> _Segment:
        segment = _Segment(kind, level=level)
        self.segments.append(segment)
        return segment

    def blocks(self) -> list[Block]:
        """Blocks in reading order; a heading candidate is a heading only above body text or a sub-heading."""
        blocks: list[Block] = []
        below: _Segment | None = None  # the segment after the current one, as decided
        for segment in reversed(self.segments):
            if segment.kind == "heading" and not _heads(segment, below):
                segment.kind, segment.level = "paragraph", None
            blocks.append(Block(segment.text, segment.kind, segment.level))
            below = segment
        return blocks[::-1]


def _heads(candidate: _Segment, below: _Segment | None) -> bool:
    """A heading stands above a deeper heading, a list item, or a paragraph of some length."""
    if below is None or below.kind == "heading":
        return below is not None and (candidate.level or 2) < (below.level or 2)
    return below.kind == "list_item" or len(below.text) >= 40


def _ends_item(item: _Segment, line: str) -> bool:
    """Whether `line` starts a new paragraph after a list item: the item ended a sentence, the line is capitalised."""
    return bool(item.lines) and item.lines[-1].endswith((".", "!", "?")) and line[0].isupper()


def _is_list_line(raw: str) -> bool:
    return is_bullet(raw) or bool(_LIST_MARK.match(raw))


_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])[ \t]+(?=\S)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r"^ {0,3}(?:> ?)+")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
_TABLE_RULE = re.compile(r"^[\s|:-]+$")
_RAW_HTML = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
# Inline syntax. A span never contains its own delimiter, so each search stops at the next one:
# linear time even for a huge paragraph full of stray brackets or asterisks.
_INLINE = (
    (re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*\)"), r"\1"),  # image: its alt text
    (re.compile(r"\[([^\[\]\n]+)\](?:\([^()\n]*\)|\[[^\[\]\n]*\])"), r"\1"),  # link: its text
    (re.compile(r"<((?:https?://|mailto:)[^<>\s]+)>"), r"\1"),  # autolink: the address is its text
    (re.compile(r"`+([^`]+)`+"), r"\1"),
    (re.compile(r"</?[A-Za-z][^<>]*>"), ""),
    (re.compile(r"\*\*(?=\S)([^*]+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)([^_]+?)(?<=\S)__"), r"\1"),
    (re.compile(r"~~(?=\S)([^~]+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])"), r"\1"),
)


def strip_markdown(text: str) -> str:
    """Inline Markdown as plain text: no emphasis, code or link syntax (link text kept)."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return clean_line(text)


def markdown_blocks(text: str) -> list[Block]:
    """Headings (ATX and setext), list items, table rows and paragraphs of a Markdown text."""
    text = _RAW_HTML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if text.startswith("---\n"):  # YAML front matter
        end = text.find("\n---", 4)
        text = text[end + 4 :] if end >= 0 else text
    parser = _Markdown()
    for line in text.split("\n"):
        parser.feed(line)
    parser.flush()
    return parser.blocks


class _Markdown:
    """A line-by-line Markdown reader; enough of CommonMark for documents people write."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.kind: BlockKind = "paragraph"
        self.fence: str | None = None  # the marker of an open code fence

    def flush(self) -> None:
        text = strip_markdown(join_lines(self.lines)) if self.kind != "table" else clean_line(" ".join(self.lines))
        if text:
            self.blocks.append(Block(text, self.kind))
        self.lines, self.kind = [], "paragraph"

    def feed(self, line: str) -> None:
        fence = _FENCE.match(line)
        if self.fence is not None or fence:
            self._code(line, fence.group(1) if fence else None)
            return
        line = _QUOTE.sub("", line)
        heading, setext = _ATX.match(line), _SETEXT.match(line)
        if heading:
            self._heading(heading.group(2) or "", len(heading.group(1)))
        elif setext and self.lines and self.kind == "paragraph":
            text, self.lines = " ".join(self.lines), []
            self._heading(text, 1 if setext.group(1)[0] == "=" else 2)
        elif not line.strip() or _RULE.match(line) or _REFERENCE.match(line):
            self.flush()
        elif line.strip().startswith("|"):
            self._table_row(line.strip())
        elif _MD_ITEM.match(line):
            self.flush()
            self.kind, self.lines = "list_item", [_MD_ITEM.sub("", line)]
        else:
            self.lines.append(line)

    def _heading(self, text: str, level: int) -> None:
        self.flush()
        if text := strip_markdown(text):
            self.blocks.append(Block(text, "heading", level))

    def _table_row(self, row: str) -> None:
        self.flush()
        if not _TABLE_RULE.match(row):
            cells = (strip_markdown(cell) for cell in row.strip("|").split("|"))
            self.kind, self.lines = "table", [" | ".join(cell for cell in cells if cell)]
            self.flush()

    def _code(self, line: str, marker: str | None) -> None:
        """Lines of a fenced code block are kept as text, without the fences."""
        if marker is None or (self.fence is not None and not marker.startswith(self.fence)):
            self.lines.append(line)
        else:  # a fence opens or closes the block
            self.flush()
            self.fence = marker if self.fence is None else None
