"""The document API: the list and the originals for everyone; upload and removal for administrators.

Administration needs `Authorization: Bearer <STYRBOT_ADMIN_TOKEN>`, checked before a byte of an upload
is read; with no token configured it is off (403). An upload is sniffed by content, never trusted by its
name or Content-Type, and parsed before it replaces anything; each file gets its own result.

An original is served so that it cannot act on this site: HTML documents under a sandboxing CSP (no
script, no same origin), Office files as downloads, PDFs and text inline, all with `nosniff`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import texts
from bot.library import DocumentLibrary
from bot.web.dependencies import AdministratorNeeded, LibraryNeeded, RulesNeeded
from bot.web.errors import SwedishError, problems
from bot.web.schemas import UPLOAD_BODY, DocumentInfo, FileOutcome, Removed, UploadResult
from ingest import charset
from rules import RulesEngine

if TYPE_CHECKING:
    from bot.library import Added
    from knowledge.indexing import DocumentRecord

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}
INLINE = {"pdf", "html", "markdown", "text"}
TEXT_FORMATS = {"html", "markdown", "text"}
# An original HTML document may carry script (see corpus/bad/malicious_script.html): it is shown as a
# sandboxed page of its own origin that may run nothing and load nothing but inline styles and data images.
SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
PATH = "/api/v1/documents"  # the collection; one document is PATH/{id}
MAX_FILES = 50


router = APIRouter(prefix=PATH, tags=["dokument"])


def _record(library: DocumentLibrary, doc_id: str) -> DocumentRecord:
    record = library.record(doc_id)
    if record is None:
        raise SwedishError(404, texts.DOCUMENT_NOT_FOUND.format(id=doc_id))
    return record


@router.get("", responses=problems(404))
def documents(
    library: LibraryNeeded,
    rules: RulesNeeded,
    municipality: Annotated[str | None, Query(description="Bara kommunens egna och de allmänna.")] = None,
) -> list[DocumentInfo]:
    """De inlästa dokumenten."""
    if municipality is not None:
        municipality = rules.rulebook(municipality).municipality  # its id ("Strängnäs" → strangnas); unknown: 404
    return [info(r) for r in library.records(municipality)]


@router.get(
    "/{doc_id}",
    response_class=FileResponse,
    responses={
        200: {"content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()}, "description": "Originalfilen."},
        **problems(404),
    },
)
def download(doc_id: str, library: LibraryNeeded) -> FileResponse:
    """Originalfilen (för PDF: lägg till #page=N för att öppna på sidan N)."""
    record = _record(library, doc_id)
    path = library.original(record)
    if not path.is_file():
        raise SwedishError(404, texts.DOCUMENT_FILE_GONE.format(title=record.title))
    headers = {"Cache-Control": "private, max-age=300"}
    if record.format == "html":
        headers["Content-Security-Policy"] = SANDBOX
    media_type = MEDIA_TYPES.get(record.format, "application/octet-stream")
    if record.format in TEXT_FORMATS:  # in the encoding it was read in (a UTF-16 file is not UTF-8)
        media_type = f"{media_type.split(';')[0]}; charset={charset(path.read_bytes())}"
    disposition = "inline" if record.format in INLINE else "attachment"
    return FileResponse(
        path, media_type=media_type, filename=record.source, headers=headers, content_disposition_type=disposition
    )


@router.post(
    "",
    dependencies=[AdministratorNeeded],
    response_model=UploadResult,
    status_code=201,
    responses={
        200: {"model": UploadResult, "description": "Inget nytt: alla filer var oförändrade."},
        415: {"model": UploadResult, "description": "Ingen fil var ett dokument."},
        409: {"model": UploadResult, "description": "Filnamnen finns redan för en annan kommun."},
        422: {"model": UploadResult, "description": "Ingen fil kunde läsas in."},
        **problems(400, 401, 403, 404, 413, 429),
    },
    openapi_extra={"requestBody": UPLOAD_BODY},
)
async def upload(request: Request, library: LibraryNeeded, rules: RulesNeeded) -> JSONResponse:
    """Ladda upp och läs in dokument (administratör). Varje fil får sitt eget resultat."""
    try:
        form = await request.form(max_files=MAX_FILES)
    except StarletteHTTPException as exc:  # Starlette's own (English) reason for a broken form
        many = "Too many files" in str(exc.detail)
        raise SwedishError(
            400, texts.UPLOAD_TOO_MANY.format(limit=MAX_FILES) if many else texts.HTTP_BAD_UPLOAD
        ) from None
    try:
        municipality = _municipality(form.get("municipality"), rules)
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        if not files:
            raise SwedishError(400, texts.UPLOAD_NO_FILES)
        outcomes = [await _add(library, upload, municipality) for upload in files]
    finally:
        await form.close()
    status = _status(outcomes)
    detail = {409: texts.UPLOAD_CONFLICTS, 415: texts.UPLOAD_UNSUPPORTED, 422: texts.UPLOAD_NOTHING_READ}.get(status)
    return JSONResponse(UploadResult(files=outcomes, detail=detail).model_dump(), status_code=status)


@router.delete("/{doc_id}", dependencies=[AdministratorNeeded], responses=problems(401, 403, 404, 429))
def remove(doc_id: str, library: LibraryNeeded) -> Removed:
    """Ta bort ett dokument ur Styrbot (administratör). En uppladdad fil raderas också."""
    removed = library.remove(_record(library, doc_id).doc_id)
    if removed is None:  # another administrator was first
        raise SwedishError(404, texts.DOCUMENT_NOT_FOUND.format(id=doc_id))
    return Removed(removed=info(removed))


def info(record: DocumentRecord) -> DocumentInfo:
    return DocumentInfo(
        id=record.doc_id,
        title=record.title,
        source=record.source,
        format=record.format,
        municipality=record.municipality,
        chunks=record.chunks,
        indexed_at=record.indexed_at,
        url=document_url(record),
    )


def document_url(record: DocumentRecord, page: int | None = None) -> str:
    """Where the original is served; a PDF opened at `page` when one is given."""
    return f"{PATH}/{record.doc_id}" + (f"#page={page}" if page and record.format == "pdf" else "")


def _municipality(value: Any, rules: RulesEngine) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return rules.rulebook(value.strip()).municipality  # an unknown one: 404


async def _add(library: DocumentLibrary, upload: UploadFile, municipality: str | None) -> FileOutcome:
    name = upload.filename or ""
    data = await upload.read()
    try:
        added: Added = await run_in_threadpool(library.add, name, data, municipality)
    except ValueError:  # nothing usable in the file name
        return FileOutcome(file=name, status="rejected", error=texts.UPLOAD_BAD_NAME, error_type="BadName")
    if added.status == "conflict" and added.record is not None:
        other = added.record.municipality or texts.GENERAL_DOCUMENTS
        return FileOutcome(
            file=added.name,
            status="conflict",
            error=texts.UPLOAD_CONFLICT.format(name=added.name, other=other),
            error_type=added.error_type,
            document=info(added.record),
        )
    if added.record is not None:
        return FileOutcome(file=added.name, status=added.status, document=info(added.record))
    return FileOutcome(
        file=added.name, status=added.status, error=texts.ingest_reason(added.error_type), error_type=added.error_type
    )


def _status(outcomes: list[FileOutcome]) -> int:
    """201 when something was added, 200 when all was unchanged; when nothing was taken in: 415 if no
    file was a document at all, 409 if every name belongs to another municipality's document, otherwise
    422. The body lists every file either way."""
    statuses = {o.status for o in outcomes}
    if statuses & {"ingested", "replaced"}:
        return 201
    if "skipped" in statuses:
        return 200
    return {frozenset({"rejected"}): 415, frozenset({"conflict"}): 409}.get(frozenset(statuses), 422)
