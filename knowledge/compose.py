"""An extractive Swedish answer from the best passages: the sentences that answer, quoted, with where they are.

No language model: the answer is the documents' own words, so it cannot say what they do not. The lead
passage gives the quote (its sentences that share the most search terms with the question, in document
order); a second document or section that also answers is pointed to with "Se även …". Every passage
used is a citation, best first.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ingest.chunking import SECTION_SEPARATOR
from knowledge import texts
from knowledge.bm25 import SwedishAnalyzer
from knowledge.retrieval import Passage
from knowledge.sentences import normalise, sentences

MAX_QUOTE = 420  # characters of quoted text in the answer; the citations carry the whole passages


def place(passage: Passage) -> str:
    """Where a passage is: title, page or slide, section ("Styrmodell, s. 7, avsnitt ”5. Ekonomi”")."""
    hit = passage.hit
    parts = [hit.title or hit.source]
    if hit.page is not None:
        if hit.format == "pptx":
            parts.append(texts.SLIDE.format(page=hit.page))
        elif hit.page_end is not None and hit.page_end != hit.page:
            parts.append(texts.PAGES.format(page=hit.page, page_end=hit.page_end))
        else:
            parts.append(texts.PAGE.format(page=hit.page))
    if hit.section:
        parts.append(texts.SECTION.format(section=hit.section))
    return ", ".join(parts)


def sentences_around(text: str, excerpt: str) -> str | None:
    """The whole sentences (or lines) of `text` that hold `excerpt`, compared normalised: a short quote
    ("… beslutas av kommunfullmäktige") grown to the sentence it is part of. None when it is not there."""
    parts = sentences(text)
    wanted = normalise(excerpt)
    if not wanted or wanted not in normalise(text):
        return None
    for size in range(1, len(parts) + 1):  # the shortest run of sentences that holds it
        for start in range(len(parts) - size + 1):
            if wanted in normalise(" ".join(parts[start : start + size])):
                return " ".join(parts[start : start + size])
    return None


def quote(question: str, passage: Passage, analyzer: SwedishAnalyzer, limit: int = MAX_QUOTE) -> str:
    """The passage's sentences that best answer the question, in their order, within `limit` characters."""
    wanted = set(analyzer.terms(question))
    parts = sentences(passage.hit.text)
    heading = passage.hit.section.split(SECTION_SEPARATOR)[-1] if passage.hit.section else None
    if len(parts) > 1 and parts[0] == heading:
        parts = parts[1:]  # the heading is in the answer's "Enligt …" already
    if not parts:
        return ""
    scored = sorted(range(len(parts)), key=lambda i: (-len(wanted & set(analyzer.terms(parts[i]))), i))
    chosen: list[int] = []
    size = 0
    for index in scored:
        if chosen and (size + len(parts[index]) > limit or not wanted & set(analyzer.terms(parts[index]))):
            break
        chosen.append(index)
        size += len(parts[index]) + 1
        # a heading or a label ("Tjänstepersoner", "Utveckling av verksamheten") says little alone: add the next line
        label = len(parts[index]) < 60 and not parts[index].endswith((".", "!", "?"))
        if label and index + 1 < len(parts) and index + 1 not in chosen:
            chosen.append(index + 1)
            size += len(parts[index + 1]) + 1
    picked = sorted(set(chosen))
    text = parts[picked[0]]
    for before, index in itertools.pairwise(picked):
        text += (" " if index == before + 1 else " … ") + parts[index]  # "…" marks left-out sentences
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def compose(question: str, passages: Sequence[Passage], analyzer: SwedishAnalyzer) -> str:
    """The Swedish answer: the lead passage quoted with its place, and a pointer to a second source."""
    lead = passages[0]
    lines = [texts.ACCORDING_TO.format(place=place(lead)), f"”{quote(question, lead, analyzer)}”"]
    for other in passages[1:3]:
        if (other.hit.doc_id, other.hit.section) != (lead.hit.doc_id, lead.hit.section):
            lines.append(texts.ALSO.format(place=place(other)))
            break
    return "\n".join(lines)
