"""The API's request and response bodies (pydantic): what the OpenAPI schema at /openapi.json describes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from bot.answering import MAX_QUESTION_CHARS, AnswerKind
from bot.conversations import ID_PATTERN as CONVERSATION_ID


class AskRequest(BaseModel):
    """A question to `POST /api/v1/ask`."""

    question: str = Field(description="Frågan, på svenska.", max_length=MAX_QUESTION_CHARS)
    municipality: str | None = Field(
        default=None, description="Kommunens id eller namn, t.ex. ”Strängnäs” (standard: serverns kommun)."
    )
    id: str | None = Field(default=None, description="Ett id som skickas tillbaka i svaret.", max_length=200)
    conversation_id: str | None = Field(
        default=None,
        pattern=CONVERSATION_ID,
        description="Samtalets id från förra svaret: frågan besvaras som en följdfråga. Utelämnat: ett nytt samtal.",
    )


class Followup(BaseModel):
    kind: str = Field(description="Slags följdfråga: ellipsis, pronoun, next, why_source, clarify.")
    understood_as: str = Field(description="Frågan som den besvarades, utskriven i sin helhet.")
    how: str = Field(default="", description="Vad som togs från frågan före (för felsökning).")


class Citation(BaseModel):
    source: str = Field(description="Filnamnet, eller lagen.")
    title: str
    page: int | None = Field(description="Sidan eller bilden; null för format utan sidor.")
    section: str | None
    text: str = Field(description="Det citerade stycket.")
    where: str = Field(default="", description="Var i källan: sidan (eller bilden) och avsnittet.")
    document: str | None = Field(default=None, description="Dokumentets id när originalet finns att hämta.")
    url: str | None = Field(default=None, description="Länk till originalet, på rätt sida (#page=N för PDF).")


class FactRow(BaseModel):
    label: str
    value: str


class AnswerBody(BaseModel):
    """The answer JSON of the contract, with links to the original documents and the facts as labelled rows."""

    id: str | None = None
    question: str
    municipality: str | None
    kind: AnswerKind
    answer: str = Field(description="Svaret, på svenska.")
    facts: dict[str, Any]
    citations: list[Citation] = Field(description="Källorna, bäst först.")
    abstained: bool = Field(description="Sant när dokumenten och reglerna inte ger något svar.")
    fact_rows: list[FactRow] = Field(default_factory=list, description="Fakta att visa, med svenska etiketter.")
    conversation_id: str | None = Field(default=None, description="Skicka med nästa fråga för att fortsätta samtalet.")
    followup: Followup | None = Field(default=None, description="Hur en följdfråga förstods.")


class FeedbackRequest(BaseModel):
    """A 👍 or 👎 on an answer shown on the web page."""

    answer: str = Field(description="Svarets id på sidan.", min_length=1, max_length=100)
    vote: Literal["up", "down"]
    client: str = Field(description="Webbläsarens slumpade id (lagras bara som hash).", min_length=8, max_length=100)
    question: str = Field(default="", max_length=MAX_QUESTION_CHARS)
    kind: str = Field(default="", max_length=32)
    municipality: str = Field(default="", max_length=64)
    sources: list[str] = Field(default_factory=list, max_length=20)


class Municipality(BaseModel):
    id: str
    name: str


class Municipalities(BaseModel):
    default: str
    municipalities: list[Municipality]


# The upload's form, documented by hand: the route reads it itself, after the administrator is checked.
UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": "En eller flera filer: PDF, DOCX, PPTX, HTML, Markdown, text.",
                    },
                    "municipality": {
                        "type": "string",
                        "description": "Kommunens id eller namn; utan: efter filnamnet, annars allmänt.",
                    },
                },
            }
        }
    },
}


class DocumentInfo(BaseModel):
    """An indexed document."""

    id: str
    title: str
    source: str = Field(description="Filnamnet.")
    format: str
    municipality: str | None = Field(description="Kommunen; null för allmänna dokument som gäller alla.")
    chunks: int = Field(description="Antal indexerade stycken.")
    indexed_at: str
    url: str = Field(description="Originalet.")


class FileOutcome(BaseModel):
    """What became of one uploaded file."""

    file: str
    status: str = Field(
        description="ingested, replaced, skipped (oförändrad), failed (skadad), rejected (inte ett "
        "dokument) eller conflict (namnet finns för en annan kommun)."
    )
    document: DocumentInfo | None = None
    error: str | None = Field(default=None, description="Varför filen inte lästes in, på svenska.")
    error_type: str | None = None


class UploadResult(BaseModel):
    files: list[FileOutcome]
    detail: str | None = Field(default=None, description="När ingen fil lästes in: varför, på svenska.")


class Removed(BaseModel):
    removed: DocumentInfo


class DraftEntry(BaseModel):
    """One entry of a drafted profile, as the review page shows it."""

    id: str
    kind: Literal["event", "decision"] = Field(description="event: en händelse i årshjulet; decision: ett beslut.")
    text: str = Field(description="Vad som ska ske, eller vad som beslutas.")
    who: str | None = Field(description="Vem som gör det eller beslutar, på svenska; null när det inte framgår.")
    when: str | None = Field(description="Dokumentets ord för när.")
    quote: str = Field(description="Citatet ur dokumentet, ordagrant.")
    document: str
    page: int | None
    section: str | None
    doubt: str | None = Field(description="Varför utkastet är osäkert, om det är det.")
    confirmed: bool
    delegable: bool | None = None
    replaces: str | None = Field(default=None, description="Den nationella regel som posten ersätter.")


class DraftFile(BaseModel):
    file: str
    error: str | None = None
    error_type: str | None = None


class ProfileDraft(BaseModel):
    """A municipality's drafted profile under review."""

    municipality: str
    name: str
    events: int
    decisions: int
    confirmed: int = Field(description="Hur många poster som är godkända.")
    doubts: int = Field(description="Hur många poster utkastet är osäkert på.")
    role_principle: bool = Field(description="Om dokumenten säger något om VAD/NÄR och HUR/VEM.")
    entries: list[DraftEntry]
    files: list[DraftFile] = Field(default_factory=list, description="Varje uppladdad fil och hur det gick.")


class AcceptRequest(BaseModel):
    """Which entries of a draft to accept: the listed ids, or all of them."""

    entries: list[str] = Field(default_factory=list, max_length=2000)
    all: bool = False


DRAFT_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files", "municipality"],
                "properties": {
                    "files": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": "Kommunens styrmodell, årshjul eller delegationsordning (PDF, DOCX, PPTX, "
                        "HTML, text).",
                    },
                    "municipality": {"type": "string", "description": "Den nya profilens id, t.ex. ”alvstrand”."},
                    "name": {"type": "string", "description": "Kommunens namn, t.ex. ”Älvstrands kommun”."},
                },
            }
        }
    },
}
