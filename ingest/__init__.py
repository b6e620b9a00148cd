"""Files in, clean structured chunks with page and section metadata out.

Reads PDF, DOCX, PPTX, HTML, Markdown and plain text by their content (not their extension), keeps
pages and headings, drops running headers, footers and page chrome, and packs each section into
chunks that never cross it. A broken file is a failed result with its reason; the batch goes on.
May import nothing else of Styrbot's, and never Slack or FastAPI.
"""

from ingest.chunking import Chunk, chunk_document
from ingest.errors import (
    DamagedDocument,
    EmptyDocument,
    EncryptedDocument,
    IngestError,
    NeedsOCR,
    TooLarge,
    TooMuchContent,
    UnsupportedFormat,
)
from ingest.loaders.text import charset
from ingest.models import Block, Format, ParsedDocument
from ingest.pipeline import FileResult, document_id, file_hash, iter_files, load_bytes, process, process_file

__all__ = [
    "Block",
    "Chunk",
    "DamagedDocument",
    "EmptyDocument",
    "EncryptedDocument",
    "FileResult",
    "Format",
    "IngestError",
    "NeedsOCR",
    "ParsedDocument",
    "TooLarge",
    "TooMuchContent",
    "UnsupportedFormat",
    "charset",
    "chunk_document",
    "document_id",
    "file_hash",
    "iter_files",
    "load_bytes",
    "process",
    "process_file",
]
