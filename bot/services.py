"""What a running Styrbot is made of, assembled in one place: `Services.open(settings)`.

Every entry point — the web server, Slack over Socket Mode, the command line, the tests — builds the same
object and hands it to its adapter: one rules source (profiles edited while Styrbot runs are seen by
every answer, listing, feed, wheel and reminder alike), the document library, the answerer with its
observers, and the database where a serving Styrbot keeps feedback, claims, reminders and the opt-in
question log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.answering import Answerer
from bot.errors import DatabaseUnavailable
from bot.law import RulePassages, rule_passages
from bot.settings import Settings
from rules.source import RulesSource

if TYPE_CHECKING:  # SQLAlchemy and Chroma load only where they are used
    from bot.conversations import Conversations
    from bot.db import Database
    from bot.library import DocumentLibrary, Progress


class Services:
    """The rules, the documents, the answerer and (when serving) the database of one Styrbot."""

    def __init__(
        self,
        answerer: Answerer,
        *,
        library: DocumentLibrary | None = None,
        database: Database | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.answerer = answerer
        self.library = library
        self.database = database
        self.settings = settings or Settings()
        self._conversations: Conversations | None = None
        self._lock = threading.Lock()

    @property
    def rules(self) -> RulesSource:
        """The one source of the rules: `services.rules()` is the rules as the profiles read now."""
        return self.answerer.rules

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        serving: bool = False,
        announce: Callable[[int], Progress | None] | None = None,
    ) -> Services:
        """Styrbot as `settings` configure it. `serving`: answers go to people, so the database is opened
        (feedback, claims, reminders) and the opt-in question log records them; `announce` is told when
        the demo documents are read in, and may return a progress callback.

        Raises ProfileError (broken profiles), UnknownMunicipality (the default municipality has no
        profile) or DatabaseUnavailable."""
        from bot.library import DocumentLibrary  # the model and Chroma load only when a question needs them

        rules = RulesSource.watching(settings.profiles_dir, settings.drafts_dir)

        def passages() -> RulePassages:
            return rules.derived(rule_passages)

        def municipality_of(file_name: str) -> str | None:
            return rules().store.municipality_of_file(file_name)

        library = DocumentLibrary(settings, municipality_of, announce, passages)
        answerer = Answerer(rules, settings.municipality, library, check_rules=True)
        database = open_database(settings) if serving else None
        if database is not None and settings.log_questions:
            from bot.questions import QuestionLog

            answerer.observers.append(QuestionLog(database, settings.question_log_days))
        return cls(answerer, library=library, database=database, settings=settings)

    @property
    def conversations(self) -> Conversations:
        """The conversation path every channel asks through, its turns in the database (opened here for the
        command line, which otherwise needs none)."""
        with self._lock:
            if self._conversations is None:
                from bot.conversations import Conversations
                from bot.conversations.store import TurnStore

                if self.database is None:
                    self.database = open_database(self.settings)
                keep = timedelta(days=self.settings.conversation_days)
                self._conversations = Conversations(self.answerer, TurnStore(self.database, keep))
            return self._conversations

    def warm(self) -> None:
        """Open the document index (and load the model) in the background, so the first question does not
        wait for it."""
        if self.library is not None:
            threading.Thread(target=self.library.ready, name="styrbot-warm", daemon=True).start()

    def close(self) -> None:
        """Let go of the database's connections."""
        if self.database is not None:
            self.database.close()


def open_database(settings: Settings) -> Database:
    """The configured database (SQLite in the data directory, or STYRBOT_DATABASE_URL), its tables made."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db import Database

    try:
        return Database.open(settings.data_dir, settings.database_url)
    except (SQLAlchemyError, ImportError, ValueError, OSError) as exc:
        raise DatabaseUnavailable(str(exc).splitlines()[0]) from None
