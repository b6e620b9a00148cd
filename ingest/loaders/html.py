"""HTML pages: the main content as headings, paragraphs, list items and table rows, and text only.

The page chrome goes (navigation, header, footer, aside, forms, cookie dialogs); scripts, styles,
frames and embedded objects go with everything inside them. Only text nodes are read: never an
attribute value, a URL or a comment, so nothing of a hostile page's code reaches the index.
"""

from __future__ import annotations

import codecs
import re
import warnings
from pathlib import PurePath

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from ingest.cleaning import clean_line
from ingest.errors import EmptyDocument
from ingest.loaders.text import TITLE_CHARS, decode, split_paragraph
from ingest.models import Block, BlockKind, Cell, ParsedDocument

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_SINGLE_BYTE_LABELS = frozenset({"latin_1", "iso8859_1", "ascii", "cp1252"})  # read as decode() does

_DROP_TAGS = (
    "nav",
    "aside",
    "script",
    "style",
    "noscript",
    "iframe",
    "svg",
    "form",
    "template",
    "object",
    "embed",
    "head",
    "button",
    "select",
    "textarea",
    "dialog",
    "frameset",
    "frame",
    "applet",
    "canvas",
)
_LANDMARK_TAGS = ("header", "footer")  # page chrome unless inside an article or section
_SECTIONING = ("article", "section", "main", "aside", "nav")
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TEXT_BLOCKS: dict[str, BlockKind] = {
    "p": "paragraph",
    "li": "list_item",
    "blockquote": "paragraph",
    "figcaption": "paragraph",
    "dd": "paragraph",
    "dt": "paragraph",
    "caption": "paragraph",
    "pre": "paragraph",
    "summary": "paragraph",
}
_CONTAINERS = frozenset(
    {
        "html",
        "body",
        "main",
        "article",
        "section",
        "div",
        "header",
        "footer",
        "address",
        "details",
        "dl",
        "fieldset",
        "figure",
        "hgroup",
        "ol",
        "ul",
        "menu",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "center",
        "hr",
    }
)
_WHITESPACE = re.compile(r"\s+")


def load_html(data: bytes, name: str) -> ParsedDocument:
    """An HTML page's main content as blocks; EmptyDocument when it has no text."""
    soup = _parse(_decode_html(data))
    title = _title(soup)
    root = _content_root(soup)
    _strip_chrome(root)
    blocks = [
        b if len(pieces) == 1 else Block(piece, b.kind, b.level)
        for b in _Walker().walk(root)
        for pieces in [split_paragraph(b.text)]
        for piece in pieces
    ]  # a very long paragraph in pieces; a table row keeps its cells
    if not blocks:
        raise EmptyDocument("no text")
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), PurePath(name).stem)
    return ParsedDocument(name, "html", title[:TITLE_CHARS], tuple(blocks))


def _decode_html(data: bytes) -> str:
    """By the byte order mark, else the <meta charset>, else as decode() reads text."""
    match = None if data.startswith(_BOMS) else _META_CHARSET.search(data[:4096])
    if match is not None:
        try:
            codec = codecs.lookup(match.group(1).decode("ascii")).name.replace("-", "_")
            if codec not in _SINGLE_BYTE_LABELS and not codec.startswith("utf_16"):
                return data.decode(codec)
        except (LookupError, UnicodeError):
            pass  # an unknown label or bytes that do not match it: fall back to the text rule
    return decode(data)[0]


def _parse(markup: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4 warns about XHTML and markup that looks like a file name
        return BeautifulSoup(markup.replace("\x00", ""), "lxml")


def _title(soup: BeautifulSoup) -> str:
    """The page's <title> (not the title of an inline SVG)."""
    for tag in soup.find_all("title"):
        if tag.find_parent("svg") is None:
            return _text(tag)
    return ""


def _content_root(soup: BeautifulSoup) -> Tag:
    """<main>, else the only <article>, else <body>, else the whole document."""
    main = soup.find("main")
    if isinstance(main, Tag):
        return main
    articles = soup.find_all("article")
    if len(articles) == 1 and isinstance(articles[0], Tag):
        return articles[0]
    return soup.body if soup.body is not None else soup


def _strip_chrome(root: Tag) -> None:
    """Remove navigation, page header and footer, scripts, frames, forms and hidden elements."""
    doomed = [tag for tag in root.find_all(True) if isinstance(tag, Tag) and _is_chrome(tag)]
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS or str(tag.get("role", "")).lower() in _DROP_ROLES:
        return True
    if tag.name in _LANDMARK_TAGS and tag.find_parent(list(_SECTIONING)) is None:
        return True
    return tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true"


def _kind(tag: Tag, outer: BlockKind) -> BlockKind:
    """The block kind of a text element; a container keeps the kind of the block around it."""
    classes = " ".join(tag.get_attribute_list("class")).lower()
    if tag.name == "p" and ("footnote" in classes or "fotnot" in classes or tag.get("role") == "doc-footnote"):
        return "footnote"
    return _TEXT_BLOCKS.get(tag.name or "", outer)


def _colspan(cell: Tag) -> int:
    value = str(cell.get("colspan") or "1").strip()
    return min(int(value), 1000) if value.isdigit() and int(value) > 0 else 1


def _text(node: Tag) -> str:
    """The text of an element: its text nodes only (no comments), with <br> and blocks as spaces."""
    parts: list[str] = []
    for item in node.descendants:
        if type(item) is NavigableString:
            parts.append(str(item))
        elif isinstance(item, Tag) and (item.name == "br" or item.name in _TEXT_BLOCKS or item.name in _CONTAINERS):
            parts.append(" ")
    return clean_line(_WHITESPACE.sub(" ", "".join(parts)))


class _Walker:
    """Walks the tree without recursion (deeply nested pages cannot exhaust the stack)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.kinds: list[BlockKind] = ["paragraph"]  # the kind of the innermost text block

    def walk(self, root: Tag) -> list[Block]:
        stack: list[tuple[object, bool]] = [(root, True)]
        while stack:
            node, entering = stack.pop()
            if not entering:
                self._flush()
                self.kinds.pop()
            elif type(node) is NavigableString:
                self.buffer.append(str(node))
            elif isinstance(node, Tag):
                stack.extend(self._enter(node))
        self._flush()
        return self.blocks

    def _enter(self, tag: Tag) -> list[tuple[object, bool]]:
        """Handle an element; returns what to push on the stack (its end marker, its children)."""
        children: list[tuple[object, bool]] = [(child, True) for child in reversed(tag.contents)]
        if tag.name in _HEADINGS:
            self._emit(_text(tag), "heading", int(tag.name[1]))
        elif tag.name == "tr":
            cells = tuple(Cell(_text(cell), _colspan(cell)) for cell in tag.find_all(["td", "th"], recursive=False))
            self._emit(" | ".join(cell.text for cell in cells if cell.text), "table", cells=cells)
        elif tag.name == "br":
            self.buffer.append(" ")
        elif tag.name in _TEXT_BLOCKS or tag.name in _CONTAINERS:
            self._flush()
            self.kinds.append(_kind(tag, self.kinds[-1]))
            return [(tag, False), *children]
        else:
            return children  # inline element: its text joins the current block
        return []

    def _emit(self, text: str, kind: BlockKind, level: int | None = None, cells: tuple[Cell, ...] = ()) -> None:
        self._flush()
        if text:
            self.blocks.append(Block(text, kind, level, cells=cells))

    def _flush(self) -> None:
        text = clean_line(_WHITESPACE.sub(" ", "".join(self.buffer)))
        self.buffer = []
        if text:
            kind = self.kinds[-1]
            self.blocks.append(Block(text, kind))
