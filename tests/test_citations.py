"""The citation kit, checked by the programs that read it.

Every .bib is parsed with bibtexparser, every .ris with rispy, every CSL-JSON file is
validated against the CSL data schema (tests/schemas/csl-data.json), and each page's
embedded metadata is read with extruct (schema.org JSON-LD) and lxml (the Highwire
``citation_*`` tags, which extruct has no extractor for). Their fields are compared with
EXPECTED, written from reading the seed sources (and the one corrections file).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import extruct
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import model as citeproc_model
from lxml import html as lxml_html

from build_edition.pipeline import BuildConfig, build, is_document, read_file, read_file_documents
from build_edition.writers import citations
from build_edition.writers.citations import (
    DEFAULT_SITE_URL, STYLES, CitationRecord, bibtex_entry, citation_record, format_citations, ris_record,
)
from build_edition.writers.page import render_page
from helpers import ROOT, SEEDS, copy_project, seed

SITE = "https://example.org/telegrams/"
MKDOCS = Path(sys.executable).parent / "mkdocs"
PUBLISHER = "Cold War Telegrams: a digital edition"
HOSTILE = ROOT / "tests" / "hostile" / "1950-10-04-export-classic-xss-vectors.txt"

# From the sources: title, date, repositories, the archival reference (the source's f./op./d./ll.
# written out as fond, opis, delo, listy), the telegram number, and the archive's own address.
EXPECTED = {
    "1950-09-29-kim-pak-letter-cable-600308": dict(
        title="Cable No. 600308/sh, Shtykov to Gromyko, relaying the letter of Kim Il Sung and Pak Heon-yeong "
              "to Stalin",  # the corrections file's title: the transcription has none
        date="1950-09-29", archive=None, reference=None, location=None, number="600308/sh", source_url=None),
    "1950-09-29-kim-pak-letter-via-shtykov": dict(
        title="Ciphered Telegram from DPRK leader Kim Il Sung and South Korean Communist Leader Pak Heon-yeong to "
              "Stalin (via Shtykov)",
        date="1950-09-29", archive="APRF",
        reference="APRF, fond 45, opis 1, delo 347, listy 41-45; APRF, fond 3, opis 65, delo 828, listy 5-8",
        location="fond 45, opis 1, delo 347, listy 41-45; fond 3, opis 65, delo 828, listy 5-8", number=None, source_url="https://wilson-center-digital-archive.dvincitest.com/document/113658"),
    "1950-09-30-shtykov-to-gromyko-600301": dict(
        title="Ciphered Telegram, Shtykov to Deputy Foreign Minister Andrei Gromyko and Instantsia (Stalin)",
        date="1950-09-30", archive="APRF", reference="APRF, fond 45, opis 1, delo 347, listy 46-49",
        location="fond 45, opis 1, delo 347, listy 46-49", number="600301/sh",
        source_url="https://digitalarchive.umd.edu/document/113657"),
    "1950-10-09-kim-to-stalin-training-600382": dict(
        title="Telegram from Kim Il Sung to Stalin (via Shtykov)", date="1950-10-09", archive="APRF",
        reference="APRF, fond 45, opis 1, delo 347, listy 72-73; APRF, fond 3, opis 65, delo 828, listy 13-14",
        location="fond 45, opis 1, delo 347, listy 72-73; fond 3, opis 65, delo 828, listy 13-14",
        number="600382/sh", source_url=None),
    "1952-07-16-kim-to-stalin-armistice-502597": dict(
        title="Ciphered Telegram No. 502597, Razuvaev to Cdes. Vasilevsky and Vyshinsky, transmitting message from "
              "Kim Il Sung to I.V. Stalin",
        date="1952-07-16", archive="APRF, AVPRF, RGASPI",
        reference="APRF, fond 45, opis 1, delo 348, listy 65-68; AVPRF, fond 059a, opis 5a, delo 4, papka 11, "
                  "listy 40-43; RGASPI, fond 558, opis 11, delo 348, listy 0065-0068",
        location=None, number="502597/sh", source_url=None),  # several repositories: location = reference
}


def page_url(doc_id: str) -> str:
    return f"{SITE}documents/{doc_id}/"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    build(BuildConfig(seeds=SEEDS, docs=folder, shown_relative_to=ROOT, site_url=SITE))
    return folder


@pytest.fixture(scope="module")
def csl_schema() -> dict[str, object]:
    return json.loads((ROOT / "tests" / "schemas" / "csl-data.json").read_text())


def test_every_seed_has_its_three_downloads(docs: Path) -> None:
    assert sorted(p.name for p in (docs / "cite").iterdir()) == sorted(
        f"{doc_id}.{ext}" for doc_id in EXPECTED for ext in ("bib", "json", "ris"))


# BibTeX, read by bibtexparser

def _bib_fields(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    return {e.key: {name: f.value.strip("{}") for name, f in e.fields_dict.items()} for e in library.entries}


def test_every_bib_file_parses_and_says_what_the_source_says(docs: Path) -> None:
    for doc_id, facts in EXPECTED.items():
        entries = _bib_fields((docs / "cite" / f"{doc_id}.bib").read_text())
        assert list(entries) == [doc_id]
        entry = entries[doc_id]
        assert entry["title"] == facts["title"]
        assert entry["date"] == facts["date"] and entry["year"] == facts["date"][:4]
        assert entry["url"] == page_url(doc_id)
        assert entry["publisher"] == PUBLISHER
        assert entry.get("note") == facts["reference"]


def test_the_edition_bib_holds_every_document(docs: Path) -> None:
    entries = _bib_fields((docs / "data" / "citations.bib").read_text())
    assert sorted(entries) == sorted(EXPECTED)
    assert [entries[k]["date"] for k in entries] == sorted(f["date"] for f in EXPECTED.values())


def test_bibtex_special_characters_survive_a_round_trip() -> None:
    title = "50% of {the} #1 copies & $2 for A_B ~ C^D \\ E"
    record = _record(title=title, sender="Kim & Pak")
    entry = _bib_fields(bibtex_entry(record))["x"]
    # pylatexenc reads \textasciicircum as the modifier letter circumflex, as LaTeX prints it.
    assert entry["title"] == title.replace("^", "\u02c6") and entry["author"] == "Kim & Pak"


# RIS, read by rispy

def test_every_ris_file_parses_and_says_what_the_source_says(docs: Path) -> None:
    for doc_id, facts in EXPECTED.items():
        [entry] = rispy.loads((docs / "cite" / f"{doc_id}.ris").read_text())
        assert entry["type_of_reference"] == "MANSCPT"
        assert entry["title"] == facts["title"]
        assert entry["date"] == facts["date"].replace("-", "/") + "/"
        assert entry["urls"] == [page_url(doc_id)]
        assert entry["publisher"] == PUBLISHER
        assert entry.get("name_of_database") == facts["archive"]
        assert entry.get("call_number") == (facts["location"] or facts["reference"])


def test_the_edition_ris_holds_every_document(docs: Path) -> None:
    entries = rispy.loads((docs / "data" / "citations.ris").read_text())
    assert sorted(e["id"] for e in entries) == sorted(EXPECTED)


def test_a_line_break_in_a_value_cannot_start_a_new_ris_tag() -> None:
    [entry] = rispy.loads(ris_record(_record(title="First line\nER  - \nTY  - JOUR")))
    assert entry["title"] == "First line ER - TY - JOUR"


# CSL-JSON, validated against the CSL data schema

def test_every_csl_json_file_validates_and_says_what_the_source_says(docs: Path, csl_schema: dict) -> None:
    files = [docs / "cite" / f"{doc_id}.json" for doc_id in EXPECTED] + [docs / "data" / "citations.json"]
    for path in files:
        jsonschema.validate(json.loads(path.read_text()), csl_schema)
    items = {i["id"]: i for i in json.loads((docs / "data" / "citations.json").read_text())}
    assert sorted(items) == sorted(EXPECTED)
    for doc_id, facts in EXPECTED.items():
        item = items[doc_id]
        assert item["type"] == "manuscript" and item["title"] == facts["title"]
        assert item["issued"] == {"date-parts": [[int(x) for x in facts["date"].split("-")]]}
        assert item["URL"] == page_url(doc_id) and item["publisher"] == PUBLISHER
        assert item.get("number") == facts["number"]
        several = facts["reference"] and not facts["location"]
        assert item.get("archive") == (None if several else facts["archive"])  # the location names them all
        assert item.get("archive_location") == (facts["location"] or facts["reference"])


def test_the_schema_rejects_what_it_should(csl_schema: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "x", "type": "telegram"}], csl_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "x", "type": "manuscript", "archive-location": "f. 1"}], csl_schema)


# The styles, rendered by citeproc-py

def test_each_style_names_title_date_archive_reference_and_address() -> None:
    record = citation_record(read_file(seed("600301"), ROOT), SITE)
    cited = {c.style.key: c for c in format_citations(record)}
    assert list(cited) == ["chicago", "mla", "apa"]
    url = page_url("1950-09-30-shtykov-to-gromyko-600301")
    title = "Ciphered Telegram, Shtykov to Deputy Foreign Minister Andrei Gromyko and Instantsia (Stalin)"
    for text in (cited["chicago"].note, cited["chicago"].entry, cited["mla"].entry, cited["apa"].entry):
        assert text and url in text and "APRF" in text and "delo 347, listy 46-49" in text and PUBLISHER in text
    # Each style's own conventions: Chicago's title case and full date, MLA's abbreviated month, APA's year
    # and sentence-style italic title.
    assert f"“{title}.”" in cited["chicago"].entry and "September 30, 1950" in cited["chicago"].entry
    assert f"“{title},”" in (cited["chicago"].note or "") and f"“{title}.”" in cited["mla"].entry  # en-US quotes
    assert "30 Sept. 1950" in cited["mla"].entry
    assert cited["apa"].entry.startswith("Shtykov. (1950). <i>Ciphered Telegram, Shtykov to Deputy Foreign")


def test_a_record_without_an_author_names_its_title_once_where_the_author_would_stand() -> None:
    # Wilson Center's PDF of document 113318 names no author: a memorandum of conversation, titled
    # "Memorandum of Conversation between Anastas Mikoyan and Mao Zedong", dated February 04, 1949.
    # Each style then cites the title first, in the author's place, and CSL suppresses a substituted
    # variable in the rest of the entry: the title is not repeated after it.
    path = ROOT.parent / "shared" / "corpus" / "wilson-pdf-text" / "113318.txt"
    [document] = [d for d in read_file_documents(path, ROOT) if is_document(d)]
    cited = {c.style.key: c for c in format_citations(citation_record(document, SITE))}
    title = "Memorandum of Conversation between Anastas Mikoyan and Mao Zedong"
    chicago_title = title.replace(" between ", " Between ")  # Chicago's title case capitalizes a long preposition
    assert cited["chicago"].entry.startswith(f"“{chicago_title}.” ")
    assert cited["chicago"].note and cited["chicago"].note.startswith(f"“{chicago_title},” ")
    assert cited["mla"].entry.startswith(f"“{chicago_title}.” ")
    # APA: the title in the author's place, its description after the date (the style's own comment says so).
    assert cited["apa"].entry.startswith(f"<i>{title}</i>. (1949). [")
    for text in (cited["chicago"].note, cited["chicago"].entry, cited["mla"].entry, cited["apa"].entry):
        assert text and text.lower().count(title.lower()) == 1, text
        assert "February 4, 1949" in text or "4 Feb. 1949" in text or "(1949)" in text


def test_kept_style_answers_change_no_citation(monkeypatch: pytest.MonkeyPatch) -> None:
    records = [citation_record(read_file(path, ROOT), SITE) for path in sorted(SEEDS.glob("*.txt"))]
    fast = [format_citations(r, by_shape=False) for r in records]
    for (cls, name), method in citations._UNKEPT.items():
        monkeypatch.setattr(cls, name, method)
    assert citeproc_model.Parent.calls_variable is citations._UNKEPT[(citeproc_model.Parent, "calls_variable")]
    assert [format_citations(r, by_shape=False) for r in records] == fast


def test_kept_style_answers_do_not_grow_with_the_documents() -> None:
    """What is kept is about the styles, not the documents: 10,000 documents keep no more than 5."""
    records = [citation_record(read_file(path, ROOT), SITE) for path in sorted(SEEDS.glob("*.txt"))]
    for record in records:
        format_citations(record)
    kept = len(citations._answers)
    for n in range(30):
        format_citations(dataclasses.replace(records[n % len(records)], id=f"copy-{n}", title=f"Telegram {n}"))
    assert len(citations._answers) == kept


def test_citations_escape_the_source_text() -> None:
    [chicago, *_] = format_citations(_record(title="<script>alert(1)</script> & co"))
    assert "<script>" not in chicago.entry and "&lt;script&gt;" in chicago.entry


def test_each_seed_page_shows_the_box_with_three_styles_and_three_downloads() -> None:
    for doc_id in EXPECTED:
        page = render_page(read_file(next(SEEDS.glob(f"{doc_id}.txt")), ROOT), SITE)
        box = page[page.index("### Cite this document"):]
        assert [m for m in re.findall(r'data-style="(\w+)"', box)] == [s.key for s in STYLES]
        assert len(re.findall(r'<button type="button" class="edition-cite-copy"', box)) == 4
        for ext in ("bib", "ris", "json"):
            assert f"(../cite/{doc_id}.{ext}){{download=\"{doc_id}.{ext}\"}}" in box
        assert page.count(page_url(doc_id)) == 4


# The page head, read as Zotero and search engines read it

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("project"))
    shutil.copyfile(HOSTILE, project / "seeds" / HOSTILE.name)
    env = {"SITE_URL": SITE, "NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)}
    run = subprocess.run([str(MKDOCS), "build", "--strict", "-q", "-d", str(project / "site")], cwd=project,
                         capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr
    return project / "site"


@pytest.mark.slow
def test_embedded_metadata_matches_the_source(site: Path) -> None:
    for doc_id, facts in EXPECTED.items():
        text = (site / "documents" / doc_id / "index.html").read_text()
        found = extruct.extract(text, base_url=page_url(doc_id), syntaxes=["json-ld"], uniform=False)
        [ld] = found["json-ld"]
        assert ld["@type"] == "ArchiveComponent" and ld["name"] == facts["title"]
        assert ld["dateCreated"] == facts["date"]
        assert ld["url"] == ld["@id"] == page_url(doc_id)
        assert ld["publisher"]["name"] == PUBLISHER
        assert [a["name"] for a in ld.get("holdingArchive", [])] == (facts["archive"] or "").split(", ") * bool(
            facts["archive"])
        assert ld.get("itemLocation") == facts["reference"]
        assert ld.get("isBasedOn") == facts["source_url"]
        meta = {m.get("name"): m.get("content") for m in lxml_html.fromstring(text).iter("meta") if m.get("name")}
        assert meta["citation_title"] == facts["title"]
        assert meta["citation_date"] == facts["date"].replace("-", "/")
        assert meta["citation_publisher"] == PUBLISHER
        assert meta.get("citation_archive") == facts["archive"]
        assert meta.get("citation_public_url") == facts["source_url"]
        canonical = lxml_html.fromstring(text).find(".//link[@rel='canonical']")
        assert canonical is not None and canonical.get("href") == page_url(doc_id)


def test_json_ld_cannot_be_closed_by_a_title(site: Path) -> None:
    """Jinja's tojson escapes <, > and &: a title with </script> stays inside the script element."""
    page = (site / "documents" / HOSTILE.stem / "index.html").read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None and "<" not in block.group(1)
    [ld] = extruct.extract(page, base_url=page_url(HOSTILE.stem), syntaxes=["json-ld"], uniform=False)["json-ld"]
    assert ld["name"].endswith('vectors "><script>alert(1)</script>')


def _record(**changes: object) -> CitationRecord:
    fields: dict[str, object] = dict(
        id="x", title="T", date=None, sender=None, recipients=(), doc_type=None, number=None, archive=None,
        archive_location=None, reference=None, page_url=DEFAULT_SITE_URL + "documents/x/", source_url=None,
        record_id=None, summary=None, language=None)
    fields.update(changes)
    return CitationRecord(**fields)  # type: ignore[arg-type]


def test_a_new_site_address_rebuilds_the_reused_edition(tmp_path: Path) -> None:
    """The address is an input of the pages: the MkDocs hook's reuse must not serve the old one."""
    first = BuildConfig(seeds=SEEDS, docs=tmp_path, shown_relative_to=ROOT, reuse_unchanged=True, site_url=SITE)
    build(first)
    assert build(first).reused
    moved = BuildConfig(seeds=SEEDS, docs=tmp_path, shown_relative_to=ROOT, reuse_unchanged=True,
                        site_url="https://telegrams.example.net/")
    assert not build(moved).reused
    bib = (tmp_path / "cite" / "1950-09-30-shtykov-to-gromyko-600301.bib").read_text()
    assert "https://telegrams.example.net/documents/1950-09-30-shtykov-to-gromyko-600301/" in bib


# Citations by record shape (writers/citeshape.py): citeproc-py's own text, item by item

CORPUS = ROOT.parent / "shared" / "corpus"
HOSTILE_DIR = HOSTILE.parent


def _records_of(paths: list[Path]) -> list[CitationRecord]:
    return [citation_record(d, SITE) for path in paths for d in read_file_documents(path, ROOT) if is_document(d)]


def _same_both_ways(records: list[CitationRecord], monkeypatch: pytest.MonkeyPatch) -> int:
    """Every record's three citations from the shapes' templates and from citeproc-py item by item, compared;
    returns how many templates were used."""
    monkeypatch.setattr(citations, "_templates", {})
    by_shape = [format_citations(r) for r in records]
    for record, shaped in zip(records, by_shape):
        assert format_citations(record, by_shape=False) == shaped, record
    return sum(t is not None for t in citations._templates.values())


def test_citations_by_shape_are_citeprocs_own_for_every_seed_corpus_and_hostile_document(
        monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [*sorted(SEEDS.glob("*.txt")), *sorted(p for p in HOSTILE_DIR.iterdir() if p.suffix != ".yml")]
    if CORPUS.is_dir():
        paths += sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")
    records = _records_of(paths)
    assert len(records) >= 40
    assert _same_both_ways(records, monkeypatch) >= 3


def test_citations_by_shape_are_citeprocs_own_for_a_synthetic_collection(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synthetic import synthetic_corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    records = _records_of(synthetic_corpus(tmp_path, 240))
    assert len(records) >= 240
    used = _same_both_ways(records, monkeypatch)
    assert 3 <= used < len(records)  # for three styles: shapes recur, which is the point


# Values at the edges of what a shape may hide: case (stop words, capitals, mixed), punctuation
# at either end, markup characters, digits, the probe's own private-use characters, dates of
# every kind (the first of a month, one-digit days, May to July, before the year 1000), names.
_TITLES = ("Telegram from Kim Il Sung to Stalin", "the telegram of the day", "of mice and men", "telegram no. 5.",
           "Why?", "(Draft) letter", '"Quoted" title', "<b>bold</b> & co", "ALL CAPITALS TITLE",
           "Title: with a colon", "Title ending with a colon:", "a", "Ab", "November 27, 9876 and 28 June",
           "iPhone of the day", "Nov. 27 report", "x\ue100Q hidden", "Telegram\u00a0with a no-break space",
           "Straße in Köln", "1950 report", "12A", "007", "686568", ", leading comma", "ends with a comma,",
           "de Gaulle to Stalin", "Report, Vyshinsky to Bulganin.", "Ǆemal and ǆemal", "İstanbul telegram",
           "Kim to Stalin and!", "Report of the day and?")
_NAMES = ("Malenkov", "de Gaulle", "A[pollon] Petrov", "the Ambassador", "STALIN", "Kim & Pak", "1st Army",
          "Zhou Enlai.", "mao", "Secretary of State")
_OPTIONAL = {
    "doc_type": ("Ciphered telegram", "telegram", "Report", "record of conversation", "Letter.", "12"),
    "number": ("686568", "600308/sh", "12A", "007", "3544", "No. 5", "27"),
    "archive": ("APRF", "APRF, AVPRF", "Department of State, Central Files", "the archive"),
    "archive_location": ("fond 3, opis 65, delo 363, listy 20-23", "320.2–AC/4–2751", "fond 27, opis 9876", "Box 9."),
    "reference": ("APRF, fond 3, opis 65, delo 363, listy 20-23", "320.2–AC/4–2751"),
    "source_url": ("http://digitalarchive.wilsoncenter.org/document/382248",),
    "summary": ("They discuss the results of negotiations.", "short", "of the day"),
    "language": ("Russian", "Chinese", "russian"),
}


def _varied(rng: random.Random, n: int) -> CitationRecord:
    date = None
    if rng.random() > 0.1:
        month = rng.randint(1, 12)
        last = 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
        day = rng.choice([d for d in (1, 2, 3, 5, 9, 10, 11, 21, 22, 23, 27, 28, 30, 31) if d <= last])
        date = dt.date(rng.choice((999, 1000, 1949, 1950, 1951, 1952, 1953, 2024)), month, day)
    optional = {k: (rng.choice(v) if rng.random() < 0.6 else None) for k, v in _OPTIONAL.items()}
    return _record(id=f"varied-{n}", title=rng.choice(_TITLES), date=date,
                   sender=rng.choice(_NAMES) if rng.random() < 0.8 else None,
                   recipients=tuple(rng.sample(_NAMES, rng.choice((0, 1, 1, 2, 3, 4)))),
                   page_url=f"{SITE}documents/varied-{n}/", **optional)


def test_citations_by_shape_are_citeprocs_own_for_values_at_every_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(14)
    records = [_varied(rng, n) for n in range(250)]
    assert _same_both_ways(records, monkeypatch) >= 10


# Values made of words that case changes, seams and probes treat specially, in random order.
_WORDS = ("the", "of", "and", "to", "telegram", "Telegram", "STALIN", "iPhone", "de", "No.", "no.", "27", "9876",
          "November", "Nov.", "May", "x", "Q", "ß", "ǆemal", "İstanbul", "ŉ", "Mc\u0301Kay", "a.b.", "e.g.", "(draft)",
          "“quoted”", "'single'", '"double"', "&", "<i>", "a&b", "–", "—", "/", "Sept.", "1st", "2nd", "Vyshinsky,",
          "Gromyko;", "Kim:", "why?", "wow!", "etc.", "fond", "APRF", "8765")


def _words(rng: random.Random) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(rng.choice((1, 1, 2, 3, 5, 8))))
    if rng.random() < 0.2:
        text += rng.choice(".,;:!?)]”'")
    if rng.random() < 0.1:
        text = rng.choice("([“'-") + text
    return text


def _random_record(rng: random.Random, n: int) -> CitationRecord:
    def maybe(p: float = 0.6) -> str | None:
        return _words(rng) if rng.random() < p else None

    month = rng.randint(1, 12)
    last = 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
    date = dt.date(rng.choice((1000, 1949, 1950, 1953, 9999)), month, rng.randint(1, last)) if rng.random() > 0.1 else None
    return _record(id=f"random-{n}", title=_words(rng), date=date, sender=maybe(0.8),
                   recipients=tuple(_words(rng) for _ in range(rng.choice((0, 1, 2, 3)))), doc_type=maybe(),
                   number=rng.choice((None, "123", "600308/sh", "12A", "0012", maybe())), archive=maybe(),
                   archive_location=maybe(), reference=maybe(), page_url=f"{SITE}documents/random-{n}/",
                   source_url=rng.choice((None, "http://digitalarchive.wilsoncenter.org/document/1")),
                   summary=maybe(0.4), language=rng.choice((None, "Russian", "chinese")))


def test_citations_by_shape_are_citeprocs_own_for_random_values(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(8)
    records = [_random_record(rng, n) for n in range(250)]
    assert _same_both_ways(records, monkeypatch) >= 100


# Templates made once per build (stages.read_stage): the workers note the shapes they meet, the parent builds them

def test_templates_prepared_from_noted_shapes_give_citeprocs_text_without_citeproc(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(citations, "_templates", {})
    monkeypatch.setattr(citations, "_offered", set())
    records = _records_of(sorted(SEEDS.glob("*.txt")))
    expected = [format_citations(r, by_shape=False) for r in records]
    assert not citations._templates  # citeproc item by item builds no template
    samples = citations.new_shapes(records)
    assert samples and len({s.shaped.key for s in samples}) == len(samples)
    assert citations.new_shapes(records) == ()  # each shape is noted once per process
    citations.prepare_templates(samples)
    assert len(citations._templates) == len(samples) * len(STYLES)

    def no_citeproc(*args: object, **kwargs: object) -> None:
        raise AssertionError("citeproc was asked to render a record whose shape's templates were prepared")

    monkeypatch.setattr(citations, "rendered", no_citeproc)
    keys = [None if s is None else s.shaped.key for s in map(citations.shape_sample, records)]
    templated = [r for r, key in zip(records, keys) if key and all(citations._templates[(s.key, key)] for s in STYLES)]
    assert len(templated) >= 3
    for record in templated:
        assert format_citations(record) == expected[records.index(record)], record


def test_a_process_with_a_shapes_templates_notes_it_no_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(citations, "_templates", {})
    monkeypatch.setattr(citations, "_offered", set())
    records = _records_of(sorted(SEEDS.glob("*.txt")))
    shapes = [citations.shape_sample(r) for r in records]
    assert all(shapes)
    first = shapes[0].shaped.key if shapes[0] else None
    format_citations(records[0])  # its templates made where it was met, as in a worker given none
    noted = {s.shaped.key for s in citations.new_shapes(records)}
    assert noted == {s.shaped.key for s in shapes if s} - {first}


def test_the_noted_shapes_stay_out_of_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_edition import stages
    from build_edition.cache import CACHE_DIR, Cache, code_fingerprint

    monkeypatch.setattr(citations, "_templates", {})
    monkeypatch.setattr(citations, "_offered", set())
    prepared: list[object] = []
    monkeypatch.setattr(stages, "prepare_templates", lambda samples: prepared.extend(samples))
    docs = tmp_path / "docs"
    build(BuildConfig(seeds=SEEDS, docs=docs, shown_relative_to=ROOT, site_url=SITE, jobs=1))
    assert len(prepared) >= 2  # the parent was given the shapes the seeds' documents have
    index = Cache(tmp_path / CACHE_DIR / "docs").index(code_fingerprint())
    results = [entry.result for entry in index.sources.values()]
    assert results and all(r.shapes == () for r in results)
