"""Registers: every person, office and place of the seeds resolved to one entry.

The expected entries, forms, roles and lines come from reading the seed sources
(``grep -n`` on the files), not from the resolver's output.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from build_edition.cli import main
from build_edition.model import Document, MentionRole, MentionStatus
from build_edition.pipeline import read_file
from build_edition.registers import RegisterKind, load_registers, resolver_for
from build_edition.registers.resolver import Status, name_key
from helpers import ROOT, SEEDS, seed


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    return {p.stem: read_file(p, ROOT) for p in sorted(SEEDS.glob("*.txt"))}


def named(document: Document, entry_id: str) -> list[tuple[str, str, int]]:
    return [(m.role.value, m.form, m.pos.line) for m in document.mentions if m.entry_id == entry_id]


def test_the_shipped_registers_load_without_a_problem() -> None:
    registers = load_registers()
    assert registers.diagnostics == ()
    assert {"stalin", "kim-il-sung", "pak-heon-yeong", "shtykov", "eighth-directorate-general-staff", "mfa-ussr",
            "pyongyang", "moscow"} <= set(registers.entries)
    places = [e for e in registers.of(RegisterKind.PLACE) if e.lat is not None]
    assert all(-90 <= e.lat <= 90 and -180 <= (e.lon or 0) <= 180 for e in places)
    assert registers.entries["moscow"].geonames == "524901"


def test_stalin_is_one_entry_reached_from_all_five_seeds_under_all_his_forms(seeds: dict[str, Document]) -> None:
    assert all(named(d, "stalin") for d in seeds.values())
    forms = {form for d in seeds.values() for _, form, _ in named(d, "stalin")}
    assert {"Stalin", "Stalin I.V.", "Iosif Vissarionovich STALIN", "Comrade STALIN", "Instantsia"} <= forms
    shtykov = seeds["1950-09-30-shtykov-to-gromyko-600301"]
    assert ("recipient", "Instantsia", 48) in named(shtykov, "stalin")
    assert ("recipient", "Stalin I.V.", 8) in named(seeds["1950-10-09-kim-to-stalin-training-600382"], "stalin")
    assert ("addressee", "Iosif Vissarionovich STALIN", 62) in named(seeds["1950-09-29-kim-pak-letter-cable-600308"], "stalin")
    instantsia = next(m for m in shtykov.mentions if m.form == "Instantsia" and m.role is MentionRole.RECIPIENT)
    assert instantsia.form_kind == "title"


def test_kim_and_pak_are_entries_with_their_letters_and_kim_and_pak_is_not_a_person(seeds: dict[str, Document]) -> None:
    signed = {(d, m.entry_id, m.pos.line) for d, doc in seeds.items() for m in doc.mentions if m.role is MentionRole.SIGNATORY}
    assert ("1950-09-29-kim-pak-letter-cable-600308", "kim-il-sung", 106) in signed
    assert ("1950-09-29-kim-pak-letter-cable-600308", "pak-heon-yeong", 106) in signed
    assert ("1950-09-29-kim-pak-letter-via-shtykov", "pak-heon-yeong", 100) in signed
    assert ("1950-10-09-kim-to-stalin-training-600382", "kim-il-sung", 36) in signed
    assert ("1952-07-16-kim-to-stalin-armistice-502597", "kim-il-sung", 143) in signed
    shtykov = seeds["1950-09-30-shtykov-to-gromyko-600301"]
    line80 = [(m.form, m.entry_id) for m in shtykov.mentions if m.pos.line == 80 and m.role is MentionRole.IDENTIFIED]
    assert line80 == [("Kim", "kim-il-sung"), ("Pak", "pak-heon-yeong")]
    assert not [m for d in seeds.values() for m in d.mentions if "and" in m.form.split()]


def test_the_eighth_directorate_is_one_entry_under_four_names(seeds: dict[str, Document]) -> None:
    forms = {(d.rsplit("-", 1)[-1], form, line) for d, doc in seeds.items() for _, form, line in named(doc, "eighth-directorate-general-staff")}
    assert {("600308", "8th Directorate of the Armed Forces General Staff", 12), ("shtykov", "8 MDGS", 29),
            ("600301", "8D/GS", 34), ("502597", "8th Administration of the General Staff of the Soviet Army", 13)} <= forms


def test_moscows_ministry_of_foreign_affairs_is_one_entry(seeds: dict[str, Document]) -> None:
    forms = {form for d in seeds.values() for _, form, _ in named(d, "mfa-ussr")}
    assert {"Ministry of Foreign Affairs", "Ministry of Foreign Affairs of the USSR", "MFA"} <= forms
    registers = load_registers()
    assert [e.id for e in registers.entries.values() if "foreign affairs of the ussr" in e.name.casefold()] == ["mfa-ussr"]


def test_shtykov_includes_the_misspelling_of_a_summary(seeds: dict[str, Document]) -> None:
    training = seeds["1950-10-09-kim-to-stalin-training-600382"]
    assert ("summary", "Shytkov", 45) in named(training, "shtykov")
    assert ("sender", "Shtykov", 49) in named(seeds["1950-09-29-kim-pak-letter-via-shtykov"], "shtykov")


@pytest.mark.parametrize(("stem", "clerk", "role", "line"), [
    ("1950-09-29-kim-pak-letter-via-shtykov", "mikhaylenko", "deciphered", 31),
    ("1950-09-29-kim-pak-letter-via-shtykov", "shcherbakova", "typed", 57),
    ("1950-09-29-kim-pak-letter-cable-600308", "shcherbakova", "typed", 110),
    ("1950-09-30-shtykov-to-gromyko-600301", "vakushin", "deciphered", 36),
    ("1950-09-30-shtykov-to-gromyko-600301", "lobyseva", "typed", 102),
    ("1950-10-09-kim-to-stalin-training-600382", "morozov-clerk", "deciphered", 13),
    ("1950-10-09-kim-to-stalin-training-600382", "kravchuk", "typed", 43),
])
def test_every_clerk_has_an_entry_with_the_role_they_played(seeds: dict[str, Document], stem: str, clerk: str,
                                                          role: str, line: int) -> None:
    assert [(r, ln) for r, _, ln in named(seeds[stem], clerk)] == [(role, line)]


def test_the_seeds_leave_no_name_unresolved(seeds: dict[str, Document]) -> None:
    codes = {d.code for doc in seeds.values() for d in doc.diagnostics}
    assert not codes & {"unregistered-name", "ambiguous-name"}
    assert all(m.status is MentionStatus.RESOLVED for d in seeds.values() for m in d.mentions)


# --- the resolver ----------------------------------------------------------------------

def test_the_key_sets_aside_case_spacing_punctuation_and_honorifics() -> None:
    assert name_key("S H T Y K O V") == name_key("Shtykov") == name_key("Cde. SHTYKOV") == name_key("SHTYKOV'S")
    assert name_key("PAK HEONYEONG") == name_key("Pak Heon-yeong")
    assert name_key("Comrade") == "comrade"  # an honorific alone is kept, not emptied


@pytest.mark.parametrize(("form", "entry", "kind"), [
    ("Filippov", "stalin", "pseudonym"), ("FENG XI", "stalin", "pseudonym"), ("Fyn Si", "stalin", "pseudonym"),
    ("Mao Tse-tung", "mao-zedong", "romanization"), ("Chou En-lai", "zhou-enlai", "romanization"),
    ("Pak Hon Yong", "pak-heon-yeong", "romanization"), ("A.Ia. Vyshinsky", "vyshinsky", "initials"),
    ("A. Vasilevsky", "vasilevsky", None), ("I.V. Stalin", "stalin", None),
])
def test_forms_of_the_period_resolve(form: str, entry: str, kind: str | None) -> None:
    found = resolver_for(None).resolve(form, on=dt.date(1950, 10, 1))
    assert found.status is Status.RESOLVED and found.entry is not None and found.entry.id == entry
    if kind:
        assert found.form is not None and found.form.kind.value == kind


def test_initials_that_disagree_do_not_resolve() -> None:
    resolver = resolver_for(None)
    assert resolver.resolve("I.V. Kovalev").entry.id == "kovalev-ivan"  # type: ignore[union-attr]
    assert resolver.resolve("E.F. Kovalev").entry.id == "kovalev-evgenii"  # type: ignore[union-attr]
    assert resolver.resolve("X.Y. Kovalev").status is Status.UNKNOWN


def test_the_code_name_matveyev_is_zakharov_only_in_autumn_1950() -> None:
    resolver = resolver_for(None)
    assert resolver.resolve("MATVEYEV", on=dt.date(1950, 9, 30)).entry.id == "zakharov"  # type: ignore[union-attr]
    assert resolver.resolve("MATVEYEV", on=dt.date(1952, 3, 1)).status is Status.UNKNOWN


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


CABLE = """\
    CIPHERED TELEGRAM No. {number}

    From: PYONGYANG

    To Comrade {to}

    {date}. Comrade MATVEYEV reports that the situation is unchanged.

    {sender}

    {date}
    """


def cable(folder: Path, name: str, date: str, to: str = "GROMYKO", sender: str = "SHTYKOV", number: str = "1") -> Path:
    return write(folder / f"{name}.txt", CABLE.format(date=date, to=to, sender=sender, number=number))


def test_a_code_name_resolves_differently_in_two_periods(tmp_path: Path) -> None:
    write(tmp_path / "registers" / "persons.yml", """\
        - id: ivanov-test
          name: Ivanov, Test
          description: A person whose cover name in 1951 was Matveyev (a test entry).
          forms:
            - {form: Matveyev, kind: pseudonym, from: 1951-01-01, to: 1951-12-31}
        """)
    autumn = read_file(cable(tmp_path, "1950-10-15-cable", "15.10.50"), tmp_path)
    summer = read_file(cable(tmp_path, "1951-06-01-cable", "1.6.51"), tmp_path)
    assert autumn.date == dt.date(1950, 10, 15) and summer.date == dt.date(1951, 6, 1)
    assert [m.entry_id for m in autumn.mentions if m.form == "Comrade MATVEYEV"] == ["zakharov"]
    assert [m.entry_id for m in summer.mentions if m.form == "Comrade MATVEYEV"] == ["ivanov-test"]


def test_a_pseudonym_resolves_to_stalin_and_the_page_says_so(tmp_path: Path) -> None:
    from build_edition.writers.page import render_page

    path = write(tmp_path / "1951-06-24-filippov.txt", """\
        June 24, 1951

        Ciphered Telegram No. 3777, Filippov [Stalin] to Krasovsky, for Cde. Mao Zedong

        CIPHERED TELEGRAM No. 3777

        BEIJING - Comrade KRASOVSKY

        For Comrade MAO ZEDONG

        We received your telegram of June 21.

        FILIPPOV [Stalin]

        24 June 1951
        """)
    document = read_file(path, tmp_path)
    filippov = [m for m in document.mentions if m.form.casefold() == "filippov"]
    assert filippov and {m.entry_id for m in filippov} == {"stalin"} and {m.form_kind for m in filippov} == {"pseudonym"}
    assert "FILIPPOV, i.e. Stalin" in render_page(document) or "Filippov, i.e. Stalin" in render_page(document)
    assert {m.entry_id for m in document.mentions if m.role is MentionRole.IDENTIFIED} == {"stalin"}


def test_an_unregistered_sender_is_reported_at_its_line_with_an_entry_to_paste(tmp_path: Path) -> None:
    document = read_file(cable(tmp_path, "1950-10-20-cable", "20.10.50", sender="RAZUMOVSKII"), tmp_path)
    found = [d for d in document.diagnostics if d.code == "unregistered-name"]
    assert [(d.pos.line, "'razumovskii'" in d.message.casefold()) for d in found] == [(9, True)]
    from build_edition.writers.register_exports import paste_entry
    unresolved = next(m for m in document.mentions if m.status is MentionStatus.UNKNOWN)
    pasted = paste_entry(unresolved)
    write(tmp_path / "registers" / "persons.yml", pasted)
    again = read_file(cable(tmp_path, "1950-10-20-cable", "20.10.50", sender="RAZUMOVSKII"), tmp_path)
    again_named = {(m.role.value, m.entry_id) for m in again.mentions if m.form.casefold() == "razumovskii"}
    assert {("sender", "razumovskii"), ("signatory", "razumovskii")} <= again_named
    assert {entry for _, entry in again_named} == {"razumovskii"}
    assert not [d for d in again.diagnostics if d.code == "unregistered-name"]


def test_an_ambiguous_name_is_reported_left_unresolved_and_settled_by_the_corrections_file(tmp_path: Path) -> None:
    write(tmp_path / "registers" / "persons.yml", """\
        - id: kovalev-other
          name: Kovalev, Another
          forms: [Kovalev]
        """)
    path = cable(tmp_path, "1950-10-21-cable", "21.10.50", to="KOVALEV")
    document = read_file(path, tmp_path)
    [problem] = [d for d in document.diagnostics if d.code == "ambiguous-name"]
    assert problem.pos.line == 5 and "kovalev-ivan" in problem.message and "kovalev-other" in problem.message
    kovalev = [m for m in document.mentions if m.form.casefold().endswith("kovalev")]
    assert {m.role.value for m in kovalev} >= {"recipient", "addressee"}
    assert {(m.entry_id, m.status.value) for m in kovalev} == {(None, "ambiguous")}
    write(path.with_suffix(".yml"), """\
        mentions:
          - match: KOVALEV
            entry: kovalev-ivan
        """)
    settled = read_file(path, tmp_path)
    assert {(m.entry_id, m.by_editor) for m in settled.mentions if m.form.casefold().endswith("kovalev")} == {
        ("kovalev-ivan", True)}
    assert not [d for d in settled.diagnostics if d.code == "ambiguous-name"]


def test_a_mention_correction_that_matches_nothing_or_names_no_entry_is_reported(tmp_path: Path) -> None:
    path = cable(tmp_path, "1950-10-22-cable", "22.10.50")
    write(path.with_suffix(".yml"), """\
        mentions:
          - match: NOBODY
            entry: stalin
          - match: GROMYKO
            entry: no-such-entry
        """)
    codes = {(d.code, d.pos.line) for d in read_file(path, tmp_path).diagnostics}
    assert {("sidecar-stale", 2), ("mention-unknown-entry", 4)} <= codes


# --- the editor's register files -----------------------------------------------------------

def test_the_editors_register_adds_and_overrides_and_is_never_written(tmp_path: Path) -> None:
    from build_edition.pipeline import BuildConfig, build

    registers = write(tmp_path / "seeds" / "registers" / "persons.yml", """\
        - id: gromyko
          name: Gromyko, A. A.
          description: The editor's own description.
          forms: [Gromyko]
        - id: razumovskii
          name: Razumovskii
          forms: [RAZUMOVSKII]
        """)
    cable(tmp_path / "seeds", "1950-10-20-cable", "20.10.50", sender="RAZUMOVSKII")
    before = registers.read_bytes(), registers.stat().st_mtime_ns
    result = build(BuildConfig(seeds=tmp_path / "seeds", docs=tmp_path / "docs", shown_relative_to=tmp_path))
    assert (registers.read_bytes(), registers.stat().st_mtime_ns) == before
    override = [d for d in result.diagnostics if d.code == "register-override"]
    assert [(d.pos.path, d.pos.line) for d in override] == [("seeds/registers/persons.yml", 1)]
    page = (tmp_path / "docs" / "registers" / "persons" / "gromyko.md").read_text(encoding="utf-8")
    assert "The editor's own description." in page
    assert (tmp_path / "docs" / "registers" / "persons" / "razumovskii.md").is_file()


def test_bad_register_files_get_diagnostics_with_their_lines(tmp_path: Path) -> None:
    folder = tmp_path / "registers"
    write(folder / "persons.yml", """\
        - id: good-one
          name: Good One
        - id: Bad Id
          name: Bad
        - id: no-name
        - id: odd-kind
          name: Odd
          colour: blue
          forms:
            - {form: Oddy, kind: nickname}
            - {form: Oddo, kind: pseudonym, from: someday}
        - id: good-one
          name: Good Again
        """)
    write(folder / "places.yml", "- id: broken\n  name: [unclosed\n")
    write(folder / "people.yml", "[]\n")
    registers = load_registers(folder, tmp_path)
    found = sorted((d.pos.path.rsplit("/", 1)[-1], d.pos.line, d.code) for d in registers.diagnostics)
    assert found == [
        ("people.yml", 1, "register-unknown-file"),
        ("persons.yml", 3, "register-bad-entry"),
        ("persons.yml", 5, "register-bad-entry"),
        ("persons.yml", 6, "register-bad-entry"),
        ("persons.yml", 6, "register-bad-entry"),
        ("persons.yml", 6, "register-unknown-key"),
        ("persons.yml", 12, "register-duplicate-id"),
        ("places.yml", 3, "register-invalid"),
    ]
    assert registers.entries["good-one"].name == "Good One"
    assert [f.text for f in registers.entries["odd-kind"].forms] == []
    assert "moscow" in registers.entries  # the shipped register still loads


# --- machines --------------------------------------------------------------------------------

def test_inspect_lists_persons_organizations_and_places(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(seed("600301"))]) == 0
    [doc] = json.loads(capsys.readouterr().out)["documents"]
    instantsia = next(p for p in doc["persons"] if p["form"] == "Instantsia" and p["role"] == "recipient")
    assert {k: instantsia[k] for k in ("id", "name", "role", "form", "line")} == {
        "id": "stalin", "name": "Stalin, Iosif Vissarionovich", "role": "recipient", "form": "Instantsia", "line": 48}
    persons = {(p["id"], p["role"], p["form"], p["line"]) for p in doc["persons"]}
    assert ("stalin", "recipient", "Instantsia", 48) in persons
    assert ("vakushin", "deciphered", "Vakushin", 36) in persons
    assert ("zakharov", "mentioned", "MATVEYEV", 76) in persons
    organizations = {(o["id"], o["role"], o["form"]) for o in doc["organizations"]}
    assert ("eighth-directorate-general-staff", "transmission", "8D/GS") in organizations
    assert ("mfa-ussr", "copy", "MFA") in organizations
    places = {(p["id"], p["role"], p["form"], p["line"]) for p in doc["places"]}
    assert ("pyongyang", "origin", "Pyongyang", 28) in places
    assert all(set(p) >= {"id", "name", "role", "form", "line"} for p in doc["persons"] + doc["places"])
    assert doc["unresolved_names"] == []


def test_a_changed_register_file_changes_what_the_edition_depends_on(tmp_path: Path) -> None:
    from build_edition.pipeline import BuildConfig, build

    seeds = tmp_path / "seeds"
    cable(seeds, "1950-10-20-cable", "20.10.50")
    config = BuildConfig(seeds=seeds, docs=tmp_path / "docs", shown_relative_to=tmp_path)
    assert build(config).read == 1
    assert build(config).reused
    write(seeds / "registers" / "persons.yml", "- id: someone\n  name: Someone\n")
    again = build(config)
    assert not again.reused and again.read == 1  # every document is read again with the new registers


def test_an_unregistered_body_whose_name_holds_and_stays_one_name() -> None:
    # FRUS 1951 vol. VII part 2, document 300: "The Secretary of State to Certain Diplomatic and Consular Offices".
    resolver = resolver_for(None)
    assert resolver.resolve_all("Diplomatic and Consular Offices") == [
        ("Diplomatic and Consular Offices", resolver.resolve("Diplomatic and Consular Offices"))]
    # Names that resolve are still taken one by one, and so are unregistered names that are no body's.
    assert [form for form, _ in resolver.resolve_all("Kim and Pak")] == ["Kim", "Pak"]
    assert [form for form, _ in resolver.resolve_all("Smithson and Jonesworth")] == ["Smithson", "Jonesworth"]


def test_the_unregistered_offices_of_a_frus_circular_go_to_the_organizations_register() -> None:
    corpus = ROOT.parent / "shared" / "corpus" / "frus-tei" / "frus1951v07p2_d300.xml"
    document = read_file(corpus, ROOT)
    unregistered = [d.message for d in document.diagnostics if d.code == "unregistered-name" and "recipient" in d.message]
    assert len(unregistered) == 1
    assert "'Diplomatic and Consular Offices'" in unregistered[0] and "organizations register" in unregistered[0]


def test_the_secretary_of_state_is_whoever_held_the_office_on_the_day() -> None:
    # Acheson held the office from 21 January 1949 to 20 January 1953, Dulles from 21 January 1953.
    resolver = resolver_for(None)
    assert resolver.resolve("Secretary of State", on=dt.date(1951, 3, 23)).entry.id == "acheson"  # type: ignore[union-attr]
    assert resolver.resolve("the Secretary of State", on=dt.date(1953, 3, 1)).entry.id == "dulles"  # type: ignore[union-attr]
    assert resolver.resolve("Secretary of State", on=dt.date(1948, 6, 1)).status is Status.UNKNOWN
    # FRUS 1951 vol. VII part 2, document 271 (23 March 1951): Austin "to the Secretary of State".
    document = read_file(ROOT.parent / "shared" / "corpus" / "frus-tei" / "frus1951v07p2_d271.xml", ROOT)
    assert ("recipient", "acheson") in {(m.role.value, m.entry_id) for m in document.mentions}


def test_a_paragraph_s_roman_numeral_is_no_initial_of_the_name_after_it() -> None:
    # roshchin-zhou-1949-11-10.txt, line 19: "I. Mao Zedong has long cherished the hope of visiting the Soviet Union."
    resolver = resolver_for(None)
    found = [(hit.text, hit.resolution.entry.id) for hit in resolver.find_names(  # type: ignore[union-attr]
        "I. Mao Zedong has long cherished the hope of visiting the Soviet Union.", dt.date(1949, 11, 10))]
    assert found[0] == ("Mao Zedong", "mao-zedong")
    # Initials elsewhere are still a name's: they tell the two Kovalevs apart.
    assert [hit.resolution.entry.id for hit in resolver.find_names(  # type: ignore[union-attr]
        "Then I.V. Kovalev came.", dt.date(1950, 1, 1))] == ["kovalev-ivan"]
