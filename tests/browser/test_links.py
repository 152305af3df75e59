"""Every internal link and asset of the published site resolves: a plain-HTTP crawl, no browser.

The site is served under /telegram-edition/ as GitHub Pages serves a project site, so a
link that forgets the sub-path (an absolute /assets/... say) breaks here as it would there.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from conftest import PREFIX, SiteServer, html_pages

# (tag, attribute) pairs a reader's browser follows or fetches.
FOLLOWED = {("a", "href"), ("a", "xlink:href"), ("link", "href"), ("script", "src"), ("img", "src")}
# <link> relations that are metadata, not fetched (schema.DC names a vocabulary, canonical may be elsewhere).
NOT_FETCHED_RELS = {"canonical", "schema.dc", "alternate"}
MAX_URLS = 5_000


@dataclass
class PageLinks(HTMLParser):
    """The followed links and the ids of one HTML page."""

    links: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, url, rel)
    ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name, value in values.items():
            if (tag, name) in FOLLOWED and value.strip():
                self.links.append((tag, value.strip(), values.get("rel", "").lower()))


@dataclass
class Fetched:
    status: int
    content_type: str
    body: bytes


def fetch(url: str) -> Fetched:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own loopback server
            return Fetched(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Fetched(error.code, error.headers.get_content_type(), error.read())


def parse(body: bytes) -> PageLinks:
    page = PageLinks()
    page.feed(body.decode("utf-8"))
    page.close()
    return page


@dataclass
class Crawl:
    """Breadth-first over the site from every HTML page; records every broken reference."""

    server: SiteServer
    pages: dict[str, PageLinks] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    references: list[tuple[str, str, str]] = field(default_factory=list)  # (page, tag, absolute url)
    foreign_assets: list[str] = field(default_factory=list)

    def internal(self, url: str) -> bool:
        return urlsplit(url)[:2] == urlsplit(self.server.origin)[:2]

    def run(self, start: list[str]) -> None:
        queue = list(start)
        while queue:
            url = queue.pop(0)
            if url in self.status:
                continue
            assert len(self.status) < MAX_URLS, "the crawl does not end"
            got = fetch(url)
            self.status[url] = got.status
            if got.status != 200 or got.content_type != "text/html":
                continue
            self.pages[url] = page = parse(got.body)
            for tag, raw, rel in page.links:
                absolute = urljoin(url, raw)
                target, _ = urldefrag(absolute)
                if tag == "link" and NOT_FETCHED_RELS & set(rel.split()):
                    continue
                if not self.internal(absolute):
                    if tag != "a" and absolute.startswith(("http:", "https:", "//")):
                        self.foreign_assets.append(f"{url}: <{tag}> {absolute}")
                    continue
                self.references.append((url, tag, absolute))
                queue.append(target)

    def broken(self) -> list[str]:
        found = []
        for page, tag, absolute in self.references:
            target, fragment = urldefrag(absolute)
            if not urlsplit(target).path.startswith(PREFIX):
                found.append(f"{page}: <{tag}> {absolute} is outside {PREFIX}")
            elif self.status.get(target) != 200:
                found.append(f"{page}: <{tag}> {absolute} answers {self.status.get(target)}")
            elif fragment and target in self.pages and fragment not in self.pages[target].ids:
                found.append(f"{page}: <{tag}> {absolute}: no element with id {fragment!r}")
        return sorted(set(found))


def test_every_internal_link_and_asset_of_every_page_resolves(site: SiteServer, site_dir: Path) -> None:
    crawl = Crawl(site)
    start = html_pages(site_dir, site.base_url)
    crawl.run(start)
    assert crawl.broken() == []
    assert crawl.foreign_assets == [], "assets are fetched from outside the site"
    assert set(start) <= set(crawl.pages), "an HTML page of the build cannot be read"
    documents = [u for u in crawl.pages if "/documents/" in u]
    assert len(documents) == len(list((site_dir / "documents").glob("*/index.html"))) > 0
    assert sum(tag in {"link", "script"} for _, tag, _ in crawl.references) > len(crawl.pages)


def test_unknown_address_answers_the_404_page_whose_links_work_at_any_depth(site: SiteServer,
                                                                         site_dir: Path) -> None:
    assert (site_dir / "404.html").is_file()
    deep = site.base_url + "no/such/page/"
    got = fetch(deep)
    assert got.status == 404 and got.content_type == "text/html"
    page = parse(got.body)
    assert any(tag == "link" for tag, _, _ in page.links)
    crawl = Crawl(site)
    for tag, raw, rel in page.links:
        absolute = urljoin(deep, raw)
        target, fragment = urldefrag(absolute)
        if target == deep:  # a link within the 404 page itself (a skip link)
            assert fragment in page.ids, f"the 404 page links to #{fragment}, which it lacks"
            continue
        if crawl.internal(absolute) and not (tag == "link" and NOT_FETCHED_RELS & set(rel.split())):
            crawl.references.append((deep, tag, absolute))
            crawl.status[target] = fetch(target).status
    assert crawl.references and crawl.broken() == []


def test_a_broken_link_is_reported(site: SiteServer) -> None:
    """The crawler itself: a missing page and a missing anchor are both caught."""
    crawl = Crawl(site)
    crawl.run([site.base_url])
    crawl.references.append((site.base_url, "a", site.base_url + "documents/no-such-telegram/"))
    crawl.references.append((site.base_url, "a", site.base_url + "#no-such-anchor"))
    crawl.references.append((site.base_url, "img", site.origin + "/assets/outside.png"))
    crawl.status.setdefault(site.base_url + "documents/no-such-telegram/",
                            fetch(site.base_url + "documents/no-such-telegram/").status)
    broken = crawl.broken()
    assert len(broken) == 3, broken
