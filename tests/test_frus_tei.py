"""FRUS TEI: fragments without namespace declarations, whole volumes, the list of abbreviations.

The snippets are shaped like the corpus's (``../shared/corpus/frus-tei/``) and like
a volume file of HistoryAtState/frus (a ``TEI`` root declaring the TEI namespace
and the ``frus:`` prefix); the expected values are read off the snippets.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from build_edition.annotators import annotate
from build_edition.model import BlockRole, InsertionKind, NoteRef, TermRef
from build_edition.pipeline import BuildConfig, build
from build_edition.readers import choose_reader, read_documents
from build_edition.readers.frus_terms import read_terms
from build_edition.source import decode_source
from build_edition.writers.glossary import abbreviations, entries_by_id, glossary_pages
from build_edition.writers.page import render_page

FRAGMENT = textwrap.dedent("""\
    <div type="document" xml:id="d9" n="9" frus:doc-dateTime-min="1951-04-02T09:00:00-05:00" frus:doc-dateTime-max="1951-04-02T09:00:00-05:00">
        <note rend="inline" type="source">795.00/4–251: Telegram</note>
        <head>
            <hi rend="italic">The Ambassador in Korea</hi> (<persName type="from" corresp="#p_MJJ1">
            <hi rend="italic">Muccio</hi></persName>) <hi rend="italic">to the <gloss type="to">Secretary of State</gloss></hi>
        </head>
        <opener>
            <dateline rendition="#right"><placeName><hi rend="smallcaps">Pusan</hi></placeName>,
            <date when="1951-04-02T09:00:00">April 2, 1951—9 a. m.</date></dateline>
            <seg rendition="#left"><hi rend="smallcaps">top secret</hi></seg>
            <seg rendition="#left"><hi rend="smallcaps">niact</hi></seg>
        </opener>
        <p>812. Re <gloss target="#t_ROK1">ROK</gloss> request.<note n="1" xml:id="d9fn1">Not printed.</note> See
            <ref target="#d8">telegram 811</ref>. [Garble] follows <pb n="12" xml:id="pg_12" facs="0012"/>here.</p>
        <list>
            <label>1.</label>
            <item>First point.</item>
            <label>2.</label>
            <item>Second point.</item>
        </list>
        <closer><signed><hi rend="smallcaps">Muccio</hi></signed></closer>
    </div>
""")

TERMS = textwrap.dedent("""\
    <div type="section" xml:id="terms">
        <head>List of abbreviations</head>
        <list type="terms">
            <item><hi rend="strong"><term xml:id="t_ROK1">ROK</term>,</hi> Republic of Korea</item>
            <item><hi rend="strong"><term xml:id="t_AMC1">AMC</term>,</hi> Additional
                Measures Committee (United Nations)</item>
        </list>
    </div>
""")

VOLUME = textwrap.dedent("""\
    <?xml version="1.0" encoding="UTF-8"?>
    <TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="frus1951v07p2">
    <text><front>
    """) + TERMS + textwrap.dedent("""\
    </front><body><div type="compilation">
    """) + FRAGMENT + FRAGMENT.replace("d9", "d10").replace('n="9"', 'n="10"').replace("812.", "813.").replace("pg_12", "pg_13") + \
    "</div></body></text></TEI>\n"


def read(text: str, name: str = "frus.xml") -> tuple:
    return tuple(annotate(d) for d in read_documents(decode_source(text.encode(), name), "frus"))


def test_a_fragment_without_namespace_declarations_is_read_as_frus_tei() -> None:
    source = decode_source(FRAGMENT.encode(), "d9.xml")
    assert choose_reader(source).name == "frus-tei"
    (doc,) = read(FRAGMENT)
    assert doc.title and doc.title.value == "The Ambassador in Korea (Muccio) to the Secretary of State"
    assert doc.sender and doc.sender.value == "Muccio"
    assert doc.recipients == ("Secretary of State",)
    assert doc.date == dt.date(1951, 4, 2) and doc.date_time == dt.datetime(1951, 4, 2, 9, 0)
    assert doc.date_original == "April 2, 1951—9 a. m."
    assert doc.date_range == ("1951-04-02T09:00:00-05:00", "1951-04-02T09:00:00-05:00")
    assert doc.origin == "Pusan"
    assert (doc.classification, doc.urgency) == ("top secret", "niact")
    assert (doc.doc_type, doc.file_number, doc.telegram_number) == ("Telegram", "795.00/4–251", "812")
    assert [s.name for s in doc.signatures] == ["Muccio"]
    assert doc.cross_references == ("#d8",)


def test_frus_notes_are_frus_s_and_their_calls_stay_in_the_text() -> None:
    (doc,) = read(FRAGMENT)
    assert [(n.kind, n.label, n.by, n.text) for n in doc.source_notes] == [
        ("source", "", "FRUS", "795.00/4–251: Telegram"), ("footnote", "1", "FRUS", "Not printed.")]
    first = doc.blocks[0]
    calls = [i for i in first.inlines if isinstance(i, NoteRef)]
    assert calls == [NoteRef(label="1", target="d9fn1")]
    # the edition's insertions: the bracket of the text and FRUS's page break, not the footnote
    assert [i.text for i in doc.insertions] == ["Garble", "Page 12"]
    assert [i.note for i in doc.insertions if i.kind is InsertionKind.PAGE_BREAK] == ["12"]
    assert doc.source_notes[1].pos.line == 13


def test_list_items_keep_their_labels_and_the_signature_closes_the_text() -> None:
    (doc,) = read(FRAGMENT)
    plain = [b.plain for b in doc.blocks]
    assert plain[1:] == ["1. First point.", "2. Second point.", "Muccio"]
    assert doc.blocks[-1].role is BlockRole.SIGNATURE


def test_gloss_and_persname_links_are_kept() -> None:
    (doc,) = read(FRAGMENT)
    assert TermRef(term="ROK", target="t_ROK1") in doc.terms


def test_the_page_shows_frus_notes_apart_from_the_edition_s() -> None:
    (doc,) = read(FRAGMENT)
    page = render_page(doc)
    assert "## Notes of the published source (FRUS)" in page
    assert '<p class="edition-source-note" id="source-note-d9fn1"><strong>Note 1.</strong> Not printed.' in page
    assert '<a href="#source-note-d9fn1"' in page
    assert "Not printed." not in page.split("### Notes")[1].split("## Notes of the published source")[0]
    assert "Classification\n:   top secret" in page and "File number\n:   795\\.00/4–251" in page
    assert '<p class="edition-wording">Source wording: 795.00/4–251: Telegram</p>' in page


def test_a_volume_gives_one_document_per_document_div_and_its_terms() -> None:
    docs = read(VOLUME, "frus1951v07p2.xml")
    assert [d.id for d in docs] == ["frus-d9", "frus-d10"]
    assert [d.telegram_number for d in docs] == ["812", "813"]
    entries, problem = read_terms(decode_source(VOLUME.encode(), "frus1951v07p2.xml"))
    assert problem is None
    assert [(e.term, e.expansion, e.id) for e in entries] == [
        ("ROK", "Republic of Korea", "t_ROK1"), ("AMC", "Additional Measures Committee (United Nations)", "t_AMC1")]


def test_the_list_of_abbreviations_is_no_document_but_the_glossary(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "terms.xml").write_text(TERMS, encoding="utf-8")
    (seeds / "d9.xml").write_text(FRAGMENT, encoding="utf-8")
    result = build(BuildConfig(seeds=seeds, docs=tmp_path / "docs", shown_relative_to=tmp_path))
    assert [d.id for d in result.documents] == ["d9"]
    assert any(d.code == "glossary-source" and "2 entries" in d.message for d in result.diagnostics)
    page = (tmp_path / "docs" / "documents" / "d9.md").read_text(encoding="utf-8")
    assert page.rstrip().endswith("*[ROK]: Republic of Korea")
    assert "*[AMC]" not in page  # the text never links AMC
    glossary = (tmp_path / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert "| AMC | Additional Measures Committee (United Nations) | seeds/terms.xml, line 5 |" in glossary


def test_the_glossary_explains_only_what_a_page_links() -> None:
    (doc,) = read(FRAGMENT)
    entries, _ = read_terms(decode_source(TERMS.encode(), "terms.xml"))
    from build_edition.model import Glossary

    glossary = Glossary(entries=entries)
    assert abbreviations(doc, glossary, entries_by_id(glossary)) == "\n*[ROK]: Republic of Korea\n"
    assert "| ROK | Republic of Korea |" in glossary_pages(glossary)[0].content


def test_xml_that_is_not_well_formed_is_an_error_and_the_rest_builds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "broken.xml").write_text(FRAGMENT.replace("</closer>", ""), encoding="utf-8")
    (seeds / "d9.xml").write_text(FRAGMENT, encoding="utf-8")
    result = build(BuildConfig(seeds=seeds, docs=tmp_path / "docs", shown_relative_to=tmp_path))
    assert [d.id for d in result.documents] == ["d9"]
    broken = [d for d in result.diagnostics if d.code == "xml-invalid"]
    assert len(broken) == 1 and broken[0].pos.path == "seeds/broken.xml" and broken[0].severity.value == "error"


def test_entities_are_not_expanded() -> None:
    hostile = '<!DOCTYPE div [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + FRAGMENT.replace("First point.", "&x;")
    docs = read(hostile)
    assert all("root:" not in b.plain for d in docs for b in d.blocks)


def test_without_a_dateline_a_range_of_days_dates_the_document_by_its_start() -> None:
    undated = FRAGMENT.replace('<date when="1951-04-02T09:00:00">April 2, 1951—9 a. m.</date>', "").replace(
        'frus:doc-dateTime-max="1951-04-02T09:00:00-05:00"', 'frus:doc-dateTime-max="1951-04-05T23:59:59-05:00"')
    (doc,) = read(undated)
    assert doc.date == dt.date(1951, 4, 2) and doc.date_derived
    assert [d.code for d in doc.diagnostics if d.severity.value != "info"] == ["date-from-range"]


def test_markup_in_frus_text_is_shown_as_text() -> None:
    hostile = FRAGMENT.replace("Not printed.", "&lt;script&gt;alert(1)&lt;/script&gt;").replace(
        "First point.", "&lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1))")
    import markdown

    page = render_page(read(hostile)[0])
    html = markdown.markdown(page, extensions=["footnotes", "md_in_html", "attr_list", "abbr", "def_list", "tables"])
    assert "<script>" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_volume_larger_than_the_text_limit_is_read_whole() -> None:
    from build_edition.source import MAX_BYTES

    big = VOLUME.replace("<text>", "<text>" + "<!--" + " " * (MAX_BYTES + 10) + "-->")
    source = decode_source(big.encode(), "frus-big.xml")
    assert not any(d.code == "large-source" for d in source.diagnostics)
    assert len(read_documents(source, "frus")) == 2


from xml.sax.saxutils import escape as xml_escape  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# soft hyphens, zero-width and control characters are dropped when any source is decoded (source.py)
_XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf")), max_size=200)


@_SETTINGS
@given(words=_XML_TEXT)
def test_any_words_in_a_frus_item_are_read_and_kept(words: str) -> None:
    (doc,) = read(FRAGMENT.replace("First point.", xml_escape(words)))
    kept = " ".join(b.plain for b in doc.blocks)
    assert all(word in kept for word in words.split())


@_SETTINGS
@given(tail=st.text(max_size=300))
def test_no_text_after_a_document_div_crashes_the_reader(tail: str) -> None:
    docs = read('<div type="document" xml:id="d1">' + tail)
    assert len(docs) >= 1


def test_a_very_large_glossary_is_split_by_initial() -> None:
    from build_edition.model import Glossary, GlossaryEntry, SourcePos
    from build_edition.writers import glossary as writer

    entries = tuple(GlossaryEntry(term=f"{letter}{n}", expansion=f"meaning {n}", id=f"t{letter}{n}",
                                  pos=SourcePos(path="terms.xml", line=n))
                    for letter in "AB" for n in range(writer.PAGE_ENTRIES))
    pages = writer.glossary_pages(Glossary(entries=entries))
    assert [p.path for p in pages] == ["glossary.md", "glossary/a.md", "glossary/b.md"]
    assert "[A](glossary/a.md) (1500 terms)" in pages[0].content
    assert pages[1].content.count("\n| A") == writer.PAGE_ENTRIES
