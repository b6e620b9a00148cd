"""An extractive Swedish answer: the sentences that answer, quoted whole, with where they are.

No language model: the answer is the sources' own words, so it cannot say what they do not. Every sentence
(or line, for slides, lists and tables) of the best passages is weighed as an answer to the question:

- how near its meaning is (its own vector's similarity to the question's);
- how much of the question's topic it names (each topic word weighted by how specific it is; the words of
  its section heading count for it too);
- whether it gives the kind of answer asked for (a time for "när", an actor for "vem", a number for
  "hur många"); a bare label or title ("Styrmodellen") says little by itself, and a sentence that asks a
  question itself answers nothing (unless its passage is a list of questions to answer);
- for a question after a body's part ("Vad är KS roll?"), whether the sentence has that body as its subject;
- whether its passage is of the source the question names ("enligt kommunallagen", "enligt styrmodellen").

The best sentence decides the lead passage, and the quote is made around it:

- a statement of law is quoted whole (it is one rule);
- a question after an enumeration or a process ("Vad ska … innehålla?", "Hur går … till?") gets the
  section from its start (the passage before, when the chunking split it there), and a list that goes on
  in the next passage of the section goes on too; a process too long to quote keeps its steps (who acts,
  when), each cut before the clause that explains it;
- a sentence that introduces a list ("… bygger bland annat på följande:") is quoted with the list;
- a passage whose heading names the question's topic ("Medarbetarnas ansvar …") answers as a whole, and a
  list under a heading that asks the question in other words ("I vilka forum förs dialog med politiken?")
  is the answer;
- otherwise the best sentence, a short label with the line that follows it, the passage's other sentences
  that answer almost as well, and the sentences right after it that go on to what else is asked ("… Motiv
  till en sådan omprövning är …"), in their order, "…" marking what is left out.

A second source is quoted when it answers parts of the question the first does not (or is another statement
of the same paragraph of law), and pointed to ("Se även …") when it answers almost as well; the citations
are the passages used, best first, then the others that also answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.chunking import SECTION_SEPARATOR
from knowledge import texts
from knowledge.abstention import topic_words, weight
from knowledge.bm25 import SwedishAnalyzer, stem, tokenize
from knowledge.hits import Spot, StoredHit
from knowledge.questions import Asked, Pointed, asked, counted, first_act, gives, role_holder
from knowledge.retrieval import Passage, defines, definition_term
from knowledge.sentences import normalise, sentences

LAW = "law"  # the format of a passage that states the law: placed as the law and its paragraph
MAX_QUOTE = 480  # characters of one quote; the citations carry the whole passages
MAX_LIST = 900  # … of a quote that is a list, or a passage asked for as an enumeration or a process
TOPIC = 0.15  # how much naming the question's topic counts beside the meaning (cosine, in a narrow band)
KIND = 0.03  # … giving the kind of answer asked for (a time, an actor, a number)
LABEL = 0.04  # … taken off a bare label or title
ASKING = 0.05  # … taken off a sentence that asks a question itself (a slide's or a workshop's)
POINTED = 0.06  # … for a passage of the source the question points to (the documents, or the law)
EARLIER = 0.06  # … for the passage the conversation's last answer quoted, which a follow-up on its subject asks on
_WHO_WHEN_HOW_MANY: frozenset[Asked] = frozenset({"time", "actor", "count"})  # … but not for these kinds of answer
DEFINES = 0.05  # … for the sentence that defines the term a "Vad är …?" question asks about
NAMED = 0.05  # … for a sentence of the section whose heading the question names word for word
SUBJECT = 0.05  # … for a sentence whose subject is the body whose part is asked ("Kommunstyrelsen leder …")
_PART_WORDS = re.compile(r"(?:roll|uppgift|uppdrag|ansvar)\w*$")  # "Vad är KS roll?": the frame, not the topic
CONTEXT = 0.3  # a word of the situation told before the question counts this much of a word of the question
CONCEPT = 1.5  # … and a word of the concept the situation is about ("jäv" of a relative's case) this much
SPECIFIC = 2.5  # a topic word weighing this much says precisely what the question is about
EXACT = 0.02  # … and a sentence that has such a word as it is, not by a part or a synonym, counts this much more
HEADING = 0.5  # a word of a sentence's section heading (or of the words people use for a rule) counts this much,
# and fully when a list or process is asked for: its items need not name what the heading does ("Nulägesanalys")
COUNTED = 0.05  # … for the line that names the things counted and is followed by that many ("Utifrån fyra perspektiv")
WHOLE = 0.5  # a passage whose heading names this share of the question's topic answers as a whole
ALSO = 0.03  # a sentence this close to the best answers "almost as well"
CONTINUES = 0.12  # … and one this close, right after the answer, goes on to what else the question asks
ADDS = 0.08  # a sentence of another source this close that names more of the topic is quoted too
CITE = 0.06  # a passage whose best sentence is this close to the best is cited however it ranked in its search
CANDIDATES = 10  # every passage the answerer weighs: the documents' five and the law's up to five
MIN_NAMED = 6  # a heading this long that the question names word for word is the section asked about
NEAR_START = 2  # an enumeration is quoted from the passage's start when its best sentence is this near it
MAX_ITEM = 160  # a longer line is prose, not an item of a list
SHORT_ITEM = 90  # an item of a list may end with a full stop when it is short
COMMON = 0.5  # a topic word held by this share of the passages weighs least …
MIN_SPREAD = 0.25  # … this share of its weight, however common it is
MIN_FIRST_PART = 5  # letters before the linking "s" of a compound whose last part is a topic word …
MIN_HEAD = 4  # … and of that last part
MIN_VERB = 4  # letters of a verb's stem that makes a noun ("säkr" of "säkra" makes "säkring")
_SOURCE_POINTER = re.compile(
    r"\b(?:enligt|i)\s+(?:\w+s\s+)?(?:styrmodell\w*|styrdokument\w*|material\w*|workshop\w*)"
    r"(?:\s+\w+)?\s*\??\s*$",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"(?:styrdokument|workshop|material|dokument|presentation|bildspel)\w*$")
_FIGURE = re.compile(r"\d\s*%|\d+,\d|\d\s*(?:kr|tkr|mnkr|mkr)\b", re.IGNORECASE)
_CONTENTS = re.compile(r"^\W*(?:agenda|dagordning|innehåll|innehållsförteckning|disposition)\W*$", re.IGNORECASE)
_EXPLAINS = re.compile(r",\s+(?:som|vilket|vilka|för att|där|i syfte att|eftersom)\s")
_INTRODUCES_LIST = re.compile(r"(?::\s*$|\bföljande\b|\bsom följer\b|\bnedan\b)", re.IGNORECASE)
# a sentence that goes on from the one before it ("Innan det har bolagsstyrelserna beslutat …", "Därefter ska …",
# "Detta oberoende är viktigt …", "Det innebär att …")
_GOES_ON = re.compile(
    r"^(?:(?:innan|före|efter|utöver|förutom) (?:det|detta|dess|dessa)|därefter|dessförinnan|sedan dess|"
    r"därutöver|dessutom|detta|denna|dessa|det (?:innebär|betyder|gör|beror))\b",
    re.IGNORECASE,
)


def place(passage: Passage) -> str:
    """Where a passage is: title, page or slide, section ("Styrmodell, s. 7, avsnitt ”5. Ekonomi”"), or the
    law and its paragraph ("Kommunallag (2017:725) 6 kap 30 §")."""
    hit = passage.hit
    if hit.format == LAW:
        return f"{hit.title} {hit.section}".strip()
    parts = [hit.title or hit.source]
    if hit.page is not None:
        if hit.format == "pptx":
            parts.append(texts.SLIDE.format(page=hit.page))
        elif hit.page_end is not None and hit.page_end != hit.page:
            parts.append(texts.PAGES.format(page=hit.page, page_end=hit.page_end))
        else:
            parts.append(texts.PAGE.format(page=hit.page))
    if hit.section:  # a heading's own colon or full stop would double the sentence's
        parts.append(texts.SECTION.format(section=hit.section.rstrip(" :.")))
    return ", ".join(parts)


def _quotation(passage: Passage, text: str) -> str:
    """What a passage says as the answer shows it: a document's words in quotation marks; a statement of the
    law as it stands, since it is our summary of the paragraph and not the statute's own words."""
    return text if passage.hit.format == LAW else f"”{text}”"


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


@dataclass(frozen=True)
class Composed:
    """The answer text and the passages it cites, best first."""

    text: str
    cited: tuple[Passage, ...]
    specific: frozenset[str] = frozenset()  # the question's own specific topic words …
    named: frozenset[str] = frozenset()  # … and those of them the first quote names
    topical: bool = True  # whether the first quote names some of a lone question's topic (or its section does)
    quotes: tuple[str, ...] = ()  # what the answer says from its sources, without the lines that say where

    @property
    def said(self) -> str:
        """The quotes as one text, for checking what the answer holds (an actor, a figure, a time)."""
        return " ".join(self.quotes)

    def answers(self) -> bool:
        """Whether the quote can be an answer: there is one, it names something the question is about ("När
        beslutades visionen?" is not answered by when the board is elected, however near its meaning), and when
        the question names two or more specific things, its first quote names at least half of them: "Vad säger
        riktlinjen om gåvor och representation?" is not answered by another "riktlinje"."""
        enough = len(self.specific) < 2 or 2 * len(self.named & self.specific) >= len(self.specific)
        return bool(self.text) and self.topical and enough


@dataclass(frozen=True)
class _Unit:
    """One sentence (or line) of a candidate passage, weighed as an answer."""

    passage: int
    index: int
    text: str
    covers: frozenset[str]
    score: float


class _Topic:
    """The question's topic words, with their weights and the search terms each is known by."""

    def __init__(
        self,
        question: str,
        context: str,
        analyzer: SwedishAnalyzer,
        spread: Spread | None = None,
        about: Sequence[str] = (),
        names: frozenset[str] = frozenset(),
    ) -> None:
        self.analyzer = analyzer
        self.term = definition_term(question)  # "Vad är en indikator?" asks what "indikator" means
        self.counted = counted(question)  # "Vilka fyra perspektiv …?" asks for a list of four
        holder = role_holder(question)  # "Vad är KS roll?" is answered by what KS does: "Kommunstyrelsen leder …"
        self.holder = frozenset(analyzer.terms(holder)) if holder else frozenset()
        question = _SOURCE_POINTER.sub("", question)  # "… enligt Trollhättans styrmodell" names where, not what
        words = [w for w in topic_words(question) if not _named(w, names)]  # "Tranemo" locates, it is no topic
        if holder:  # "Vad är KS uppgift?" is about KS; "uppgift" only frames it ("vilka övriga uppgifter" is not it)
            words = [w for w in words if not _PART_WORDS.match(w)]
        self.asked = frozenset(words)
        self.text = f" {normalise(question)} "  # to find a heading the question names word for word
        concepts = [w for w in topic_words(" ".join(about)) if w not in self.asked]
        own = [*words, *concepts]
        self.own = frozenset(own)
        told = [w for w in topic_words(context) if w not in own and not _named(w, names)]
        self.terms = {w: frozenset(analyzer.naming_terms(w)) | _nominalised(w) for w in (*own, *told)}
        damp = {w: max(MIN_SPREAD, 1.0 - spread(t) / COMMON) if spread else 1.0 for w, t in self.terms.items()}
        leaning = 1.0 if len(self.asked) <= 1 else CONTEXT  # "… och av vilka skäl?" is about what came before
        self.words = {w: weight(w) * damp[w] for w in own} | {w: leaning * weight(w) * damp[w] for w in told}
        self.words |= {w: CONCEPT * weight(w) for w in concepts}  # what the situation is about, named or not
        tokens = tokenize(f"{context} {question}")
        for position, width, canonical in analyzer.synonym_spans(tokens):  # "pekar ut" is also "riktning"
            for word in tokens[position : position + width]:
                if word in self.terms:
                    self.terms[word] |= frozenset(canonical)
        # a topic word's terms as the last part of a compound (`covered`)
        self._heads = {term: w for w, terms in self.terms.items() for term in terms if len(term) >= MIN_HEAD}
        self.total = sum(self.words.values()) or 1.0
        self.main = max(own, key=lambda w: self.words[w], default=None)  # "budgetprocessen" of "Hur går … till?"
        # the question's own words that say most precisely what it is about ("gåvor", "representation")
        # (not the source it names: "i workshopens modell")
        self.specific = frozenset(w for w in self.asked if self.words[w] >= SPECIFIC and not _SOURCE.match(w))

    def is_main(self, text: str) -> bool:
        """Whether a text is one word, the question's weightiest topic word (by stem)."""
        words = tokenize(text)
        return self.main is not None and len(words) == 1 and stem(words[0]) == stem(self.main)

    def named_exactly(self, text: str) -> frozenset[str]:
        """The question's specific words that a text has as they are (by stem), not by a part or a synonym."""
        stems = {stem(token) for token in tokenize(text)}
        return frozenset(word for word in self.specific if stem(word) in stems)

    def covered(self, text: str) -> frozenset[str]:
        """The topic words a text names (by stem, compound part or synonym, or as the last part of a compound
        joined by a linking "s" that the analysis could not split: "objektivitetskravet" is a "krav")."""
        terms = set(self.analyzer.terms(text))
        named = {w for w, t in self.terms.items() if t & terms}
        for term in terms:  # "objektivitets|krav": a first part, a linking "s", a topic word's term
            for seam in range(MIN_FIRST_PART + 1, len(term) - MIN_HEAD + 1):
                if term[seam - 1] == "s" and (word := self._heads.get(term[seam:])) is not None:
                    named.add(word)
        return frozenset(named)

    def has_holder_as_subject(self, text: str) -> bool:
        """Whether the sentence opens with the body whose part the question asks about."""
        first = text.split(maxsplit=1)[0] if text.strip() else ""
        return bool(self.holder) and bool(self.holder & set(self.analyzer.terms(first)))

    def share(self, words: frozenset[str]) -> float:
        """The share of the topic's weight these words carry."""
        return sum(self.words[w] for w in words) / self.total


def _nominalised(word: str) -> frozenset[str]:
    """The stems of the nouns a verb of the question makes, where Swedish stems do not meet already: to
    "kvalitetssäkra" is what a "kvalitetssäkring" is about, to "styra" a "styrning" ("planera" and "planering"
    share a stem). Only this way: a noun asked about ("laglighetsprövning") is named by the noun, not by
    every sentence that uses its verb."""
    root = stem(word)
    if root.endswith("ing") or len(root) < MIN_VERB:
        return frozenset()
    return frozenset({f"{root}ing", f"{root}ning"})


def _named(word: str, names: frozenset[str]) -> bool:
    return any(word.startswith(name) for name in names)


# The passage next to one in its document: `Neighbour(passage, 1)` the one after, `-1` the one before.
Neighbour = Callable[[Passage, int], Passage | None]
# The share of passages that hold any of a word's terms: a word in every other passage ("styrmodell" in
# the municipality's governance model) says little about which passage answers.
Spread = Callable[[frozenset[str]], float]


def compose(
    question: str,
    passages: Sequence[Passage],
    analyzer: SwedishAnalyzer,
    context: str = "",
    neighbour: Neighbour | None = None,
    pointed: Pointed | None = None,
    spread: Spread | None = None,
    about: Sequence[str] = (),
    names: frozenset[str] = frozenset(),
    earlier: Spot | None = None,
) -> Composed:
    """The Swedish answer from the best passages: the best sentences quoted with their place, a second
    source when it adds to the first, and the passages cited. `neighbour` gives the passage before or after
    one in its document, for a list or process that begins before or goes on past a passage; `pointed` the source
    the question asks about ("… i Strängnäs", "enligt styrmodellen": the documents; "enligt kommunallagen": the
    law), whose passages count first; `spread` says how common a word's terms are in the documents (a common
    word weighs less); `about` the concepts the situation is about (`knowledge.situations`); `names` the
    beginnings of the names of places ("tranemo", "trollhätt"), which say where the question is about, not what;
    `earlier` where the conversation's last answer was quoted from, when this question follows up its subject
    ("vilka är med i den vertikala dialogen?" after the forums of dialogue were listed)."""
    candidates = list(passages[:CANDIDATES])
    topic = _Topic(question, context, analyzer, spread, about, names)
    kinds = asked(question)
    units = [u for number, p in enumerate(candidates) for u in _units(number, p, topic, kinds, pointed, earlier)]
    if not units:  # titles and headings only: nothing to quote
        return Composed("", (), topic.specific)
    best = max(units, key=lambda u: u.score)
    lead = candidates[best.passage]
    quoted, said = _quote(kinds, topic, lead, [u for u in units if u.passage == best.passage], best, neighbour)
    lines = [texts.ACCORDING_TO.format(place=place(lead)), _quotation(lead, quoted)]
    quotes = [quoted]
    cited = [lead]
    second = _second(units, best, said, candidates, lead)
    if second is not None:
        other = candidates[second.passage]
        same_place = place(other) == place(lead)  # two statements of one paragraph of law
        if second.covers - said or same_place:
            text, _ = _quote(kinds, topic, other, [u for u in units if u.passage == second.passage], second, neighbour)
            said_there = _quotation(other, text)
            quotes.append(text)
            lines += [said_there] if same_place else [texts.ACCORDING_TO.format(place=place(other)), said_there]
        else:
            lines.append(texts.ALSO.format(place=place(other)))
        cited.append(other)
    specific = topic.specific
    cites = tuple(_cited(cited, candidates, units, best))
    # what a lone question is about, not the act it asks about ("beslutades"), is named (a situation may name it)
    about_what = {word for word in topic.asked if first_act(word) is None}
    topical = bool(about_what & said) or not about_what or bool(context)
    return Composed("\n".join(lines), cites, specific, specific & said, topical, tuple(quotes))


def scores(
    question: str,
    passages: Sequence[Passage],
    analyzer: SwedishAnalyzer,
    context: str = "",
    about: Sequence[str] = (),
) -> list[float]:
    """How well each passage answers the question: the weight of its best sentence, as `compose` weighs it."""
    topic = _Topic(question, context, analyzer, about=about)
    kinds = asked(question)
    weighed = [_units(n, p, topic, kinds, None, quoting=False) for n, p in enumerate(passages)]
    return [max((u.score for u in units), default=0.0) for units in weighed]


def _cited(used: list[Passage], candidates: list[Passage], units: list[_Unit], best: _Unit) -> list[Passage]:
    """The passages quoted, then the documents' passages whose best sentence answers nearly as well, then
    the documents' other passages in their search order, then paragraphs of law that answer nearly as well
    (each paragraph once)."""
    scores = [max((u.score for u in units if u.passage == n), default=0.0) for n in range(len(candidates))]
    close = sorted((n for n in range(len(candidates)) if scores[n] >= best.score - CITE), key=lambda n: -scores[n])
    documents = [n for n in range(len(candidates)) if candidates[n].hit.format != LAW]
    order = [n for n in close if n in documents] + documents + [n for n in close if n not in documents]
    cited: list[Passage] = []
    places: set[str] = set()
    for passage in [*used, *(candidates[n] for n in order)]:
        where = place(passage) if passage.hit.format == LAW else passage.hit.id
        if where not in places:
            cited.append(passage)
            places.add(where)
    return cited


def _units(
    number: int,
    passage: Passage,
    topic: _Topic,
    kinds: frozenset[Asked],
    pointed: Pointed | None,
    earlier: Spot | None = None,
    quoting: bool = True,
) -> list[_Unit]:
    """Each sentence of a passage weighed as an answer; `quoting` when choosing what to quote, which also
    prefers the question's own words as they are (the rules' check and the law's ranking weigh by meaning)."""
    hit = passage.hit
    parts = sentences(hit.text)
    heading = _heading(passage)
    in_heading = topic.covered(f"{heading} {passage.about}") if heading or passage.about else frozenset()
    # "I vilka forum förs dialog med politiken?" over a list: the question asked in other words, its list the answer
    heading_asks = bool(kinds & {"list", "process"}) and _asks(heading) and _names_most(topic, heading)
    agenda = all(_is_label(text) or text in (heading, hit.title) for text in parts)
    # "Vilka är med i den vertikala dialogen?" over a list of forums: the line that names it and more is the answer;
    # "Hur många riktlinjer har vi?" over "Policy (8)", "Riktlinje (32)", …: the line that names it with a number
    item_asked = any(
        _names_most(topic, text) and _says_of_it(text, topic, kinds)
        for text in parts
        if text not in (heading, hit.title)
    )
    if (agenda and not heading_asks and not item_asked) or _CONTENTS.match(heading):
        return []  # a title slide, a heading alone or an agenda answers nothing: it names what is said elsewhere
    # a heading of words that the question names as they stand ("delårsrapport 1"); one word is just the topic
    section_asked = len(heading.split()) > 1 and len(heading) >= MIN_NAMED and f" {normalise(heading)} " in topic.text
    # "Styrmodellens tre delar": the section is the list asked for, its heading what introduces it
    lists_counted = topic.counted is not None and topic.counted.named_in(heading)
    section_asked |= lists_counted
    # "Vad ska en nulägesanalys innehålla?": the section "Nulägesanalys" lists it
    section_asked |= bool(kinds & {"list", "process"}) and len(heading) >= MIN_NAMED and topic.is_main(heading)
    section_asked |= heading_asks
    from_heading = 1.0 if kinds & {"list", "process"} else HEADING
    # a passage of questions ("Vilken är enhetens verksamhetsidé? Vilka är våra samverkanspartners?") lists the
    # questions to answer: they are its content, not questions it asks
    questions_listed = 2 * sum(map(_asks, parts)) > len(parts)
    found = []
    for index, text in enumerate(parts):
        if text == heading and len(parts) > 1:
            continue  # the heading is in the answer's "Enligt …" already
        similarity = passage.similarities[index] if index < len(passage.similarities) else passage.nearest
        if _FIGURE.search(text) and _is_label(_FIGURE.sub("", text)) and passage.nearest is not None:
            similarity = max(similarity or 0.0, passage.nearest)  # a bare figure means what its passage means
        own = topic.covered(text)
        named = topic.share(own) + from_heading * topic.share(in_heading - own)
        score = (similarity if similarity is not None else 0.0) + TOPIC * named
        if lists_counted or _introduces_counted(parts, index, topic):
            score += COUNTED  # "Utifrån fyra perspektiv" before the four: the list asked for begins
        elif topic.counted is not None and topic.counted.named_in(text):
            score -= KIND  # "… delas in i tre delar." says how many, not which
        elif kinds & {"list", "process"} and _is_label(text) and own and _listed_with(parts, index, own, topic):
            score += KIND  # "Förenklad konsekvensbeskrivning" beside "Omfattande …": an item of the list asked for
        elif "count" in kinds and gives("count", text):
            pass  # "Riktlinje (32)" answers "Hur många riktlinjer …?" however short
        else:
            # a label says little alone, and nothing at all when it only repeats what was asked ("Nulägesanalys")
            score -= LABEL * (1 + _echoes(text, topic)) if _is_label(text) else 0.0
        score += KIND * sum(gives(kind, text) for kind in kinds)
        score -= KIND if "count" in kinds and not gives("count", text) else 0.0  # no number: no count
        if quoting:  # "delårsberättelsen" itself, not "delårsrapport" + "berättelse"
            score += EXACT * len(topic.named_exactly(text))
        score += POINTED if _of_source(hit, pointed) else 0.0
        # where the last answer was quoted from, for more on what it said: not who or when, which the next
        # sentence over may say ("vem bestämde det?" after what LEP is)
        score += EARLIER if earlier is not None and not kinds & _WHO_WHEN_HOW_MANY and earlier.holds(hit) else 0.0
        score += NAMED if section_asked else 0.0  # "Vad innehåller delårsrapport 1?": the section "Delårsrapport 1"
        score += DEFINES if topic.term is not None and defines(text, topic.term) else 0.0
        score += SUBJECT if topic.has_holder_as_subject(text) else 0.0
        score -= ASKING if _asks(text) and not questions_listed else 0.0  # "Har vi arenor för dialog?" answers nothing
        found.append(_Unit(number, index, text, own | in_heading, score))
    return found


def _of_source(hit: StoredHit, pointed: Pointed | None) -> bool:
    """Whether a passage is of the source the question points to: the law, or the municipality's own documents
    ("… i Strängnäs"), which general documents (a workshop of many municipalities) are not."""
    if pointed == "law":
        return hit.format == LAW
    return pointed == "documents" and hit.format != LAW and bool(hit.municipality)


def _says_of_it(text: str, topic: _Topic, kinds: frozenset[Asked]) -> bool:
    """Whether a line that names the topic says what is asked of it: more than its name for a list or a process,
    a number for a count."""
    if "count" in kinds:
        return gives("count", text)
    return bool(kinds & {"list", "process"}) and not _echoes(text, topic)


def _echoes(text: str, topic: _Topic) -> bool:
    """Whether every word of a text is a topic word of the question: it names what is asked, says nothing of it."""
    words = [word for word in tokenize(text) if len(word) > 2]
    return bool(words) and all(topic.covered(word) for word in words)


def _introduces_counted(parts: list[str], index: int, topic: _Topic) -> bool:
    """Whether a line names the counted things the question asks for and that many items follow it."""
    number = topic.counted
    return number is not None and number.named_in(parts[index]) and len(_list_after(parts, index)) >= number.number


def _listed_with(parts: list[str], index: int, words: frozenset[str], topic: _Topic) -> bool:
    """Whether a short line stands beside another short line that names the same topic word: two items of one list
    ("Ingen konsekvensbeskrivning", "Förenklad konsekvensbeskrivning")."""
    beside = [parts[i] for i in (index - 1, index + 1) if 0 <= i < len(parts)]
    return any(_is_label(line) and topic.covered(line) & words for line in beside)


def _quote(
    kinds: frozenset[Asked],
    topic: _Topic,
    passage: Passage,
    units: list[_Unit],
    best: _Unit,
    neighbour: Neighbour | None,
) -> tuple[str, frozenset[str]]:
    """The quote from one passage around its best sentence (see the module docstring), and the topic words
    it names."""
    parts = sentences(passage.hit.text)
    heading = _heading(passage)
    first = next((i for i, text in enumerate(parts) if text != heading), 0)
    keep = best.index
    chosen = {keep}
    limit = MAX_QUOTE
    if passage.hit.format == LAW:
        chosen |= set(range(len(parts)))
    elif topic.counted is not None and _introduces_counted(parts, keep, topic):  # just the items counted
        chosen |= set(sorted(_list_after(parts, keep))[: topic.counted.number])
        limit = MAX_LIST
    elif _INTRODUCES_LIST.search(best.text):
        parts += _continued(passage, parts, neighbour)
        chosen |= _list_after(parts, keep)
        limit = MAX_LIST
    elif topic.term is not None and defines(best.text, topic.term):
        chosen |= _row_after(parts, keep) if " | " in best.text else set()  # the rest of a glossary's row
    elif kinds & {"list", "process"}:
        start = keep
        while start > first and _is_label(parts[start - 1]) and topic.covered(parts[start - 1]) & best.covers:
            start -= 1  # the list's items from its first ("Ingen …", "Förenklad …", "Omfattande konsekvensbeskrivning")
        # from the section's start: when the answer begins the passage, or the section is about what is asked
        if keep - first <= NEAR_START or (heading and topic.main in topic.covered(heading)):
            earlier = _begun(passage, parts, neighbour)
            parts = earlier + parts
            keep += len(earlier)
            chosen = {keep}
            start = 0 if earlier else first
        parts += _continued(passage, parts, neighbour)
        chosen |= set(range(start, len(parts)))
        limit = MAX_LIST
        if "process" in kinds and sum(len(parts[i]) + 1 for i in chosen) > limit:
            chosen = {i for i in chosen if i in (keep, start) or _is_step(parts[i])}  # the steps, not the why
            parts = [_main_clause(text) if i in chosen else text for i, text in enumerate(parts)]
    elif heading and _names_most(topic, heading):
        chosen |= set(range(first, len(parts)))
    else:
        if _is_label(best.text) and best.index + 1 < len(parts):
            chosen.add(best.index + 1)
        chosen |= {u.index for u in units if u.score >= best.score - ALSO and u.covers}
        chosen |= _going_on(best, units)
    chosen |= {i + 1 for i in chosen if i + 1 < len(parts) and _GOES_ON.match(parts[i + 1])}
    picked = sorted(i for i in chosen if parts[i] != heading or i == keep)
    return _joined(parts, picked, keep, limit), frozenset(word for u in units if u.index in picked for word in u.covers)


def _going_on(best: _Unit, units: list[_Unit]) -> set[int]:
    """The sentences right after the answer that stay on the question's topic up to the last that names
    something more of it: "I slutet av november kan budgeten omprövas. En omprövning ska endast göras i
    undantagsfall. Motiv till en sådan omprövning är …" answers "… och av vilka skäl?" too."""
    by_index = {u.index: u for u in units}
    said, run, going = set(best.covers), [], set()
    at = best.index + 1
    while (u := by_index.get(at)) is not None and u.covers and u.score >= best.score - CONTINUES:
        run.append(at)
        if u.covers - said:
            going |= set(run)
            said |= u.covers
        at += 1
    return going


def _joined(parts: list[str], picked: list[int], keep: int, limit: int) -> str:
    """The picked sentences in order within `limit` characters (never without `keep`), "…" for a gap and for
    the rest when it does not fit."""
    text = ""
    previous = None
    for index in picked:
        piece = parts[index]
        if text and len(text) + len(piece) + 3 > limit and index != keep:
            if index > keep:
                text += " …"  # it goes on in the citation
                break
            continue
        if not text or previous is None:
            joiner = ""
        elif index != previous + 1:
            joiner = " … "
        else:
            joiner = "; " if _is_label(parts[previous]) else " "  # the boxes of a slide, one after another
        text += joiner + piece
        previous = index
    return text if len(text) <= MAX_LIST else text[: MAX_LIST - 1].rsplit(" ", 1)[0] + " …"


def _list_after(parts: list[str], start: int) -> set[int]:
    """The lines of the list that begins after `start`: short lines, up to the first full sentence of prose
    or the next line that introduces a list of its own."""
    found = set()
    for index in range(start + 1, len(parts)):
        line = parts[index]
        if len(line) > MAX_ITEM or (line.endswith(".") and len(line) > SHORT_ITEM) or _INTRODUCES_LIST.search(line):
            break
        found.add(index)
    return found


def _row_after(parts: list[str], start: int) -> set[int]:
    """The sentences after a glossary definition up to the next term's row ("Mål | …")."""
    found = set()
    for index in range(start + 1, min(len(parts), start + 4)):
        if " | " in parts[index][:60]:
            break
        found.add(index)
    return found


def _continued(passage: Passage, parts: list[str], neighbour: Neighbour | None) -> list[str]:
    """The sentences of the next passage of the same section (a list cut by the chunking), without those the
    passages share (chunks overlap)."""
    return _of_section(passage, parts, neighbour, 1)


def _begun(passage: Passage, parts: list[str], neighbour: Neighbour | None) -> list[str]:
    """The sentences of the section before this passage (a process whose first steps the chunking put in the
    passage before), without those the passages share."""
    return _of_section(passage, parts, neighbour, -1)


def _of_section(passage: Passage, parts: list[str], neighbour: Neighbour | None, step: int) -> list[str]:
    other = neighbour(passage, step) if neighbour is not None else None
    if other is None or other.hit.section != passage.hit.section:
        return []
    seen = set(parts)
    return [text for text in sentences(other.hit.text) if text not in seen and text != _heading(other)]


def _heading(passage: Passage) -> str:
    """The passage's own section heading (the last part of its section path)."""
    return passage.hit.section.split(SECTION_SEPARATOR)[-1] if passage.hit.section else ""


def _second(
    units: list[_Unit], best: _Unit, said: frozenset[str], candidates: list[Passage], lead: Passage
) -> _Unit | None:
    """The best sentence of another document or section: quoted if it names more of the topic, else
    pointed to when it answers almost as well."""
    others = [
        u
        for u in units
        if (candidates[u.passage].hit.doc_id, candidates[u.passage].hit.section) != (lead.hit.doc_id, lead.hit.section)
    ]
    if not others:
        return None
    runner = max(others, key=lambda u: u.score)
    adds = max((u for u in others if u.covers - said), key=lambda u: u.score, default=None)
    if adds is not None and adds.score >= best.score - ADDS:
        return adds
    return runner if runner.score >= best.score - ALSO else None


def _is_step(text: str) -> bool:
    """A sentence of a process that says who acts or when ("Under april genomförs samtal mellan
    förvaltningschefer …"), not why or what else."""
    return gives("time", text) or gives("actor", text)


def _main_clause(text: str) -> str:
    """A long sentence cut before the clause that explains it (", som …", ", för att …"), "…" marking the cut."""
    if len(text) <= MAX_ITEM:
        return text
    cut = _EXPLAINS.search(text, MAX_ITEM // 3)
    return f"{text[: cut.start()]} …" if cut is not None else text


def _asks(text: str) -> bool:
    """Whether a sentence is itself a question ("Har vi arenor/forum för dialog?")."""
    return text.rstrip().endswith("?")


def _names_most(topic: _Topic, heading: str) -> bool:
    """Whether a heading names most of the question's topic (WHOLE of its weight)."""
    return topic.share(topic.covered(heading) & topic.own) >= WHOLE * topic.share(topic.own)


def _is_label(text: str) -> bool:
    """A heading or a label ("Tjänstepersoner", "Delårsrapport 1") that says little alone; a figure ("74%",
    "1,2 mnkr") is data however short."""
    if _FIGURE.search(text):
        return False
    return len(text) < 60 and not text.endswith((".", "!", "?")) and len(tokenize(text)) <= 6
