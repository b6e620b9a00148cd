"""A new municipality's profile on the web, for administrators (the documents API's token): upload its
documents and get a draft with every entry quoted, review it, accept entries, or throw the draft away.

The draft is kept in the data directory's profiles folder (`Settings.drafts_dir`), which the one rules
source reads beside the shipped profiles: a drafted municipality answers at once (its unconfirmed entries
say so), an accepted entry is used by the next answer, and no restart is needed. The uploaded files are
also read into the document library for that municipality, so that its documents answer too.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import texts
from bot.library import safe_file_name
from bot.profiles.drafting import draft_documents, read_files, write_draft
from bot.profiles.review import accept, load_draft, remove_draft, review_entries
from bot.services import Services
from bot.web.dependencies import AdministratorNeeded, ServicesNeeded
from bot.web.documents import MAX_FILES
from bot.web.errors import SwedishError, problems
from bot.web.schemas import DRAFT_BODY, AcceptRequest, DraftEntry, DraftFile, ProfileDraft
from rules.models import Profile

PATH = "/api/v1/profiles"
PAGE = "/admin/profiler"
_ID = re.compile(r"[a-z][a-z0-9_]{1,39}")

router = APIRouter(prefix=PATH, tags=["profiler"], dependencies=[AdministratorNeeded])


@router.post(
    "",
    status_code=201,
    response_model=ProfileDraft,
    responses=problems(400, 401, 403, 409, 413, 422, 429),
    openapi_extra={"requestBody": DRAFT_BODY},
)
async def draft(request: Request, services: ServicesNeeded) -> ProfileDraft:
    """Gör ett utkast till en ny kommuns profil ur dess dokument (administratör)."""
    try:
        form = await request.form(max_files=MAX_FILES)
    except StarletteHTTPException:
        raise SwedishError(400, texts.HTTP_BAD_UPLOAD) from None
    try:
        municipality = str(form.get("municipality") or "").strip()
        name = str(form.get("name") or "").strip() or municipality.replace("_", " ").title()
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        if not _ID.fullmatch(municipality):
            raise SwedishError(400, texts.DRAFT_BAD_ID)
        if not uploads:
            raise SwedishError(400, texts.UPLOAD_NO_FILES)
        files = [(_file_name(upload), await upload.read()) for upload in uploads]
    finally:
        await form.close()
    folder = services.settings.drafts_dir
    store = services.rules().store
    if municipality in store.known:
        taken = texts.DRAFT_EXISTS if municipality in store.drafted else texts.PROFILE_EXISTS
        raise SwedishError(409, taken.format(id=municipality))
    read, outcomes = await run_in_threadpool(read_files, files)
    results = [DraftFile(file=o.name, error=o.error, error_type=o.error_type) for o in outcomes]
    if not read:
        raise SwedishError(422, texts.DRAFT_NOTHING_READ)
    drafted, quoted = await run_in_threadpool(draft_documents, read, municipality, name, store)
    await run_in_threadpool(write_draft, drafted, quoted, folder)
    services.rules()  # the rules read anew: the municipality is known from the next request on
    library = services.library
    if library is not None:
        readable = {o.name for o in outcomes if o.error is None}
        for file_name, data in files:
            if file_name in readable:
                await run_in_threadpool(library.add, file_name, data, municipality)
    profile = load_draft(folder, municipality)
    assert profile is not None  # just written
    return _draft(profile, results)


@router.get("/{municipality}", response_model=ProfileDraft, responses=problems(401, 403, 404, 429))
def review(municipality: str, services: ServicesNeeded) -> ProfileDraft:
    """Ett utkast med alla poster, de osäkra först (administratör)."""
    return _draft(_found(services, municipality))


@router.post("/{municipality}/accept", response_model=ProfileDraft, responses=problems(400, 401, 403, 404, 429))
def accept_entries(municipality: str, request: AcceptRequest, services: ServicesNeeded) -> ProfileDraft:
    """Godkänn poster i ett utkast, eller alla (administratör). Nästa svar använder dem."""
    _found(services, municipality)
    if not request.all and not request.entries:
        raise SwedishError(400, texts.DRAFT_ACCEPT_NOTHING)
    try:
        profile, _ = accept(services.settings.drafts_dir, municipality, None if request.all else set(request.entries))
    except KeyError as exc:
        raise SwedishError(400, texts.DRAFT_NO_SUCH_ENTRY.format(ids=exc.args[0])) from None
    services.rules()  # read anew now, so that the next answer anywhere uses what was accepted
    return _draft(profile)


@router.delete("/{municipality}", status_code=204, responses=problems(401, 403, 404, 429))
def discard(municipality: str, services: ServicesNeeded) -> None:
    """Släng ett utkast (administratör). Dokumenten som laddades upp med det finns kvar i dokumentbanken."""
    _found(services, municipality)
    remove_draft(services.settings.drafts_dir, municipality)
    services.rules()


def _found(services: Services, municipality: str) -> Profile:
    profile = load_draft(services.settings.drafts_dir, municipality) if _ID.fullmatch(municipality) else None
    if profile is None:
        raise SwedishError(404, texts.DRAFT_NOT_FOUND.format(id=municipality))
    return profile


def _file_name(upload: UploadFile) -> str:
    try:
        return safe_file_name(upload.filename or "")
    except ValueError:
        raise SwedishError(400, texts.UPLOAD_BAD_NAME) from None


def _draft(profile: Profile, files: list[DraftFile] | None = None) -> ProfileDraft:
    entries = [DraftEntry(**vars(entry)) for entry in review_entries(profile)]
    return ProfileDraft(
        municipality=profile.id,
        name=profile.name,
        events=len(profile.events),
        decisions=len(profile.decisions),
        confirmed=sum(entry.confirmed for entry in entries),
        doubts=sum(entry.doubt is not None for entry in entries),
        role_principle=profile.role_principle is not None,
        entries=entries,
        files=files or [],
    )
