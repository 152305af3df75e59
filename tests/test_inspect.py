"""`build-edition inspect` on every seed: the fields the edition promises, checked against the sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from build_edition.cli import main

from helpers import seed


def inspect(capsys: pytest.CaptureFixture[str], name: str, path: Path | None = None) -> dict[str, Any]:
    assert main(["inspect", str(path or seed(name))]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["documents"]) == 1
    return out["documents"][0]


def events(doc: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["kind"], e["datetime"]) for e in doc["transmission"]]


def kinds(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["kind"], i["text"]) for i in doc["insertions"]]


def test_export_000(capsys: pytest.CaptureFixture[str]) -> None:
    doc = inspect(capsys, "via-shtykov")
    assert doc["title"].startswith("Ciphered Telegram from DPRK leader Kim Il Sung")
    assert doc["date"] == "1950-09-29"
    assert doc["outgoing_number"] == "1351"
    assert events(doc) == [
        ("sent", "1950-09-30T20:35"), ("received", "1950-09-30T23:32"), ("arrived", "1950-09-30T23:30"),
        ("deciphered", "1950-10-01T00:35"), ("cabled", "1950-10-01T12:50"), ("typed", "1950-10-01T01:45"),
    ]
    assert doc["transmission"][3]["by"] == "Mikhaylenko"
    dist = doc["distribution"]
    assert (dist["stated_copies"], dist["listed_copies"]) == (12, 9)
    assert dist["entries"][0] == {"recipient": "Stalin", "copies": 2, "copy_numbers": []}
    assert [(r["repository"], r["fond"], r["opis"], r["delo"], r["folios"]) for r in doc["archival_references"]] == [
        ("APRF", "45", "1", "347", "41-45"), ("APRF", "3", "65", "828", "5-8")]
    assert doc["url"] == "https://wilson-center-digital-archive.dvincitest.com/document/113658"
    assert doc["original_language"] == "Russian"
    assert kinds(doc) == [("note", "captured in South Korea - AM")]
    assert doc["insertions"][0]["resp"] == "AM"
    codes = {d["code"] for d in doc["diagnostics"]}
    assert {"ambiguous-date", "events-out-of-order", "copies-mismatch"} <= codes


def test_transcription_001_gets_derived_title_and_a_request_for_metadata(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bare = tmp_path / "cable.txt"  # without the editor's corrections file
    shutil.copyfile(seed("cable-600308"), bare)
    doc = inspect(capsys, "", bare)
    assert doc["shape"] == "transcription"
    assert doc["title"] == "Cable No. 600308/sh, Shtykov to Stalin and Gromyko"
    assert doc["date"] == "1950-09-29"
    assert doc["citation"] is None and doc["summary"] is None and doc["url"] is None
    assert doc["telegram_number"] == "600308/sh" and doc["outgoing_number"] == "1351"
    assert events(doc) == [
        ("sent", "1950-09-30T20:35"), ("received", "1950-09-30T23:32"), ("arrived", "1950-09-30T23:30"),
        ("sent", "1950-10-01T01:45"),
    ]
    assert doc["transmission"][3]["original"] == "Sent by Shcherbakova at 0145 1 October 1940 (26)"
    dist = doc["distribution"]
    assert (dist["stated_copies"], dist["listed_copies"]) == (12, 9)
    assert dist["entries"][0] == {"recipient": "Stalin", "copies": 2, "copy_numbers": [1, 2]}
    assert kinds(doc) == [
        ("handwritten", "handwritten above the form: sent to Cde. via [[several illegible words]]"),
        ("illegible", "several illegible words"),
        ("stamp", "stamp: Incoming No 3561/shs of 1 October 1950"),
        ("illegible", "illegible signature"),
        ("supplied", "our"), ("supplied", "us"), ("supplied", "will"),
    ]
    assert doc["insertions"][2]["date"] == "1950-10-01"
    diagnostics = {d["code"]: d for d in doc["diagnostics"]}
    assert "missing-metadata" in diagnostics
    assert ".yml" in diagnostics["missing-metadata"]["message"]
    assert diagnostics["unclosed-bracket"]["line"] == 1
    assert diagnostics["year-inconsistent"]["line"] == 110


def test_export_002(capsys: pytest.CaptureFixture[str]) -> None:
    doc = inspect(capsys, "600301")
    assert doc["date"] == "1950-09-30"
    assert (doc["telegram_number"], doc["outgoing_number"]) == ("600301/sh", "1340")
    assert (doc["origin"], doc["sender"]) == ("Pyongyang", "Shtykov")
    assert doc["recipients"] == ["Gromyko", "Instantsia"]
    assert events(doc) == [
        ("sent", "1950-09-29T20:23"), ("received", "1950-09-30T14:45"), ("received", "1950-09-30T14:50"),
        ("deciphered", "1950-09-30T15:50"), ("typed", "1950-09-30T16:55"),
    ]
    dist = doc["distribution"]
    assert (dist["stated_copies"], dist["listed_copies"], len(dist["entries"])) == (12, 12, 11)
    assert kinds(doc) == [
        ("gloss", "Highest Authority"), ("alternate-name", "Pak Hon Yong"), ("alternate-name", "BUNKEI"),
        ("alternate-name", "TISEN"), ("alternate-name", "Choe Yong Gon"), ("supplied", "the situation"),
        ("note", "the North Korean leadership - AM"), ("supplied", "A.I."), ("identification", "Kim and Pak"),
    ]
    assert [f["code"] for f in doc["flags"]] == ["repeated-word", "paragraph-joined", "paragraph-joined"]


def test_webpage_003(capsys: pytest.CaptureFixture[str]) -> None:
    doc = inspect(capsys, "600382")
    assert doc["shape"] == "webpage"
    assert doc["title"] == "Telegram from Kim Il Sung to Stalin (via Shtykov)"
    assert doc["date"] == "1950-10-09"
    assert (doc["telegram_number"], doc["outgoing_number"]) == ("600382/sh", "1447/sh")
    assert events(doc) == [
        ("sent", "1950-10-09T07:05"), ("received", "1950-10-09T09:38"), ("arrived", "1950-10-09T09:45"),
        ("deciphered", "1950-10-09T10:45"), ("typed", "1950-10-09T11:20"),
    ]
    dist = doc["distribution"]
    assert (dist["stated_copies"], dist["listed_copies"]) == (11, 8)
    assert doc["summary"].startswith("Kim Il Sung requests that Koreans")
    assert len(doc["archival_references"]) == 2
    assert doc["record_id"] is None and doc["insertions"] == []
    assert "[email" not in doc["rights"]
    assert "scrape-artifact" in {d["code"] for d in doc["diagnostics"]}


def test_webpage_004(capsys: pytest.CaptureFixture[str]) -> None:
    doc = inspect(capsys, "502597")
    assert doc["date"] == "1952-07-16"
    assert (doc["telegram_number"], doc["outgoing_number"], doc["record_id"]) == ("502597/sh", "2250", "113640")
    assert doc["sender"] == "Razuvaev" and doc["recipients"] == ["A. Vasilevsky", "A.Ia. Vyshinsky"]
    assert events(doc) == [("sent", "1952-07-17T18:45"), ("received", "1952-07-17T20:50"), ("arrived", "1952-07-17T21:10")]
    dist = doc["distribution"]
    assert (dist["stated_copies"], dist["listed_copies"]) == (None, 11)
    assert [r["repository"] for r in doc["archival_references"]] == ["APRF", "AVPRF", "RGASPI"]
    assert doc["archival_references"][1]["papka"] == "11"
    assert kinds(doc) == [("gloss", "air force"), ("gloss", "Air Force"), ("expansion", "Korean People's Army"),
                          ("expansion", "Chinese People's Volunteers")]
    assert doc["summary"].startswith("Telegram from Kim Il Sung to Stalin stating")


def test_inspect_keys_are_the_documented_contract(capsys: pytest.CaptureFixture[str]) -> None:
    doc = inspect(capsys, "502597")
    for key in ("id", "title", "date", "doc_type", "telegram_number", "outgoing_number", "origin", "destination",
                "sender", "recipients", "transmission", "distribution", "citation", "archival_references", "url",
                "record_id", "original_language", "translator", "summary", "rights", "insertions", "diagnostics"):
        assert key in doc
    assert set(doc["transmission"][0]) >= {"kind", "by", "place", "datetime", "original"}
    assert set(doc["insertions"][0]) >= {"kind", "text", "resp", "line"}


def test_inspect_missing_file_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "no/such/file.txt"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_transcription_001_with_the_editors_corrections(capsys: pytest.CaptureFixture[str]) -> None:
    doc = inspect(capsys, "cable-600308")
    assert doc["title"].startswith("Cable No. 600308/sh, Shtykov to Gromyko, relaying the letter")
    assert set(doc["edited_fields"]) >= {"title", "date", "summary", "recipients"}
    assert doc["recipients"] == ["Gromyko"]
    typed = doc["transmission"][3]
    assert (typed["kind"], typed["by_editor"], typed["datetime"]) == ("typed", True, "1950-10-01T01:45")
    assert [f["code"] for f in doc["flags"] if f["code"] == "sic"] == ["sic", "sic"]
    assert "missing-metadata" not in {d["code"] for d in doc["diagnostics"]}
