"""A synthetic collection of any size, made from every source shape the project reads.

The templates are the seeds (``seeds/*.txt``, with a corrections file where a seed has
one) and the real texts under ``../shared/corpus/`` (Wilson Center PDF texts and page
scrapes, FRUS TEI document fragments, FRUS web texts). Copy ``n`` is template
``n % len(templates)`` rewritten where its text states them:

- every date the text writes in a form we recognise (``September 29, 1950``,
  ``3 February 1949``, ``13.June.1951``, ``09/30/50``, ``17.7.52``, ISO in TEI
  attributes and corrections files, day-and-month without a year, month and year) is
  moved by the same number of days, so that the copy's first date lands on a day drawn
  from 1949-1953 and its transmission times stay in order;
- every telegram number (after ``No.``, ``Nº``, ``#``, ``telegram``, ``Deptel``, a FRUS
  paragraph's leading ``1324.``) and every archive record id becomes a new number of the
  same length, the same one wherever it recurs;
- every name of a small list of real people of the period (Soviet, Chinese, Korean and
  American) is replaced, in its case style (``Shtykov``, ``SHTYKOV``, ``S H T Y K O V``),
  by another name of the same list, one-to-one, so senders and recipients vary.

Everything is drawn from ``random.Random`` seeded by the copy's number: copy ``n`` is the
same text whatever the size of the collection, on every machine.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if not (SHARED / "corpus").is_dir():  # the benchmark run from /work/main or a worktree beside ../shared
    SHARED = Path("/work/shared")
CORPUS = SHARED / "corpus"

FIRST_DAY = dt.date(1949, 1, 1)
LAST_DAY = dt.date(1953, 12, 31)
SEED = 1950


@dataclass(frozen=True, slots=True, kw_only=True)
class Template:
    """One real source the copies are made from."""

    path: Path
    shape: str  # short label used in the copies' file names
    sidecar: Path | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SyntheticSource:
    """One copy: its file name, its text and, if its template has one, its corrections file."""

    name: str
    text: str
    sidecar: str | None = None
    template: Path


def templates() -> tuple[Template, ...]:
    """Every template, in a fixed order: the seeds, then each corpus folder."""
    found: list[Template] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        yml = path.with_suffix(".yml")
        found.append(Template(path=path, shape="seed", sidecar=yml if yml.is_file() else None))
    folders = (("wilson-pdf-text", "*.txt", "pdf-text"), ("wilson-page", "*.txt", "wilson-page"),
               ("frus-web", "*.txt", "frus-web"), ("frus-tei", "*_d*.xml", "frus-tei"))
    for folder, pattern, shape in folders:
        found += [Template(path=p, shape=shape) for p in sorted((CORPUS / folder).glob(pattern))]
    return tuple(found)


# --- dates -----------------------------------------------------------------------------

_FULL = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December")
_MONTH_NO = {m.lower(): n for n, m in enumerate(_FULL, 1)} | {m[:3].lower(): n for n, m in enumerate(_FULL, 1)}
_MONTH_NO["sept"] = 9
_ABBREVIATIONS = {m[:3].lower() for m in _FULL if m != "May"} | {"sept"}
_ANY_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
             r"JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|" \
             r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_YEAR = r"1[89]\d\d"
_DATES = re.compile(rf"""
    (?P<iso>(?<![\d-])(?P<iso_y>{_YEAR})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)(?!\d))
  | (?P<num>(?<![\d./])(?P<num_a>\d{{1,2}})(?P<num_s>[./])(?P<num_b>\d{{1,2}})(?P=num_s)(?P<num_y>\d\d(?:\d\d)?)(?![\d]|[./]\d))
  | (?P<dmy>(?<![\d.])(?P<dmy_d>\d{{1,2}})(?:\s+|\.)(?P<dmy_m>{_ANY_MONTH})(?:\.?\s+|\.|,\s*)(?P<dmy_y>{_YEAR})(?!\d))
  | (?P<mdy>(?<![\w])(?P<mdy_m>{_ANY_MONTH})\.?\s+(?P<mdy_d>\d{{1,2}})(?:,\s*|\s+)(?P<mdy_y>{_YEAR})(?!\d))
  | (?P<md>(?<![\w])(?P<md_m>{_ANY_MONTH})\.?\s+(?P<md_d>\d{{1,2}})(?![\d:]))
  | (?P<dm>(?<![\d.])(?P<dm_d>\d{{1,2}})\s+(?P<dm_m>{_ANY_MONTH})(?![a-z]))
""", re.X)


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else 1900 + int(text)


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest(candidates: Sequence[dt.date | None], ref: dt.date | None) -> dt.date | None:
    valid = [c for c in candidates if c is not None]
    if not valid:
        return None
    return min(valid, key=lambda c: abs((c - ref).days)) if ref else valid[0]


def _read_date(m: re.Match[str], ref: dt.date | None) -> dt.date | None:
    """The date a match writes; a numeric date in whichever order lies nearer ``ref``."""
    kind = m.lastgroup
    g = m.group
    if kind == "iso":
        return _day(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
    if kind == "num":
        a, b, y = int(g("num_a")), int(g("num_b")), _year(g("num_y"))
        return _nearest((_day(y, a, b), _day(y, b, a)), ref)
    if kind in ("dmy", "mdy"):
        return _day(int(g(f"{kind}_y")), _MONTH_NO[g(f"{kind}_m").lower()], int(g(f"{kind}_d")))
    if ref is None:  # a day and month without a year: the year nearest the document's date
        return None
    month, day = _MONTH_NO[g(f"{kind}_m").lower()], int(g(f"{kind}_d"))
    return _nearest([_day(ref.year + k, month, day) for k in (-1, 0, 1)], ref)


def _month_like(original: str, month: int) -> str:
    """A month name written as ``original`` is: full or abbreviated, capitals or not."""
    name = _FULL[month - 1]
    if original.lower() in _ABBREVIATIONS:
        name = name[:3]
    return name.upper() if original.isupper() else name


def _year_like(original: str, year: int) -> str:
    return str(year) if len(original) == 4 else f"{year % 100:02d}"


def _write_date(m: re.Match[str], old: dt.date, new: dt.date) -> str:
    """The match's text with its day, month and year parts replaced by ``new``'s."""
    kind = m.lastgroup
    assert kind is not None
    parts: dict[str, str] = {}
    if kind == "iso":
        parts = {"iso_y": f"{new.year:04d}", "iso_m": f"{new.month:02d}", "iso_d": f"{new.day:02d}"}
    elif kind == "num":
        a = m.group("num_a")
        day_first = int(a) == old.day and int(m.group("num_b")) == old.month
        first, second = (new.day, new.month) if day_first else (new.month, new.day)
        padded = m.group("num_s") == "/" or a.startswith("0") or m.group("num_b").startswith("0")
        parts = {"num_a": _pad(a, first, padded), "num_b": _pad(m.group("num_b"), second, padded),
                 "num_y": _year_like(m.group("num_y"), new.year)}
    else:
        for field, value in (("d", new.day), ("m", new.month), ("y", new.year)):
            name = f"{kind}_{field}"
            if name not in m.re.groupindex or m.group(name) is None:
                continue
            original = m.group(name)
            parts[name] = (_month_like(original, value) if field == "m" else
                           _year_like(original, value) if field == "y" else _pad(original, value))
    text, start = m.group(0), m.start()
    for name in sorted(parts, key=lambda n: m.start(n), reverse=True):
        a, b = m.start(name) - start, m.end(name) - start
        text = text[:a] + parts[name] + text[b:]
    return text


def _pad(original: str, value: int, padded: bool = False) -> str:
    """A day or month number as wide as the source writes it (``03``, ``3``)."""
    return f"{value:02d}" if len(original) == 2 and (padded or original.startswith("0")) else str(value)


_PERIOD_YEAR = re.compile(r"(?<!\d)19[45]\d(?!\d)")


def first_date(text: str, name: str = "") -> dt.date | None:
    """The template's own date: the first full date its text writes.

    A text cut off before its date line (the page scrapes) gets its first day and month
    in the first year of the period its text or file name mentions.
    """
    for m in _DATES.finditer(text):
        if m.lastgroup in ("iso", "num", "dmy", "mdy"):
            found = _read_date(m, None)
            if found is not None:
                return found
    year = _PERIOD_YEAR.search(text) or _PERIOD_YEAR.search(name)
    if year is None:
        return None
    for m in _DATES.finditer(text):
        found = _read_date(m, dt.date(int(year.group(0)), 7, 1))
        if found is not None:
            return found
    return None


# --- telegram numbers and record ids --------------------------------------------------

_MARKED_NUMBER = re.compile(
    r"(?:N[oO][.:]?|N[º°]|№|#|[Tt]elegram|TELEGRAM|Deptel|Urtel|Embtel|Mytel|Ourtel|Cable|CABLE)\s*(?P<n>\d{3,7})(?!\d)"
    r"|^(?:\s*<p>)?\s*(?P<lead>\d{3,5})\.\s"
    r"|/document/(?P<record>\d{4,7})(?!\d)", re.M)


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.startswith(("18", "19"))


@functools.lru_cache(maxsize=512)
def _numbers_found(text: str) -> tuple[str, ...]:
    """The telegram numbers and record ids of ``text``, in the order it first writes them."""
    found: list[str] = []
    for m in _MARKED_NUMBER.finditer(text):
        number = m.group("n") or m.group("lead") or m.group("record")
        if not _is_year(number) and number not in found:
            found.append(number)
    return tuple(found)


def number_map(text: str, rng: random.Random) -> dict[str, str]:
    """A new number of the same length for each telegram number and record id of ``text``."""
    mapping: dict[str, str] = {}
    for number in _numbers_found(text):
        while True:
            new = str(rng.randrange(10 ** (len(number) - 1), 10 ** len(number)))
            if new != number and not _is_year(new) and new not in mapping.values():
                break
        mapping[number] = new
    return mapping


# --- people ----------------------------------------------------------------------------

# Real people of the period, by group; a name is only ever replaced by one of its group.
# Each entry: the full form, and the short form the texts also use (or None).
PEOPLE: dict[str, tuple[tuple[str, str | None], ...]] = {
    "soviet": tuple((name, None) for name in (
        "Stalin", "Molotov", "Malenkov", "Beria", "Mikoyan", "Kaganovich", "Bulganin", "Khrushchev",
        "Vyshinsky", "Gromyko", "Shtykov", "Razuvaev", "Roshchin", "Zakharov", "Krasovsky", "Vasilevsky",
        "Shtemenko", "Sokolovsky", "Kovalev", "Zorin", "Malik", "Panyushkin", "Voroshilov", "Suslov",
        "Fedorenko", "Filippov", "Malinovsky", "Podtserob", "Andreev", "Grachev")),
    "american": tuple((name, None) for name in (
        "Acheson", "Austin", "Gifford", "Gross", "Hickerson", "Muccio", "Ridgway", "MacArthur", "Webb",
        "Rusk", "Kirk", "Jessup", "Bohlen", "Kennan", "Lovett", "Harriman", "Dulles", "Truman", "Bradley",
        "Sebald", "Allison", "Cabot", "Spofford", "Linder")),
    "chinese": (
        ("Mao Zedong", "Mao"), ("Zhou Enlai", "Zhou"), ("Liu Shaoqi", "Liu"), ("Gao Gang", "Gao"),
        ("Peng Dehuai", "Peng"), ("Zhu De", "Zhu"), ("Ren Bishi", "Ren"), ("Nie Rongzhen", "Nie"),
        ("Chen Yun", None), ("Li Fuchun", None), ("Wang Jiaxiang", None), ("Lin Biao", "Lin"),
        ("Deng Xiaoping", "Deng"), ("Wu Xiuquan", None)),
    "korean": (
        ("Kim Il Sung", "Kim"), ("Pak Heon-yeong", "Pak"), ("Choe Yong-geon", "Choe"), ("Nam Il", None),
        ("Kim Chaek", None), ("Pak Il-u", None), ("Ho Ka-i", None), ("Kang Kon", "Kang"),
        ("Mu Chong", None), ("Hong Myong-hui", "Hong"), ("Syngman Rhee", "Rhee"), ("Paik Sun-yup", "Paik")),
}


def _styles(form: str) -> Iterator[tuple[str, Callable[[str], str]]]:
    """The case styles a form is written in, each with how to write another name that way."""
    yield form, lambda s: s
    yield form.upper(), str.upper
    if " " not in form and "-" not in form:
        yield " ".join(form.upper()), lambda s: " ".join(s.upper())


def _key(written: str) -> str:
    return " ".join(written.split())


def _written_forms() -> dict[str, tuple[str, int, bool, Callable[[str], str]]]:
    """Each way a listed name is written -> its group, its entry, whether short, its style."""
    forms: dict[str, tuple[str, int, bool, Callable[[str], str]]] = {}
    for group, entries in PEOPLE.items():
        for index, (full, short) in enumerate(entries):
            for form, is_short in ((full, False), (short, True)):
                if form is not None:
                    for written, style in _styles(form):
                        forms[written] = (group, index, is_short, style)
    return forms


_FORMS = _written_forms()
# One pattern for every form, longest first, a name's words across any run of white space.
_PEOPLE = re.compile(r"(?<![\w-])(" + "|".join(
    r"\s+".join(re.escape(part) for part in written.split(" ")) for written in sorted(_FORMS, key=len, reverse=True)
) + r")(?![\w-])")


@functools.lru_cache(maxsize=512)
def _people_found(text: str) -> frozenset[str]:
    return frozenset(_key(m.group(1)) for m in _PEOPLE.finditer(text))


def people_map(text: str, rng: random.Random) -> dict[str, str]:
    """Every listed name written in ``text`` (in any of its styles) -> its replacement, same style.

    Each group's names are shuffled among themselves: one-to-one, so no two people merge.
    """
    shuffled = {}
    for group, entries in PEOPLE.items():
        targets = list(entries)
        rng.shuffle(targets)
        shuffled[group] = targets
    mapping: dict[str, str] = {}
    for written in sorted(_people_found(text)):
        group, index, is_short, style = _FORMS[written]
        new_full, new_short = shuffled[group][index]
        mapping[written] = style((new_short or new_full.split()[0]) if is_short else new_full)
    return mapping


# --- one pass over a text ---------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class _Slot:
    """A place in a template's text that a copy rewrites: a date, a number or a name."""

    start: int
    end: int
    key: str  # the number, or the name as written (white space made single)
    date: re.Match[str] | None = None
    old: dt.date | None = None


@functools.lru_cache(maxsize=512)
def _slots(text: str, ref: dt.date | None, numbers: tuple[str, ...]) -> tuple[_Slot, ...]:
    """Every date, listed number and listed name of ``text``, found once per template."""
    found = [_Slot(start=m.start(), end=m.end(), key="", date=m, old=old)
             for m in _DATES.finditer(text) if (old := _read_date(m, ref)) is not None]
    if numbers:
        pattern = re.compile(r"(?<!\d)(" + "|".join(sorted(numbers, key=len, reverse=True)) + r")(?!\d)")
        found += [_Slot(start=m.start(), end=m.end(), key=m.group(1)) for m in pattern.finditer(text)]
    found += [_Slot(start=m.start(), end=m.end(), key=_key(m.group(1))) for m in _PEOPLE.finditer(text)]
    kept: list[_Slot] = []
    for slot in sorted(found, key=lambda s: (s.start, -s.end)):
        if not kept or slot.start >= kept[-1].end:  # a date first where a number or name overlaps it
            kept.append(slot)
    return tuple(kept)


def rewrite(text: str, ref: dt.date | None, days: int, numbers: dict[str, str], people: dict[str, str],
            numbers_of: str | None = None) -> str:
    """``text`` with its dates moved by ``days``, its numbers and names replaced.

    ``numbers_of``: the text whose numbers are looked for (a corrections file uses its source's).
    """
    out: list[str] = []
    at = 0
    for slot in _slots(text, ref, _numbers_found(text if numbers_of is None else numbers_of)):
        written = text[slot.start:slot.end]
        if slot.date is not None and slot.old is not None:
            new = _write_date(slot.date, slot.old, slot.old + dt.timedelta(days=days)) if days else written
        else:
            new = numbers.get(slot.key) or people.get(slot.key) or written
        out += [text[at:slot.start], new]
        at = slot.end
    out.append(text[at:])
    return "".join(out)


def shift_dates(text: str, ref: dt.date | None, days: int) -> str:
    """Every recognised date of ``text`` moved by ``days`` days."""
    return rewrite(text, ref, days, {}, {})


def replace_numbers(text: str, mapping: dict[str, str]) -> str:
    return rewrite(text, None, 0, mapping, {})


def replace_people(text: str, mapping: dict[str, str]) -> str:
    return rewrite(text, None, 0, {}, mapping)


# --- the collection --------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _template_text(path: Path) -> tuple[str, dt.date | None]:
    text = path.read_text(encoding="utf-8")
    return text, first_date(text, path.name)


def synthetic_source(n: int, all_templates: Sequence[Template] | None = None) -> SyntheticSource:
    """Copy number ``n``: the same text for the same ``n``, whatever the collection's size."""
    pool = tuple(all_templates) if all_templates is not None else templates()
    template = pool[n % len(pool)]
    rng = random.Random(f"{SEED}-{n}")
    text, ref = _template_text(template.path)
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    days = (day - ref).days if ref else 0
    sidecar_text = _template_text(template.sidecar)[0] if template.sidecar else None
    numbers = number_map(text, rng)
    people = people_map(text + "\n" + (sidecar_text or ""), rng)
    sidecar = rewrite(sidecar_text, ref, days, numbers, people, numbers_of=text) if sidecar_text is not None else None
    name = f"{day.isoformat()}-{template.shape}-{n:05d}{template.path.suffix}"
    return SyntheticSource(name=name, text=rewrite(text, ref, days, numbers, people), sidecar=sidecar,
                           template=template.path)


def write_source(folder: Path, source: SyntheticSource) -> Path:
    path = folder / source.name
    path.write_text(source.text, encoding="utf-8")
    if source.sidecar is not None:
        path.with_suffix(".yml").write_text(source.sidecar, encoding="utf-8")
    return path


def synthetic_corpus(folder: Path, count: int, start: int = 0) -> list[Path]:
    """Write copies ``start`` .. ``start + count - 1`` into ``folder``; returns their paths.

    Deterministic: the same call writes the same bytes on every machine.
    """
    folder.mkdir(parents=True, exist_ok=True)
    pool = templates()
    return [write_source(folder, synthetic_source(n, pool)) for n in range(start, start + count)]


def remove_source(path: Path) -> None:
    """Remove a copy and its corrections file, if any."""
    path.unlink()
    path.with_suffix(".yml").unlink(missing_ok=True)
