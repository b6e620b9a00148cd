"""What the DOCX and PPTX loaders share: package checks, opening with a clear error, the title rule."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from ingest.errors import (
    DamagedDocument,
    EmptyDocument,
    EncryptedDocument,
    IngestError,
    TooMuchContent,
    UnsupportedFormat,
)
from ingest.limits import INFLATE_CHUNK, MAX_PARTS, MAX_UNPACKED_BYTES, MAX_XML_BYTES

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.ppt, and password-protected OOXML
_GENERIC_TITLE = re.compile(
    r"^(?:untitled|namnlös|rubrik|title|dokument|document|presentation|powerpoint[- ]?presentation|bild|slide)"
    r"\s*\d*$|^microsoft (?:word|powerpoint)\b|\.(?:docx?|dotx?|pptx?|pdf)$",
    re.I,
)

T = TypeVar("T")


def check_package(data: bytes, label: str) -> None:
    """Raise the fitting error unless `data` is a ZIP package whose parts, inflated, stay within
    `ingest.limits`. Each part is inflated as a stream and counted (its header may lie), a chunk at a
    time, so a ZIP bomb costs a megabyte of memory and stops at the limit."""
    if not data:
        raise EmptyDocument("empty file")
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedDocument(f"password protected {label}")
        raise UnsupportedFormat(f"legacy binary Office file (97-2003 format), not a valid {label}")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DamagedDocument(f"not a valid {label} (not a ZIP package)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            _check_sizes(package, label)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise DamagedDocument(f"not a valid {label} (broken ZIP package: {exc})") from exc


def _check_sizes(package: zipfile.ZipFile, label: str) -> None:
    parts = package.infolist()
    if len(parts) > MAX_PARTS:
        raise TooMuchContent(f"{label} has {len(parts)} parts; the limit is {MAX_PARTS}")
    total = xml = 0
    for part in parts:
        is_xml = part.filename.lower().endswith((".xml", ".rels"))
        room = min(MAX_UNPACKED_BYTES - total, MAX_XML_BYTES - xml if is_xml else MAX_UNPACKED_BYTES)
        size = part.file_size  # what the header claims: refused at once when that is over
        if size <= room:
            size = 0
            with package.open(part) as stream:
                while size <= room and (chunk := stream.read(INFLATE_CHUNK)):
                    size += len(chunk)
        if size > room:
            what = "XML" if is_xml and MAX_XML_BYTES - xml < MAX_UNPACKED_BYTES - total else "content"
            raise TooMuchContent(f"{label} unpacks to more {what} than the limit (at part {part.filename})")
        total += size
        xml += size if is_xml else 0


def meaningful_title(text: str) -> bool:
    """Whether a metadata title says something (not empty, not "Dokument1" or "Microsoft Word - x.docx")."""
    return len(text) >= 3 and any(char.isalpha() for char in text) and not _GENERIC_TITLE.search(text)


def library_cause(exc: Exception) -> str:
    """An exception as a short cause, without the stream repr python-docx/python-pptx put in messages."""
    message = re.sub(r"^file '[^']*' is not", "the package is not", str(exc))
    return f"{type(exc).__name__}: {message}" if isinstance(exc, KeyError) else message


def open_package(opener: Callable[[io.BytesIO], T], data: bytes, label: str) -> T:
    """Open a checked package with python-docx or python-pptx; a missing main part is named as such."""
    try:
        return opener(io.BytesIO(data))
    except KeyError as exc:
        raise DamagedDocument(f"invalid {label}: main part missing") from exc
    except Exception as exc:
        raise DamagedDocument(f"invalid {label}: {library_cause(exc)}") from exc


@contextmanager
def library_errors(label: str) -> Iterator[None]:
    """Turn any library exception inside the block into DamagedDocument; our own errors pass through."""
    try:
        yield
    except IngestError:
        raise
    except Exception as exc:
        raise DamagedDocument(f"invalid {label}: {library_cause(exc)}") from exc
