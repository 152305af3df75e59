"""Every date and time notation of the seeds, read and resolved."""

from __future__ import annotations

import datetime as dt

import pytest

from build_edition import dates

REF_1950 = dt.date(1950, 9, 29)


@pytest.mark.parametrize(
    ("text", "reference", "expected", "problem"),
    [
        ("Sent from Pyongyang by wire on 09/30/50 at 20:35 p.m.", REF_1950, dt.date(1950, 9, 30), None),
        ("Deciphered by Mikhaylenko on 10/01/50 at 0:35 a.m.", REF_1950, dt.date(1950, 10, 1), None),
        ("This letter was cabled to Comrade Stalin on 10.01.50 at 12:50 p.m.", REF_1950, dt.date(1950, 10, 1), "ambiguous-date"),
        ("On 28.9.50, [A.I.] SHABSHIN", REF_1950, dt.date(1950, 9, 28), None),
        ("30.IX.50", REF_1950, dt.date(1950, 9, 30), None),
        ("from PYONGYANG sent at 2035 30 September 1950", REF_1950, dt.date(1950, 9, 30), None),
        ("received at 2332 30 September", REF_1950, dt.date(1950, 9, 30), None),
        ("Sent by Shcherbakova at 0145 1 October 1940 (26)", REF_1950, dt.date(1950, 10, 1), "year-inconsistent"),
        ("From Correspondent 20 Sent 17.7.52", dt.date(1952, 7, 16), dt.date(1952, 7, 17), None),
        ("18:45 Received 17.7 20:50", dt.date(1952, 7, 16), dt.date(1952, 7, 17), None),
        ("September 29, 1950", None, dt.date(1950, 9, 29), None),
        ("July 16, 1952", None, dt.date(1952, 7, 16), None),
        ("[stamp: Incoming No 3561/shs of 1 October 1950]", None, dt.date(1950, 10, 1), None),
        ("9 October 1950", None, dt.date(1950, 10, 9), None),
    ],
)
def test_date_is_read_and_resolved(text: str, reference: dt.date | None, expected: dt.date, problem: str | None) -> None:
    reading = dates.find_date(text)
    assert reading is not None
    resolution = dates.resolve(reading, reference)
    assert resolution is not None
    assert resolution.date == expected
    assert resolution.problem == problem


def test_ambiguous_date_keeps_the_other_reading() -> None:
    resolution = dates.resolve(dates.find_date("10.01.50"), REF_1950)
    assert resolution.alternative == dt.date(1950, 1, 10)


@pytest.mark.parametrize(
    ("text", "hour", "minute", "redundant"),
    [
        ("at 20:35 p.m.", 20, 35, True),
        ("at 0:35 a.m.", 0, 35, False),
        ("at 12:50 p.m.", 12, 50, False),
        ("at 1:45 a.m.", 1, 45, False),
        ("at 7:05 a.m.", 7, 5, False),
        ("at 15:50 p.m", 15, 50, True),
        ("sent at 2035 30 September 1950", 20, 35, False),
        ("Sent by Shcherbakova at 0145 1 October 1940", 1, 45, False),
        ("17.7 21:10", 21, 10, False),
    ],
)
def test_time_is_read(text: str, hour: int, minute: int, redundant: bool) -> None:
    time = dates.find_time(text)
    assert time is not None
    assert (time.hour, time.minute, time.redundant_meridiem) == (hour, minute, redundant)


def test_no_date_in_plain_prose() -> None:
    assert dates.find_date("I replied that I did not know the latest one.") is None
