"""Benchmark: the edition's search (Pagefind) at 10,000 documents, measured in headless Chromium.

    python benchmarks/bench_search.py                 # a synthetic site of 10,000 document pages
    python benchmarks/bench_search.py --count 2000    # another size
    python benchmarks/bench_search.py --site DIR      # a site already built (mkdocs build), indexed anew

Without ``--site`` it builds the seed edition once (``mkdocs build --strict``) and makes
``--count`` document pages from its five document pages: the same template markup (Material's
chrome, the article with data-pagefind-body, the hidden block of data-pagefind-* values), each
with its own address, date (1949-1953), sender, recipients, persons, places, archive and fond,
type, language, flags and telegram number, and its text varied: about one word in six replaced
from a vocabulary of 40,000 made-up words drawn by Zipf's law, so that the index grows as a real
collection's would instead of holding five texts. The edition pages and the search page are the
seed edition's. Then it indexes the site with ``search_index.index_site`` (what the MkDocs hook
runs), serves it under /telegram-edition/ and, in a fresh headless Chromium, counts the bytes the
server sends (text files gzip-compressed, as GitHub Pages sends them; Pagefind's index files are
compressed already) and the time until results show, for a first query, a refined query (a
second word), a list of facets opened, a facet ticked, and an empty-query browse by a facet and
a date range opened from a shared address. It prints the figures and whether they meet the targets
(first query <= 300 KB of search files, results <= 1 s, index <= 60 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import resource
import html
import random
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser"), str(ROOT / "tests")]

from build_edition.search_index import BROWSE_WORD, index_site  # noqa: E402
import conftest  # noqa: E402 (the browser tests' server and browser)
from conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer, build_site  # noqa: E402
from helpers import copy_project  # noqa: E402

TARGET_KB, TARGET_S, TARGET_INDEX_S = 300, 1.0, 60.0
DATA_BLOCK = re.compile(r'<div class="edition-search-data" hidden data-pagefind-ignore>.*?</div>', re.S)
ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset" data-pagefind-body>)(.*?)(</article>)', re.S)
TEXT_NODE = re.compile(r">([^<]+)<")
WORD = re.compile(r"[A-Za-z]{4,}")
TYPES = ["Ciphered telegram", "Telegram", "Cable", "Letter", "Memorandum", "Report of conversation"]
REPOSITORIES = ["APRF", "AVPRF", "RGASPI", "TsAMO", "RGANI"]
LANGUAGES = ["Russian", "Russian", "Russian", "Korean", "Chinese"]


def made_up_words(rng: random.Random, count: int) -> list[str]:
    syllables = [c + v for c in "bdgklmnprstvzh" for v in "aeiou"] + ["shch", "kh", "ts", "yo"]
    words: dict[str, None] = {}
    while len(words) < count:
        words["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


@dataclass
class Pools:
    """Values to draw from: names, places, words; fixed by the seed of the random generator."""

    rng: random.Random
    names: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    vocabulary: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)

    @classmethod
    def make(cls, seed: int) -> Pools:
        rng = random.Random(seed)
        words = made_up_words(rng, 40_000 + 600)
        pools = cls(rng=rng, names=[w.capitalize() for w in words[:400]],
                    places=[w.capitalize() for w in words[400:600]], vocabulary=words[600:])
        total = 0.0
        for rank in range(1, len(pools.vocabulary) + 1):
            total += 1.0 / rank
            pools.weights.append(total)
        return pools


def data_block(n: int, day: dt.date, pools: Pools) -> tuple[str, str]:
    """The hidden block of one page (as overrides/partials/edition-search-data.html writes it), and its title."""
    rng = pools.rng
    sender = rng.choice(pools.names[:60])
    recipients = rng.sample(pools.names[:120], rng.randint(1, 3))
    persons = list(dict.fromkeys([sender, *recipients, *rng.sample(pools.names, rng.randint(3, 10))]))
    refs = [(repo, str(rng.randint(1, 40))) for repo in rng.sample(REPOSITORIES, rng.randint(1, 2))]
    doc_type = rng.choice(TYPES)
    number = 500_000 + n
    filters = [("kind", "Document"), ("type", doc_type), ("year", str(day.year)), ("month", f"{day:%Y-%m}"),
               ("day", day.isoformat()), ("sender", sender)]
    filters += [("recipient", r) for r in recipients] + [("person", p) for p in persons]
    filters += [("place", p) for p in rng.sample(pools.places, rng.randint(1, 4))]
    filters += [("repository", r) for r, _ in refs] + [("fond", f"{r}, fond {f}") for r, f in refs]
    filters += [("language", rng.choice(LANGUAGES)), ("flags", rng.choice(["With editorial flags", "Without editorial flags"]))]
    title = f"{doc_type} No. {number}/sh, {sender} to {', '.join(recipients)}"
    meta = [("title", title), ("date", f"{day.day} {day:%B %Y}"), ("type", doc_type),
            ("parties", f"{sender} → {', '.join(recipients)}"),
            ("reference", "; ".join(f"{r}, fond {f}, opis 1, delo {rng.randint(1, 900)}" for r, f in refs)),
            ("number", str(number))]  # what the search page merges the index's parts by, sorted by number
    spans = [f'<span data-pagefind-meta="browse">{BROWSE_WORD}</span>']
    spans += [f'<span data-pagefind-filter="{k}">{html.escape(v)}</span>' for k, v in filters]
    spans += [f'<span data-pagefind-meta="{k}">{html.escape(v)}</span>' for k, v in meta]
    spans += [f'<span data-pagefind-sort="date">{day.isoformat()}</span>', f'<span data-pagefind-sort="number">{number}</span>']
    return '<div class="edition-search-data" hidden data-pagefind-ignore>\n' + "\n".join(spans) + "\n</div>", title


def vary_text(article: str, pools: Pools, title: str) -> str:
    """The article's text with about one word in six drawn from the made-up vocabulary."""
    rng = pools.rng

    def word(match: re.Match[str]) -> str:
        if rng.random() < 1 / 6:
            return rng.choices(pools.vocabulary, cum_weights=pools.weights, k=1)[0]
        return match.group(0)

    body = TEXT_NODE.sub(lambda m: ">" + WORD.sub(word, m.group(1)) + "<", article)
    return re.sub(r"(<h1[^>]*>).*?(<a class=\"headerlink\")", lambda m: m.group(1) + html.escape(title) + m.group(2),
                  body, count=1, flags=re.S)


def synthetic_site(seed_site: Path, dest: Path, count: int, pools: Pools) -> None:
    """``dest``: the seed site with its document pages replaced by ``count`` varied ones."""
    shutil.copytree(seed_site, dest, ignore=shutil.ignore_patterns("pagefind"))
    templates = [p.read_text(encoding="utf-8") for p in sorted((seed_site / "documents").glob("*/index.html"))]
    shutil.rmtree(dest / "documents")
    start = dt.date(1949, 1, 1)
    for n in range(count):
        page = templates[n % len(templates)]
        day = start + dt.timedelta(days=pools.rng.randrange(5 * 365))
        block, title = data_block(n, day, pools)
        page = DATA_BLOCK.sub(lambda _: block, page, count=1)
        page = ARTICLE.sub(lambda m: m.group(1) + vary_text(m.group(2), pools, title) + m.group(3), page, count=1)
        out = dest / "documents" / f"{day.isoformat()}-doc-{n:05d}" / "index.html"
        out.parent.mkdir(parents=True)
        out.write_text(page, encoding="utf-8")


@dataclass
class Transfer:
    """Bytes the server sent, split into Pagefind's files (and the search script) and the rest."""

    search: int = 0
    page: int = 0
    requests: int = 0
    files: list[str] = field(default_factory=list)

    def add(self, path: str, size: int) -> None:
        self.requests += 1
        self.files.append(f"{size:8d} {path}")
        if "/pagefind/" in path or path.endswith("/assets/search.js"):
            self.search += size
        else:
            self.page += size


# What a static host such as GitHub Pages sends compressed (gzip) when the browser accepts it.
# Pagefind's index files (.pf_*, .pagefind) are gzip files already and go out as they are.
COMPRESSED = {".html", ".js", ".css", ".json", ".xml", ".svg", ".txt"}


class _CountingHandler(conftest._SubPathHandler):
    """The browser tests' handler, counting the bytes of every file it sends (counted here, since
    the browser's own accounting misses what a worker fetches), and compressing text as a static
    host does."""

    transfer = Transfer()
    gzipped: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        local = Path(self.translate_path(self.path))
        if local.is_dir():
            local = local / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or local.suffix not in COMPRESSED or not local.is_file():
            super().do_GET()
            return
        key = str(local)
        if key not in self.gzipped:
            self.gzipped[key] = gzip.compress(local.read_bytes(), compresslevel=6)
        body = self.gzipped[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(local)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        type(self).transfer.add(self.path, len(body))

    def copyfile(self, source, outputfile) -> None:  # noqa: ANN001 - http.server's signature
        data = source.read()
        outputfile.write(data)
        type(self).transfer.add(self.path, len(data))


class CountingServer(SiteServer):
    def __enter__(self) -> CountingServer:
        from functools import partial
        import threading

        self._server = conftest._QuietServer(("127.0.0.1", 0), partial(_CountingHandler, directory=str(self.root)))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def count(self) -> Transfer:
        """Start counting anew; the returned record fills as files are sent."""
        _CountingHandler.transfer = Transfer()
        return _CountingHandler.transfer


STATUS = "[data-edition-search-status]"


def _answered(page, before: str | None) -> None:  # noqa: ANN001 - a Playwright Page
    """Wait until the status says how many pages match, and differs from ``before``."""
    page.wait_for_function("([s, b]) => { const t = document.querySelector(s).textContent;"
                           " return t !== b && /match|could not/.test(t); }", arg=[STATUS, before or ""], timeout=60_000)
    if "could not" in page.locator(STATUS).inner_text():
        raise RuntimeError(page.locator(STATUS).inner_text())
    if not page.locator(STATUS).inner_text().startswith("No pages"):
        page.locator(".edition-search__result").first.wait_for()


def measure(server: CountingServer) -> list[tuple[str, Transfer, float]]:
    """Four steps of a reader in a fresh Chromium: bytes sent and seconds until results show."""
    from playwright.sync_api import sync_playwright

    figures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        status = page.locator(STATUS)

        def step(label: str, action, before: str | None, on=None, until=None, transfer=None) -> None:  # noqa: ANN001
            on = on or page
            transfer = transfer or server.count()
            started = time.perf_counter()
            action()
            if until:
                on.locator(until).first.wait_for(timeout=60_000)
            else:
                _answered(on, before)
            elapsed = time.perf_counter() - started
            on.wait_for_load_state("networkidle")
            figures.append((f"{label}: {on.locator(STATUS).inner_text()}", transfer, elapsed))

        # The reader clicks the header's box on the home page, types a word and presses Enter: the
        # bytes count from the click (Pagefind starts loading when the box gets the focus), the
        # time from Enter.
        page.goto(server.base_url)
        page.wait_for_load_state("networkidle")
        transfer = server.count()
        page.click("#edition-search-box-input")
        page.keyboard.type("Incheon", delay=120)
        step("first query 'Incheon', typed in the header of the home page", lambda: page.keyboard.press("Enter"), None,
             transfer=transfer)

        def refine() -> None:
            page.fill("#edition-search-q", "Incheon Seoul")
            page.press("#edition-search-q", "Enter")

        step("refined query 'Incheon Seoul' (Enter)", refine, status.inner_text())
        step("list of senders opened", lambda: page.click('button[name="open-sender"]'), None,
             until='input[name="sender"]')
        sender = page.locator('input[name="sender"]').first
        name = sender.get_attribute("value") or ""
        step(f"facet ticked (sender {name})", sender.check, status.inner_text())
        fresh = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        address = f"{server.base_url}search/?sender={name}&from=1950-06-25&to=1951-12-31"
        step("empty query: that sender, 25 June 1950 to 31 December 1951, a shared address opened in a fresh browser "
             "(the page's own files included)", lambda: fresh.goto(address), None, on=fresh)
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--site", type=Path, help="a built site to index and measure instead of a synthetic one")
    parser.add_argument("--seed", type=int, default=1950)
    parser.add_argument("--files", action="store_true", help="list every file sent at each step")
    parser.add_argument("--keep", type=Path, help="write the synthetic site to this new folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = args.site or args.keep or work / "site"
        with CountingServer(site) as server:
            if args.site:
                what = f"the built site {site}"
            else:
                # Built for the address it is served at, as the browser tests do (instant navigation).
                seed_site = build_site(copy_project(work / "project"), work / "seed-site", site_url=server.base_url)
                started = time.perf_counter()
                synthetic_site(seed_site, site, args.count, Pools.make(args.seed))
                what = f"a synthetic site of {args.count} document pages (made in {time.perf_counter() - started:.0f} s)"
            shutil.rmtree(site / "pagefind", ignore_errors=True)
            cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
            report = index_site(site)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu_s = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
            bundle = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
            print(f"{what}: Pagefind indexed {report.pages} pages in {report.seconds:.1f} s "
                  f"(target <= {TARGET_INDEX_S:.0f} s: {'met' if report.seconds <= TARGET_INDEX_S else 'NOT met'}); "
                  f"Pagefind's CPU time {cpu_s:.1f} s, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
                  f"index {bundle / 1e6:.1f} MB on disk; search_index.json present: "
                  f"{(site / 'search' / 'search_index.json').exists()}", flush=True)
            for label, transfer, seconds in measure(server):
                print(f"  {label}\n    Pagefind's files and the search script {transfer.search / 1000:6.1f} KB, "
                      f"other files {transfer.page / 1000:6.1f} KB, {transfer.requests} requests; results shown after "
                      f"{seconds:.2f} s", flush=True)
                if args.files:
                    print("\n".join("      " + f for f in sorted(transfer.files, reverse=True)))
        print(f"targets: a first query <= {TARGET_KB} KB of search files, results within {TARGET_S:.0f} s")


if __name__ == "__main__":
    main()
