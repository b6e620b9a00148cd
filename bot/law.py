"""The rules as passages: the law every question may need, and every rule to check a rule answer by.

`rules.statements` says each rule in a sentence or two. The national layer's statements become a
`knowledge.passages.PassageIndex` that the document answerer searches beside the documents, so that
"Är kommundirektören valbar?" is answered from KL 7 kap 3 § whether documents are indexed or not; such a
passage is cited as the law and its paragraph. All statements, the municipalities' own too, make a second
index that a rule answer is checked against: the rule answers only when its own statement is among the
best answers to the question (`knowledge.answering.DocumentAnswerer.supports`). The statements' vectors
are kept in the data directory (keyed by model and text), so only a changed or new one is embedded again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from knowledge.bm25 import SwedishAnalyzer
from knowledge.compose import LAW
from knowledge.embeddings import embedder_name, vector_key
from knowledge.hits import StoredHit, Vector
from knowledge.passages import PassageIndex, SearchText
from knowledge.sentences import sentences
from rules import Rulebook, RulesEngine, texts
from rules.engine import ROLE
from rules.statements import Statement, statements

VECTORS_FILE = "law-vectors.json"
RULE = "rule"  # StoredHit.format of a rule's statement that is only checked against, never quoted
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RulePassages:
    """The rules as passages: the law's, to quote; and every municipality's rules with the law's, to check a
    rule answer against (`where` finds the passage of an entry: (municipality or None, entry id) → id)."""

    law: tuple[SearchText, ...]
    rules: tuple[SearchText, ...]
    where: Mapping[tuple[str | None, str], str]
    said_by: Mapping[str, tuple[str, ...]]  # passage id → the ids of the entries it states

    def passage_of(self, rulebook: Rulebook, entry: str) -> str | None:
        """The id of the passage that states an entry of this rulebook, if any."""
        local = rulebook.local_role_principle if entry == ROLE else rulebook.is_local(entry)
        return self.where.get((rulebook.municipality if local else None, entry))


def rule_passages(rules: RulesEngine) -> RulePassages:
    """The national layer's statements (to cite and search) and every municipality's own (to check with)."""
    national = statements(rules.rulebook(None), local=False)
    stated: list[tuple[str | None, Statement]] = [(None, s) for s in national]
    for municipality in rules.known:
        stated += [(municipality, s) for s in statements(rules.rulebook(municipality)) if s.local]
    checked = tuple(_checked(statement, municipality) for municipality, statement in stated)
    pairs = list(zip(stated, checked, strict=True))
    where = {(m, entry): passage.hit.id for (m, s), passage in pairs for entry in s.ids}
    said_by = {passage.hit.id: s.ids for (_, s), passage in pairs}
    return RulePassages(tuple(_passage(s) for s in national), checked, where, said_by)


def _checked(statement: Statement, municipality: str | None) -> SearchText:
    """A statement as a passage to check rule answers with (never quoted: a local one is our paraphrase)."""
    item = f"rule:{municipality or ''}:{statement.id}"
    return _searchable(statement, item, item, RULE, "", municipality)


def _passage(statement: Statement) -> SearchText:
    """A statement of the national layer as a passage of the law, cited by its chapter and paragraph."""
    reference = statement.source.law or ""
    title, section = texts.law_parts(reference)
    return _searchable(statement, f"law:{statement.id}", title, LAW, section or reference, None)


def _searchable(
    statement: Statement, item: str, title: str, kind: str, section: str, municipality: str | None
) -> SearchText:
    """A statement as an in-memory passage, searched by its text and its rule's words."""
    digest = hashlib.sha256(statement.text.encode()).hexdigest()[:32]
    hit = StoredHit(
        id=item,
        text=statement.text,
        doc_id=item,
        index=0,
        source=title,
        title=title,
        format=kind,
        page=None,
        page_end=None,
        section=section,
        municipality=municipality,
        content_hash=digest,
    )
    return SearchText(hit, " ".join((statement.text, *statement.words)))


def passage_index(
    passages: Sequence[SearchText], embeddings: Embeddings, analyzer: SwedishAnalyzer, data_dir: Path
) -> PassageIndex:
    """Passages made searchable; their vectors (and their sentences') come from `data_dir`'s cache where it
    has them."""
    texts_ = passage_texts(passages)
    found = dict(zip(texts_, _vectors(texts_, embeddings, data_dir / VECTORS_FILE), strict=True))
    vectors = [found[p.hit.text] for p in passages]
    split = [[found[t] for t in sentences(p.hit.text)] for p in passages]
    return PassageIndex(passages, vectors, split, analyzer, embeddings)


def passage_texts(passages: Sequence[SearchText]) -> list[str]:
    """Every text a passage index embeds: each passage, and each of its sentences."""
    return [p.hit.text for p in passages] + [text for p in passages for text in sentences(p.hit.text)]


def _vectors(texts_: Sequence[str], embeddings: Embeddings, path: Path) -> list[Vector]:
    """Each text's passage vector: from the cache file when it holds it for this model, else embedded now."""
    model = embedder_name(embeddings)
    cache = _read(path)
    keys = [vector_key(model, text).hex() for text in texts_]
    missing = list({key: i for i, key in enumerate(keys) if key not in cache}.values())
    if missing:
        for i, vector in zip(missing, embeddings.embed_documents([texts_[i] for i in missing]), strict=True):
            cache[keys[i]] = list(vector)
        _write(path, {key: cache[key] for key in keys})
    return [cache[key] for key in keys]


def _read(path: Path) -> dict[str, list[float]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, cache: dict[str, list[float]]) -> None:
    """Write the cache atomically; a read-only data directory only costs the embedding next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(cache, stream)
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("could not keep the law passages' vectors", extra={"error": str(exc)})
