"""Logging for the long-running commands (`serve`, `slack`): one JSON object per line on standard error.

Each line has `time` (ISO 8601, Europe/Stockholm, with its offset), `level`, `logger`, `message`, and the
structured fields the call gave (`extra=`), such as an answer's kind and duration or a request's route
and status. What people asked is never logged: the answer line says what kind of answer was given and
from which sources, not the question; the request line has the route template, not the path, the query
or the client's address. The opt-in question log (`bot.questions`) is the one place questions are kept,
in the database, for a limited time. `STYRBOT_LOG_FORMAT=text` gives plain lines for a person instead.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from typing import Any

from rules.calendar import STOCKHOLM

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON, with its structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, STOCKHOLM)
        payload: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload |= {key: value for key, value in vars(record).items() if key not in _STANDARD}
        if record.exc_info:
            payload["error"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure(style: str = "json", level: int = logging.INFO) -> None:
    """Send every logger's records (ours, uvicorn's, the libraries') to standard error in `style`."""
    handler = logging.StreamHandler(sys.stderr)
    if style == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):  # uvicorn's own handlers would print a second, plain copy
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # it logs client addresses; bot.web logs requests
    handler.addFilter(_quiet_libraries)


# HTTP clients log every request's full URL at INFO (the model's endpoint, Chroma's, Slack's response
# URLs); only their warnings and errors are kept. A filter on the handler, because libraries set their
# loggers' levels when they are imported.
_LIBRARIES = ("httpx", "httpcore", "openai", "chromadb", "urllib3", "slack_sdk", "slack_bolt")


def _quiet_libraries(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or not record.name.startswith(_LIBRARIES)
