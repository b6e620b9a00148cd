"""One loader per format, chosen by content (see `ingest.detect`), never by file extension."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from ingest.models import Format, ParsedDocument

Loader = Callable[[bytes, str], ParsedDocument]

# Imported on first use: the parsers (pypdf, python-docx, python-pptx, BeautifulSoup) take half a second to
# import, which a process that only answers questions never needs.
_LOADERS: dict[Format, tuple[str, str]] = {
    "pdf": ("ingest.loaders.pdf", "load_pdf"),
    "docx": ("ingest.loaders.docx", "load_docx"),
    "pptx": ("ingest.loaders.pptx", "load_pptx"),
    "html": ("ingest.loaders.html", "load_html"),
    "markdown": ("ingest.loaders.text", "load_markdown"),
    "text": ("ingest.loaders.text", "load_text"),
}


def loader(kind: Format) -> Loader:
    """The loader of a format."""
    module, name = _LOADERS[kind]
    return cast(Loader, getattr(importlib.import_module(module), name))


__all__ = ["Loader", "loader"]
