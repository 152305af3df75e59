"""The TEI export: valid TEI P5, each insertion kind as its TEI element, the text unchanged."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from build_edition.model import Block, BlockRole, SourcePos, Text
from build_edition.pipeline import BuildConfig, build, read_corpus, read_file, source_files
from build_edition.writers.tei import TEI_NS, _placed, render_tei
from helpers import ROOT, SEEDS, seed

NS = {"t": TEI_NS}


def tei(name: str) -> ET.Element:
    return ET.fromstring(render_tei(read_file(seed(name), ROOT)))


def test_insertions_become_their_tei_elements() -> None:
    root = tei("600301")
    choices = [(c.find("t:orig", NS).text, c.find("t:reg", NS).text) for c in root.iterfind(".//t:choice", NS)]
    assert ("PAK HEON-YEONG", "Pak Hon Yong") in choices and ("P'UNGGI", "BUNKEI") in choices
    assert [g.text for g in root.iterfind(".//t:gloss", NS)] == ["Highest Authority"]
    note = root.find(".//t:note[@type='editorial']", NS)
    assert note.text == "the North Korean leadership - AM" and note.get("resp") == "#AM"
    assert [s.text for s in root.iterfind(".//t:supplied", NS)] == ["the situation", "A.I."]
    assert root.find(".//t:correspAction[@type='deciphered']/t:persName", NS).text == "Vakushin"
    assert root.find(".//t:correspAction[@type='sent']/t:date", NS).get("when") == "1950-09-29T20:23:00"


def test_handwriting_stamp_and_illegible() -> None:
    root = tei("cable-600308")
    add = root.find(".//t:add", NS)
    assert add is not None and add.find("t:gap[@reason='illegible']", NS) is not None
    assert root.find(".//t:stamp", NS).text.startswith("stamp: Incoming No 3561/shs")
    assert root.find(".//t:div[@type='enclosure']", NS) is not None


def test_expansions_keep_the_abbreviation() -> None:
    root = tei("502597")
    pairs = [(c.find("t:abbr", NS).text, c.find("t:expan", NS).text) for c in root.iterfind(".//t:choice", NS)]
    assert pairs == [("KPA", "Korean People's Army"), ("CPV", "Chinese People's Volunteers")]
    repositories = [r.text for r in root.iterfind(".//t:msIdentifier/t:repository", NS)]
    assert repositories == ["APRF", "AVPRF", "RGASPI"]


def test_text_is_unchanged_in_the_export() -> None:
    document = read_file(seed("600382"), ROOT)
    root = ET.fromstring(render_tei(document))
    body_text = " ".join("".join(p.itertext()) for p in root.iterfind(".//t:body//t:p", NS))
    assert "I herewith transmit a letter of the following content addressed to your name" in body_text
    assert "email" not in body_text


# Validity against TEI P5 tei_all (4.3.0), as a TEI encoder would check it.

SCHEMA = ROOT.parent / "shared" / "schemas" / "tei_all.rng"


@pytest.fixture(scope="module")
def tei_all() -> etree.RelaxNG:
    if not SCHEMA.is_file():
        pytest.fail(f"the TEI schema is missing: {SCHEMA}")
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def _errors(schema: etree.RelaxNG, xml: bytes) -> list[str]:
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]


def test_every_tei_file_of_the_built_edition_validates(tei_all: etree.RelaxNG, tmp_path: Path) -> None:
    build(BuildConfig(seeds=SEEDS, docs=tmp_path, shown_relative_to=ROOT))
    files = sorted((tmp_path / "tei").glob("*.xml"))
    assert len(files) == len(list(SEEDS.glob("*.txt"))) + 1  # and the registers' listPerson/listOrg/listPlace
    assert (tmp_path / "tei" / "registers.tei.xml") in files
    failures = {f.name: _errors(tei_all, f.read_bytes()) for f in files}
    assert {name: errs for name, errs in failures.items() if errs} == {}


def test_exports_of_hostile_and_odd_sources_validate(tei_all: etree.RelaxNG) -> None:
    corpus = read_corpus(source_files(ROOT / "tests" / "hostile"), ROOT)
    assert corpus.documents
    failures = {d.id: _errors(tei_all, render_tei(d).encode()) for d in corpus.documents}
    assert {name: errs for name, errs in failures.items() if errs} == {}


def test_times_are_xml_schema_datetimes_with_seconds() -> None:
    root = tei("600301")
    whens = [d.get("when") for d in root.iterfind(".//t:correspAction/t:date", NS)]
    assert "1950-09-30T14:45:00" in whens  # "Received in Moscow on 09/30/50 at 14:45 p.m."
    assert all(len(w) in (10, 19) for w in whens), whens


def _section(*roles: BlockRole) -> tuple[Block, ...]:
    return tuple(Block(role=r, inlines=(Text(text=r.value),), pos=SourcePos(path="x", line=1)) for r in roles)


def test_parts_of_a_letter_stand_where_tei_allows_them() -> None:
    R = BlockRole
    placed = [name for _, name in _placed(_section(R.DATELINE, R.ADDRESS, R.PARAGRAPH, R.SIGNATURE, R.PARAGRAPH,
                                                   R.SIGNATURE, R.DATELINE))]
    assert placed == ["dateline", "ab", "p", "ab", "p", "signed", "dateline"]
    assert [name for _, name in _placed(_section(R.SIGNATURE, R.DATELINE))] == ["ab", "ab"]
    assert [name for _, name in _placed(_section(R.SIGNATURE, R.DATELINE, R.PARAGRAPH))] == ["ab", "ab", "p"]


@pytest.mark.slow
def test_every_tei_file_of_the_shared_corpus_and_the_seeds_validates(tei_all: etree.RelaxNG, tmp_path: Path) -> None:
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not beside the project")
    seeds = tmp_path / "seeds"
    shutil.copytree(corpus, seeds / "corpus", ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(SEEDS, seeds / "seeds")
    build(BuildConfig(seeds=seeds, docs=tmp_path / "docs", shown_relative_to=tmp_path))
    files = sorted((tmp_path / "docs" / "tei").glob("*.xml"))
    assert len(files) > 40  # the FRUS TEI, FRUS web, Wilson PDF and page texts, the seeds, the registers
    failures = {f.name: _errors(tei_all, f.read_bytes()) for f in files}
    assert {name: errs for name, errs in failures.items() if errs} == {}


def test_the_tei_is_written_as_elementtree_writes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one-pass writer of the TEI gives ElementTree's text, byte for byte: each seed's and hostile source's
    export, and a tree with every character either escaping changes, in text, tails and attributes."""
    from build_edition.writers import tei as tei_writer

    hostile = Path(__file__).parent / "hostile"
    documents = [read_file(p, ROOT) for p in [*source_files(SEEDS), *source_files(hostile)]]
    ours = [render_tei(d) for d in documents]
    monkeypatch.setattr(tei_writer, "serialized", lambda root: ET.tostring(root, encoding="unicode"))
    assert ours == [render_tei(d) for d in documents]
    monkeypatch.undo()
    root = ET.Element(f"{{{TEI_NS}}}TEI", {"xml:id": 'a&b<c>"d"\r\n\te'})
    child = ET.SubElement(root, f"{{{TEI_NS}}}p", {"n": "1"})
    child.text, child.tail = "x & y < z > \"w\" 'v'\r\n", "]]> &amp;"
    ET.SubElement(child, f"{{{TEI_NS}}}lb")
    ET.SubElement(root, f"{{{TEI_NS}}}empty").text = ""
    assert tei_writer.serialized(root) == ET.tostring(root, encoding="unicode")
    ET.SubElement(root, "{http://www.w3.org/1999/xlink}other")  # another namespace: ElementTree writes the tree
    assert tei_writer.serialized(root) == ET.tostring(root, encoding="unicode")
