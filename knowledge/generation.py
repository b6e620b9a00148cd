"""Optional: a language model writes the document answer, from the retrieved passages only, and is checked.

With an OpenAI-compatible endpoint configured (Azure OpenAI, vLLM, Ollama, an EU host), `Writer.write`
sends the question and the numbered passages through langchain and asks for a short Swedish answer with a
reference such as [2] after each sentence. The reply is used only if it holds up:

- it is text in words, not empty, not a refusal marker, not endlessly long;
- it refers to passages, and only to passages it was given (a reference to [7] of five is an invented
  source, and the whole reply is dropped, not just the reference);
- every sentence is supported: most of its content words (stemmed, as BM25 sees them) are in the
  passages its references name, or, for a sentence without a reference, in some passage; and it names
  no number, date or body they do not, is negated only where they are, and neither it nor the passage
  text it rests on speaks to the model (`knowledge.grounding`);
- it is Swedish.

The passages reach the model as quoted data (`<utdrag>`, escaped), never as instructions.

Anything else, and a timeout or an error from the endpoint, raises `Unusable` with the reason, and the
caller keeps the extractive answer: the model can only make an answer read better, never say more than
the documents. The references are renumbered in order of first use and map one to one to the citations.
Rule answers never come here: deterministic first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from knowledge import texts
from knowledge.bm25 import SwedishAnalyzer
from knowledge.compose import place
from knowledge.grounding import addresses_model, contradicts, document_sentences, is_swedish, unsupported_detail
from knowledge.retrieval import Passage
from knowledge.sentences import sentences

if TYPE_CHECKING:  # langchain's chat models take half a second to import: only when a model is configured
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

MAX_CHARS = 1500  # a longer reply is not the short answer that was asked for
SUPPORT = 0.6  # share of a sentence's content words that must be in the passages it rests on
NO_ANSWER = "INGET SVAR"  # what the model is told to say when the passages do not answer
_REFERENCE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


class Unusable(Exception):
    """The model's reply cannot be shown; `reason` says why (for the trace and the metrics)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Written:
    """A checked answer: its text with references [1]…[n], and the n passages they name, in that order."""

    text: str
    passages: tuple[Passage, ...]
    model: str


def openai_compatible(base_url: str, model: str, api_key: str | None, timeout: float) -> BaseChatModel:
    """A langchain chat model for any OpenAI-compatible endpoint: no retries (the caller falls back at
    once), temperature 0, the chat completions API (what vLLM, Ollama and Azure all speak)."""
    from langchain_openai import ChatOpenAI  # imported only when a model is configured

    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=api_key or "ingen-nyckel",  # local servers take any key, and the client insists on one
        timeout=timeout,
        max_retries=0,
        temperature=0,
        use_responses_api=False,
    )


class Writer:
    """Writes document answers with a chat model, within `deadline` seconds, and checks them."""

    def __init__(self, model: BaseChatModel, analyzer: SwedishAnalyzer, name: str, deadline: float = 20.0) -> None:
        self.model = model
        self.analyzer = analyzer
        self.name = name
        self.deadline = deadline
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="styrbot-llm")

    def write(self, question: str, passages: Sequence[Passage], municipality_name: str) -> Written:
        """The model's answer from these passages, checked; raises Unusable when it cannot be shown."""
        if not passages:
            raise Unusable("no_passages")
        messages = prompt(question, passages, municipality_name)
        reply = self._ask(messages)
        return check(reply, passages, self.analyzer.terms, self.name)

    def _ask(self, messages: list[Any]) -> str:
        future = self._pool.submit(self.model.invoke, messages)
        try:
            message = future.result(timeout=self.deadline)
        except FutureTimeout:
            future.cancel()
            raise Unusable("timeout", f"no answer within {self.deadline:g} s") from None
        except Exception as exc:  # the endpoint's failure of any kind: refused, unreachable, not OpenAI JSON
            raise Unusable("error", f"{type(exc).__name__}: {exc}"[:300]) from None
        content = message.content
        if not isinstance(content, str):  # a list of content blocks: keep their text
            content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
        return content


def prompt(question: str, passages: Sequence[Passage], municipality_name: str) -> list[BaseMessage]:
    """The messages: the rules of the task, then the numbered passages as quoted data (escaped, so that no
    passage can close its quote and speak as the instructions), and the question."""
    from langchain_core.messages import HumanMessage, SystemMessage

    excerpts = "\n\n".join(
        f'<utdrag nr="{n}" plats="{escape(place(p))}">\n{escape(p.hit.text, quote=False)}\n</utdrag>'
        for n, p in enumerate(passages, 1)
    )
    return [
        SystemMessage(texts.GENERATION_SYSTEM.format(name=municipality_name, no_answer=NO_ANSWER)),
        HumanMessage(texts.GENERATION_USER.format(excerpts=excerpts, question=question)),
    ]


def check(reply: str, passages: Sequence[Passage], terms: Callable[[str], list[str]], model: str) -> Written:
    """The reply as a Written answer if it holds up (see the module's notes), else Unusable."""
    text = " ".join(reply.split())
    if not text:
        raise Unusable("empty")
    if NO_ANSWER in text.upper():
        raise Unusable("no_answer")
    if len(text) > MAX_CHARS:
        raise Unusable("too_long", f"{len(text)} characters")
    if len(_LETTERS.findall(text)) < 0.6 * len(text.replace(" ", "")):
        raise Unusable("garbage", text[:80])
    if addresses_model(text):
        raise Unusable("addresses_model", text[:120])
    if not is_swedish(text):
        raise Unusable("not_swedish", text[:80])
    numbers = _references(text)
    if not numbers:
        raise Unusable("no_references")
    invented = sorted({n for n in numbers if not 1 <= n <= len(passages)})
    if invented:
        raise Unusable("invented_reference", ", ".join(map(str, invented)))
    # what each passage may support: its sentences, except any that speak to the model
    bases = [document_sentences(p.hit.text) for p in passages]
    known = [
        set(terms(" ".join(b))) | set(terms(f"{p.hit.title} {p.hit.section}"))
        for p, b in zip(passages, bases, strict=True)
    ]
    for sentence in sentences(text):
        cited = _references(sentence) or range(1, len(passages) + 1)
        plain = _REFERENCE.sub(" ", sentence)
        words = set(terms(plain))
        if not words:
            continue
        if len(words & set().union(*(known[n - 1] for n in cited))) < SUPPORT * len(words):
            raise Unusable("unsupported", sentence[:120])
        basis = [s for n in cited for s in bases[n - 1]]
        detail = unsupported_detail(plain, basis, terms)
        if detail is not None:
            raise Unusable("unsupported_detail", f"{detail}: {sentence[:120]}")
        if contradicts(plain, basis, terms):
            raise Unusable("contradicts", sentence[:120])
    order = list(dict.fromkeys(numbers))  # first use gives the new number
    renumber = {old: new for new, old in enumerate(order, 1)}

    def renumbered(match: re.Match[str]) -> str:
        return "".join(f"[{renumber[n]}]" for n in dict.fromkeys(_references(match.group(0))))

    return Written(_REFERENCE.sub(renumbered, text), tuple(passages[n - 1] for n in order), model)


def _references(text: str) -> list[int]:
    """The passage numbers a text refers to, in order: "[2] … [1, 3]" → [2, 1, 3]."""
    return [int(n) for group in _REFERENCE.findall(text) for n in re.split(r"\s*[,;]\s*", group)]
