"""One loader per format, chosen by content (see `ingest.detect`), never by file extension."""

from __future__ import annotations

from collections.abc import Callable

from ingest.loaders.docx import load_docx
from ingest.loaders.html import load_html
from ingest.loaders.pdf import load_pdf
from ingest.loaders.pptx import load_pptx
from ingest.loaders.text import load_markdown, load_text
from ingest.models import Format, ParsedDocument

Loader = Callable[[bytes, str], ParsedDocument]

LOADERS: dict[Format, Loader] = {
    "pdf": load_pdf,
    "docx": load_docx,
    "pptx": load_pptx,
    "html": load_html,
    "markdown": load_markdown,
    "text": load_text,
}

__all__ = ["LOADERS", "Loader"]
