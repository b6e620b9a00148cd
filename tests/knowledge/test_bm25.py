"""Swedish BM25: compounds, abbreviations and inflections match; filters, removal and persistence work."""

import json
import random
import time
from pathlib import Path

from ingest.pipeline import process_file
from knowledge.bm25 import BM25Index, SwedishAnalyzer, load_thesaurus, merge_synonyms, stem, tokenize
from rules.engine import load_synonyms

CORPUS_TEXT = Path(__file__).resolve().parents[2] / "corpus" / "txt" / "001_a69118cc50371085.txt"
SYNONYMS = {
    "fullmäktige": ["kf", "kommunfullmäktige"],
    "kommunstyrelsen": ["ks"],
    "arbetsutskott": ["ksau", "ks au", "arbetsutskottet"],
}


def _index(passages: dict[str, str], analyzer: SwedishAnalyzer | None = None) -> BM25Index:
    index = BM25Index(analyzer or SwedishAnalyzer())
    for doc_id, text in passages.items():
        index.add(doc_id, text, {"municipality": ""})
    return index


def _ids(index: BM25Index, query: str, k: int = 20) -> list[str]:
    return [doc_id for doc_id, _ in index.search(query, k=k)]


BUDGET = {
    "process": "Budgetprocessen startar i februari med ett planeringsdirektiv.",
    "budget": "Fullmäktige fastställer budget och skattesats i november.",
    "kontroll": "Processen för intern kontroll beskrivs i reglementet.",
    "parkering": "Parkeringsavgifterna höjs från och med nästa år.",
}


def test_a_compound_is_found_by_its_parts() -> None:
    index = _index(BUDGET)
    assert set(_ids(index, "budget")) == {"process", "budget"}
    assert set(_ids(index, "process")) == {"process", "kontroll"}
    assert _ids(index, "budget och process")[0] == "process"


DELAR = {
    "delår": "Delårsrapporten per den 31 augusti behandlas av fullmäktige i oktober.",
    "månad": "Nämnderna lämnar en rapport till kommunstyrelsen varje månad.",
    "uppföljning": "Under delåret följer nämnden upp sina mål.",
    "parti": "Partistödsredovisningen lämnas senast den 30 juni.",
    "partistöd": "Partistöd betalas ut årligen efter beslut.",
    "redovisning": "Redovisningen granskas av en särskild granskare.",
}


def test_an_inflected_compound_is_found_by_the_compound() -> None:
    assert _ids(_index(DELAR), "Vad är en delårsrapport?")[0] == "delår"


def test_a_question_in_other_words_finds_the_compound() -> None:
    index = _index(DELAR)
    assert _ids(index, "rapport om delåret")[0] == "delår"
    assert _ids(index, "redovisning av partistöd")[0] == "parti"


def test_compound_parts_need_known_words() -> None:
    analyzer = SwedishAnalyzer(vocabulary=["delåret", "rapport", "partistöd", "redovisning", "budget", "processen"])
    assert {"delårsrapport", "delår", "rapport"} <= set(analyzer.terms("delårsrapporten"))
    assert {"budget", "process"} <= set(analyzer.terms("budgetprocessen"))
    assert {"partistöd", "redovisning"} <= set(analyzer.terms("partistödsredovisningen"))
    assert SwedishAnalyzer().terms("budgetprocessen") == ["budgetprocess"]  # nothing known: no split


def test_a_compound_is_named_by_its_parts_only_when_its_last_part_is_known() -> None:
    analyzer = SwedishAnalyzer(vocabulary=["förvaltningen", "rapport", "delåret"])
    assert "förvaltning" in analyzer.word_terms("förvaltningsbesvär")  # searched by its known first part …
    assert analyzer.naming_terms("förvaltningsbesvär") == ("förvaltningsbesvär",)  # … but not named by it
    assert {"delår", "rapport"} <= set(analyzer.naming_terms("delårsrapporten"))


def test_an_abbreviation_finds_the_full_word_and_back() -> None:
    index = _index(
        {
            "kf": "Kommunfullmäktige beslutar om budgeten.",
            "ks": "Kommunstyrelsen bereder ärendet.",
            "au": "KS AU sammanträder varje vecka.",
            "annat": "Nämnden beslutar om taxor.",
        },
        SwedishAnalyzer(SYNONYMS),
    )
    assert _ids(index, "Vad beslutar KF om?")[0] == "kf"
    assert _ids(index, "fullmäktige")[0] == "kf"
    assert _ids(index, "KS")[0] == "ks"
    assert _ids(index, "När sammanträder arbetsutskottet?")[0] == "au"


def test_an_abbreviation_without_synonyms_does_not_match() -> None:
    index = _index({"kf": "Kommunfullmäktige beslutar om budgeten."})
    assert index.search("KF") == []


def test_inflections_match() -> None:
    index = _index({"nämnd": "Nämnden ansvarar för verksamheten.", "annat": "Styrelsen beslutar om bolaget."})
    assert _ids(index, "Vad ansvarar nämnderna för?")[0] == "nämnd"
    index = _index({"nämnd": "Nämnderna ansvarar för verksamheten.", "annat": "Styrelsen beslutar om bolaget."})
    assert _ids(index, "nämnden")[0] == "nämnd"


def test_stems_merge_inflections_but_not_unrelated_words() -> None:
    assert stem("kommunerna") == stem("kommunens") == stem("kommun")
    assert stem("styrelsen") == stem("styrelse") == stem("styrelserna")
    assert stem("styrelsen") != stem("styrs")  # Snowball alone gives "styr" for both
    assert stem("revisor") == stem("revisorn") == stem("revisorerna")  # Snowball alone gives three stems
    assert stem("finansieringen") == stem("finansieras") == stem("finansiera")  # the noun of the verb
    assert stem("delegering") == stem("delegera") and stem("förbättringar") != stem("förbättras")
    assert stem("nulägesanalysen") == stem("nulägesanalys")  # "analysen" → "analys", "analys" → "analy"
    assert SwedishAnalyzer().terms("Vem ska vara där och när?") == []  # only stop words


def test_where_limits_results_by_metadata() -> None:
    index = BM25Index(SwedishAnalyzer())
    index.add("s", "Budgeten beslutas i juni.", {"municipality": "strangnas"})
    index.add("t", "Budgeten beslutas i november.", {"municipality": "tranemo"})
    index.add("n", "Budgeten ska vara i balans.", {"municipality": ""})
    hits = index.search("budgeten", where=lambda meta: meta["municipality"] in {"strangnas", ""})
    assert {doc_id for doc_id, _ in hits} == {"s", "n"}
    assert len(index.search("budgeten")) == 3


def test_a_search_of_some_municipalities_scores_their_passages_as_a_search_of_all() -> None:
    index = BM25Index(SwedishAnalyzer())
    for number in range(30):  # many municipalities with similar documents
        index.add(
            f"m{number}",
            f"Budgeten för kommun {number} beslutas i juni av fullmäktige.",
            {"municipality": f"kommun-{number}"},
        )
    index.add("general", "Fullmäktige beslutar om budgeten och skattesatsen.", {"municipality": ""})
    everything = dict(index.search("budgeten fullmäktige juni", k=100))
    limited = index.search("budgeten fullmäktige juni", k=100, partitions=["kommun-7", ""])
    assert [doc_id for doc_id, _ in limited] == ["m7", "general"]
    assert all(score == everything[doc_id] for doc_id, score in limited)  # document frequencies stay global
    assert index.search("budgeten", partitions=["okänd"]) == [] and index.search("budgeten", partitions=[]) == []


def _state_of(index: BM25Index) -> tuple[object, ...]:
    state = index._refresh()
    return state.partitions, state.frequencies, state.lengths, state.average, state.metadata


def test_updating_after_a_change_equals_analysing_everything_again() -> None:
    """Each change re-analyses only the passages it can touch; the result must be exactly that of a
    fresh index of the same passages, whatever came and went (compound parts appear and disappear)."""
    corpus = Path(__file__).resolve().parents[2] / "corpus" / "txt"
    paragraphs = [p.strip() for f in sorted(corpus.glob("*.txt")) for p in f.read_text("utf-8").split("\n\n")]
    paragraphs = [p for p in paragraphs if len(p) > 40][:400]
    compounds = [
        "Delårsrapporten lämnas i augusti.",
        "Delår och rapport.",
        "Årsredovisningen och revisorerna.",
        "Vinterväghållningsplanen gäller.",
        "Väghållning på vintern.",
        "Planen gäller.",
    ]
    rng = random.Random(5)
    analyzer = SwedishAnalyzer(merge_synonyms(load_synonyms(), load_thesaurus()))
    index = BM25Index(analyzer)
    live: dict[str, tuple[str, dict[str, str]]] = {}
    for number, text in enumerate(paragraphs[:200]):
        live[f"p{number}"] = (text, {"municipality": rng.choice(["a", "b", "c", ""])})
        index.add(f"p{number}", *live[f"p{number}"])
    index.search("budget")
    for round_ in range(40):
        for _ in range(rng.randint(1, 4)):
            action = rng.random()
            if action < 0.4 and live:  # remove
                doc_id = rng.choice(sorted(live))
                index.remove([doc_id])
                del live[doc_id]
            else:  # add or replace, sometimes with a compound or one of its parts
                doc_id = rng.choice(sorted(live)) if action < 0.6 and live else f"n{round_}-{rng.random():.6f}"
                text = rng.choice(compounds) if rng.random() < 0.4 else rng.choice(paragraphs)
                live[doc_id] = (text, {"municipality": rng.choice(["a", "b", "c", ""])})
                index.add(doc_id, *live[doc_id])
        fresh = BM25Index(analyzer)
        for doc_id, (text, meta) in live.items():
            fresh.add(doc_id, text, meta)
        assert _state_of(index) == _state_of(fresh), round_
        for query in ("delårsrapport", "vinterväghållning", "revisorerna granskar", "budget och skattesats"):
            assert index.search(query, 10) == fresh.search(query, 10)


def test_remove_takes_passages_out() -> None:
    index = _index(BUDGET)
    assert _ids(index, "parkeringsavgifterna") == ["parkering"]
    index.remove(["parkering", "no-such-id"])
    assert len(index) == 3
    assert _ids(index, "parkeringsavgifterna") == []
    assert set(_ids(index, "budget")) == {"process", "budget"}
    index.add("budget", "Budgeten antas i juni.", {"municipality": ""})  # the same id replaces the passage
    assert len(index) == 3
    assert _ids(index, "juni") == ["budget"] and _ids(index, "november") == []


def test_save_and_load_give_identical_results(tmp_path: Path) -> None:
    index = _index({**BUDGET, **DELAR}, SwedishAnalyzer(SYNONYMS))
    index.add("kf", "KF beslutar om skattesatsen.", {"municipality": "tranemo", "page": 3})
    path = tmp_path / "bm25.json"
    index.save(path)
    loaded = BM25Index.load(path, SwedishAnalyzer(SYNONYMS))
    assert len(loaded) == len(index)
    for query in ["budget", "rapport om delåret", "kommunfullmäktige", "partistöd", "nämnden", "juni"]:
        assert loaded.search(query) == index.search(query)
    assert loaded.search("KF", where=lambda meta: meta.get("page") == 3) == [index.search("KF")[0]]
    assert [p.name for p in tmp_path.iterdir()] == ["bm25.json"]  # no temporary file left behind
    assert json.loads(path.read_text(encoding="utf-8"))["documents"][0]["text"] == BUDGET["process"]


def test_results_do_not_depend_on_the_order_passages_were_added() -> None:
    passages = {**BUDGET, **DELAR}
    forward = _index(passages)
    backward = _index(dict(reversed(passages.items())))
    for query in ["budget", "rapport om delåret", "redovisning av partistöd"]:
        assert forward.search(query) == backward.search(query)


def test_a_passage_with_all_query_terms_ranks_above_one_with_some() -> None:
    index = _index(
        {
            "both": "Revisorerna granskar delårsrapporten i oktober.",
            "revisor": "Revisorerna granskar verksamheten i oktober.",
            "rapport": "Ekonomikontoret skickar delårsrapporten i oktober.",
            "other": "Nämnden fastställer internbudgeten i december.",
        }
    )
    hits = index.search("Granskar revisorerna delårsrapporten?")
    assert hits[0][0] == "both"
    assert hits[0][1] > hits[1][1] > 0
    assert "other" not in {doc_id for doc_id, _ in hits}


def test_scores_are_never_negative() -> None:
    index = _index({str(i): f"Kommunen beslutar om ärende {i}." for i in range(5)})
    assert all(score >= 0 for _, score in index.search("kommunen beslutar"))


def test_the_real_document_answers_a_question_about_the_auditors() -> None:
    chunks = process_file(CORPUS_TEXT).chunks
    start = time.perf_counter()
    index = BM25Index(SwedishAnalyzer(SYNONYMS))
    for chunk in chunks:
        index.add(chunk.id, chunk.text, {"doc_id": chunk.doc_id, "municipality": chunk.municipality or ""})
    top = index.search("Vad ska revisorerna bedöma i delårsrapporten?", k=3)
    assert time.perf_counter() - start < 2.0
    texts = {chunk.id: chunk.text for chunk in chunks}
    assert any("Revisorerna ska bedöma om resultatet i delårsrapporten" in texts[doc_id] for doc_id, _ in top)


def test_a_phrase_synonym_matches_in_any_inflection() -> None:
    index = _index(
        {
            "samordna": "Kommunchefen ska operativt leda och samordna arbetet.",
            "annat": "Arbetet med budgeten börjar i februari.",
        },
        SwedishAnalyzer({"samordna": ["hålla ihop"]}),
    )
    assert _ids(index, "Vem håller ihop arbetet?")[0] == "samordna"


def test_the_shipped_thesaurus_joins_words_people_use_for_the_same_thing() -> None:
    analyzer = SwedishAnalyzer(merge_synonyms({"fullmäktige": ["kf"]}, load_thesaurus()))
    index = _index(
        {
            "agenda": "Agenda 2030 är vägledande för allt arbete i kommunkoncernen.",
            "kompetens": "Politiker saknar utbildning och kompetens för att fatta beslut.",
            "kf": "Kommunfullmäktige följer upp målen i årsredovisningen.",
        },
        analyzer,
    )
    assert _ids(index, "Hur viktiga är FN:s globala mål?")[0] == "agenda"
    assert _ids(index, "Vad tycker man om politikernas kunskaper?")[0] == "kompetens"
    assert _ids(index, "Vad följer KF upp?")[0] == "kf"  # the rules' abbreviations are kept beside it


def test_merged_synonyms_pool_the_forms_of_one_word() -> None:
    merged = merge_synonyms({"budget": ["budgeten"]}, {"budget": ["budgetar", "budgeten"], "lag": ["lagen"]})
    assert merged == {"budget": ("budgeten", "budgetar"), "lag": ("lagen",)}


def test_a_compound_with_an_unknown_last_part_still_finds_its_first_part() -> None:
    analyzer = SwedishAnalyzer(vocabulary=["delår", "verk", "rapport"])
    assert "delår" in analyzer.terms("delårssiffrorna")  # "siffror" is unknown, "delårs-" is not
    assert "verk" not in analyzer.terms("verksamheten")  # too short a first part to guess at


def test_a_word_broken_over_two_lines_of_a_slide_is_one_word() -> None:
    assert tokenize("Förenklad konsekvens- beskrivning") == ["förenklad", "konsekvensbeskrivning"]
    assert tokenize("nuläges- och omvärldsanalys") == ["nuläges", "och", "omvärldsanalys"]
