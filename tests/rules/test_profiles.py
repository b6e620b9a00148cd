"""Profiles: every shipped profile loads and cites real sources; a broken profile names file, key and reason."""

import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

from rules import ProfileError, ProfileStore, UnknownMunicipality
from rules.profiles import quote_stands_in
from rules.texts import LAWS

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DATA = Path(str(resources.files("rules") / "data"))
MUNICIPALITIES = ("exempelkommun", "strangnas", "tranemo", "trollhattan")


@pytest.fixture(scope="module")
def store() -> ProfileStore:
    return ProfileStore()


def test_every_shipped_municipality_loads_on_top_of_the_national_layer(store: ProfileStore) -> None:
    assert store.known == MUNICIPALITIES
    national = store.rulebook(None)
    for municipality in MUNICIPALITIES:
        rulebook = store.rulebook(municipality)
        assert len(rulebook.events) >= len(national.events)
        assert rulebook.role_principle is not None
    assert len(store.profile("exempelkommun").events) >= 25


@pytest.mark.parametrize(
    ("written", "municipality"),
    [
        ("Trollhättan", "trollhattan"),
        ("strängnäs", "strangnas"),
        ("STRANGNAS", "strangnas"),
        ("Tranemo kommun", "tranemo"),
        ("Trollhättans Stad", "trollhattan"),
        (" Strängnäs  kommun ", "strangnas"),
    ],
)
def test_a_municipality_is_found_by_any_of_its_names_in_any_case_with_or_without_aao(
    store: ProfileStore, written: str, municipality: str
) -> None:
    assert store.resolve(written) == municipality
    assert store.rulebook(written).municipality == municipality


def test_unknown_municipality_lists_the_known_ones(store: ProfileStore) -> None:
    with pytest.raises(UnknownMunicipality) as info:
        store.rulebook("uppsala")
    assert info.value.known == MUNICIPALITIES
    assert "exempelkommun" in str(info.value)


def test_every_document_quote_stands_in_its_document(store: ProfileStore) -> None:
    for municipality in MUNICIPALITIES:
        profile = store.profile(municipality)
        sources = [e.source for e in profile.events] + [d.source for d in profile.decisions]
        sources += list(profile.role_principle.sources) if profile.role_principle else []
        for source in sources:
            if source.document is None:
                continue
            document = profile.documents[source.document]
            assert (CORPUS / "pdf" / document.file).exists() or (CORPUS / "docx" / document.file).exists()
            text = (CORPUS / "txt" / str(document.reference)).read_text(encoding="utf-8")
            assert quote_stands_in(source.quote or "", text), f"{municipality}: quote not found: {source.quote!r}"


def test_every_law_reference_names_a_known_law(store: ProfileStore) -> None:
    rulebook = store.rulebook(None)
    for entry in (*rulebook.events, *rulebook.decisions):
        assert entry.source.law is not None, f"national entry {entry.id} must cite law"
        assert entry.source.law.split()[0] in LAWS, entry.source.law


def test_local_practice_cites_the_municipalitys_document(store: ProfileStore) -> None:
    for municipality in MUNICIPALITIES:
        profile = store.profile(municipality)
        for entry in (*profile.events, *profile.decisions):
            assert entry.source.document is not None or entry.source.law is not None


@pytest.fixture
def profiles_copy(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def _break(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ("kind: municipality", "kind: municipality\nowner: nobody", "owner", "unknown key"),
        ("month: 8", "month: 13", "anchors.interim_period_end.month", "less than or equal to 12"),
        ("kind: municipality", "kind: kommun", "kind", "'national' or 'municipality'"),
        ("name: Exempelkommun", "name: [Exempelkommun", "line", "not valid YAML"),
    ],
)
def test_a_broken_profile_names_file_key_and_reason(
    profiles_copy: Path, old: str, new: str, key: str, reason: str
) -> None:
    _break(profiles_copy, "municipalities/exempelkommun.yaml", old, new)
    with pytest.raises(ProfileError) as info:
        ProfileStore(profiles_copy)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(profiles_copy / "municipalities" / "exempelkommun.yaml"))
    assert key in message and reason in message


def test_an_event_with_a_bad_date_names_the_event(profiles_copy: Path) -> None:
    path = profiles_copy / "municipalities" / "tranemo.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"day: 23", "day: 32", text, count=1), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        ProfileStore(profiles_copy)
    assert "tranemo.yaml: events[" in str(info.value) and ".date.day" in str(info.value)


def test_an_undeclared_anchor_is_refused(profiles_copy: Path) -> None:
    _break(profiles_copy, "national.yaml", "anchor: interim_period_end", "anchor: no_such_anchor")
    with pytest.raises(ProfileError, match="no anchor 'no_such_anchor' is declared"):
        ProfileStore(profiles_copy)


def test_a_source_must_be_law_or_a_quoted_document(profiles_copy: Path) -> None:
    _break(profiles_copy, "national.yaml", "source: {law: ", "source: {quote: x, law: ")
    ProfileStore(profiles_copy)  # a law reference with a quote is fine
    _break(profiles_copy, "national.yaml", "source: {quote: x, law: ", "source: {note: ")
    with pytest.raises(ProfileError, match="exactly one of 'law' or 'document'"):
        ProfileStore(profiles_copy)


LOCAL_NOTICE = """events:
  - id: stricter_summons
    overrides: {target}
    title: Kallelse till fullmäktige skickas ut
    body: kommunfullmaktige
    date: {{kind: relative, anchor: meeting, offset: {{days: 10}}, direction: before}}
    rule: minst tio dagar före sammanträdesdagen
    keys: [kallelse]
    source: {{document: styrmodell, quote: "Budgetprocessen"}}
"""


def test_a_local_entry_can_override_a_national_one(profiles_copy: Path) -> None:
    _break(
        profiles_copy, "municipalities/tranemo.yaml", "events:\n", LOCAL_NOTICE.format(target="council_meeting_notice")
    )
    store = ProfileStore(profiles_copy)
    tranemo = {e.id for e in store.rulebook("tranemo").events}
    assert "stricter_summons" in tranemo and "council_meeting_notice" not in tranemo
    assert "council_meeting_notice" in {e.id for e in store.rulebook("strangnas").events}


def test_an_override_of_a_missing_national_entry_is_refused(profiles_copy: Path) -> None:
    _break(profiles_copy, "municipalities/tranemo.yaml", "events:\n", LOCAL_NOTICE.format(target="no_such_event"))
    with pytest.raises(ProfileError, match=r"tranemo\.yaml: events.*overrides: no national entry 'no_such_event'"):
        ProfileStore(profiles_copy)


def test_a_document_file_is_assigned_to_the_municipality_whose_profile_lists_it(store: ProfileStore) -> None:
    assert store.municipality_of_file("001_styrmodell.docx") == "exempelkommun"
    assert store.municipality_of_file("003_strangnas_styrmodell.html") == "strangnas"
    assert store.municipality_of_file("000_2df9a3954dd38321.txt") == "trollhattan"
    assert store.municipality_of_file("002_workshop_samspel_politik_och_verksamhet.pdf") is None  # general guidance
