"""The scale benchmark: its synthetic collection, and a small run end to end.

No time is asserted anywhere: the benchmark's figures are read, not tested.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic  # noqa: E402
from bench_build import STEPS  # noqa: E402


def test_every_shape_is_a_template_and_the_abbreviations_are_not() -> None:
    found = synthetic.templates()
    shapes = {t.shape for t in found}
    assert shapes == {"seed", "pdf-text", "wilson-page", "frus-web", "frus-tei"}
    names = {t.path.name for t in found}
    assert "frus1951v07p2_terms.xml" not in names  # a list of abbreviations, not a document
    assert "frus1951v07p2_d271.xml" in names and "1952-07-16-kim-to-stalin-armistice-502597.txt" in names
    # one full cycle of copies uses each template once
    assert sorted(synthetic.synthetic_source(n, found).template.name for n in range(len(found))) == sorted(names)


def test_copies_are_deterministic_and_new(tmp_path: Path) -> None:
    first = synthetic.synthetic_corpus(tmp_path / "a", 50)
    second = synthetic.synthetic_corpus(tmp_path / "b", 50)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert len({p.name for p in first}) == 50
    originals = {t.path.read_text(encoding="utf-8") for t in synthetic.templates()}
    assert not originals & {p.read_text(encoding="utf-8") for p in first}
    # copy n does not depend on how many copies are made
    assert synthetic.synthetic_source(7).text == first[7].read_text(encoding="utf-8")


def test_dates_move_together_in_every_written_form() -> None:
    text = ("**September 29, 1950**\nSent on 09/30/50 at 20:35\nFrom Correspondent 20 Sent 17.7.52\n"
            "on 16 September 1950 and 13.June.1951; received 30 September; Mar 9,\n"
            '<date when="1951-03-23T16:55:00">')
    ref = dt.date(1950, 9, 29)
    moved = synthetic.shift_dates(text, ref, 3)
    assert moved == ("**October 2, 1950**\nSent on 10/03/50 at 20:35\nFrom Correspondent 20 Sent 20.7.52\n"
                     "on 19 September 1950 and 16.June.1951; received 3 October; Mar 12,\n"
                     '<date when="1951-03-26T16:55:00">')
    assert synthetic.first_date(text) == ref


def test_numbers_and_people_are_replaced_consistently() -> None:
    text = ("CIPHERED TELEGRAM # 600301/sh\nTo Comrade GROMYKO\nShtykov reports.\nS H T Y K O V\n"
            "No. 1351 of 1950; ref. No. 600301. Kim Il Sung and KIM IL\nSUNG.")
    rng = random.Random(1)
    numbers = synthetic.number_map(text, rng)
    assert set(numbers) == {"600301", "1351"}  # the year 1950 is not a telegram number
    people = synthetic.people_map(text, rng)
    out = synthetic.replace_people(synthetic.replace_numbers(text, numbers), people)
    assert "600301" not in out and out.count(numbers["600301"]) == 2 and numbers["1351"] in out
    assert "1950" in out
    new = people["Shtykov"]
    assert new in dict(synthetic.PEOPLE["soviet"]) and new != people["GROMYKO"].title()
    assert f"{new} reports." in out and " ".join(new.upper()) in out
    korean = people["Kim Il Sung"]
    assert out.count(korean) == 1 and korean.upper() in out


@pytest.mark.slow
def test_benchmark_runs_end_to_end_and_prints_a_complete_table(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_build.py"), "200", "--quiet",
                          "--json", str(figures)], capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    rows = [line for line in run.stdout.splitlines() if line.startswith("| ")]
    labels = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    for _, label in STEPS:
        assert label in labels
    for label in ("ratio: our `mkdocs build` / baseline", "whole site (site/)", "HTML pages", "largest HTML page",
                  "Markdown pages generated (docs/)", "largest Markdown page", "baseline site"):
        assert label in labels
    data = json.loads(figures.read_text(encoding="utf-8"))
    assert data["sources"] == 200 and not data["failures"]
    for site in (data["site"], data["baseline"]):
        assert site["total_bytes"] > 0 and site["html_pages"] > 0 and site["largest_html"]["size"] > 0
        assert site["search_index_bytes"] > 0
    assert data["markdown_pages"] > 0 and data["largest_markdown"]["size"] > 0
    assert data["largest_markdown"]["path"].endswith(".md")
    assert data["baseline"]["html_pages"] == 200 + 1 + 1  # a page per source (one added, one removed), home, 404
    for step in data["steps"].values():
        assert step["exit_status"][0] in (0, 1)
