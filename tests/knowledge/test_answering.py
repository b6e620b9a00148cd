"""Document answers: quoting the sentences that answer, placing them, and abstaining for the right reasons.

The passages here carry made-up sentence similarities (as the store would give them), so each test says
which sentence is nearest in meaning and checks what the answer makes of it."""

from collections.abc import Sequence

import pytest

from knowledge.abstention import asks_for_personal_details, judge, other_places, uncovered
from knowledge.bm25 import SwedishAnalyzer, load_thesaurus
from knowledge.compose import LAW, compose, place, sentences_around
from knowledge.hits import StoredHit
from knowledge.retrieval import Passage, merge
from knowledge.sentences import sentences


def _passage(
    text: str,
    source: str = "styrmodell.pdf",
    page: int | None = 7,
    section: str = "5. Ekonomi",
    similarities: Sequence[float] = (),
    doc: str = "d",
    index: int = 0,
) -> Passage:
    fmt = source.rsplit(".", 1)[-1]
    hit = StoredHit(f"{doc}:{index}", text, doc, index, source, "Styrmodell", fmt, page, page, section, None, "h")
    found = tuple(similarities) or tuple(0.8 for _ in sentences(text))
    return Passage(hit, 0.03, 1, 1, found)


BUDGET = (
    "5. Ekonomi\nKommunen har ett årligt budgetarbete. Fullmäktige fastställer budgeten i juni. "
    "Nämnderna följer upp sin ekonomi varje månad."
)


def test_the_quote_is_the_sentence_that_answers_and_the_heading_is_left_out() -> None:
    passage = _passage(BUDGET, similarities=[0.70, 0.70, 0.82, 0.86, 0.81])  # "5.", "Ekonomi", then three
    composed = compose("När fastställer fullmäktige budgeten?", [passage], SwedishAnalyzer())
    assert composed.text.splitlines()[1] == "”Fullmäktige fastställer budgeten i juni.”"
    assert composed.cited == (passage,)


def test_the_answer_says_where_the_quote_is_and_points_to_a_second_source() -> None:
    other = _passage("Budgeten fastställs av fullmäktige i juni.", "deck.pptx", 4, "Budgetprocessen", [0.85], doc="e")
    lead = _passage(BUDGET, similarities=[0.70, 0.70, 0.82, 0.87, 0.81])
    answer = compose("När fastställer fullmäktige budgeten?", [lead, other], SwedishAnalyzer())
    first, quoted, also = answer.text.splitlines()
    assert first == "Enligt Styrmodell, s. 7, avsnitt ”5. Ekonomi”:"
    assert quoted == "”Fullmäktige fastställer budgeten i juni.”"
    assert also == "Se även Styrmodell, bild 4, avsnitt ”Budgetprocessen”."
    assert answer.cited == (lead, other)
    assert place(_passage("x", page=None, section="")) == "Styrmodell"


def test_a_sentence_that_introduces_a_list_is_quoted_with_the_list_even_past_the_passage_end() -> None:
    first = _passage(
        "Grunden för tillitsbaserad styrning bygger bland annat på följande:\nFokus på gemensam förståelse\n"
        "Stärka helhetsperspektivet",
        section="Bakgrund",
        similarities=[0.9, 0.8, 0.8],
    )
    rest = _passage(
        "Bygga relationer som ökar tilliten\nAktuell forskning pekar på ett behov av att utveckla "
        "en tillitsfull styrning och ledning som bygger på ett ömsesidigt förtroende mellan aktörerna.",
        section="Bakgrund",
        index=1,
    )

    def neighbour(_: Passage, step: int) -> Passage | None:
        return rest if step == 1 else None

    composed = compose("Vad bygger tillitsbaserad styrning på?", [first], SwedishAnalyzer(), neighbour=neighbour)
    quoted = composed.text.splitlines()[1]
    assert "Fokus på gemensam förståelse" in quoted and "Bygga relationer som ökar tilliten" in quoted
    assert "Aktuell forskning" not in quoted, "the list ends where prose begins"


def test_a_statement_of_law_is_quoted_whole_and_placed_as_the_law_and_its_paragraph() -> None:
    law = StoredHit(
        "law:x",
        "Fullmäktige kan ge styrelsen rätt att besluta. Myndighetsutövning får aldrig ingå.",
        "law:x",
        0,
        "Kommunallag (2017:725)",
        "Kommunallag (2017:725)",
        LAW,
        None,
        None,
        "6 kap 8 §",
        None,
        "h",
    )
    composed = compose(
        "Kan KS besluta om andra nämnders frågor?", [Passage(law, 0.03, 1, 1, (0.9, 0.7))], SwedishAnalyzer()
    )
    lines = composed.text.splitlines()
    assert lines[0] == "Enligt Kommunallag (2017:725) 6 kap 8 §:"
    assert "Myndighetsutövning får aldrig ingå." in lines[1]


def test_a_second_source_that_answers_what_the_first_does_not_is_quoted_too() -> None:
    dates = _passage("Årsredovisningen lämnas till fullmäktige senast 15 april.", similarities=[0.9])
    order = _passage("Revisionsberättelsen lämnas till fullmäktige i maj.", "deck.pptx", 3, "Revision", [0.88], doc="e")
    composed = compose("När lämnas årsredovisningen och revisionsberättelsen?", [dates, order], SwedishAnalyzer())
    assert "15 april" in composed.text and "i maj" in composed.text
    assert composed.text.count("Enligt ") == 2


@pytest.mark.parametrize(
    "question",
    ["Vad heter kommunstyrelsens ordförande?", "Vem är ordförande i nämnden?", "Vilken e-postadress har kansliet?"],
)
def test_questions_after_people_are_recognised(question: str) -> None:
    assert asks_for_personal_details(question)


def test_a_question_about_responsibility_is_not_one_about_a_person() -> None:
    assert not asks_for_personal_details("Vem är ansvarig för intern kontroll?")
    # calling an official about a case is a question of roles, not a request for a phone number
    assert not asks_for_personal_details("Får jag ringa en handläggare och säga hur ärendet ska avgöras?")
    assert asks_for_personal_details("Vart ringer man om gatan inte är plogad?")
    assert not asks_for_personal_details("Vad heter planen som enheten gör varje år?"), "the name of a thing"


def test_a_question_is_refused_when_the_weight_of_its_topic_lies_on_words_no_source_knows() -> None:
    known = {"budgeten", "nämnden", "ansvarar", "kommunen", "enheterna", "beslutar", "kf"}.__contains__
    missing, share = uncovered("Vem ansvarar för snöröjningen på gångbanorna?", known)
    assert missing == ["snöröjningen", "gångbanorna"] and share > 0.5
    verdict = judge("Vem ansvarar för snöröjningen på gångbanorna?", known)
    assert verdict is not None and verdict.reason == "not_in_documents"
    # one unknown word in a question the sources otherwise know does not stop it
    assert judge("Vem beslutar vad i kedjan från KF ner till enheterna?", known) is None
    # the situation told before the question does not count against it
    assert judge("Vad gäller för nämnden?", known, context="Min bror har lagt ett anbud på snöröjningen.") is None
    # "utgå från", "hänga ihop" ask how, they name no topic the sources must know
    assert judge("Vilka frågor ska jag utgå från?", {"frågor"}.__contains__) is None
    assert judge("Hur hänger budgeten ihop med nämnden?", known) is None


def test_the_last_part_of_a_compound_the_analysis_cannot_split_names_a_topic_word() -> None:
    # "Objektivitetskravet" is a "krav", though no document knows "objektivitet" to split it by
    lead = _passage("En förtroendevald ska vara opartisk när nämnden fattar beslut.", similarities=[0.85])
    text = "Objektivitetskravet – verksamheten ska bedrivas sakligt och opartiskt"
    bullet = _passage(text, "deck.pptx", 3, "Uppdraget", [0.84], doc="e")
    composed = compose(
        "Vilka krav gäller för en förtroendevald som ska vara opartisk?", [lead, bullet], SwedishAnalyzer()
    )
    assert "”Objektivitetskravet – verksamheten ska bedrivas sakligt och opartiskt”" in composed.text


def test_a_verb_in_the_question_finds_the_noun_the_documents_use() -> None:
    # "kvalitetssäkra" is the "kvalitetssäkring" of the heading; a stemmer alone does not see it
    heading = _passage(
        "Kvalitetssäkringen görs utifrån fyra perspektiv.", section="Grunduppdraget", similarities=[0.80]
    )
    other = _passage("Enheterna följer upp grunduppdraget varje år.", "deck.pptx", 3, "Uppföljning", [0.80], doc="e")
    composed = compose("Hur ska vi kvalitetssäkra grunduppdraget?", [other, heading], SwedishAnalyzer())
    assert "fyra perspektiv" in composed.text.splitlines()[1]


@pytest.mark.parametrize(
    ("question", "wanted"),
    [("I vilket rum håller nämnden sina möten?", "place"), ("Vilka öppettider har kommunhuset?", "opening_hours")],
)
def test_places_and_opening_hours_are_never_guessed(question: str, wanted: str) -> None:
    verdict = judge(question, lambda _word: True)
    assert verdict is not None and verdict.reason == "not_held" and verdict.words == (wanted,)


def test_another_municipality_is_one_named_outright_or_never_mentioned() -> None:
    known = {"agenda"}.__contains__
    assert other_places("Hur ser det ut i Uppsala kommun?", ["uppsala"], known) == ["uppsala"]
    assert other_places("Vad gäller i Uppsala?", ["uppsala"], known) == ["uppsala"]
    assert other_places("Vad står i Agenda 2030?", ["agenda"], known) == []
    verdict = judge("Hur ser styrmodellen ut i Uppsala kommun?", known, places=["uppsala"])
    assert verdict is not None and verdict.reason == "other_municipality"


def test_a_short_quote_grows_to_the_whole_sentence_or_lines_that_hold_it() -> None:
    slide = "Vad gör vi just nu\nÖversyn av målvärden\nArbete fram till preliminär budget\nbeslutas i utskottet 23 maj"
    assert sentences_around(slide, "preliminär budget beslutas i utskottet") == (
        "Arbete fram till preliminär budget beslutas i utskottet 23 maj"
    )
    prose = "Styrningen sker genom mål. Målen beslutas av fullmäktige och gäller alla. Bolagen följer ägardirektiv."
    assert sentences_around(prose, "beslutas av FULLMÄKTIGE") == "Målen beslutas av fullmäktige och gäller alla."
    assert sentences_around(prose, "beslutas av kommunstyrelsen") is None


def test_an_agenda_names_what_is_said_elsewhere_and_is_never_the_answer() -> None:
    agenda = _passage(
        "Agenda\nUppdraget och rollen som förtroendevald och som tjänsteperson i staden\nSamspel",
        section="Agenda",
        similarities=[0.9, 0.95, 0.9],
        index=1,
    )
    answer = _passage(
        "De förtroendevalda ska styra på en övergripande nivå och följa upp resultaten.",
        section="Uppdraget",
        similarities=[0.85],
        index=5,
    )
    composed = compose("Vilket uppdrag har en förtroendevald?", [agenda, answer], SwedishAnalyzer())
    assert "övergripande nivå" in composed.text.splitlines()[1] and "Agenda" not in composed.text


def test_the_section_the_question_names_word_for_word_answers_it() -> None:
    # the general sentence names both words of the question; the section "Delårsrapport 1" is what was asked
    general = _passage(
        "Delårsrapporterna är likadana under året, men den första innehåller färre delar.",
        section="Uppföljning",
        similarities=[0.80],
        index=1,
    )
    first = _passage(
        "Delårsrapport 1\nDen innehåller uppföljningen av fullmäktiges mål och eventuella avvikelser.",
        section="Uppföljning › Delårsrapport 1",
        similarities=[0.8, 0.82],
        index=2,
    )
    composed = compose("Vad innehåller delårsrapport 1?", [general, first], SwedishAnalyzer())
    assert composed.text.splitlines()[1].startswith("”Den innehåller uppföljningen av fullmäktiges mål")


def test_two_statements_in_the_same_words_are_quoted_once() -> None:
    first = _passage(
        "Ett ärende ska återremitteras eller bordläggas om en tredjedel begär det.",
        "KL 5 kap 50 §.law",
        doc="l",
        index=1,
    )
    second = _passage(
        "Ett ärende ska bordläggas eller återremitteras om en tredjedel begär det.",
        "KL 5 kap 50 §.law",
        doc="l",
        index=2,
    )
    other = _passage("Fullmäktige fastställer budgeten i juni.", doc="d")
    assert merge([other], [first, second]) == [other, first]


def test_a_bodys_part_is_quoted_from_the_sentence_it_is_the_subject_of() -> None:
    passage = _passage(
        "Kommunfullmäktige fastställer kommunstyrelsens och nämndernas uppdrag i reglementen. "
        "Kommunstyrelsen har en samordnande roll och uppsikt över nämndernas verksamhet.",
        similarities=[0.84, 0.84],
    )
    analyzer = SwedishAnalyzer({"kommunstyrelsen": ["ks"]})
    answer = compose("vad är ks roll gentemot nämnderna egentligen?", [passage], analyzer)
    assert "”Kommunstyrelsen har en samordnande roll" in answer.text and "fastställer" not in answer.text


def test_a_heading_that_asks_the_question_in_other_words_is_answered_by_its_list() -> None:
    forums = _passage(
        "I vilka forum förs dialog med politiken?\nVertikal dialog KS presidie – kommunchef\nBudgetprocessen\n"
        "Tertialrapporter\nÅrsredovisning",
        "tranemo.pdf",
        section="I vilka forum förs dialog med politiken?",
        similarities=[0.82, 0.82, 0.82, 0.82, 0.82],
    )
    workshop = _passage(
        "Har vi arenor eller forum för dialog med politiken?", "workshop.pdf", doc="w", similarities=[0.82]
    )
    answer = compose("i vilka forum har förvaltningen dialog med politiken", [workshop, forums], SwedishAnalyzer())
    assert "Vertikal dialog KS presidie – kommunchef; Budgetprocessen; Tertialrapporter" in answer.text
    assert "Har vi arenor" not in answer.text  # a question on a slide answers nothing


def test_the_sentences_after_the_answer_that_go_on_to_what_else_is_asked_are_quoted() -> None:
    budget = _passage(
        "I slutet av november kan budgeten omprövas. En omprövning ska endast göras i undantagsfall. "
        "Motiv till en omprövning är yttre faktorer. Nämnderna följer upp sin ekonomi varje månad.",
        similarities=[0.84, 0.80, 0.80, 0.80],
    )
    answer = compose("Kan budgeten omprövas, och av vilka skäl?", [budget], SwedishAnalyzer(load_thesaurus()))
    assert "omprövas. En omprövning ska endast göras i undantagsfall. Motiv till en omprövning" in answer.text
    assert "varje månad" not in answer.text  # it goes on to something else


def test_how_something_is_funded_is_answered_by_what_it_is_given() -> None:
    funding = _passage("Fullmäktiges uppdrag ges med tillskott i budget eller inom tilldelad budgetram.", doc="s")
    other = _passage("Fullmäktiges uppdrag till nämnderna beslutas i juni.", doc="o", similarities=[0.82])
    answer = compose("Hur finansieras fullmäktiges uppdrag?", [other, funding], SwedishAnalyzer(load_thesaurus()))
    assert "tillskott i budget" in answer.text.split("\n")[1]


def test_a_line_of_a_list_that_names_the_topic_and_says_what_is_asked_of_it_answers() -> None:
    layers = _passage(
        "Lager på lager . styrning\nPolicy (8)\nFöreskrift (6)\nRiktlinje (32)\nBestämmelse (27)\nPlan (7)",
        "trollhattan.pdf",
        section="Lager på lager . styrning",
        similarities=[0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
    )
    law = _passage(
        "Fullmäktige beslutar om riktlinjer för medelsförvaltningen.", "KL", None, "11 kap 1 §", [0.83], doc="k"
    )
    counted = compose("hur många riktlinjer har vi?", [law, layers], SwedishAnalyzer())
    assert "Riktlinje (32)" in counted.text and "medelsförvaltningen" not in counted.text.splitlines()[1]
    forums = _passage(
        "I vilka forum förs dialog med politiken?\nVertikal dialog KS presidie – kommunchef\nBudgetprocessen",
        "tranemo.pdf",
        section="I vilka forum förs dialog med politiken?",
        similarities=[0.8, 0.8, 0.8],
    )
    members = compose("vilka är med i den vertikala dialogen?", [forums], SwedishAnalyzer())
    assert "KS presidie – kommunchef" in members.text
    # a line that only names the topic says nothing of it: a slide of titles is still no answer
    titles = _passage(
        "Vertikal dialog\nHorisontell styrning", "tranemo.pdf", section="Begrepp", similarities=[0.9, 0.9]
    )
    assert not compose("vilka är med i den vertikala dialogen?", [titles], SwedishAnalyzer()).answers()
