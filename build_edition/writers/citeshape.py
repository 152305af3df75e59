"""Citations rendered once per record *shape*, then filled in: the same text, a fraction of the time.

citeproc-py walks a style's whole tree for every item (Chicago's is 6,000 lines), about 12 ms
per document for the three styles. What a style does with an item depends on which variables
it has, a few facts of their values (numeric or not, the punctuation at their ends, the number
of names, the month's kind) and, for the text itself, only on the case changes applied to it.
So citeproc renders a *probe* item of the same shape, in which each text value is a marked
probe whose output shows which case change the style applied to it, and the date is a probe
date; the output is cut into literal parts and slots. A slot is filled with the real value,
changed as the probe was, by citeproc's own case functions.

A shape's template is trusted only after it reproduced another citeproc render exactly (another
date: another year, month and day). A record with a value that cannot be probed (one that begins
with punctuation or a stop word, a number with letters or leading zeros, a date before 1000) is
rendered by citeproc by itself, as before.
``tests/test_citations.py`` compares both ways on every seed and corpus document and a
synthetic collection.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from citeproc import model as citeproc_model
from citeproc.string import SEAM_PUNCTUATION, String

from ..pickling import fast_pickling_in

Render = Callable[[dict[str, Any], dt.date | None], tuple[str | None, str]]
"""citeproc's rendering of one (hidden) CSL-JSON item: the note (or None) and the entry."""

_NUMERIC = re.compile(r"^([A-Z]*\d+[A-Z]*)$", re.I)  # citeproc-py's is-numeric test
_MARKS = range(0xE100, 0xE200)
_MARKED = re.compile("[\ue100-\ue1ff]|probe-item")
_STOP = frozenset(citeproc_model.TextCased._stop_words)
_OPS: tuple[tuple[str, ...], ...] = ((), ("capitalize-first",), ("title",), ("lowercase",), ("uppercase",),
                                     ("capitalize-all",), ("title", "capitalize-first"),
                                     ("lowercase", "capitalize-first"))


class _Case(citeproc_model.TextCased):
    """citeproc's own case change, outside a style element."""

    def __init__(self, text_case: str) -> None:
        self.text_case = text_case

    def get(self, name: str, default: Any = None) -> Any:
        return self.text_case if name == "text-case" else default


_CASES = {name: _Case(name) for op in _OPS for name in op}


def _changed(text: str, op: tuple[str, ...]) -> str:
    out: Any = String(text)
    for name in op:
        out = _CASES[name].case(String(str(out)), "en")
    return str(out)


@functools.cache
def _probe(n: int) -> tuple[str, re.Pattern[str]]:
    """The n-th text probe (its words show any case change) and a pattern that finds it changed."""
    start, end = chr(_MARKS[2 * n]), chr(_MARKS[2 * n + 1])
    text = f"x{start}Q of xy Qq QQ{end}"
    pattern = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in text)
    return text, re.compile(pattern)


def _digits(n: int) -> str:
    return f"86420{n:03d}13579"


# By the month's kind: the probe date, then the check's, which differs in every part (a day of one
# digit and another ordinal suffix: a day written "02" or "27th" fails the check).
_DATES = {
    "dotted": (dt.date(9876, 11, 27), dt.date(8765, 9, 2)),
    "plain": (dt.date(9876, 6, 27), dt.date(8765, 7, 2)),
}
_PLAIN_MONTHS = (5, 6, 7)  # May, June, July: one form, no period


# --- a record's shape -----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Slot:
    """Where a value goes in a template: the value's number, and the case change to apply."""

    value: int
    op: tuple[str, ...] = ()
    tail: bool = False
    """The value's final punctuation is the template's: the value goes in without it."""
    part: str = ""
    """For a date: "year", "day", "month" or "month-short"."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Shaped:
    """An item reduced to its shape: the probe item, the values its probes stand for, and the key."""

    key: tuple[Any, ...]
    probe: dict[str, Any]
    values: tuple[str, ...]
    """Each probed value as it is (a final punctuation mark is the template's, cut when filling in)."""
    kinds: tuple[str, ...]
    """"text", "text-tail" (ends with punctuation) or "digits", for each value."""


def _text_kind(value: str) -> str:
    """How a text value is probed: "digits", "text", or "" (it cannot be)."""
    if not value:
        return ""
    if value.isascii() and value.isdigit() and not value.startswith("0"):
        return "digits"
    if _NUMERIC.match(value) or value[0] in SEAM_PUNCTUATION or value[0].isspace() or value[-1].isspace():
        return ""
    if _MARKED.search(value) or value.split()[0] in _STOP or len(value) < 2:
        return ""
    return "text"


class _Shaper:
    """Builds the probe item: each value replaced by its probe, noted in order."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.kinds: list[str] = []

    def text(self, value: str) -> tuple[Any, str] | None:
        kind = _text_kind(value)
        if not kind or len(self.values) >= len(_MARKS) // 2:
            return None
        n = len(self.values)
        if kind == "digits":
            self.values.append(value)
            self.kinds.append(kind)
            return ("digits",), _digits(n)
        tail = value[-1] if value[-1] in SEAM_PUNCTUATION else ""
        self.values.append(value)
        self.kinds.append("text-tail" if tail else "text")
        return ("text", tail), _probe(n)[0] + tail

    def value(self, value: Any) -> tuple[Any, Any] | None:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list) and value and all(isinstance(v, dict) and set(v) == {"literal"}
                                                     and isinstance(v["literal"], str) for v in value):
            names = [self.text(v["literal"]) for v in value]
            if any(n is None for n in names):
                return None
            return ("names", tuple(n[0] for n in names if n)), [{"literal": n[1]} for n in names if n]
        return None


def shape(item: dict[str, Any], date: dt.date | None) -> Shaped | None:
    """The shape of a hidden CSL-JSON item (``issued`` given as ``date``), or None if a value cannot be
    probed: such an item is rendered by itself (a shape never names a value, so there are few)."""
    if date is not None and date.year < 1000:
        return None
    shaper = _Shaper()
    key: list[Any] = []
    probe: dict[str, Any] = {}
    for name in sorted(item):
        if name == "id":
            probe[name] = "probe-item"
        elif name == "type":  # the style's choices depend on it: kept as it is
            probe[name] = item[name]
            key.append((name, item[name]))
        else:
            probed = shaper.value(item[name])
            if probed is None:
                return None
            key.append((name, probed[0]))
            probe[name] = probed[1]
    if date is not None:
        key.append(("issued", _date_key(date)))
    return Shaped(key=tuple(key), probe=probe, values=tuple(shaper.values), kinds=tuple(shaper.kinds))


def _date_key(date: dt.date) -> tuple[Any, ...]:
    return ("plain" if date.month in _PLAIN_MONTHS else "dotted", date.day == 1)


def probe_dates(date: dt.date | None) -> tuple[dt.date | None, ...]:
    if date is None:
        return (None,)
    kind, first = _date_key(date)
    return tuple(d.replace(day=1) if first else d for d in _DATES[kind])


# --- a template ---------------------------------------------------------------------


Part = str | Slot


@dataclass(frozen=True, slots=True, kw_only=True)
class Template:
    note: tuple[Part, ...] | None
    entry: tuple[Part, ...]

    def fill(self, values: Sequence[str], date: dt.date | None, months: Months) -> tuple[str | None, str]:
        note = None if self.note is None else _fill(self.note, values, date, months)
        return note, _fill(self.entry, values, date, months)


@dataclass(frozen=True, slots=True, kw_only=True)
class Months:
    """A style's month names, long and short, by number (from its locale, through citeproc)."""

    long: tuple[str, ...]
    short: tuple[str, ...]


def _fill(parts: Sequence[Part], values: Sequence[str], date: dt.date | None, months: Months) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part.part:
            assert date is not None
            out.append(_date_part(part.part, date, months))
        else:
            # the case change sees the whole value: its last word's punctuation decides whether it is
            # a stop word ("and" stays lower case in a title, "and!" does not)
            value = _changed(values[part.value], part.op) if part.op else values[part.value]
            out.append(value[:-1] if part.tail else value)
    return "".join(out)


def _date_part(part: str, date: dt.date, months: Months) -> str:
    if part == "year":
        return str(date.year)
    if part == "day":
        return str(date.day)
    return (months.long if part == "month" else months.short)[date.month - 1]


def _cut(text: str, shaped: Shaped, date: dt.date | None, months: Months) -> tuple[Part, ...] | None:
    """``text`` (a render of the probe item) as literal parts and slots; None if a probe came out unknown."""
    parts: list[Part] = [text]
    for n, kind in enumerate(shaped.kinds):
        if kind == "digits":
            parts = _split(parts, re.compile(re.escape(_digits(n))), {_digits(n): Slot(value=n)})
            continue
        core, pattern = _probe(n)
        known = {_changed(core, op): Slot(value=n, op=op, tail=kind == "text-tail") for op in _OPS}
        if len(known) != len(_OPS):
            return None
        try:
            parts = _split(parts, pattern, known)
        except KeyError:  # a case change not among _OPS
            return None
    if date is not None:
        for name, word in (("year", str(date.year)), ("month", months.long[date.month - 1]),
                           ("month-short", months.short[date.month - 1]), ("day", str(date.day))):
            parts = _split(parts, re.compile(re.escape(word)), {word: Slot(value=-1, part=name)})
    if any(isinstance(p, str) and _MARKED.search(p) for p in parts):
        return None
    return tuple(parts)


def _split(parts: list[Part], pattern: re.Pattern[str], slots: dict[str, Slot]) -> list[Part]:
    """The literal parts cut where ``pattern`` matches, each match replaced by its slot in ``slots``."""
    out: list[Part] = []
    for part in parts:
        if not isinstance(part, str):
            out.append(part)
            continue
        last = 0
        for m in pattern.finditer(part):
            out += [part[last:m.start()], slots[m.group(0)]]
            last = m.end()
        out.append(part[last:])
    return [p for p in out if p != ""]


def template(shaped: Shaped, render: Render, months: Months, date: dt.date | None) -> Template | None:
    """The template of a shape, checked against citeproc's render of another date; None if it fails."""
    dates = probe_dates(date)
    first = render(shaped.probe, dates[0])
    note = None if first[0] is None else _cut(first[0], shaped, dates[0], months)
    entry = _cut(first[1], shaped, dates[0], months)
    if entry is None or (first[0] is not None and note is None):
        return None
    made = Template(note=note, entry=entry)
    probes = tuple(_digits(n) if kind == "digits" else _probe(n)[0] + shaped.values[n][-1] * (kind == "text-tail")
                   for n, kind in enumerate(shaped.kinds))
    for other in dates[1:]:
        if made.fill(probes, other, months) != render(shaped.probe, other):
            return None
    return made


fast_pickling_in(globals())
