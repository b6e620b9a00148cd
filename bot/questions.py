"""The opt-in question log: with `STYRBOT_LOG_QUESTIONS=1`, every question and how it was answered is kept
in the database for `STYRBOT_QUESTION_LOG_DAYS` days (default 30), then deleted.

Off by default, because a question may say something about the person who asked it. Nothing about the
person is stored (no user id, no address), only the channel ("web", "slack", "cli"), the municipality,
the kind of answer, whether and why it abstained, and the sources cited: what an official needs to see
which questions the documents do not answer. `styrbot questions` lists them.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot import metrics
from bot.answering import Answer, Question
from bot.db import Database

log = logging.getLogger(__name__)


class QuestionLog:
    """An `Answerer` observer that stores each question, keeping `days` days of them."""

    def __init__(self, database: Database, days: int) -> None:
        self.database = database
        self.keep = timedelta(days=days)
        removed = database.purge_questions(self.keep)
        if removed:
            log.info("question log: %d questions older than %d days deleted", removed, days)

    def __call__(self, question: Question, answer: Answer, seconds: float) -> None:
        sources = [f"{c.source}#{c.page}" if c.page else c.source for c in answer.citations[:5]]
        self.database.log_question(
            {
                "asked_at": question.asked_at,
                "channel": question.channel or "other",
                "municipality": answer.municipality or "",
                "kind": answer.kind,
                "abstained": answer.abstained,
                "reason": answer.facts.get("reason") if answer.abstained else None,
                "question": answer.question,
                "sources": sources,
            },
            self.keep,
        )
        metrics.QUESTIONS_LOGGED.inc()
