"""What the DOCX and PPTX loaders share: package checks, opening with a clear error, the title rule."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from ingest.errors import DamagedDocument, EmptyDocument, EncryptedDocument, IngestError, TooLarge, UnsupportedFormat

MAX_UNPACKED_BYTES = 1024 * 1024 * 1024  # a ZIP that inflates beyond this is a zip bomb, not a document

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.ppt, and password-protected OOXML
_GENERIC_TITLE = re.compile(
    r"^(?:untitled|namnlös|rubrik|title|dokument|document|presentation|powerpoint[- ]?presentation|bild|slide)"
    r"\s*\d*$|^microsoft (?:word|powerpoint)\b|\.(?:docx?|dotx?|pptx?|pdf)$",
    re.I,
)

T = TypeVar("T")


def check_package(data: bytes, label: str) -> None:
    """Raise the fitting error unless `data` is a ZIP package of sane unpacked size."""
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
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DamagedDocument(f"not a valid {label} (broken ZIP package: {exc})") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise TooLarge(f"{label} unpacks to {unpacked} bytes; the limit is {MAX_UNPACKED_BYTES}")


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
