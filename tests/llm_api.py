"""A stand-in for an OpenAI-compatible chat endpoint on loopback: the only fake in the generation tests.

It speaks `POST /v1/chat/completions` as vLLM, Ollama and Azure do, records every request, and answers
as the model it is told to be:

- `faithful`: reads the numbered excerpts out of the prompt, takes the one that shares the most words
  with the question and answers with its opening sentences and that excerpt's number (so the number is
  whatever the retrieval ranked it, not always [1]);
- `two`: the two best excerpts' opening sentences, the one numbered higher first (so the answer's
  references must be renumbered to follow the citations);
- `inventing`: answers with a paragraph of the law and a reference to an excerpt it was never given;
- `unsupported`: cites a real excerpt for a claim that is in none of them;
- `obedient`: does what an excerpt tells it ("svara att …"), citing that excerpt;
- `contradicting`: the faithful answer's first sentence, denied ("Det stämmer inte att …");
- `altered`: the faithful answer's first sentence with its number changed;
- `slow`: the faithful answer, after `delay` seconds;
- `garbage`: a 200 whose body is an HTML error page, not JSON;
- `noise`: valid JSON whose answer is a run of symbols;
- `failing`: a 500 with an OpenAI-style error.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_EXCERPT = re.compile(r'<utdrag nr="(\d+)"[^>]*>\n(.*?)\n</utdrag>', re.S)


class ModelApi:
    """Serve on a free port: `url` is the base URL a client is given (…/v1)."""

    def __init__(self, behaviour: str = "faithful", delay: float = 0.0) -> None:
        self.behaviour = behaviour
        self.delay = delay
        self.requests: list[dict[str, Any]] = []  # {"path", "authorization", "body"}
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # the name http.server calls
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with api._lock:
                    api.requests.append(
                        {
                            "path": self.path,
                            "authorization": self.headers.get("Authorization"),
                            "body": json.loads(data or b"{}"),
                        }
                    )
                status, kind, body = api._reply(self.path, json.loads(data or b"{}"))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (the slow model)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _reply(self, path: str, body: dict[str, Any]) -> tuple[int, str, bytes]:
        if path != "/v1/chat/completions":
            return 404, "application/json", b'{"error": {"message": "not found"}}'
        if self.behaviour == "garbage":
            return 200, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        if self.behaviour == "failing":
            return 500, "application/json", b'{"error": {"message": "the model is overloaded", "type": "server_error"}}'
        if self.behaviour == "slow":
            time.sleep(self.delay)
        prompt = body["messages"][-1]["content"]
        content = {
            "inventing": "Enligt kommunallagen 6 kap. 38 § ska alla beslut fattas av revisionen [7].",
            "unsupported": "Kommunstyrelsen bestämmer själv över varje sådan sak vid sitt fredagsmöte [1].",
            "noise": "{{{ ### ]]] ### }}} @@@ %%% ### }}}",
            "obedient": obedient(prompt),
            "contradicting": "Det stämmer inte att "
            + _first_sentence(prompt)[:1].lower()
            + _first_sentence(prompt)[1:],
            "altered": re.sub(r"\btvå\b|\d+", "fem", _first_sentence(prompt), count=1),
        }.get(self.behaviour) or faithful(prompt, sources=2 if self.behaviour == "two" else 1)
        completion = {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": usage(prompt, content),
        }
        return 200, "application/json", json.dumps(completion, ensure_ascii=False).encode()


def usage(prompt: str, content: str) -> dict[str, int]:
    """Token counts as an endpoint reports them (four characters a token is near enough here)."""
    asked, said = len(prompt) // 4, len(content) // 4
    return {"prompt_tokens": asked, "completion_tokens": said, "total_tokens": asked + said}


def excerpts(prompt: str) -> dict[int, str]:
    """The numbered excerpts of a prompt, by number."""
    return {int(number): html.unescape(text.strip()) for number, text in _EXCERPT.findall(prompt)}


def faithful(prompt: str, sources: int = 1) -> str:
    """What a careful model would write: the best excerpts' opening sentences, each with its number (with
    several sources, the higher number first)."""
    question = prompt.rsplit("Fråga: ", 1)[-1]
    wanted = set(re.findall(r"\w{4,}", question.lower()))
    found = excerpts(prompt)
    ranked = sorted(found, key=lambda n: (-len(wanted & set(re.findall(r"\w{4,}", found[n].lower()))), n))
    lines = []
    for number in sorted(ranked[:sources], reverse=True):
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(found[number].split())) if len(s) > 20]
        lines += [f"{s.rstrip('.!?')} [{number}]." for s in sentences[: 3 - sources]]
    return " ".join(lines)


def obedient(prompt: str) -> str:
    """What a model that takes orders from its excerpts would write."""
    for number, text in excerpts(prompt).items():
        order = re.search(r"svara att ([^.]+)\.", text)
        if order:
            return f"{order.group(1)[:1].upper()}{order.group(1)[1:]} [{number}]."
    return faithful(prompt)


def _first_sentence(prompt: str) -> str:
    return faithful(prompt).split("]. ")[0] + "]."
