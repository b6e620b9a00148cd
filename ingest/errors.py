"""Errors of the ingest layer; each names what is wrong with one file, and the batch goes on.

    IngestError
    ├── UnsupportedFormat   not a document type we read (binary data, an unknown package)
    ├── DamagedDocument     the type is known but the file is broken (truncated, missing parts)
    ├── EncryptedDocument   password protected
    ├── EmptyDocument       no bytes, or no text at all
    ├── NeedsOCR            pages without a text layer (a scanned document)
    └── TooLarge            over the size limit
        └── TooMuchContent  unpacks to more than a document holds (a ZIP bomb, an endless text)

Messages are English for developers and logs; `bot/` shows people a Swedish text per class.
"""

from __future__ import annotations


class IngestError(Exception):
    """A file could not be turned into a document."""


class UnsupportedFormat(IngestError):
    """The content is not a document type Styrbot reads."""


class DamagedDocument(IngestError):
    """The document type is known but the file is broken."""


class EncryptedDocument(IngestError):
    """The document is password protected."""


class EmptyDocument(IngestError):
    """The file has no bytes, or no text."""


class NeedsOCR(IngestError):
    """The document's pages are images without a text layer."""


class TooLarge(IngestError):
    """The file is over the configured size limit."""


class TooMuchContent(TooLarge):
    """The file is small but unpacks or extracts to more than one document may (`ingest.limits`)."""
