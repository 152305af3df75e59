"""The CSV tables as a quantitative historian loads them: through their Frictionless Data package.

``frictionless validate`` (the reference implementation's command line) checks the package,
each table against its schema, and the foreign keys to documents.csv; the rows are then read
back with their declared types and compared with what the seed sources say.
"""

from __future__ import annotations

import datetime as dt
import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import Package

from build_edition.pipeline import BuildConfig, build
from build_edition.writers.edition import GeneratedPage
from build_edition.writers.exports import compressed_copies
from build_edition.writers.generated import GeneratedBinary
from build_edition.writers.tables import DATAPACKAGE, TABLES
from helpers import ROOT, SEEDS

FRICTIONLESS = Path(sys.executable).parent / "frictionless"
SHTYKOV = "1950-09-30-shtykov-to-gromyko-600301"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    build(BuildConfig(seeds=SEEDS, docs=folder, shown_relative_to=ROOT, site_url="https://example.org/e/"))
    return folder


def validate(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FRICTIONLESS), "validate", str(package)], capture_output=True, text=True, timeout=300)


def test_frictionless_validate_accepts_the_package(docs: Path) -> None:
    run = validate(docs / DATAPACKAGE)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("VALID") == len(TABLES) and "INVALID" not in run.stdout


def test_frictionless_validate_rejects_a_wrong_value(docs: Path, tmp_path: Path) -> None:
    """The check above can fail: a copy count that is not an integer is reported."""
    for path in (docs / "data").iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    table = tmp_path / "distribution.csv"
    table.write_text(table.read_text().replace(f"{SHTYKOV},1,Stalin,2,", f"{SHTYKOV},1,Stalin,two,", 1))
    run = validate(tmp_path / "datapackage.json")
    assert run.returncode != 0 and "type-error" in run.stdout


def rows(docs: Path, name: str) -> list[dict[str, object]]:
    package = Package(str(docs / DATAPACKAGE))
    return [row.to_dict() for row in package.get_table_resource(name).read_rows()]


def test_tables_load_with_their_types_and_say_what_the_source_says(docs: Path) -> None:
    documents = {r["id"]: r for r in rows(docs, "documents")}
    assert len(documents) == len(list(SEEDS.glob("*.txt")))
    shtykov = documents[SHTYKOV]
    assert shtykov["date"] == dt.date(1950, 9, 30) and shtykov["telegram_number"] == "600301/sh"
    assert shtykov["stated_copies"] == 12 and shtykov["distribution_entries"] == 11  # "Distribution list - 12 copies"
    # Sent on 09/29/50 at 20:23, received in Moscow on 09/30/50 at 14:45: 18 h 22 min.
    assert shtykov["transit_minutes"] == 18 * 60 + 22

    events = [r for r in rows(docs, "transmission-events") if r["document_id"] == SHTYKOV]
    assert [e["kind"] for e in events] == ["sent", "received", "received", "deciphered", "typed"]
    assert events[0]["date"] == dt.date(1950, 9, 29) and events[0]["time"] == dt.time(20, 23)
    assert events[3]["by"] == "Vakushin" and events[4]["by"] == "Lobyseva"  # "Typed by Lobyseva ... 16:55"
    assert events[4]["minutes_since_sent"] == 20 * 60 + 32 and events[4]["by_editor"] is False

    distribution = [r for r in rows(docs, "distribution") if r["document_id"] == SHTYKOV]
    assert [(d["recipient"], d["copies"]) for d in distribution][:3] == [("Stalin", 2), ("Molotov", 1), ("Malenkov", 1)]

    insertions = [r for r in rows(docs, "insertions") if r["document_id"] == SHTYKOV]
    assert ("gloss", "Highest Authority") in [(i["kind"], i["text"]) for i in insertions]
    assert all(i["tei"].startswith("<gloss") for i in insertions if i["kind"] == "gloss")

    flags = rows(docs, "flags")
    assert all(isinstance(f["source_line"], int) for f in flags)
    assert sum(d["flags"] for d in documents.values()) == len(flags)


def test_large_exports_are_also_published_gzip_compressed() -> None:
    big = GeneratedPage(path="data/documents.csv", content="id,title\r\n" + "x,Telegram\r\n" * 200_000)
    small = GeneratedPage(path="data/flags.csv", content="code\r\n")
    [copy] = compressed_copies([big, small])
    assert isinstance(copy, GeneratedBinary) and copy.path == "data/documents.csv.gz"
    assert gzip.decompress(copy.data).decode() == big.content
    assert len(copy.data) < len(big.content) // 50
    assert compressed_copies([big]) == [copy]  # the same bytes every time: no time stamp inside
