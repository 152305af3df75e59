"""The TEI export: well-formed, each insertion kind as its TEI element, the text unchanged."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from build_edition.pipeline import read_file
from build_edition.writers.tei import TEI_NS, render_tei
from helpers import ROOT, seed

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
    assert root.find(".//t:correspAction[@type='sent']/t:date", NS).get("when") == "1950-09-29T20:23"


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
