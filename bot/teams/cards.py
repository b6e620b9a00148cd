"""Answers as Teams shows them: an Adaptive Card built from the channel-neutral rows of `bot.facts`, the same
rows Slack's Block Kit and the web page show. Text from a document or a profile goes into `TextRun`s, which
Teams never reads as Markdown, so nothing in a document becomes a link or a heading."""

from __future__ import annotations

from typing import Any

from bot import texts
from bot.answering import Answer
from bot.facts import answer_reference, excerpt, fact_rows, source_line

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"  # what Teams renders on desktop, web and mobile
CARD_ANSWER_CHARS = 6000  # a card's payload is capped at 28 KB; the answer's own text stays well within
CARD_SOURCES = 5
REFERENCE_CHARS = 4000  # what a button's data carries of the answer; the question is cut to fit
FEEDBACK = "styrbot_feedback"  # the `action` of a 👍/👎 button's data, which Teams sends back on a click


def answer_card(answer: Answer) -> dict[str, Any]:
    """An answer as an Adaptive Card: what a follow-up was taken to ask, the answer, its key facts, its
    sources (document, page, section) and 👍/👎 buttons, each carrying what its click needs."""
    body: list[dict[str, Any]] = []
    if answer.followup is not None:  # what a follow-up was taken to ask, so a misreading shows at once
        body.append(_text(texts.UNDERSTOOD_AS.format(question=answer.followup.question), subtle=True))
    text = answer.text if len(answer.text) <= CARD_ANSWER_CHARS else excerpt(answer.text, CARD_ANSWER_CHARS)
    body.append(_text(text))
    facts = fact_rows(answer)
    if facts:
        body.append({"type": "FactSet", "facts": [{"title": label, "value": value} for label, value in facts]})
    if answer.citations:
        body.append(_text(texts.SOURCES, subtle=True, separator=True))
        body += [
            _text(f"[{n}] {source_line(c)}", subtle=True) for n, c in enumerate(answer.citations[:CARD_SOURCES], 1)
        ]
    reference = answer_reference(answer, REFERENCE_CHARS)
    actions = [
        {"type": "Action.Submit", "title": title, "data": {"action": FEEDBACK, "vote": vote, "answer": reference}}
        for vote, title in (("up", texts.FEEDBACK_UP), ("down", texts.FEEDBACK_DOWN))
    ]
    return {"type": "AdaptiveCard", "version": CARD_VERSION, "body": body, "actions": actions}


def _text(text: str, *, subtle: bool = False, separator: bool = False) -> dict[str, Any]:
    """A paragraph of plain text: a `RichTextBlock` of one `TextRun`, which no Markdown in it changes."""
    run: dict[str, Any] = {"type": "TextRun", "text": text}
    if subtle:
        run["isSubtle"] = True
        run["size"] = "Small"
    block: dict[str, Any] = {"type": "RichTextBlock", "inlines": [run]}
    if separator:
        block["separator"] = True
    return block
