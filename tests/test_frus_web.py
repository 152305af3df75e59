"""FRUS web page texts, and the archive's PDF text layouts the corpus showed (banner, one line, compilation).

Snippets are shaped like the corpus files; expected values are read off the snippets.
"""

from __future__ import annotations

import datetime as dt
import textwrap

from build_edition.annotators import annotate
from build_edition.model import BlockRole, NoteRef
from build_edition.readers import choose_reader, read_document
from build_edition.readers.derived import title_parties
from build_edition.pipeline import read_file_documents
from build_edition.readers.compilation import paragraphs
from build_edition.source import Line, decode_source
from helpers import ROOT

WEB = textwrap.dedent("""\
    357.AK/3–1251: Telegram
    The Acting Secretary of State to the United States Mission at the United Nations1
    secret
    Washington, March 12,
    1951—7 p. m.
    776. Urtel 1236, Mar 6. You shld indicate Dept’s views as follows:
    - 1.
    - 5 principles were approved by First Comite on Jan 13, [Page 227] in light of communications.2
    - 2.
    - Feb 1 res established GOC.
    Webb
      1. Repeated to London.
      2. Not printed.
""")

WEB_NO_DATELINE = textwrap.dedent("""\
    795.00/7–2051: Telegram

    The Ambassador in Korea (Muccio) to the Secretary of State

    top secret niact

    65. PriMin this morning stated that ROK Govt had no intention claiming infallibility.

    Muccio
""")


def read(text: str, name: str = "page.txt"):  # noqa: ANN201
    return annotate(read_document(decode_source(text.encode(), name), "x"))


def test_a_frus_web_page_is_read_as_such() -> None:
    assert choose_reader(decode_source(WEB.encode(), "x.txt")).name == "frus-web"
    doc = read(WEB)
    assert doc.title and doc.title.value == "The Acting Secretary of State to the United States Mission at the United Nations"
    assert doc.sender and doc.sender.value == "Webb"
    assert doc.recipients == ("United States Mission at the United Nations",)
    assert doc.date == dt.date(1951, 3, 12) and not doc.date_derived
    assert (doc.origin, doc.classification, doc.file_number) == ("Washington", "secret", "357.AK/3–1251")
    assert (doc.doc_type, doc.telegram_number) == ("Telegram", "776")


def test_list_items_page_markers_signature_and_footnotes() -> None:
    doc = read(WEB)
    plain = [b.plain for b in doc.blocks]
    assert plain[1].startswith("1. 5 principles were approved") and plain[2] == "2. Feb 1 res established GOC."
    assert doc.blocks[-1].role is BlockRole.SIGNATURE and plain[-1] == "Webb"
    assert [i.note for i in doc.insertions] == ["227"]
    assert [(n.label, n.text) for n in doc.source_notes if n.kind == "footnote"] == [
        ("1", "Repeated to London."), ("2", "Not printed.")]
    assert [i for i in doc.blocks[1].inlines if isinstance(i, NoteRef)] == [NoteRef(label="2", target="fn2")]
    assert not any(d.code == "truncated-source" for d in doc.diagnostics)


def test_without_a_dateline_the_file_number_dates_the_document() -> None:
    doc = read(WEB_NO_DATELINE)
    assert doc.date == dt.date(1951, 7, 20) and doc.date_derived
    assert doc.sender and doc.sender.value == "Muccio"
    assert (doc.classification, doc.telegram_number) == ("top secret", "65")
    assert any(d.code == "missing-metadata" for d in doc.diagnostics)


# --- the archive's PDF texts -------------------------------------------------------------------------

PDF = textwrap.dedent("""\
                                Digital Archive                            digitalarchive.wilsoncenter.org
                                International History Declassified


                                    April 13, 1949
                          Cable, Kovalev to Filippov [Stalin]

    Citation:
    “Cable, Kovalev to Filippov [Stalin],” April 13, 1949, History and Public Policy Program Digital Archive,
    APRF: F. 45, Op. 1, D. 331, Ll. 15-21. Reprinted in Andrei Ledovskii, Sovetsko-Kitaiskie Otnosheniia, Vol. 5,
    Book 2, pp. 116-120. Translated for CWIHP by Sergey Radchenko.
    http://digitalarchive.wilsoncenter.org/document/113353

    Summary:
    Kovalev reports to Filippov (Stalin) about the conversation.

    Original Language:
    Russian

    Contents:
          English Translation
          Scan of Original Document
    To Comrade Filippov

    Reporting:

    On 9 April a three hour conversation took place with Mao Zedong and the members of the Politburo.
""")

ONE_LINE = (
    "Digital Archive digitalarchive.wilsoncenter.org International History Declassified June 05, 1958 "
    "Report, Peng Dehuai to Mao Zedong and the CCP Central Committee (Excerpt) Citation: “Report, Peng Dehuai to "
    "Mao Zedong and the CCP Central Committee (Excerpt),” June 05, 1958, History and Public Policy Program Digital "
    "Archive, Mao Zedong waijiao wenxuan (Beijing, 1994), 634. http://digitalarchive.wilsoncenter.org/document/117031 "
    "Summary: Peng Dehuai reports that the Soviet Union requests cooperation. Credits: This document was made "
    "possible with support from the Leon Levy Foundation. Original Language: Chinese Contents: English Translation "
    "With regard to Soviet Union’s request for establishing long-wave radio stations in our country, the Soviet side "
    "insists on the original idea."
)

COMPILATION = textwrap.dedent("""\
     1949            Speeches/Documents

     Title: Telegram to Liu

     Author: Mao zedong

     Date: December            Source:. See Pei Jianzhang et al., Zhonghua renmin gongheguo waijiaoshi
     18,1949                   (Beijing: World Affairs Press, 1994), pp.17- 18.)
                               http://digitalarchive.wilsoncenter.org/document/110393

     Description:.
     (1) [I] arrived in Moscow on the 16th, and met with Stalin for two hours at 10 p.m.
""")


def test_the_pdf_banner_is_not_the_title_and_the_title_names_the_parties() -> None:
    doc = read(PDF)
    assert doc.shape == "pdf"
    assert doc.title and doc.title.value == "Cable, Kovalev to Filippov [Stalin]"
    assert doc.sender and doc.sender.value == "Kovalev"
    assert doc.recipients == ("Filippov",)  # "Reporting:" is a form word, not a recipient
    assert doc.blocks[0].plain == "To Comrade Filippov"  # "Scan of Original Document" is the PDF's, not the text's
    assert [(r.repository, r.fond, r.opis, r.delo, r.papka, r.folios) for r in doc.archival_references] == [
        ("APRF", "45", "1", "331", None, "15-21")]  # "pp. 116-120" of the reprint is no papka


def test_the_one_line_pdf_layout() -> None:
    doc = read(ONE_LINE)
    assert doc.shape == "pdf"
    assert doc.title and doc.title.value == "Report, Peng Dehuai to Mao Zedong and the CCP Central Committee (Excerpt)"
    assert doc.date == dt.date(1958, 6, 5)
    assert doc.sender and doc.sender.value == "Peng Dehuai"
    assert doc.recipients == ("Mao Zedong", "CCP Central Committee")
    assert (doc.original_language, doc.translation) == ("Chinese", "English")
    assert doc.summary == "Peng Dehuai reports that the Soviet Union requests cooperation."
    assert doc.url == "http://digitalarchive.wilsoncenter.org/document/117031"
    assert doc.blocks[0].plain.startswith("With regard to Soviet Union’s request")


def test_the_compilation_layout() -> None:
    doc = read(COMPILATION)
    assert doc.shape == "compilation"
    assert doc.title and doc.title.value == "Telegram to Liu"
    assert doc.date == dt.date(1949, 12, 18)
    assert doc.sender and doc.sender.value == "Mao zedong"
    assert doc.recipients == ("Liu",) and doc.doc_type == "Telegram"
    assert doc.url == "http://digitalarchive.wilsoncenter.org/document/110393"
    assert doc.citation and doc.citation.startswith("See Pei Jianzhang et al.")
    assert doc.blocks[0].plain.startswith("(1) [I] arrived in Moscow")


def test_parties_from_the_archive_s_titles() -> None:
    assert title_parties("Ciphered Telegram No. 3777, Filippov [Stalin] to Krasovsky, for Cde. Mao Zedong") == (
        "Filippov", ("Krasovsky", "Mao Zedong"))
    assert title_parties("Cable, Mao Zedong [via Kovalev] to Stalin") == ("Mao Zedong", ("Stalin",))
    assert title_parties("Memorandum of Conversation between Anastas Mikoyan and Mao Zedong") == (None, ())


MEMORANDUM = textwrap.dedent("""\
    Lot 55D388: Memorandum of Conversation
    Memorandum of Conversation, by the Director of the Office of Chinese Affairs (Clubb)
    secret
    Washington, April 3, 1951.
    Participants: Mr. Clubb and the Ambassador.
""")


def test_a_frus_memorandum_from_a_lot_file() -> None:
    assert choose_reader(decode_source(MEMORANDUM.encode(), "m.txt")).name == "frus-web"
    doc = read(MEMORANDUM)
    assert doc.sender and doc.sender.value == "Clubb"
    assert (doc.doc_type, doc.date, doc.file_number) == ("Memorandum of conversation", dt.date(1951, 4, 3), None)
    assert doc.archival_wording == "Lot 55D388: Memorandum of Conversation"


def test_a_colon_line_is_not_a_frus_source_note() -> None:
    text = "Subject: Note on the talks\nThe Ambassador to the Minister spoke at length.\n"
    assert choose_reader(decode_source(text.encode(), "s.txt")).name != "frus-web"


CORPUS_PDF = ROOT.parent / "shared" / "corpus" / "wilson-pdf-text"


def _paragraph_openings(name: str) -> list[str]:
    doc = read_file_documents(CORPUS_PDF / name, ROOT)[0]
    return [" ".join(b.plain.split()[:3]) for b in doc.blocks if b.role is BlockRole.PARAGRAPH]


def test_the_compilation_s_paragraphs_end_on_short_lines_without_blank_lines_between() -> None:
    # mao-liu-1949-12-18.txt: four numbered paragraphs, each ending on a line short of the margin
    # ("Taiwan, and the publication of my selected works."), with no blank line between them.
    assert _paragraph_openings("mao-liu-1949-12-18.txt") == ["(1) [I] arrived", "(2) Stalin said", "(3) With regard",
                                                             "(4) Stalin said"]


def test_a_text_opening_with_from_is_text_not_a_place_of_origin() -> None:
    # roshchin-zhou-1949-11-10.txt: "From the Diary of N. V. ROSHCHIN Top Secret, Copy 4, 1 December 1949" heads
    # the memorandum (line 13); its text runs in numbered paragraphs to "3, 4. [...]" and "5. [...]", and the
    # ambassador signs.
    doc = read_file_documents(CORPUS_PDF / "roshchin-zhou-1949-11-10.txt", ROOT)[0]
    assert doc.origin is None
    openings = _paragraph_openings("roshchin-zhou-1949-11-10.txt")
    assert openings[0] == "From the Diary"
    assert {"2. Zhou Enlai", "3, 4. [Contains", "5. [Roshchin requests"} <= set(openings)
    assert [s.original for s in doc.signatures] == ["USSR Ambassador to the PRC N. Roshchin"]


def test_the_heading_of_the_notes_is_no_signature() -> None:
    # 119300.txt, line 414: "NOTES" after the text, before the numbered notes.
    doc = read_file_documents(CORPUS_PDF / "119300.txt", ROOT)[0]
    assert all(s.original.strip().upper() != "NOTES" for s in doc.signatures)


def test_paragraphs_of_hard_wrapped_lines() -> None:
    full = "word " * 19 + "end"  # 98 characters: a full line
    lines = tuple(Line(text=t, no=n) for n, t in enumerate(
        [full, full, "a short last line.", full, "stops short of the margin, no stop", "Capital next line", full,
         full + ":", "(2) a numbered item", "lower case goes on"], start=1))
    out = paragraphs(lines)
    assert [line.no for line in out if line.blank] == [3, 5, 8]  # after lines 3, 5 and 8
    assert [line for line in out if not line.blank] == list(lines)
    assert paragraphs(lines[:3]) == lines[:3]  # too few lines to know the margin
