"""Small static SVG pictures: a bar chart, a correspondence diagram, a map from coordinates.

Colours are presentation attributes (``currentColor`` for text and lines, so the
pictures follow the light and dark schemes) rather than rules in the stylesheet.

No script, no tiles, no request: each picture is text in the page, with a ``<title>``
and ``<desc>`` for screen readers and a table beside it holding the same facts.
Every string from data passes through :func:`escape.html`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import escape

FROZEN = {"frozen": True, "slots": True, "kw_only": True}


@dataclass(**FROZEN)
class Bar:
    label: str
    value: int


@dataclass(**FROZEN)
class Flow:
    """One pair of the correspondence picture: who wrote to whom, how often."""

    source: str
    target: str
    value: int
    source_href: str | None = None
    target_href: str | None = None


@dataclass(**FROZEN)
class Point:
    """A place on the map, linked to its page."""

    label: str
    lat: float
    lon: float
    value: int
    href: str | None = None


def _open(ident: str, width: float, height: float, title: str, desc: str, links: bool = False) -> str:
    """The opening tag: a picture is an image, or a group when it holds links (an image's
    content is hidden from assistive technology, and links in it could not be reached)."""
    role = "group" if links else "img"
    return (f'<svg class="edition-svg" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" role="{role}" '
            f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink">'
            f'<title id="{ident}-title">{escape.html(title)}</title><desc id="{ident}-desc">{escape.html(desc)}</desc>')


def _link(href: str | None, inner: str, label: str) -> str:
    if not href:
        return inner
    # xlink:href, not href: Material's instant navigation rewrites every [href] element's
    # href property, which an SVG link only has as a read-only getter.
    return f'<a xlink:href="{escape.attr(href)}" aria-label="{escape.attr(label)}">{inner}</a>'


def bar_chart(ident: str, bars: Sequence[Bar], title: str) -> str:
    """Vertical bars, one per period, with the first and last labels and the peak value."""
    if not bars:
        return ""
    top = max(b.value for b in bars) or 1
    step = max(4.0, min(40.0, 560 / len(bars)))
    width, height, base = step * len(bars) + 40, 140, 110
    desc = "; ".join(f"{b.label}: {b.value}" for b in bars if b.value)
    parts = [_open(ident, width, height, title, desc)]
    parts.append(f'<line x1="30" y1="{base}" x2="{width - 5:.0f}" y2="{base}" class="edition-svg-axis" stroke="currentColor" stroke-opacity="0.5"/>')
    parts.append(f'<text x="26" y="{base - 96}" text-anchor="end" class="edition-svg-small" fill="currentColor" font-size="10">{top}</text>')
    for n, bar in enumerate(bars):
        h = 95 * bar.value / top
        x = 32 + n * step
        parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{max(step - 2, 1):.1f}" height="{h:.1f}" '
                     f'class="edition-svg-bar" fill="#5b7fa3"><title>{escape.html(f"{bar.label}: {bar.value}")}</title></rect>')
    labels = {0: bars[0].label, len(bars) - 1: bars[-1].label}
    for n, label in labels.items():
        anchor = "start" if n == 0 else "end"
        x = 32 + n * step + (0 if n == 0 else step)
        parts.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="{anchor}" class="edition-svg-small" fill="currentColor" font-size="10">'
                     f'{escape.html(label)}</text>')
    return "".join(parts) + "</svg>"


def flow_diagram(ident: str, flows: Sequence[Flow], title: str) -> str:
    """Writers on the left, addressees on the right, a line per pair as thick as its count."""
    if not flows:
        return ""
    left = list(dict.fromkeys(f.source for f in flows))
    right = list(dict.fromkeys(f.target for f in flows))
    rows = max(len(left), len(right))
    height, width, row = 30 + rows * 26, 720, 26
    top = max(f.value for f in flows)
    desc = "; ".join(f"{f.source} to {f.target}: {f.value}" for f in flows)
    parts = [_open(ident, width, height, title, desc, links=any(f.source_href or f.target_href for f in flows))]
    y_left = {name: 25 + n * row for n, name in enumerate(left)}
    y_right = {name: 25 + n * row for n, name in enumerate(right)}
    for f in flows:
        stroke = 1 + 7 * f.value / top
        parts.append(f'<path d="M 250 {y_left[f.source] - 4} C 360 {y_left[f.source] - 4}, 360 '
                     f'{y_right[f.target] - 4}, 470 {y_right[f.target] - 4}" class="edition-svg-flow" fill="none" stroke="#5b7fa3" stroke-opacity="0.6" '
                     f'stroke-width="{stroke:.1f}"><title>{escape.html(f"{f.source} to {f.target}: {f.value}")}'
                     f'</title></path>')
    hrefs = {f.source: f.source_href for f in flows} | {f.target: f.target_href for f in flows}
    for name, y in y_left.items():
        text = f'<text x="244" y="{y}" text-anchor="end" class="edition-svg-label" fill="currentColor" font-size="12">{escape.html(name[:38])}</text>'
        parts.append(_link(hrefs.get(name), text, name))
    for name, y in y_right.items():
        text = f'<text x="476" y="{y}" class="edition-svg-label" fill="currentColor" font-size="12">{escape.html(name[:38])}</text>'
        parts.append(_link(hrefs.get(name), text, name))
    return "".join(parts) + "</svg>"


def map_svg(ident: str, points: Sequence[Point], title: str,
            bounds: tuple[float, float, float, float] | None = None) -> str:
    """Places as dots on a plain longitude/latitude grid (equirectangular), each linked."""
    if not points:
        return ""
    west, south, east, north = bounds or _bounds(points)
    width = 720.0
    height = max(200.0, min(560.0, width * (north - south) / max(east - west, 1e-6)))
    sx, sy = width / (east - west), height / (north - south)
    grid = _grid_step(east - west)
    desc = "; ".join(f"{p.label} ({p.lat:.2f}, {p.lon:.2f}): {p.value}" for p in points)
    parts = [_open(ident, width, height, title, desc, links=any(p.href for p in points)), f'<rect width="{width:.0f}" height="{height:.0f}" class="edition-svg-sea" fill="#5b7fa3" fill-opacity="0.08"/>']
    lon = (west // grid + 1) * grid
    while lon < east:
        x = (lon - west) * sx
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height:.0f}" class="edition-svg-grid" stroke="currentColor" stroke-opacity="0.15"/>'
                     f'<text x="{x + 2:.1f}" y="{height - 4:.0f}" class="edition-svg-small" fill="currentColor" font-size="10">{_degrees(lon, "E", "W")}</text>')
        lon += grid
    lat = (south // grid + 1) * grid
    while lat < north:
        y = (north - lat) * sy
        parts.append(f'<line x1="0" y1="{y:.1f}" x2="{width:.0f}" y2="{y:.1f}" class="edition-svg-grid" stroke="currentColor" stroke-opacity="0.15"/>'
                     f'<text x="2" y="{y - 2:.1f}" class="edition-svg-small" fill="currentColor" font-size="10">{_degrees(lat, "N", "S")}</text>')
        lat += grid
    top = max(p.value for p in points) or 1
    placed: list[tuple[float, float, float, float]] = []
    for p in sorted(points, key=lambda p: (-p.value, p.label)):
        x, y = (p.lon - west) * sx, (north - p.lat) * sy
        r = 3 + 5 * (p.value / top) ** 0.5
        box = (x + r + 2, y - 8, x + r + 2 + 7 * len(p.label), y + 5)
        # A label that would overlap one already drawn is left out; the dot keeps its name for
        # screen readers and on hover, and the table below the map lists every place.
        label = "" if any(_overlap(box, other) for other in placed) else (
            f'<text x="{box[0]:.1f}" y="{y + 4:.1f}" class="edition-svg-label" fill="currentColor" font-size="12">'
            f'{escape.html(p.label)}</text>')
        if label:
            placed.append(box)
        dot = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="edition-svg-dot" fill="#d84315" fill-opacity="0.8">'
               f'<title>{escape.html(f"{p.label}: {p.value} documents")}</title></circle>{label}')
        parts.append(_link(p.href, dot, f"{p.label}: {p.value} documents"))
    return "".join(parts) + "</svg>"


def _bounds(points: Sequence[Point]) -> tuple[float, float, float, float]:
    lats, lons = [p.lat for p in points], [p.lon for p in points]
    pad_lon, pad_lat = max(2.0, (max(lons) - min(lons)) * 0.08), max(2.0, (max(lats) - min(lats)) * 0.12)
    return (max(-180.0, min(lons) - pad_lon), max(-90.0, min(lats) - pad_lat),
            min(180.0, max(lons) + pad_lon * 2.5), min(90.0, max(lats) + pad_lat))


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _grid_step(span: float) -> float:
    return next((s for s in (1.0, 2.0, 5.0, 10.0, 20.0, 30.0) if span / s <= 12), 45.0)


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):g}°{positive if value >= 0 else negative}"
