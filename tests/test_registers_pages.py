"""Register pages of the seed edition, their pictures, and their bounds at 10,000 documents."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from build_edition.model import Mention, MentionRole, SectionKind, SourcePos
from build_edition.pipeline import BuildConfig, build
from build_edition.registers import load_registers
from build_edition.registers.uses import names_of
from build_edition.writers.registers import DocumentMentions, register_pages
from helpers import SEEDS

LIMIT = 300_000


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("edition") / "docs"
    build(BuildConfig(seeds=SEEDS, docs=out, shown_relative_to=SEEDS.parent))
    return out


def read(docs: Path, path: str) -> str:
    return (docs / path).read_text(encoding="utf-8")


def test_stalins_page_lists_all_five_documents_with_his_forms_and_roles(docs: Path) -> None:
    page = read(docs, "registers/persons/stalin.md")
    linked = set(re.findall(r"\(\.\./\.\./documents/([^)]+)\.md\)", page.split("## Documents\n", 1)[1]))
    assert linked == {p.stem for p in SEEDS.glob("*.txt")}
    for form in ("| Stalin |", "| Stalin I.V. |", "| Iosif Vissarionovich STALIN |", "| Comrade STALIN |",
                 "| Instantsia, i.e. Stalin |"):
        assert form in page
    assert "| copy received | 5 |" in page and "| recipient | 2 |" in page
    assert "Wikidata" in page and "Q855" in page
    assert '<svg class="edition-svg"' in page


def test_the_overviews_list_every_entry_a_to_z_with_counts(docs: Path) -> None:
    persons = read(docs, "registers/persons/index.md")
    assert "[Stalin, Iosif Vissarionovich](../../registers/persons/stalin.md) (5)" in persons
    assert "[Kim Il Sung](../../registers/persons/kim-il-sung.md) (5)" in persons
    letters = re.findall(r"^## (\w+)$", persons, re.M)
    assert letters == sorted(letters) and "S" in letters
    organizations = read(docs, "registers/organizations/index.md")
    assert "(../../registers/organizations/eighth-directorate-general-staff.md) (5)" in organizations
    assert "(../../registers/organizations/mfa-ussr.md) (3)" in organizations  # the seeds 600308, via-shtykov, 600301 name the ministry
    assert "Kim and Pak" not in persons


def test_the_correspondence_shows_who_wrote_to_whom(docs: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(read(docs, "data/correspondence.csv"))))
    pairs = {(r["from_id"], r["to_id"]): int(r["documents"]) for r in rows}
    # The letters of Kim Il Sung (with Pak Heon-yeong in two translations of one letter) to Stalin,
    # and Shtykov's covering cables to Gromyko, read from the seeds.
    assert pairs[("kim-il-sung", "stalin")] == 4
    assert pairs[("pak-heon-yeong", "stalin")] == 2
    assert pairs[("shtykov", "gromyko")] == 3
    assert pairs[("razuvaev", "vyshinsky")] == 1
    assert ("shtykov", "stalin") in pairs  # 600301 to Instantsia, 600382 to Stalin I.V.
    assert json.loads(read(docs, "data/correspondence.json"))[0]["documents"] == max(pairs.values())
    page = read(docs, "registers/correspondence.md")
    assert ("| [Kim Il Sung](../registers/persons/kim-il-sung.md) | [Stalin, Iosif Vissarionovich]"
            "(../registers/persons/stalin.md) | 4 |") in page


def test_who_saw_what_counts_the_copies_of_the_distribution_lists(docs: Path) -> None:
    page = read(docs, "registers/who-saw-what.md")
    # Stalin has two copies in every list (Copy Nº 1 and 2; "Stalin - 2"; "Stalin (2)").
    assert "| [Stalin, Iosif Vissarionovich](../registers/persons/stalin.md) | [5](../registers/copies/stalin.md) | 10 |" in page
    assert "(../registers/persons/sokolovsky.md) | [1](../registers/copies/sokolovsky.md) | 1 |" in page
    copies = read(docs, "registers/copies/gromyko.md")
    assert copies.count("](../../documents/") == 3  # the three distribution lists that name Gromyko


def test_each_distribution_entry_links_to_its_person(docs: Path) -> None:
    page = read(docs, "documents/1952-07-16-kim-to-stalin-armistice-502597.md")
    assert "| [Sokolovsky](../registers/persons/sokolovsky.md) | 1 |" in page
    assert "| [Khrushchev](../registers/persons/khrushchev.md) | 1 |" in page


def test_names_in_the_text_link_to_their_entry_with_its_description(docs: Path) -> None:
    page = read(docs, "documents/1950-09-30-shtykov-to-gromyko-600301.md")
    assert "I met [KIM IL SUNG][] upon his request." in page
    assert re.search(r'^\[kim il sung\]: \.\./registers/persons/kim-il-sung\.md "Kim Il Sung: Chairman', page, re.M)
    assert re.search(r'^\[matveyev\]: \.\./registers/persons/zakharov\.md "MATVEYEV, i\.e\. Zakharov: ', page, re.M)


def test_the_map_draws_each_place_from_its_coordinates_and_links_it(docs: Path) -> None:
    page = read(docs, "registers/map.md")
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 2
    world = ET.fromstring(svgs[0])
    ns = {"s": "http://www.w3.org/2000/svg"}
    links = {a.get("{http://www.w3.org/1999/xlink}href") for a in world.iterfind(".//s:a", ns)}
    assert {"../places/pyongyang/", "../places/moscow/", "../places/seoul/"} <= links
    assert "| [Pyongyang](../registers/places/pyongyang.md) | 39.02 | 125.75 |" in page


def test_every_picture_is_well_formed_svg_with_a_title(docs: Path) -> None:
    count = 0
    for path in (docs / "registers").rglob("*.md"):
        for picture in re.findall(r"<svg.*?</svg>", path.read_text(encoding="utf-8"), re.S):
            root = ET.fromstring(picture)
            linked = root.find(".//{http://www.w3.org/2000/svg}a") is not None
            assert root.get("role") == ("group" if linked else "img")
            assert root.find("{http://www.w3.org/2000/svg}title") is not None
            count += 1
    assert count > 10


def test_an_unregistered_name_gets_an_entry_to_paste_on_the_report_page(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "1950-10-20-cable.txt").write_text(
        "CIPHERED TELEGRAM No. 1\n\nFrom: PYONGYANG\n\nTo Comrade GROMYKO\n\n20.10.50. Comrade MATVEYEV reports that the situation is unchanged.\n\n"
        "RAZUMOVSKII\n\n20.10.50\n", encoding="utf-8")
    build(BuildConfig(seeds=seeds, docs=tmp_path / "docs", shown_relative_to=tmp_path))
    page = (tmp_path / "docs" / "reports" / "unregistered-names.md").read_text(encoding="utf-8")
    assert "### Razumovskii\n\n<code>seeds/1950-10-20-cable.txt:9</code> (sender)" in page
    pasted = re.search(r"Entry to paste: <code>(.*?)</code>", page)
    assert pasted is not None
    entry = yaml.safe_load(html.unescape(pasted.group(1).replace("\\", "")))
    assert entry == [{"id": "razumovskii", "name": "Razumovskii", "description": "", "forms": []}]


def records(n: int) -> list[DocumentMentions]:
    """``n`` documents as the per-document stage would summarize them."""
    out = []
    for i in range(n):
        date = dt.date(1949, 1, 1) + dt.timedelta(days=i % 1800)
        pos = SourcePos(path=f"seeds/doc-{i}.txt", line=3)

        def m(entry: str, register: str, role: MentionRole, section: SectionKind = SectionKind.COVERING,
              pos: SourcePos = pos) -> Mention:
            return Mention(register=register, role=role, form=entry.upper(), pos=pos, entry_id=entry, name=entry,
                           short=entry, description="d", section=section, copies=2)

        out.append(DocumentMentions(id=f"doc-{i:05d}", title=f"Ciphered telegram No. {i} " + "x" * 60, date=date,
                                    source=pos.path, names=names_of((
            m("shtykov", "persons", MentionRole.SENDER), m("gromyko", "persons", MentionRole.RECIPIENT),
            m("stalin", "persons", MentionRole.COPY), m("molotov", "persons", MentionRole.COPY),
            m(f"kim-il-sung" if i % 2 else "mao-zedong", "persons", MentionRole.SIGNATORY, SectionKind.ENCLOSURE),
            m("stalin", "persons", MentionRole.ADDRESSEE, SectionKind.ENCLOSURE),
            m("pyongyang", "places", MentionRole.ORIGIN), m("mfa-ussr", "organizations", MentionRole.DESTINATION)))))
    return out


@pytest.mark.slow
def test_register_pages_stay_bounded_at_ten_thousand_documents() -> None:
    pages = register_pages(records(10_000), load_registers())
    sizes = {p.path: len(p.content.encode()) for p in pages}
    assert max(sizes.values()) < LIMIT, max(sizes.items(), key=lambda kv: kv[1])
    stalin = [p for p in sizes if p.startswith("registers/persons/stalin")]
    assert len(stalin) == 50  # 10,000 documents, 200 a page
    assert len([p for p in sizes if p.startswith("registers/copies/stalin")]) == 50
    correspondence = next(p.content for p in pages if p.path == "registers/correspondence.md")
    assert correspondence.count("\n| [") <= 100
    assert "20000" not in correspondence and "| 10000 |" in correspondence  # shtykov to gromyko: every document


def test_a_large_register_is_split_by_letter() -> None:
    from build_edition.model import SourcePos as Pos
    from build_edition.registers.entries import Entry, RegisterKind, Registers

    entries = {f"p-{n}": Entry(id=f"p-{n}", register=RegisterKind.PERSON, name=f"{chr(65 + n % 26)}name {n}",
                               short=f"N{n}", pos=Pos(path="x.yml", line=n + 1)) for n in range(520)}
    pages = {p.path: p.content for p in register_pages([], Registers(entries=entries))}
    index = pages["registers/persons/index.md"]
    assert "[A](../../registers/persons/letter-a.md) (20)" in index
    letter = pages["registers/persons/letter-a.md"]
    assert letter.count("\n- ") == 20 and "Aname 0 (0)" in letter
    assert max(len(c.encode()) for c in pages.values()) < LIMIT
