"""What a file is, by its content and never by its name: PDF, DOCX, PPTX, HTML, Markdown or plain text.

The extension only matters for two things: a warning when it disagrees with the content ("content is
PDF, extension says DOCX"), and a clearer error message for binary data that claims to be an Office
file ("not a valid DOCX (not a ZIP package)"). Markdown is the one type read from the extension as
well, because a Markdown file without headings is indistinguishable from plain text.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from ingest.errors import DamagedDocument, EmptyDocument, EncryptedDocument, UnsupportedFormat
from ingest.models import Format

SNIFF_BYTES = 8192
MAX_CONTROL_SHARE = 0.05  # more control characters than this in the first 8 KiB: binary data

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.ppt/.xls, and encrypted OOXML
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL_BYTES = frozenset([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_HTML_TAG = re.compile(
    r"<(!doctype\s+html|html|head|body|title|meta|p|div|h[1-6]|table|ul|ol|article|main|section)[\s>/]"
)
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE)

_EXTENSION_FORMATS: dict[str, Format] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".pptx": "pptx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}
_LABELS: dict[Format, str] = {
    "pdf": "PDF",
    "docx": "DOCX",
    "pptx": "PPTX",
    "html": "HTML",
    "markdown": "Markdown",
    "text": "plain text",
}
# Other ZIP packages people upload, by a member that identifies them.
_OTHER_PACKAGES = (
    ("xl/workbook.xml", "a spreadsheet (XLSX)"),
    ("content.xml", "an OpenDocument file (ODT/ODP/ODS)"),
)


def detect(data: bytes, name: str) -> tuple[Format, tuple[str, ...]]:
    """The document type of `data` by its content, and warnings (content and extension disagree).

    Raises EmptyDocument for zero bytes, UnsupportedFormat for binary data and unknown packages,
    EncryptedDocument for a password-protected Office file, DamagedDocument for an unreadable ZIP.
    """
    if not data:
        raise EmptyDocument("empty file")
    extension = PurePath(name).suffix.lower()
    fmt = _sniff(data, extension)
    return fmt, _mismatch_warnings(fmt, extension)


def _sniff(data: bytes, extension: str) -> Format:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        return _package_format(data, extension)
    if data.startswith(_OLE_MAGIC):
        raise _compound_file_error(data)
    head = data[:SNIFF_BYTES]
    if not head.startswith(_UTF16_BOMS) and _looks_binary(head):
        raise UnsupportedFormat(_binary_message(extension))
    return _text_format(head, extension)


def _package_format(data: bytes, extension: str) -> Format:
    """DOCX or PPTX by the members of the ZIP package; anything else is unsupported."""
    names = _zip_names(data)
    if any(n == "word/document.xml" for n in names):
        return "docx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"  # even without ppt/presentation.xml: the loader reports the missing part
    if not names and extension in (".docx", ".pptx"):
        raise DamagedDocument(f"corrupt {extension[1:].upper()} (damaged ZIP package)")
    for member, what in _OTHER_PACKAGES:
        if member in names:
            raise UnsupportedFormat(f"{what} is not a supported document type")
    raise UnsupportedFormat("ZIP archive that is not a DOCX or PPTX document")


def _zip_names(data: bytes) -> list[str]:
    """Member names from the central directory; for a damaged archive, the names we can still see."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        # The local file headers keep each member's name in clear text.
        return [n for n in ("word/document.xml", "ppt/") if n.encode("ascii") in data]


def _compound_file_error(data: bytes) -> Exception:
    """An OLE compound file: an encrypted DOCX/PPTX, or a legacy binary Office file."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return EncryptedDocument("password protected")
    return UnsupportedFormat("legacy binary Office file (DOC/PPT/XLS); save it as DOCX or PPTX")


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    return controls > MAX_CONTROL_SHARE * len(head)


def _binary_message(extension: str) -> str:
    if extension in (".docx", ".pptx"):
        return f"not a valid {extension[1:].upper()} (not a ZIP package)"
    if extension == ".pdf":
        return "not a valid PDF (no PDF header)"
    return "binary file of unknown type"


def _text_format(head: bytes, extension: str) -> Format:
    """HTML, Markdown or plain text, from the start of the text."""
    # Latin-1 is enough to see ASCII markup in any ASCII-compatible encoding.
    sample = head.decode("utf-16", errors="ignore") if head.startswith(_UTF16_BOMS) else head.decode("latin-1")
    start = sample.lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    if start.startswith("<") and _HTML_TAG.search(start[:1024]):
        return "html"
    if extension in (".md", ".markdown") or _ATX_HEADING.search(sample):
        return "markdown"
    return "text"


def _mismatch_warnings(fmt: Format, extension: str) -> tuple[str, ...]:
    """A warning when the extension names another type than the content has."""
    if not extension:
        return ()
    expected = _EXTENSION_FORMATS.get(extension)
    if expected is None and fmt in ("text", "markdown", "html"):
        return ()  # an unknown extension on text says nothing worth a warning
    if expected == fmt or {expected, fmt} <= {"text", "markdown"}:
        return ()
    return (f"content is {_LABELS[fmt]}, extension says {extension[1:].upper()}",)
