"""Field parsers on every transmission, distribution, number and reference variant of the seeds."""

from __future__ import annotations

import pytest

from build_edition.model import EventKind
from build_edition.readers import fields


@pytest.mark.parametrize(
    ("line", "kind", "by", "place", "means"),
    [
        ("Sent from Pyongyang by wire on 09/30/50 at 20:35 p.m.", EventKind.SENT, None, "Pyongyang", "wire"),
        ("Received in Moscow on 09/30/50 at 23:32 p.m.", EventKind.RECEIVED, None, "Moscow", None),
        ("Arrived in the 8 MDGS on 09/30/50 at 23:30 p.m.", EventKind.ARRIVED, None, "8 MDGS", None),
        ("Deciphered by Mikhaylenko on 10/01/50 at 0:35 a.m.", EventKind.DECIPHERED, "Mikhaylenko", None, None),
        ("This letter was cabled to Comrade Stalin on 10.01.50 at 12:50 p.m.", EventKind.CABLED, None, None, None),
        ("Typed by Shcherbakova on 10/01/50 at 1:45 a.m.", EventKind.TYPED, "Shcherbakova", None, None),
        ("from PYONGYANG sent at 2035 30 September 1950", EventKind.SENT, None, "Pyongyang", None),
        ("received at 2332 30 September", EventKind.RECEIVED, None, None, None),
        ("arrived in the 8th Directorate of the Armed Forces General Staff at 2330 30 September 1950",
         EventKind.ARRIVED, None, "8th Directorate of the Armed Forces General Staff", None),
        ("Sent by Shcherbakova at 0145 1 October 1940 (26)", EventKind.SENT, "Shcherbakova", None, None),
        ("Received at the 8D/GS on 09/30/50 at 14:50 p.m.", EventKind.RECEIVED, None, "8D/GS", None),
        ("Sent by wire on 10/09/50 at 7:05 a.m.", EventKind.SENT, None, None, "wire"),
        ("From Correspondent 20 Sent 17.7.52", EventKind.SENT, None, "Correspondent 20", None),
        ("Sent to 8th Administration of the General Staff of the Soviet Army 17.7 21:10", EventKind.ARRIVED, None,
         "8th Administration of the General Staff of the Soviet Army", None),
    ],
)
def test_transmission_line(line: str, kind: EventKind, by: str | None, place: str | None, means: str | None) -> None:
    event = fields.event(line)
    assert event is not None
    assert (event.kind, event.by, event.place, event.means) == (kind, by, place, means)


def test_time_before_the_verb_belongs_to_the_previous_line() -> None:
    event = fields.event("18:45 Received 17.7 20:50")
    assert event.leading_time is not None and (event.leading_time.hour, event.leading_time.minute) == (18, 45)
    assert (event.time.hour, event.time.minute) == (20, 50)


def test_a_sentence_is_not_a_transmission_line() -> None:
    assert fields.event("I replied that I did not know the latest one.") is None


@pytest.mark.parametrize(
    ("line", "stated", "entries", "continues"),
    [
        ("Distribution list - 12 copies:", 12, (), True),
        ("Distribution list - 11 copies: Stalin - 2,", 11, (("Stalin", 2, None),), True),
        ("12 copies printed", 12, (), False),
        ("Copy Nº 1 to Cde. Stalin", None, (("Stalin", 1, 1),), False),
        ("Copy No 6 to Cde. Mikoyan", None, (("Mikoyan", 1, 6),), False),
        ("Copy № 9 to Cde. Gromyko", None, (("Gromyko", 1, 9),), False),
        ("Copies: Stalin (2), Molotov, Sokolovsky.", None, (("Stalin", 2, None), ("Molotov", 1, None), ("Sokolovsky", 1, None)), False),
    ],
)
def test_distribution_line(line: str, stated: int | None, entries: tuple, continues: bool) -> None:
    copy = fields.copy_line(line)
    assert copy is not None
    assert (copy.stated, copy.entries, copy.continues) == (stated, entries, continues)


def test_distribution_continuation_lines() -> None:
    copy = fields.copy_line("Molotov - 1, Beria -1, 8 MDGS - 1, MFA - 1, on file - 1.", continuing=True)
    assert copy.entries == (("Molotov", 1, None), ("Beria", 1, None), ("8 MDGS", 1, None), ("MFA", 1, None), ("on file", 1, None))
    assert fields.copy_line("Molotov - 1, Beria - 1.") is None  # only after a list head


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("CIPHERED TELEGRAM # 600301/sh", ("Ciphered telegram", "600301/sh")),
        ("CABLE Nº 600308/sh", ("Cable", "600308/sh")),
        ("Ciphered Telegram # 600382/sh", ("Ciphered telegram", "600382/sh")),
        ("CIPHERED TELEGRAM No. 502597/sh", ("Ciphered telegram", "502597/sh")),
    ],
)
def test_telegram_number(line: str, expected: tuple[str, str]) -> None:
    assert fields.telegram_number(line) == expected


@pytest.mark.parametrize(("line", "number"), [("No. 1351", "1351"), ("Nº 1351", "1351"), ("No. 1447/sh", "1447/sh"), ("No. 2250", "2250")])
def test_outgoing_number(line: str, number: str) -> None:
    assert fields.outgoing_number(line) == number


def test_archival_references_of_every_seed_form() -> None:
    refs = fields.archival_refs(
        "APRF, Fond 45, Opis 1, Delo 348, Listy 65-68; AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 40-43; "
        "and RGASPI, f. 558, op. 11, d. 348, ll. 0065-0068."
    )
    assert [(r.repository, r.fond, r.opis, r.delo, r.papka, r.folios) for r in refs] == [
        ("APRF", "45", "1", "348", None, "65-68"),
        ("AVPRF", "059a", "5a", "4", "11", "40-43"),
        ("RGASPI", "558", "11", "348", None, "0065-0068"),
    ]
    two = fields.archival_refs("APRF, fond 45, opis 1, delo 347, listy 41-45 and APRF, fond 3, opis 65, delo 828, listy 5-8.")
    assert [(r.fond, r.delo, r.folios) for r in two] == [("45", "347", "41-45"), ("3", "828", "5-8")]


def test_capitals_are_tidied_but_acronyms_kept() -> None:
    assert fields.capitalize_caps("MINISTRY OF FOREIGN AFFAIRS") == "Ministry of Foreign Affairs"
    assert fields.capitalize_caps("8 MDGS") == "8 MDGS"
    assert fields.capitalize_caps("Ministry of Foreign Affairs of the USSR") == "Ministry of Foreign Affairs of the USSR"


@pytest.mark.parametrize(("line", "told"), [
    ("I received your telegram of 13 June.", True),  # Mao's letter, wilson-page 1951-06-13 no. 20772, line 13
    ("Today I received a telegram from Comrades GAO GANG and KIM IL SUNG.", True),
    ("We sent the draft on 5 May.", True),
    ("Received 19:55 13.June.1951", False),  # the same telegram's record, line 7
    ("From Correspondent 20 Sent 17.7.52", False),
    ("This letter was cabled to Comrade Stalin on 10.01.50 at 12:50 p.m.", False),
])
def test_a_person_telling_of_a_telegram_is_narration(line: str, told: bool) -> None:
    assert fields.narrated(line) is told


def test_a_sentence_of_the_letter_stays_in_the_text_not_in_the_record() -> None:
    from build_edition.pipeline import read_file
    from helpers import ROOT

    path = ROOT.parent / "shared" / "corpus" / "wilson-page" / "1951-06-13_roshchin-to-filippov_no-20772.txt"
    document = read_file(path, ROOT)
    assert [(e.kind, e.original) for e in document.transmission] == [(EventKind.RECEIVED, "Received 19:55 13.June.1951")]
    assert any(b.plain == "I received your telegram of 13 June." for b in document.blocks)
