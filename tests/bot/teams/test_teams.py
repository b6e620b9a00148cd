"""Teams, tested the way the Agents SDK is meant to be met: activities with tokens signed by an issuer the
test creates are posted to our real `/api/messages` (uvicorn on a free port), the SDK validates them with its
own code, and its replies reach a recording Bot Connector on loopback (`tests.teams_service`). The answers
come from the real rules engine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from bot import texts
from bot.answering import Answerer, Question
from bot.db import Database
from bot.facts import fact_rows
from bot.services import Services
from bot.teams import build_teams
from bot.web import create_app
from rules import RulesEngine
from tests import web
from tests.teams_service import APP_ID, TENANT, BotService, trust_keys

QUESTION = "När ska delårsrapporten vara klar?"
CHANNEL = "19:ekonomi@thread.tacv2"


@pytest.fixture(scope="module")
def service() -> Iterator[BotService]:
    found = BotService()
    with pytest.MonkeyPatch.context() as patch:  # MSAL trusts the token service's certificate, as it would Entra's
        patch.setenv("REQUESTS_CA_BUNDLE", str(found.certificate))
        trust_keys(found)
        yield found
    found.close()


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    database = Database.open(tmp_path_factory.mktemp("teams-db"))
    yield Services(Answerer(RulesEngine(), "exempelkommun"), database=database)
    database.close()


@pytest.fixture(scope="module")
def server(service: BotService, services: Services) -> Iterator[str]:
    teams = build_teams(
        services, app_id=APP_ID, secret="test-secret", tenant=TENANT, authority=service.authority,
        places={CHANNEL: "strangnas"},
    )  # fmt: skip
    with web.serving(create_app(services, teams=teams)) as url:
        yield url


@pytest.fixture(autouse=True)
def fresh(service: BotService) -> None:
    service.clear()


def _post(server: str, service: BotService, activity: dict[str, Any], token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token or service.token()}"}
    return httpx.post(f"{server}/api/messages", json=activity, headers=headers, timeout=60)


def _messages(service: BotService) -> list[tuple[str, dict[str, Any]]]:
    """What the bot said: its messages, not the typing indicator the SDK shows while an answer takes a while."""
    return [(path, sent) for path, sent in service.replies() if sent["type"] == "message"]


def _card(reply: dict[str, Any]) -> dict[str, Any]:
    (attachment,) = reply["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card: dict[str, Any] = attachment["content"]
    return card


def _texts(card: dict[str, Any]) -> list[str]:
    return [run["text"] for block in card["body"] if block["type"] == "RichTextBlock" for run in block["inlines"]]


def _facts(card: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["title"], f["value"]) for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]]


def test_a_personal_question_is_answered_with_a_card_of_the_answer_its_facts_and_sources(
    server: str, service: BotService, services: Services
) -> None:
    activity = service.activity(QUESTION)
    response = _post(server, service, activity)
    assert response.status_code in (200, 202), response.text
    ((path, reply),) = _messages(service)
    assert path == f"/v3/conversations/a:personal-anna/activities/{activity['id']}"  # a reply to the question
    expected = services.answerer.answer(Question(QUESTION, None, channel="teams"))
    card = _card(reply)
    assert _texts(card)[0] == expected.text and reply["text"] == expected.text  # the fallback a notification shows
    assert _facts(card) == fact_rows(expected) and _facts(card)[0][0] == "Nästa datum"
    assert texts.SOURCES in _texts(card)


def test_a_mention_in_a_channel_is_answered_in_its_reply_chain_for_the_channel_s_municipality(
    server: str, service: BotService, services: Services
) -> None:
    chain = f"{CHANNEL};messageid=1733650000000"
    activity = service.activity(
        f"<at>Styrbot</at> {QUESTION}",
        conversation={"id": chain, "conversationType": "channel", "isGroup": True, "tenantId": TENANT},
        channelData={"tenant": {"id": TENANT}, "team": {"id": "19:team@thread.tacv2"}, "channel": {"id": CHANNEL}},
        entities=[
            {"type": "mention", "text": "<at>Styrbot</at>", "mentioned": {"id": f"28:{APP_ID}", "name": "Styrbot"}}
        ],
    )
    assert _post(server, service, activity).status_code in (200, 202)
    ((path, reply),) = _messages(service)
    assert path.startswith("/v3/conversations/19:ekonomi@thread.tacv2;messageid=1733650000000/activities/")
    expected = services.answerer.answer(Question(QUESTION, "strangnas", channel="teams"))
    assert _texts(_card(reply))[0] == expected.text  # Strängnäs's answer, not the default municipality's


def test_a_follow_up_in_a_personal_chat_is_read_with_the_question_before(server: str, service: BotService) -> None:
    conversation = {"id": "a:personal-bo", "conversationType": "personal", "tenantId": TENANT}
    _post(server, service, service.activity(QUESTION, conversation=conversation))
    _post(server, service, service.activity("och vem beslutar om den?", conversation=conversation))
    first, second = (reply for _, reply in _messages(service))
    understood = _texts(_card(second))[0]
    assert understood.startswith("Tolkat som: ”") and "delårsrapport" in understood.lower()
    assert _texts(_card(first))[0] != _texts(_card(second))[1]


@pytest.mark.parametrize("token", ["forged", "expired", "wrong audience", "none"])
def test_a_request_without_a_valid_token_gets_401_and_nothing_is_sent(
    server: str, service: BotService, token: str
) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tokens = {
        "forged": service.token(signer=other),
        "expired": service.token(lifetime=-3600),
        "wrong audience": service.token(audience="some-other-bot"),
    }
    headers = {"Authorization": f"Bearer {tokens[token]}"} if token in tokens else {}
    response = httpx.post(f"{server}/api/messages", json=service.activity(QUESTION), headers=headers, timeout=60)
    assert response.status_code == 401
    assert service.replies() == []


def test_a_redelivered_activity_is_answered_once(server: str, service: BotService) -> None:
    activity = service.activity(QUESTION, conversation={"id": "a:personal-cilla", "conversationType": "personal"})
    for _ in range(3):
        assert _post(server, service, activity).status_code in (200, 202)
    assert len(_messages(service)) == 1


def test_an_empty_mention_is_told_how_to_ask(server: str, service: BotService) -> None:
    _post(server, service, service.activity("<at>Styrbot</at>  "))
    ((_, reply),) = _messages(service)
    assert reply["text"] == texts.TEAMS_EMPTY


def test_teams_is_served_only_with_its_whole_app_registration(services: Services, capsys: Any) -> None:
    from bot.cli.server import _teams
    from bot.settings import Settings

    whole = Settings.from_env({"TEAMS_APP_ID": APP_ID, "TEAMS_APP_SECRET": "s", "TEAMS_TENANT_ID": TENANT})
    assert _teams(Services(services.answerer, database=services.database, settings=whole)) is not None
    half = Settings.from_env({"TEAMS_APP_ID": APP_ID, "STYRBOT_TEAMS_CHANNELS": f"{CHANNEL}=strangnas"})
    assert half.teams_channels == ((CHANNEL, "strangnas"),)
    assert _teams(Services(services.answerer, database=services.database, settings=half)) is None
    assert capsys.readouterr().err.strip() == texts.TEAMS_HALF_CONFIGURED


def _click(service: BotService, card: dict[str, Any], title: str, conversation: dict[str, Any]) -> dict[str, Any]:
    """A click on a card's button, as Teams sends it: a message with the button's data and no text, in reply
    to the card's message."""
    (data,) = [action["data"] for action in card["actions"] if action["title"] == title]
    return service.activity("", value=data, replyToId="reply-1", conversation=conversation)


def test_a_vote_on_an_answer_is_stored_with_the_question_and_a_second_click_replaces_it(
    server: str, service: BotService, services: Services
) -> None:
    assert services.database is not None
    conversation = {"id": "a:personal-dora", "conversationType": "personal", "tenantId": TENANT}
    _post(server, service, service.activity(QUESTION, conversation=conversation))
    ((_, answer),) = _messages(service)
    card = _card(answer)
    assert [action["title"] for action in card["actions"]] == [texts.FEEDBACK_UP, texts.FEEDBACK_DOWN]
    before = len(services.database.feedback())
    _post(server, service, _click(service, card, texts.FEEDBACK_UP, conversation))
    _post(server, service, _click(service, card, texts.FEEDBACK_DOWN, conversation))
    thanks = [sent["text"] for _, sent in _messages(service)[1:]]
    assert thanks == [texts.THANKS_UP, texts.THANKS_DOWN]
    votes = services.database.feedback()[before:]
    assert [(v.vote, v.channel, v.question, v.answer_ref) for v in votes] == [
        ("down", "teams", QUESTION, "teams:a:personal-dora:reply-1")  # one vote a person: the second replaced it
    ]
    assert votes[0].kind == "deadline" and votes[0].sources


def test_a_button_that_is_not_one_of_ours_is_said_to_be_stale_and_nothing_is_stored(
    server: str, service: BotService, services: Services
) -> None:
    assert services.database is not None
    before = len(services.database.feedback())
    forged = {"action": "styrbot_feedback", "vote": "up", "answer": "not json"}
    _post(server, service, service.activity("", value=forged))
    ((_, reply),) = _messages(service)
    assert reply["text"] == texts.STALE_BUTTON and len(services.database.feedback()) == before
