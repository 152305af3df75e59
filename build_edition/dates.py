"""Reading the many date and time notations of the forms, and resolving them.

A notation is first *read* into every calendar date it could mean (``10.01.50``
is 10 January or 1 October 1950; ``17.7`` has no year). It is then *resolved*
against the document's own dates: the reading closest to them wins, and the
caller is told when a choice was made so it can say so to the editor.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12}
_MONTH_RE = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mdy-slash", re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{2}|\d{4})\b")),
    ("dotted", re.compile(r"\b(?P<a>\d{1,2})\.(?P<b>\d{1,2}|[IVX]{1,4})\.(?P<year>\d{4}|\d{2})(?!\d)")),
    ("month-first", re.compile(r"\b" + _MONTH_RE + r"\s+(?P<a>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I)),
    ("day-first", re.compile(r"\b(?P<a>\d{1,2})\s+" + _MONTH_RE + r"(?:,?\s+(?P<year>\d{4}))?\b", re.I)),
    ("dotted-no-year", re.compile(r"(?<![\d.:])(?P<a>\d{1,2})\.(?P<b>\d{1,2}|[IVX]{1,4})(?![\d.:]|\.\d)")),
)
_TIME_COLON = re.compile(r"\b(?P<h>\d{1,2}):(?P<m>\d{2})(?:\s*(?P<mer>[ap])\.?\s*m\b\.?)?", re.I)
_TIME_MILITARY = re.compile(r"(?<![\d.:/])(?P<h>[0-2]\d)(?P<m>[0-5]\d)(?=\s+\d{1,2}\s+[A-Za-z])")


@dataclass(frozen=True, slots=True, kw_only=True)
class DateReading:
    """Every (year or None, month, day) a notation can mean, most natural first."""

    candidates: tuple[tuple[int | None, int, int], ...]
    original: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeReading:
    hour: int
    minute: int
    original: str
    redundant_meridiem: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    """The date chosen for a reading and, when a choice was made, why."""

    date: dt.date
    problem: str | None = None
    alternative: dt.date | None = None


def find_date(text: str) -> DateReading | None:
    """The first date notation in ``text``, or None."""
    found: list[DateReading] = []
    for style, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            reading = _reading(style, match)
            if reading is not None:
                found.append(reading)
                break
    return min(found, key=lambda r: (r.start, -(r.end - r.start)), default=None)


def find_all_dates(text: str) -> list[DateReading]:
    """Every non-overlapping date notation in ``text``, in order."""
    found: list[DateReading] = []
    rest = 0
    while (reading := find_date(text[rest:])) is not None:
        found.append(DateReading(candidates=reading.candidates, original=reading.original,
                                 start=reading.start + rest, end=reading.end + rest))
        rest += reading.end
    return found


def find_time(text: str) -> TimeReading | None:
    """The first clock time in ``text`` (``20:35 p.m.``, ``0:35 a.m.``, ``2035 30 September``)."""
    match = _TIME_COLON.search(text)
    if match:
        hour, minute, meridiem = int(match["h"]), int(match["m"]), (match["mer"] or "").lower()
        redundant = bool(meridiem) and hour > 12
        if meridiem == "p" and hour < 12:
            hour += 12
        elif meridiem == "a" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            return TimeReading(hour=hour, minute=minute, original=match[0].strip(), redundant_meridiem=redundant)
    match = _TIME_MILITARY.search(text)
    if match and int(match["h"]) < 24:
        return TimeReading(hour=int(match["h"]), minute=int(match["m"]), original=match[0])
    return None


def resolve(reading: DateReading, reference: dt.date | None) -> Resolution | None:
    """Pick the calendar date ``reading`` means, closest to ``reference``."""
    options = _options(reading, reference)
    if not options:
        return None
    if reference is None:
        return Resolution(date=options[0])
    best = min(options, key=lambda d: (abs((d - reference).days), options.index(d)))
    if len({c[1:] for c in reading.candidates}) > 1:
        other = next((d for d in options if (d.month, d.day) != (best.month, best.day)), None)
        return Resolution(date=best, problem="ambiguous-date", alternative=other)
    stated_year = reading.candidates[0][0]
    if stated_year is not None and abs(stated_year - reference.year) > 1:
        corrected = _safe_date(reference.year, best.month, best.day)
        if corrected is not None:
            return Resolution(date=corrected, problem="year-inconsistent", alternative=best)
    return Resolution(date=best)


def _options(reading: DateReading, reference: dt.date | None) -> list[dt.date]:
    options: list[dt.date] = []
    for year, month, day in reading.candidates:
        years = [year] if year is not None else _years_near(reference)
        for y in years:
            date = _safe_date(y, month, day)
            if date is not None and date not in options:
                options.append(date)
    return options


def _years_near(reference: dt.date | None) -> list[int]:
    if reference is None:
        return []
    return [reference.year, reference.year - 1, reference.year + 1]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return 1900 + value if value < 100 else value


def _number_or_roman(text: str) -> tuple[int, bool]:
    if text.isdigit():
        return int(text), False
    return ROMAN.get(text, 0), True


def _reading(style: str, match: re.Match[str]) -> DateReading | None:
    year = _year(match.groupdict().get("year"))
    a = int(match["a"])
    if style == "mdy-slash":
        candidates = [(year, a, int(match["b"]))]
    elif style in ("dotted", "dotted-no-year"):
        b, roman = _number_or_roman(match["b"])
        candidates = [(year, b, a)]
        if not roman and a <= 12 and b <= 12 and a != b:
            candidates.append((year, a, b))
    else:
        candidates = [(year, MONTHS[match["month"].lower()], a)]
    valid = tuple(c for c in candidates if 1 <= c[1] <= 12 and 1 <= c[2] <= 31)
    if not valid:
        return None
    return DateReading(candidates=valid, original=match[0], start=match.start(), end=match.end())


_HOUR_MERIDIEM = re.compile(r"(?<![\d:.])(?P<h>\d{1,2})\s*(?P<mer>[ap])\.\s*m\.?", re.I)
_NOON = re.compile(r"\b(?P<word>noon|midnight)\b", re.I)


def dateline_time(text: str) -> TimeReading | None:
    """The time of a dateline (``March 12, 1951—7 p. m.``, ``—4:55 p. m.``, ``—noon``).

    FRUS datelines give the hour alone with a.m./p.m., or say noon or midnight,
    which running text rarely does; so this is kept apart from ``find_time``.
    """
    found = find_time(text)
    if found is not None:
        return found
    match = _HOUR_MERIDIEM.search(text)
    if match and 1 <= int(match["h"]) <= 12:
        hour = int(match["h"]) % 12 + (12 if match["mer"].lower() == "p" else 0)
        return TimeReading(hour=hour, minute=0, original=match[0].strip())
    match = _NOON.search(text)
    if match:
        return TimeReading(hour=12 if match["word"].lower() == "noon" else 0, minute=0, original=match[0])
    return None


_FILE_DATE = re.compile(r"/(?P<month>\d{1,2})\s*[–—\-]\s*(?P<day>\d{1,2})(?P<year>\d{2})$")


def file_number_date(file_number: str) -> dt.date | None:
    """The date in a State Department decimal file number: ``795.00/7–2051`` -> 20 July 1951.

    The part after the slash is month, dash, day and the year's last two digits.
    """
    match = _FILE_DATE.search(file_number.strip())
    if not match:
        return None
    return _safe_date(1900 + int(match["year"]), int(match["month"]), int(match["day"]))
