"""Follow-up questions answered with what came before them: the real answerer (rules, the bundled model,
Chroma and BM25 over the demo corpus) and the turns in a real SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot import texts
from bot.answering import Answer, Answerer, Question
from bot.conversations import Conversations
from bot.conversations.store import Turn, TurnStore, turns_table
from bot.db import Database
from bot.law import rule_passages
from bot.library import DocumentLibrary
from bot.settings import Settings
from rules import RulesEngine
from rules.calendar import STOCKHOLM
from tests.conftest import copy_index

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture(scope="module")
def answerer(corpus_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    data = copy_index(corpus_index, tmp_path_factory.mktemp("conversations") / "data")
    engine = RulesEngine()
    passages = rule_passages(engine)  # the law as passages, beside the documents, as `Services.open` has it
    settings = Settings(data_dir=data, demo=False)
    library = DocumentLibrary(settings, engine.store.municipality_of_file, rules=lambda: passages)
    return Answerer(engine, "exempelkommun", library, check_rules=True)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path)
    yield database
    database.close()


@pytest.fixture
def conversations(answerer: Answerer, database: Database) -> Conversations:
    return Conversations(answerer, TurnStore(database, timedelta(days=7)))


def ask(conversations: Conversations, text: str, municipality: str | None = None, at: datetime = NOW) -> Answer:
    return conversations.ask(Question(text, municipality, at), "test:thread")


def test_another_municipality_keeps_the_subject(conversations: Conversations) -> None:
    first = ask(conversations, "När ska delårsrapporten vara klar?")
    assert first.kind == "deadline" and first.followup is None
    second = ask(conversations, "och i Strängnäs?")
    assert second.municipality == "strangnas" and second.kind == "deadline", second.text
    assert "delårsrapport" in second.text.lower()
    assert second.followup is not None and second.followup.kind == "ellipsis"
    assert second.question == "och i Strängnäs?"  # what the person wrote; how it was understood is beside it
    assert second.trace[0].startswith("conversation: ellipsis")


def test_a_pronoun_stands_for_the_subject_of_the_question_before(conversations: Conversations) -> None:
    ask(conversations, "Vad är flerårsplanen i Strängnäs och hur länge gäller den?")
    answer = ask(conversations, "vem beslutar om den?")
    assert answer.followup is not None and "flerårsplanen" in answer.followup.question
    assert not answer.abstained and "fullmäktige" in answer.text.lower()
    assert answer.municipality == "strangnas"


def test_after_a_who_question_a_pronoun_stands_for_the_body_that_answered(conversations: Conversations) -> None:
    ask(conversations, "Vem har uppsiktsplikt över nämnderna och bolagen i exempelkommun?")
    answer = ask(conversations, "hur utövar den sin uppsikt?")
    assert answer.followup is not None and "kommunstyrelsen" in answer.followup.question


def test_where_it_says_so_and_whether_it_is_law_come_from_the_answer_before(conversations: Conversations) -> None:
    ask(conversations, "Senast när ska delårsrapporten lämnas till fullmäktige?")
    where = ask(conversations, "var står det?")
    assert "11 kap 16 §" in where.text and where.citations[0].section == "11 kap 16 §"
    law = ask(conversations, "är det lag?")
    assert law.text.startswith("Ja, det är lag") and "11 kap 16 §" in law.text


def test_a_local_rule_is_said_to_be_the_municipalitys_own(conversations: Conversations) -> None:
    ask(conversations, "När beslutar kommunfullmäktige om rambudgeten i exempelkommun?")
    answer = ask(conversations, "är det lag eller kommunens egen regel?")
    assert "Exempelkommuns egen ordning" in answer.text and "inte ett lagkrav" in answer.text
    assert not answer.text.startswith("Ja")


def test_a_correction_asks_the_question_before_again_about_what_was_meant(conversations: Conversations) -> None:
    ask(conversations, "När behandlar kommunfullmäktige delårsrapporten i exempelkommun?")
    answer = ask(conversations, "nej, jag menade årsredovisningen")
    assert answer.followup is not None and answer.followup.kind == "clarify"
    assert "årsredovisningen" in answer.followup.question and "april" in answer.text


def test_the_next_step_of_the_annual_cycle_comes_from_the_rules(conversations: Conversations) -> None:
    ask(conversations, "Vilken period omfattar delårsrapport 1 i Strängnäs?")
    second = ask(conversations, "när kommer nästa rapport efter den?")
    assert second.kind == "deadline" and "31 augusti" in second.text, second.text
    # shown as a question about the answer, not as the question before asked again
    assert second.followup is not None
    assert second.followup.question.startswith("Vilken rapport kommer efter svaret på ’Vilken period omfattar")
    third = ask(conversations, "och efter det?")
    assert "årsredovisning" in third.text.lower(), third.text


def test_a_new_topic_inherits_nothing(conversations: Conversations, answerer: Answerer) -> None:
    ask(conversations, "När ska delårsrapporten vara klar i Strängnäs?")
    switched = ask(conversations, "En annan sak: vem väljer revisorerna?")
    alone = answerer.answer(Question("vem väljer revisorerna?", None, NOW))
    assert switched.followup is None and switched.municipality == alone.municipality == "exempelkommun"
    assert switched.text == alone.text


def test_a_direct_message_after_half_an_hour_starts_afresh(conversations: Conversations) -> None:
    conversations.ask(Question("När ska delårsrapporten vara klar?", None, NOW), "test:dm", timedelta(minutes=30))
    later = NOW + timedelta(minutes=31)
    answer = conversations.ask(Question("vem beslutar om den?", None, later), "test:dm", timedelta(minutes=30))
    assert answer.followup is None


def test_a_pronoun_with_nothing_to_stand_for_gets_a_question_back(conversations: Conversations) -> None:
    ask(conversations, "Hur gör vi då?")
    answer = ask(conversations, "vem beslutar om den?")
    assert answer.abstained and answer.text == texts.ASK_BACK


def test_turns_older_than_the_retention_are_deleted(database: Database) -> None:
    store = TurnStore(database, timedelta(days=7))
    now = datetime.now(STOCKHOLM)
    old = now - timedelta(days=8)
    store.add("slack:T1:C1:1.1", Turn("När ska budgeten vara klar?", "strangnas", "deadline", False, {}, (), old))
    store.add("slack:T1:C1:2.2", Turn("Vem väljer revisorerna?", None, "who_decides", False, {}, (), now))
    assert store.recent("slack:T1:C1:1.1") == []  # too old to follow up
    assert store.purge() == 1
    with database.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(turns_table)).scalar() == 1


def test_a_turn_stored_by_one_replica_is_read_by_another(database: Database) -> None:
    one, other = TurnStore(database, timedelta(days=7)), TurnStore(database, timedelta(days=7))
    now = datetime.now(STOCKHOLM)
    one.add(
        "web:abc", Turn("Vem väljer revisorerna?", None, "who_decides", False, {"body": "kommunfullmaktige"}, (), now)
    )
    assert other.recent("web:abc")[0].facts == {"body": "kommunfullmaktige"}
    with database.engine.connect() as conn:  # kept under a hash of where it is held, never the key itself
        assert conn.execute(select(turns_table.c.conversation)).scalar() != "web:abc"


def test_a_question_naming_another_municipality_is_answered_for_it(answerer: Answerer) -> None:
    answer = answerer.answer(Question("vad är LEP i strängnäs?", "tranemo", NOW))
    assert answer.municipality == "strangnas" and "långsiktig ekonomisk plan" in answer.text.lower()


def test_after_a_document_answer_the_paragraph_asked_for_is_the_laws_on_its_subject(
    conversations: Conversations,
) -> None:
    ask(conversations, "vad innebär KS uppsiktsplikt?", "exempelkommun")
    answer = ask(conversations, "vilken paragraf i KL?")
    assert "Kommunallag (2017:725), 6 kap" in answer.text and "Lagen säger om samma sak" in answer.text
    assert any(c.source == "Kommunallag (2017:725)" for c in answer.citations)


def test_asked_whether_a_document_answer_is_law_it_says_when_the_law_has_nothing_on_it(
    conversations: Conversations,
) -> None:
    ask(conversations, "vad är LEP i strängnäs?")
    answer = ask(conversations, "står det i kommunallagen?")
    assert "inte ett lagkrav" in answer.text and "Strängnäs kommuns egen regel" in answer.text


def test_a_next_step_the_rules_do_not_know_is_said_so_not_answered_again(conversations: Conversations) -> None:
    first = ask(conversations, "vilka är tranemos tre styrprinciper?", "tranemo")
    assert first.kind == "retrieval"  # a document answer: no event of the annual cycle to go on from
    answer = ask(conversations, "och efter det?")
    assert answer.abstained and answer.text == texts.NO_NEXT_STEP


def test_a_database_that_cannot_be_read_costs_the_follow_up_never_the_answer(
    answerer: Answerer, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    conversations = Conversations(answerer, TurnStore(database, timedelta(days=7)))
    ask(conversations, "När fastställer fullmäktige budgeten?")
    with database.engine.begin() as conn:
        conn.execute(text("drop table conversation_turns"))
    answer = ask(conversations, "När ska delårsrapporten vara klar?")
    assert answer.kind == "deadline" and "delårsrapport" in answer.text.lower() and answer.followup is None
    assert "could not be read" in caplog.text and "could not be stored" in caplog.text


def test_a_follow_up_on_the_subject_is_answered_where_the_answer_before_was_quoted(
    conversations: Conversations,
) -> None:
    # the forums are listed on one slide ("Vertikal dialog KS presidie – kommunchef", …); asked alone, the
    # question is answered from the slide that names the vertical dialogue but not who takes part
    first = ask(conversations, "Vilka forum för dialog med politiken finns i Tranemo?", "tranemo")
    assert not first.abstained and "kommunchef" in first.text, first.text
    answer = ask(conversations, "vilka är med i den vertikala dialogen?", "tranemo")
    assert answer.followup is not None and answer.followup.kind == "pronoun"
    assert "presidie" in answer.text and "kommunchef" in answer.text, answer.text
    assert answer.citations[0].page == first.citations[0].page


def test_a_pronouns_referent_counts_for_the_rule_but_the_follow_ups_own_words_decide_a_tie(
    conversations: Conversations,
) -> None:
    ask(conversations, "Får nämnden delegera beslut i enskilda ärenden till förvaltningschefen?")
    answer = ask(conversations, "får förvaltningschefen i sin tur delegera det vidare?")
    assert answer.followup is not None and answer.followup.kind == "pronoun"
    assert answer.kind == "who_decides" and "delegera vidare" in answer.text, answer.text
    assert any(c.section == "7 kap 6 §" for c in answer.citations)


def test_the_next_step_after_a_document_answer_follows_the_event_its_passage_states(
    conversations: Conversations,
) -> None:
    # the rules miss "ekonomiavd", the documents answer from the row of Översikt Året that states the event
    first = ask(
        conversations, "sitter i en bolagsstyrelse – när ska årsredovisningen vara kommunens ekonomiavd tillhanda?"
    )
    assert first.kind == "retrieval" and "1/3" in first.text, first.text
    answer = ask(conversations, "nästa deadline för bolagen efter det?")
    assert answer.followup is not None and answer.followup.kind == "next"
    assert answer.kind == "deadline" and "31 mars" in answer.text and "bolag" in answer.text, answer.text


def test_asked_whether_it_is_law_a_document_that_names_its_paragraph_is_said_to(conversations: Conversations) -> None:
    ask(conversations, "När ska revisionsberättelsen lämnas i exempelkommun?")
    ask(conversations, "vad ska bifogas den?")
    answer = ask(conversations, "står det i lag?")
    assert answer.followup is not None and answer.followup.kind == "why_source"
    assert "Styrmodell hänvisar själv till lagen för detta: kommunallagen 12 kap 12 §." in answer.text, answer.text
