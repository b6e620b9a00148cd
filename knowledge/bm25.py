"""Swedish lexical search: Okapi BM25 over stemmed terms, synonyms and compound parts.

`SwedishAnalyzer` makes the terms of chunks and questions alike: lower-cased tokens of letters and digits,
Swedish stop words dropped, Snowball stems, the canonical word added for an abbreviation or synonym
("KF" → "fullmäktige"), and the parts of a compound ("delårsrapporten" → "delårsrapport", "delår", "rapport").

Five cheap corrections to Snowball: the definite plural "-ena" is stemmed like the plural ("målvärdena" →
"målvärd", as "målvärden"); a removed "-else" is put back ("styrelsen" → "styrels", not "styr" as for
"styrs"/"styra"; "bestämmelse" stays apart from "bestämma"); "-or" nouns get one stem in all forms
("revisor", "revisorn", "revisorerna" → "revis"; Snowball gives "revis", "revisorn", "revisor"); and an
"-ering" noun shares the stem of its "-era" verb ("finansiering", "finansieras" → "finansier"; not "-ring"
at large: "förbättringar" in a text is not "måste förbättras"); and a
definite form ending in "s" once its ending is gone is stemmed like the bare word ("nulägesanalysen",
"nulägesanalys" → "nulägesanaly").

Compounds are split against a vocabulary: every token of the indexed texts (`BM25Index` supplies it), the
analyzer's `vocabulary` and its synonym words. Every token is tried (an indexed word is always in the
vocabulary, so splitting only unknown words would split nothing). A split is A + optional linking "s" + B,
both ≥ 3 letters and no stop words: A a known word, or before a linking "s" a known stem ("delår" in
"delårs-"); B a known word or a known stem plus an inflection ending ("rapport" + "en"), and not a
suffix-like word ("verk" + "samhet", "analy" + "sen" are refused). The most balanced split wins (longest
shorter part, then longest B: "delår" + "rapport" beats "del" + "årsrapport"); a linking "s" beats a B
starting with "s" ("lag", not "slag", in "kommunallagen"); both parts are split once more.

`BM25Index` keeps texts and metadata and brings its postings up to date at the first search after a change,
so terms never depend on the order passages were added in and a loaded index equals the saved one. The
first analysis reads everything (about 3.4 s for 50,000 chunks); after that only the changed passages and
those whose compound splits the change can alter are analysed again (about 0.1 s at 50,000 chunks), with
a result equal to a full analysis (tested). The price of a corpus-wide vocabulary: removing the only
passages with a word stops that word splitting other compounds.
"""

from __future__ import annotations

import heapq
import json
import math
import os
import re
import sys
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import snowballstemmer
import yaml

from knowledge.crashpoints import wrote

Metadata = Mapping[str, str | int | None]

K1 = 1.5
B = 0.75
MIN_PART = 3  # shortest compound part, in letters
MIN_MODIFIER = 5  # shortest known first part (and unknown last part) of a compound split at a linking "s"
SPLIT_DEPTH = 2  # a compound's parts are split once more
FORMAT = "styrbot-bm25"
_TOKEN = re.compile(r"[0-9a-zåäöéüæø]+")
_BROKEN_WORD = re.compile(r"(?<=[a-zåäö]{3})- +(?!(?:och|eller|samt|respektive|resp|som|men|till)\b)(?=[a-zåäö]{3})")
_STEMMER = snowballstemmer.stemmer("swedish")
_STEMMING = threading.Lock()  # Snowball keeps the word it works on in the stemmer: one word at a time


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOP_WORDS = word_set(
    """
    och i på till av för att som en ett den det de dem om med ska skall är har hade ha vara var vad när vem vilka
    vilken vilket hur får kan måste bör inte eller så sin sina sitt man vi jag du ni deras dess han hon hen efter
    före under över inom från ut upp in här där då nu också även samt mot vid alla varje blir bli skulle genom
    kommer enligt ju nog just än andra annan detta denna dessa ens ingen inga inget något några någon mycket mer
    mest sig sedan eftersom men utan hos bara redan dock vars gentemot angående beträffande
    """
)
# Inflection endings a compound's last part may carry beyond its stem ("rapport" + "en").
ENDINGS = word_set(
    "e a n t r s en et er ar or na ns es as at ad ade ande ens ets ers ars erna arna orna ernas arnas"
) | {""}
_LONGEST_ENDING = max(len(e) for e in ENDINGS)
# Suffix-like words never taken as a compound's last part ("analy" + "sen", "verk" + "samhet").
NOT_PARTS = word_set("sen ser tar ger ges tas går gör end ens ans are het lig ning else lse skap vis rad sam era")


def tokenize(text: str) -> list[str]:
    """Lower-case tokens of letters and digits, from NFC-normalised text; a word a slide broke over two lines
    ("konsekvens- beskrivning") is one word again, while "nuläges- och omvärldsanalys" keeps its two."""
    return _TOKEN.findall(_BROKEN_WORD.sub("", unicodedata.normalize("NFC", text).lower()))


def _snowball(token: str) -> str:
    """Snowball's stem of a token, from any thread (two threads stemming at once read each other's word)."""
    with _STEMMING:
        return str(_STEMMER.stemWord(token))


@lru_cache(maxsize=262144)
def stem(token: str) -> str:
    """The Swedish Snowball stem, with the corrections of the module docstring."""
    root = _snowball(token)
    if root != token and root.endswith("s") and _snowball(root) == root[:-1]:
        root = root[:-1]  # "analysen" → "analys" → "analy", as "analys" itself
    if token.endswith("ena") and root == token[:-1]:  # Snowball leaves "-ena": "värdena" → "värden", not "värd"
        root = _snowball(root)
    if token.startswith(root + "els"):
        return root + "els"
    if len(root) >= 8 and root.endswith("ering"):  # "finansiering" is what "finansieras": both "finansier"
        return root[:-3]
    if len(root) >= 6 and root.endswith("orn"):
        return root[:-3]
    if len(root) >= 5 and root.endswith("or"):
        return root[:-2]
    return root


def _content(token: str) -> bool:
    """Whether a token carries meaning: not a stop word, not a lone letter."""
    return token not in STOP_WORDS and (len(token) > 1 or token.isdigit())


class SwedishAnalyzer:
    """Text to search terms: stems, canonical words for synonyms, compound parts."""

    def __init__(self, synonyms: Mapping[str, Sequence[str]] | None = None, vocabulary: Iterable[str] = ()) -> None:
        self.synonyms: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in (synonyms or {}).items()}
        self._forms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, forms in self.synonyms.items():
            stems = tuple(stem(t) for t in tokenize(canonical) if _content(t))
            for form in (*forms, canonical):
                key = tuple(stem(t) for t in tokenize(form))  # stems: "håller ihop" is a form of "hålla ihop"
                if key:
                    self._forms[key] = tuple(dict.fromkeys(self._forms.get(key, ()) + stems))
        # forms by their first token, longest first, so the longest form wins
        self._starts: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for key, stems in sorted(self._forms.items(), key=lambda item: -len(item[0])):
            self._starts.setdefault(key[0], []).append((key, stems))
        words = [*vocabulary, *self.synonyms, *(form for forms in self.synonyms.values() for form in forms)]
        self._set_vocabulary([t for word in words for t in tokenize(word)])

    def _set_vocabulary(self, tokens: Iterable[str]) -> None:
        self._words = frozenset(t for t in tokens if _content(t))
        self._stems = frozenset(stem(t) for t in self._words)
        self._cache: dict[str, tuple[str, ...]] = {}
        self._split_cache: dict[tuple[str, int], list[str]] = {}

    @property
    def words(self) -> frozenset[str]:
        """The vocabulary: every word of the indexed texts and of the synonyms (content words only)."""
        return self._words

    def with_vocabulary(self, tokens: Iterable[str]) -> SwedishAnalyzer:
        """A copy with the same synonyms whose vocabulary also holds `tokens` (from `tokenize`)."""
        copy = SwedishAnalyzer.__new__(SwedishAnalyzer)
        copy.synonyms, copy._forms, copy._starts = self.synonyms, self._forms, self._starts
        copy._set_vocabulary([*self._words, *tokens])
        return copy

    def terms(self, text: str) -> list[str]:
        """The search terms of `text`, in order, repeated as often as they occur."""
        return self.token_terms(tokenize(text))

    def token_terms(self, tokens: Sequence[str]) -> list[str]:
        """The search terms of already tokenised text (see `tokenize`): each token's own terms, then the
        canonical words of the synonym forms found (longest form first, forms do not overlap)."""
        for token in set(tokens).difference(self._cache):
            self._token_terms(token)
        terms = [term for token in tokens for term in self._cache[token]]
        for position, width, canonical in self.synonym_spans(tokens):
            own = {stem(token) for token in tokens[position : position + width]}
            terms.extend(term for term in canonical if term not in own)
        return terms

    def word_terms(self, token: str) -> tuple[str, ...]:
        """The terms of one token on its own: its stem and compound parts."""
        return self._cache[token] if token in self._cache else self._token_terms(token)

    def naming_terms(self, token: str) -> tuple[str, ...]:
        """The terms by which a text names the token: its stem, and the parts of a compound whose parts are both
        known words, but not the first part alone of one whose last part is unknown ("förvaltningsbesvär" is
        not named by "förvaltningen", though a search for it may find that)."""
        terms = self.word_terms(token)
        return terms if len(terms) < 2 or self._split(token) is not None else terms[:1]

    def synonym_spans(self, tokens: Sequence[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        """The synonym forms in the tokens as (position, width, canonical stems); longest first, no overlaps."""
        stems = [stem(token) for token in tokens]
        spans = []
        free = 0
        for position in [i for i, token_stem in enumerate(stems) if token_stem in self._starts]:
            if position < free:
                continue
            width, canonical = self._synonym_at(stems, position)
            if canonical:
                spans.append((position, width, canonical))
            free = position + width
        return spans

    def _synonym_at(self, stems: Sequence[str], position: int) -> tuple[int, tuple[str, ...]]:
        """The longest synonym form starting at `position` (compared by stems): its width and the canonical stems."""
        for form, canonical in self._starts.get(stems[position], ()):
            if tuple(stems[position : position + len(form)]) == form:
                return len(form), canonical
        return 1, ()

    def _token_terms(self, token: str) -> tuple[str, ...]:
        cached = self._cache.get(token)
        if cached is None:
            if not _content(token):
                cached = ()
            else:
                main = stem(token)
                cached = tuple(dict.fromkeys([main, *self._parts(token, SPLIT_DEPTH)]))
            self._cache[token] = cached
        return cached

    def _is_tail(self, tail: str) -> bool:
        """A last part: a known word, or a known stem plus an inflection ending ("rapport" + "en")."""
        if len(tail) < MIN_PART or tail in NOT_PARTS:
            return False
        if tail in self._words:
            return _content(stem(tail))
        for size in range(min(_LONGEST_ENDING, len(tail) - MIN_PART) + 1):
            root = tail[: len(tail) - size]
            if root in self._stems and tail[len(root) :] in ENDINGS and _content(root):
                return True
        return False

    def _split(self, word: str) -> tuple[str, str] | None:
        """The best (first part, last part) of a compound, or None."""
        best: tuple[int, int, str, str] | None = None
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head = word[:cut]
            # A is a known word; before a linking "s" also a known stem ("delår" in "delårs-")
            as_word = head in self._words
            if not as_word and head not in self._stems:
                continue
            tail = word[cut:]
            # a linking "s" wins over a last part that starts with "s" ("lag" + "s" + "lagen", not "slagen")
            if tail.startswith("s") and self._is_tail(tail[1:]):
                tail = tail[1:]
            elif not (as_word and self._is_tail(tail)):
                continue
            score = (min(len(head), len(tail)), len(tail), head, tail)
            if (best is None or score[:2] > best[:2]) and _content(head) and _content(stem(head)):
                best = score
        return None if best is None else (best[2], best[3])

    def _modifier(self, word: str) -> str | None:
        """The known first part of a compound whose last part is unknown, when a linking "s" marks the seam
        ("delårs" + "siffror" → "delår"); both sides need `MIN_MODIFIER` letters, so "verk" + "s" + "amhet"
        is never taken apart."""
        for cut in range(len(word) - MIN_MODIFIER - 1, MIN_MODIFIER - 1, -1):
            head = word[:cut]
            if word[cut] == "s" and (head in self._words or head in self._stems) and _content(head):
                return head
        return None

    def _parts(self, word: str, depth: int) -> list[str]:
        """Stems of the parts of a compound word, split `depth` levels deep (empty when it is no compound)."""
        cached = self._split_cache.get((word, depth))
        if cached is None:
            split = self._split(word)
            cached = []
            if split is not None:
                cached = [stem(split[0]), stem(split[1])]
                if depth > 1:
                    cached += self._parts(split[0], depth - 1) + self._parts(split[1], depth - 1)
            elif (modifier := self._modifier(word)) is not None:
                cached = [stem(modifier), *self._parts(modifier, depth - 1)] if depth > 1 else [stem(modifier)]
            self._split_cache[(word, depth)] = cached
        return cached


@dataclass(frozen=True)
class _State:
    """The analysed corpus a search reads: replaced whole after a change, never edited.

    Postings are kept per partition (the municipality), so a search limited to a few municipalities
    reads only their postings however many others there are; document frequencies stay corpus-wide, so
    a passage scores the same whichever partitions are searched."""

    analyzer: SwedishAnalyzer
    partitions: dict[str, dict[str, dict[str, int]]]  # partition -> term -> passage id -> term frequency
    frequencies: dict[str, int]  # term -> number of passages with it
    lengths: dict[str, int]  # passage id -> number of terms
    average: float  # mean passage length
    metadata: dict[str, dict[str, str | int | None]]


class BM25Index:
    """Okapi BM25 (k1 = 1.5, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)), never negative).

    Passages are partitioned by one metadata field (`partition`, the municipality by default): `search`
    with `partitions=` scores only the passages of those."""

    def __init__(self, analyzer: SwedishAnalyzer, partition: str = "municipality") -> None:
        self.analyzer = analyzer
        self.partition = partition
        self._docs: dict[str, tuple[str, dict[str, str | int | None]]] = {}
        self._lock = threading.RLock()  # Bolt answers in a thread pool; the indexer may add meanwhile
        self._state = _State(analyzer, {}, {}, {}, 1.0, {})
        self._stale = False
        self._changed: set[str] = set()  # passages added, replaced or removed since the state was made
        self._tokens: dict[str, list[str]] = {}  # each passage's tokens, as the state analysed them
        self._vocabulary: Counter[str] = Counter()  # token -> passages with it, as the state knows them

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, doc_id: object) -> bool:
        """Whether a passage with this id is indexed."""
        return doc_id in self._docs

    def add(self, doc_id: str, text: str, metadata: Metadata) -> None:
        """Add a passage, or replace the one with the same id."""
        with self._lock:
            self._docs[doc_id] = (text, dict(metadata))
            self._changed.add(doc_id)
            self._stale = True

    def remove(self, ids: Iterable[str]) -> None:
        """Remove passages by id; unknown ids are ignored."""
        self.replace(ids, ())

    def replace(self, removed: Iterable[str], added: Iterable[tuple[str, str, Metadata]]) -> None:
        """Remove passages by id and add (id, text, metadata) passages in one step: no search sees one
        change without the other (a document's old version and its new one, never both or neither)."""
        with self._lock:
            for doc_id in removed:
                if self._docs.pop(doc_id, None) is not None:
                    self._changed.add(doc_id)
                    self._stale = True
            for doc_id, text, metadata in added:
                self.add(doc_id, text, metadata)

    def ids(self) -> list[str]:
        """The ids of the indexed passages."""
        with self._lock:
            return list(self._docs)

    def search(
        self,
        query: str,
        k: int = 20,
        where: Callable[[Metadata], bool] | None = None,
        partitions: Iterable[str] | None = None,
    ) -> list[tuple[str, float]]:
        """The `k` best passages for `query` as (id, score), best first; only those of `partitions` (values
        of the partition field, "" for passages without one) when given, and `where` filters on metadata."""
        state = self._refresh()
        groups = (
            list(state.partitions.values())
            if partitions is None
            else [state.partitions[p] for p in dict.fromkeys(partitions) if p in state.partitions]
        )
        scores: dict[str, float] = {}
        for term in dict.fromkeys(state.analyzer.terms(query)):
            frequency = state.frequencies.get(term)
            if not frequency:
                continue
            idf = math.log(1.0 + (len(state.lengths) - frequency + 0.5) / (frequency + 0.5))
            for group in groups:
                for doc_id, tf in group.get(term, {}).items():
                    norm = tf + K1 * (1.0 - B + B * state.lengths[doc_id] / state.average)
                    scores[doc_id] = scores.get(doc_id, 0.0) + idf * tf * (K1 + 1.0) / norm
        hits = [(d, s) for d, s in scores.items() if where is None or where(state.metadata[d])]
        return heapq.nsmallest(k, hits, key=lambda hit: (-hit[1], hit[0]))

    def vocabulary(self) -> frozenset[str]:
        """Every word the indexed passages (and the synonyms) use; a new object whenever the corpus changed."""
        return self._refresh().analyzer.words

    def spread(self, terms: Iterable[str]) -> float:
        """The largest share of passages that hold one of these terms (0 for an empty index)."""
        state = self._refresh()
        if not state.lengths:
            return 0.0
        return max((state.frequencies.get(term, 0) for term in terms), default=0) / len(state.lengths)

    def known_words(self, text: str) -> set[str]:
        """The tokens of `text` that some passage contains: by stem, by a compound part, or through a synonym
        (a phrase such as "i praktiken" counts for each of its words)."""
        state = self._refresh()
        tokens = tokenize(text)
        known = {t for t in tokens if any(term in state.frequencies for term in state.analyzer.word_terms(t))}
        for position, width, canonical in state.analyzer.synonym_spans(tokens):
            if any(term in state.frequencies for term in canonical):
                known.update(tokens[position : position + width])
        return known

    def _refresh(self) -> _State:
        """The state of the current corpus: rebuilt whole at first, then brought up to date by re-analysing
        only the passages a change can touch (see `_update`)."""
        with self._lock:
            if not self._stale:
                return self._state
            old = self._state
            if not old.lengths or len(self._changed) * 4 > len(self._docs):
                self._state = self._build()
            else:
                try:
                    self._state = self._update(old, self._changed)
                except BaseException:  # half-updated bookkeeping: the next search analyses everything
                    self._state = _State(self.analyzer, {}, {}, {}, 1.0, {})
                    raise
            self._changed, self._stale = set(), False
            return self._state

    def _build(self) -> _State:
        """Analyse every passage with the vocabulary of the whole corpus."""
        self._tokens = {doc_id: _interned(tokenize(text)) for doc_id, (text, _) in self._docs.items()}
        self._vocabulary = Counter(t for words in self._tokens.values() for t in set(words))
        analyzer = self.analyzer.with_vocabulary(self._vocabulary)
        partitions: dict[str, dict[str, dict[str, int]]] = {}
        frequencies: Counter[str] = Counter()
        lengths: dict[str, int] = {}
        for doc_id, words in self._tokens.items():
            terms = analyzer.token_terms(words)
            lengths[doc_id] = len(terms)
            postings = partitions.setdefault(self._partition_of(self._docs[doc_id][1]), {})
            for term, count in Counter(terms).items():
                postings.setdefault(term, {})[doc_id] = count
                frequencies[term] += 1
        average = max(sum(lengths.values()) / max(len(lengths), 1), 1.0)
        metadata = {doc_id: meta for doc_id, (_, meta) in self._docs.items()}
        return _State(analyzer, partitions, dict(frequencies), lengths, average, metadata)

    def _update(self, old: _State, changed: set[str]) -> _State:
        """The state after adding, replacing or removing the `changed` passages, equal to a full rebuild.

        A token's terms depend only on which of its substrings are known words or stems (compound parts),
        so when the vocabulary changes, only tokens containing a word or stem that came or went (of at least
        MIN_PART letters, the shortest part) can change; the passages holding them, found through their
        stems' postings, are analysed again with the changed passages. The old state is never edited: the
        dictionaries a change touches are copied, so a search under way reads a consistent state."""
        fresh = {d: _interned(tokenize(self._docs[d][0])) for d in changed if d in self._docs}
        for doc_id in changed:
            for token in set(self._tokens.get(doc_id, ())):
                self._vocabulary[token] -= 1
                if not self._vocabulary[token]:
                    del self._vocabulary[token]
            for token in set(fresh.get(doc_id, ())):
                self._vocabulary[token] += 1
        analyzer = self.analyzer.with_vocabulary(self._vocabulary)
        came_or_went = (analyzer._words ^ old.analyzer._words) | (analyzer._stems ^ old.analyzer._stems)
        pattern = _any_of(w for w in came_or_went if len(w) >= MIN_PART)
        # the old analyzer's analyses still hold for every token no change can touch
        analyzer._cache = {t: v for t, v in old.analyzer._cache.copy().items() if not _touches(pattern, t)}
        analyzer._split_cache = {
            key: v for key, v in old.analyzer._split_cache.copy().items() if not _touches(pattern, key[0])
        }
        touched = set(changed)
        if pattern is not None:
            stems = {stem(t) for t in self._vocabulary if _content(t) and pattern.search(t)}
            for group_terms in old.partitions.values():
                for token_stem in stems & group_terms.keys():
                    touched.update(group_terms[token_stem])
        if len(touched) * 4 > len(self._docs):
            return self._build()  # it re-reads every passage's tokens and the vocabulary

        partitions = dict(old.partitions)
        copied: set[tuple[str, str | None]] = set()

        def postings(partition: str, term: str) -> dict[str, int]:
            if (partition, None) not in copied or partition not in partitions:  # not copied yet, or emptied
                partitions[partition] = dict(partitions.get(partition, {}))
                copied.add((partition, None))
            group = partitions[partition]
            if (partition, term) not in copied or term not in group:
                group[term] = dict(group.get(term, {}))
                copied.add((partition, term))
            return group[term]

        frequencies, lengths, metadata = dict(old.frequencies), dict(old.lengths), dict(old.metadata)
        for doc_id in touched & old.lengths.keys():  # take out what the old analysis put in
            partition = self._partition_of(old.metadata[doc_id])
            for term in Counter(old.analyzer.token_terms(self._tokens[doc_id])):
                group = postings(partition, term)
                del group[doc_id]
                if not group:
                    del partitions[partition][term]
                frequencies[term] -= 1
                if not frequencies[term]:
                    del frequencies[term]
            if not partitions[partition]:
                del partitions[partition]
            del lengths[doc_id], metadata[doc_id]
        self._tokens.update(fresh)
        for doc_id in changed - fresh.keys():
            self._tokens.pop(doc_id, None)
        for doc_id in touched & self._docs.keys():  # and put in the new analysis
            meta = self._docs[doc_id][1]
            terms = analyzer.token_terms(self._tokens[doc_id])
            lengths[doc_id], metadata[doc_id] = len(terms), meta
            partition = self._partition_of(meta)
            for term, count in Counter(terms).items():
                postings(partition, term)[doc_id] = count
                frequencies[term] = frequencies.get(term, 0) + 1
        average = max(sum(lengths.values()) / max(len(lengths), 1), 1.0)
        return _State(analyzer, partitions, frequencies, lengths, average, metadata)

    def _partition_of(self, metadata: Metadata) -> str:
        return str(metadata.get(self.partition) or "")

    def save(self, path: Path) -> None:
        """Write texts and metadata as JSON, atomically (a temporary file, then os.replace)."""
        with self._lock:
            documents = [{"id": d, "text": text, "metadata": meta} for d, (text, meta) in self._docs.items()]
        payload = json.dumps({"format": FORMAT, "version": 1, "documents": documents}, ensure_ascii=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        wrote("BM25 texts saved")

    @classmethod
    def load(cls, path: Path, analyzer: SwedishAnalyzer) -> BM25Index:
        """Read a saved index and rebuild its postings with `analyzer`."""
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{path}: not a saved BM25 index")
        index = cls(analyzer)
        for row in data["documents"]:
            index.add(str(row["id"]), str(row["text"]), row["metadata"])
        index._refresh()
        return index


def _interned(tokens: list[str]) -> list[str]:
    """Tokens sharing one string object per word: passages keep their tokens, and words repeat a lot."""
    return [sys.intern(token) for token in tokens]


def _any_of(words: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern that finds any of the words inside a token, or None for no words."""
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def _touches(pattern: re.Pattern[str] | None, token: str) -> bool:
    return pattern is not None and pattern.search(token) is not None


def load_thesaurus() -> dict[str, tuple[str, ...]]:
    """The shipped thesaurus (`knowledge/data/thesaurus.yaml`) as synonyms: group name → its forms."""
    text = (resources.files("knowledge") / "data" / "thesaurus.yaml").read_text(encoding="utf-8")
    groups = yaml.safe_load(text)["groups"]
    return {str(group[0]): tuple(str(form) for form in group[1:]) for group in groups}


def merge_synonyms(*layers: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """Synonym maps joined: forms of the same canonical word are pooled, in order."""
    merged: dict[str, tuple[str, ...]] = {}
    for layer in layers:
        for canonical, forms in layer.items():
            merged[canonical] = tuple(dict.fromkeys((*merged.get(canonical, ()), *forms)))
    return merged
