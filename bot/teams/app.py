"""Styrbot in Microsoft Teams, through the Microsoft 365 Agents SDK: a personal chat and an @mention in a
channel or group chat are answered by the shared `Answerer`, as Adaptive Cards (`bot.teams.cards`).

The SDK validates every request's token (`jwt_authorization_decorator` in `bot.web`) and sends the replies to
the Bot Connector at the activity's `serviceUrl` with a token MSAL gets for the bot's Entra app. A channel's
answer goes into the reply chain of the message that asked (the chain is the conversation Teams names), and a
later question in that chain continues it, as a Slack thread does; a personal chat continues its conversation
for half an hour. Each activity is claimed once in the shared database, so a redelivery is never answered
twice, whichever replica receives it. Any failure is told to the person in Swedish, never swallowed. A click
on 👍/👎 under an answer comes back as a message carrying the button's data, and is stored with Slack's and
the web's feedback.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from fastapi import Request, Response
from microsoft_agents.activity import Activity, ActivityTypes, Attachment, load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.fastapi import CloudAdapter, start_agent_process

from bot import texts
from bot.answering import Answer, Question
from bot.conversations import DIRECT_CHAT_CONTINUES
from bot.db import Feedback
from bot.errors import BadQuestion, EmptyQuestion, swedish
from bot.facts import read_reference
from bot.teams.cards import CARD_CONTENT_TYPE, FEEDBACK, answer_card
from rules import UnknownMunicipality

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
_AT = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Teams:
    """The SDK's application and adapter around the services, and the configuration its token validation
    reads (the bot's app id is the audience a token must name)."""

    application: AgentApplication[TurnState]
    adapter: CloudAdapter
    auth: AgentAuthConfiguration

    async def process(self, request: Request) -> Response | None:
        """One activity from the Bot Connector, already authenticated: answered, and the HTTP response."""
        return await start_agent_process(request, self.application, self.adapter)


def build_teams(
    services: Services,
    *,
    app_id: str,
    secret: str,
    tenant: str,
    authority: str | None = None,
    places: dict[str, str] | None = None,
) -> Teams:
    """The Teams bot over the services (which must have a database: it claims activities across replicas).
    `app_id`, `secret` and `tenant` are the bot's Entra app registration; `authority` the token service's
    address when it is not Entra ID's public cloud; `places` maps a team's or a channel's id to its
    municipality (a channel's own entry wins)."""
    if services.database is None:
        raise ValueError("the Teams bot needs the services' database")
    settings = {
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": app_id,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": secret,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": tenant,
    }
    if authority:
        settings["CONNECTIONS__SERVICE_CONNECTION__SETTINGS__AUTHORITY"] = authority
    configuration = load_configuration_from_env(settings)
    connections = MsalConnectionManager(**configuration)
    adapter = CloudAdapter(connection_manager=connections)
    application = AgentApplication[TurnState](storage=MemoryStorage(), connection_manager=connections, **configuration)
    handlers = _Handlers(services, dict(places or {}))
    application.activity(ActivityTypes.message)(handlers.on_message)
    return Teams(application, adapter, connections.get_default_connection_configuration())


class _Handlers:
    """What Styrbot does with what Teams sends: one short method a kind, answering through the services'
    conversations and claiming each activity in their database."""

    def __init__(self, services: Services, places: dict[str, str]) -> None:
        assert services.database is not None
        self.database, self.conversations = services.database, services.conversations
        self.places = places

    async def on_message(self, context: TurnContext, _state: TurnState) -> None:
        activity = context.activity
        if not self.database.claim_event(_claim(activity)):
            log.info("a redelivered Teams activity was dropped")
            return
        clicked = activity.value if isinstance(activity.value, dict) else None
        if clicked is not None and clicked.get("action") == FEEDBACK:  # 👍/👎 under an answer
            await context.send_activity(await asyncio.to_thread(self._feedback, activity, clicked))
            return
        personal = (activity.conversation.conversation_type or "personal") == "personal"
        conversation = f"teams:{activity.conversation.id}"
        text = _question_text(activity.text or "")
        answer = await asyncio.to_thread(
            self._answer, text, self._municipality(activity), conversation, DIRECT_CHAT_CONTINUES if personal else None
        )
        await context.send_activity(answer)

    def _answer(self, text: str, municipality: str | None, conversation: str, within: timedelta | None) -> Activity:
        """The reply to a question: its answer as a card, or a failure told in Swedish (and logged)."""
        if not text:
            return Activity(type=ActivityTypes.message, text=texts.TEAMS_EMPTY)
        try:
            result: Answer = self.conversations.ask(Question(text, municipality, channel="teams"), conversation, within)
        except EmptyQuestion:
            return Activity(type=ActivityTypes.message, text=texts.TEAMS_EMPTY)
        except (BadQuestion, UnknownMunicipality) as exc:
            return Activity(type=ActivityTypes.message, text=swedish(exc))
        except Exception:
            log.exception("answering a question failed")
            return Activity(type=ActivityTypes.message, text=texts.FAILED)
        card = Attachment(content_type=CARD_CONTENT_TYPE, content=answer_card(result))
        return Activity(type=ActivityTypes.message, text=result.text, attachments=[card])

    def _feedback(self, activity: Activity, clicked: dict[str, Any]) -> str:
        """A click on 👍 or 👎 stored with Slack's and the web's (one vote per person and answer: a second click
        replaces the first), and the thanks to say; a button that is not one of ours is said to be stale."""
        try:
            ref = read_reference(str(clicked.get("answer", "")))
            vote = str(clicked.get("vote"))
            tenant = (activity.conversation.tenant_id or "") if activity.conversation else ""
            person = activity.from_property.aad_object_id or activity.from_property.id
            item = Feedback(
                answer_ref=f"teams:{activity.conversation.id}:{activity.reply_to_id or ''}",
                voter=f"teams:{tenant}:{person}",
                vote=vote,
                channel="teams",
                kind=ref["k"],
                municipality=ref["m"],
                question=ref["q"],
                sources=tuple(ref["s"]),
            )
        except ValueError:
            return texts.STALE_BUTTON
        try:
            self.database.record_feedback(item)
        except Exception:
            log.exception("storing feedback failed")
            return texts.FEEDBACK_NOT_SAVED
        return texts.THANKS_UP if vote == "up" else texts.THANKS_DOWN

    def _municipality(self, activity: Activity) -> str | None:
        """The municipality of the channel, else of its team, where one is set; else the answerer's default."""
        data = activity.channel_data if isinstance(activity.channel_data, dict) else {}  # Teams' JSON object
        for key in ("channel", "team"):
            place = (data.get(key) or {}).get("id")
            if place and place in self.places:
                return self.places[place]
        return None


def _question_text(text: str) -> str:
    """The question in a message: without the mention of Styrbot ("<at>Styrbot</at> När …?" → "När …?")."""
    return " ".join(_AT.sub(" ", text).split())


def _claim(activity: Activity) -> str:
    """The key an activity is claimed by: its id within its conversation (an id is unique only there)."""
    seen = f"{activity.conversation.id}\n{activity.id}"
    return "teams:" + hashlib.sha256(seen.encode()).hexdigest()[:40]
