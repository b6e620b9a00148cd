"""A message's questions one by one, with the situation told before them, and the kind of answer each wants."""

import pytest

from knowledge.questions import (
    answers_when,
    asked,
    first_act,
    gives,
    holds,
    months_asked,
    parts,
    pointed,
    role_holder,
    wants,
)
from knowledge.situations import concepts


@pytest.mark.parametrize(
    ("message", "questions"),
    [
        (
            "Vem väljer revisorerna, och vem bestämmer deras budget?",
            ["Vem väljer revisorerna?", "vem bestämmer deras budget?"],
        ),
        ("Hur länge gäller planen? Och vem reviderar den?", ["Hur länge gäller planen?", "Och vem reviderar den?"]),
        (
            "Två frågor om bolagen: när hålls stämman, och när ska affärsplanen vara klar?",
            ["när hålls stämman?", "när ska affärsplanen vara klar?"],
        ),
        (
            "Kan KS besluta i andra nämnders frågor, och finns det något som aldrig får ingå?",
            ["Kan KS besluta i andra nämnders frågor?", "finns det något som aldrig får ingå?"],
        ),
        ("Vad måste vi göra och när?", ["Vad måste vi göra och när?"]),
        (
            "Jag är enhetschef och ska göra en plan för min enhet. Vilka frågor ska jag utgå från?",
            ["Vilka frågor ska jag utgå från?"],
        ),
        ("vad handlar SAM, SBA och SKA om?", ["vad handlar SAM, SBA och SKA om?"]),
        ("Berätta om budgetprocessen.", ["Berätta om budgetprocessen."]),
        (
            "Vem bestämmer nämndernas ramar, och vid vilken tidpunkt på året görs det?",
            ["Vem bestämmer nämndernas ramar?", "vid vilken tidpunkt på året görs det?"],
        ),
        (
            "Kan budgeten omprövas? I så fall när och av vilka skäl",
            ["Kan budgeten omprövas? I så fall när?", "av vilka skäl?"],
        ),
    ],
)
def test_a_message_is_cut_into_its_questions(message: str, questions: list[str]) -> None:
    assert [part.text for part in parts(message)] == questions


def test_each_question_keeps_what_was_said_before_it_as_its_context() -> None:
    first, second = parts("Vi har ett underskott på tolv miljoner. Hur lång tid har vi på oss, och vad måste KF göra?")
    assert first.context == "Vi har ett underskott på tolv miljoner."
    assert second.context.startswith("Vi har ett underskott") and "Hur lång tid" in second.context
    assert second.full.endswith("vad måste KF göra?")
    [topic] = parts("flerårsplanen - hur ofta revideras den?")
    assert topic.text == "hur ofta revideras den?" and topic.context == "flerårsplanen"
    # what comes before a dash is a topic only when it names one
    [asked_only] = parts("hur hänger det ihop egentligen - vem fastställer skattesatsen?")
    assert asked_only.text == "vem fastställer skattesatsen?" and asked_only.context == ""


def test_amounts_are_asked_for_and_only_a_figure_with_its_unit_answers() -> None:
    assert wants("Hur mycket får ordföranden i arvode?") == "amount"
    assert wants("Vem beslutar om arvodet?") is None
    assert wants("Hur stor budgetram får kulturnämnden?") == "amount"
    assert wants("Vilket datum är nästa nämndsammanträde?") == "schedule"
    assert holds("amount", "Arvodet är 12 000 kronor i månaden.")
    assert not holds("amount", "Fullmäktige beslutar om grunderna för arvoden.")
    assert wants("vad ligger kommunalskatten på i år?") == wants("Vilken skattesats har vi?") == "amount"
    assert wants("Hur många sammanträden har nämnden i vår och vilka datum?") == "schedule"
    assert wants("Vilket parti tillhör ordföranden?") == "members"
    # who holds an office now is no fact of a governance document; who is responsible for something is
    assert wants("vilka sitter som revisorer i exempelkommun just nu?") == "members"
    assert wants("vem är ordförande i KS nu?") == "members"
    assert wants("vem är ansvarig för delårsrapporten nu?") is None
    assert wants("vad gjorde bolaget för resultat förra året?") == "amount"
    assert wants("hur ofta träffas de?") == "schedule"  # when a group meets, not how often a plan is revised
    assert wants("hur ofta revideras flerårsplanen?") is None
    assert (
        wants("Hur stort blev kommunens resultat förra året?") == wants("Vad är arvodet för KS ordförande?") == "amount"
    )
    assert wants("Vad är resultatet av granskningen?") is None  # a finding, not a sum
    assert wants("Vem bestämmer hur mycket partistöd partierna får?") is None  # asks who, not how much
    assert wants("Får politikerna bestämma hur många undersköterskor som jobbar natt?") is None


def test_a_count_is_held_by_a_number_near_the_thing_counted() -> None:
    question = "Hur många mål får en nämnd ha?"
    assert holds("count", "Nämndmålen och fullmäktigemålen ska totalt bli max 7 per nämnd.", question)
    assert not holds("count", "Målen följs upp två gånger per år.", question)  # "två" counts times, not goals
    in_days = "Hur många dagar innan sammanträdet ska kallelsen gå ut?"  # a week is a number of days
    assert holds("count", "Ledamöterna ska kallas minst en vecka före sammanträdesdagen.", in_days)
    assert holds("count", "Protokollet justeras senast fjorton dagar efter sammanträdet.", in_days)
    assert not holds("count", "Kallelsen ska gå ut före sammanträdet.", in_days)
    asked_of_people = "hur många måste begära det för att ärendet ska återremitteras?"  # "måste" is no thing counted
    assert holds("count", "… om minst en tredjedel av de närvarande ledamöterna begär det.", asked_of_people)
    assert not holds("count", "Ärendet återremitteras om ledamöterna begär det.", asked_of_people)


def test_the_act_a_word_names_is_read_from_whole_words() -> None:
    assert first_act("ledamöterna") is None and first_act("antalet ledamöter") is None  # not "leda", not "anta"
    assert first_act("vem leder arbetet") == "lead" and first_act("planen antas av KF") == "decide"


@pytest.mark.parametrize(
    ("question", "holder"),
    [
        ("Vad är kommunstyrelsens uppgift enligt kommunallagen?", "kommunstyrelsen"),
        ("vad är ks roll gentemot nämnderna egentligen", "ks"),
        ("vad har KS egentligen för roll i Strängnäs?", "ks"),
        ("Vad gör revisorerna varje år?", "revisorerna"),
        ("Vad är min roll som ledamot?", None),
        ("Vad gör jag om jag är jävig?", None),
    ],
)
def test_the_body_whose_part_a_question_asks_about(question: str, holder: str | None) -> None:
    assert role_holder(question) == holder


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("Vad är kommunstyrelsens uppgift enligt kommunallagen?", "law"),
        ("Vad säger lagen om delårsrapporten?", "law"),
        ("Hur ser årshjulet ut enligt styrmodellen?", "documents"),
        ("Hur gör vi det hos oss?", "documents"),
        ("Vem beslutar om budgeten?", None),
    ],
)
def test_the_source_a_question_points_to(question: str, source: str | None) -> None:
    assert pointed(question) == source


def test_the_kind_of_answer_asked_for() -> None:
    assert asked("När ska delårsrapporten vara klar?") == {"time"}
    assert asked("Vem godkänner arbetsplanen?") == {"actor"}
    assert "list" in asked("Vad ska en verksamhetsplan innehålla?")
    assert "list" in asked("Vilka fyra perspektiv används?") and "list" in asked("Vilka olika roller finns?")
    assert "list" in asked("Vilka är med i den vertikala dialogen?") and "list" in asked("Vilka deltar i mötet?")
    assert "list" in asked("den vertikala, vilka är det som möts där?")
    assert gives("time", "Planen revideras årligen.") and gives("time", "inom ett till tre år")
    assert not gives("time", "Planen beskriver målen.")


def test_the_months_a_question_asks_about_are_not_the_dates_it_mentions() -> None:
    assert months_asked("När har budgetutskottet möte i oktober?") == {10}
    assert months_asked("Vad händer under hösten?") == {9, 10, 11}
    assert months_asked("Delårsrapporten per 31/8 – när ska den till KF?") == frozenset()
    assert months_asked("När ska vårt parti lämna redovisningen?") == frozenset()
    assert answers_when("När har utskottet möte i oktober?", "Utskottet sammanträder den 12 oktober.")
    assert not answers_when("När har utskottet möte i oktober?", "Utskottet sammanträder den 18 april.")
    assert not answers_when("När antogs visionen?", "Visionen är en gemensam målbild för kommunen.")


def test_a_time_of_day_or_a_weekday_answers_when() -> None:
    assert answers_when("När plogas cykelvägarna?", "Cykelvägarna plogas före klockan sju på vardagar.")
    assert answers_when("När öppnar kansliet?", "Kansliet öppnar kl. 8 varje morgon.")
    assert not answers_when("När plogas cykelvägarna?", "Cykelvägarna plogas av entreprenören.")


def test_a_told_situation_is_read_as_the_concepts_it_is_about() -> None:
    assert concepts("Min svärmor har ansökt om bygglov hos nämnden jag sitter i.") == ("jäv närstående",)
    assert concepts("Vårt eget företag har lagt ett anbud.") == ("jäv närstående",)
    assert concepts("Handläggaren avslog ansökan på delegation förra veckan.") == ("myndighetsutövning", "delegation")
    assert concepts("Vi i KS oroas över att kulturnämnden inte följer sin plan.") == ("uppsikt",)
    assert concepts("Nämnden ska anta en ny verksamhetsplan i januari.") == ()
    assert concepts("Fyra av elva ledamöter har anmält förhinder till mötet.") == ("beslutsföra närvarande",)
    # the discharge of a body one sat in, named in the situation or in the question after it
    assert concepts("Jag satt i kulturnämnden förra året.", "Får jag rösta om ansvarsfriheten?") == ("jäv närstående",)
    assert concepts("", "Hur går prövningen av ansvarsfriheten till?") == ()


def test_a_process_is_asked_for_by_its_steps_not_its_contents() -> None:
    assert "process" in asked("Hur ser arbetet med årsredovisningen ut?")
    assert "process" in asked("hur funkar budgetprocessen")
    assert "process" not in asked("Vad ska årsredovisningen innehålla?")
    assert gives("process", "Därefter beslutar nämnden.") and not gives("process", "Syftet är att skapa dialog.")


def test_two_things_compared_are_asked_about_one_by_one() -> None:
    assert [p.text for p in parts("Vad skiljer en nämndplan från en arbetsplan?")] == [
        "Vad är en nämndplan?",
        "Vad är en arbetsplan?",
    ]
    assert [p.text for p in parts("vad är skillnaden på motion och medborgarförslag")] == [
        "Vad är motion?",
        "Vad är medborgarförslag?",
    ]
    # the split between politics and administration is one question, answered by the rules
    assert len(parts("Vad är skillnaden mellan politikens och förvaltningens roll?")) == 1
