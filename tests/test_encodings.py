"""Encodings, line endings and invisible whitespace: every variant reads the same.

Each test builds its bytes here from a seed-like snippet, so a failure shows
exactly which encoding or whitespace habit of an archive broke the reading.
"""

from __future__ import annotations

import codecs
import random
from dataclasses import dataclass

import pytest

from build_edition.model import Document
from build_edition.readers import choose_reader, read_document
from build_edition.source import SourceText, decode_source

# A Markdown export with typographic quotes, an accented Latin name and ``Nº``:
# everything Windows-1252 can hold.
LATIN = """**September 30, 1950**

**Ciphered Telegram, Shtykov to Gromyko on the “Instantsia” Letter**

**Citation:**

"Ciphered Telegram, Shtykov to Gromyko on the ‘Instantsia’ Letter", September 30, 1950, Wilson Center Digital Archive, APRF, fond 45, opis 1, delo 347, listy 50-51.

**Summary:**

Shtykov forwards Kim Il Sung’s request – with a note that Cde. Rákosi was told too.

**Original Language:**

Russian

**Contents:**

Translation - English

CIPHERED TELEGRAM {sign} 600305/sh

From: PYONGYANG

Sent on 09/30/50 at 21:10

Received in Moscow on 10/01/50 at 01:20

Deciphered by Vakushin on 10/01/50 at 02:05

Distribution list - 4 copies:

Stalin - 2, Molotov - 1, Gromyko - 1.

To Comrade GROMYKO

KIM IL SUNG asked me to pass on “the letter” to Comrade STALIN today without any delay.

S H T Y K O V

{sign} 1355
"""

# The same telegram with the Russian heading kept in the text and ``№``:
# everything Windows-1251 can hold.
CYRILLIC = LATIN.replace(
    "To Comrade GROMYKO",
    "To Comrade GROMYKO [in the original: «Товарищу ГРОМЫКО»]",
).replace(" – with a note that Cde. Rákosi was told too", " (Штыков сообщает)")

NO_BOM_UTF16 = ("utf-16-le", "utf-16-be")
BOM_CODECS = {
    "utf-8-sig": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """What a variant must agree on with the UTF-8 reading of the same text."""

    lines: tuple[tuple[int, str], ...]
    shape: str
    title: str | None
    date: str | None
    telegram_number: str | None
    outgoing_number: str | None
    events: tuple[tuple[str, str | None], ...]
    distribution: tuple[int | None, int | None] | None
    summary: str | None


def reading(source: SourceText) -> Reading:
    document: Document = read_document(source, "variant")
    return Reading(
        lines=tuple((line.no, line.text) for line in source.lines),
        shape=choose_reader(source).name,
        title=document.title.value if document.title else None,
        date=document.date.isoformat() if document.date else None,
        telegram_number=document.telegram_number,
        outgoing_number=document.outgoing_number,
        events=tuple((e.kind.value, e.iso) for e in document.transmission),
        distribution=(document.distribution.stated_copies, document.distribution.listed_copies)
        if document.distribution else None,
        summary=document.summary,
    )


def text_of(snippet: str, sign: str = "No.") -> str:
    return snippet.replace("{sign}", sign)


def reference(text: str) -> Reading:
    return reading(decode_source(text.encode("utf-8"), "variant.txt"))


def codes(source: SourceText) -> list[str]:
    return [d.code for d in source.diagnostics]


# --- the reference reading itself, so the comparisons below mean something ----------


def test_reference_reading_has_the_fields_the_variants_are_compared_on() -> None:
    ref = reference(text_of(LATIN, "Nº"))
    assert ref.shape == "export"
    assert ref.title == "Ciphered Telegram, Shtykov to Gromyko on the “Instantsia” Letter"
    assert ref.date == "1950-09-30"
    assert ref.telegram_number == "600305/sh"
    assert ref.outgoing_number == "1355"
    assert ref.events == (
        ("sent", "1950-09-30T21:10"), ("received", "1950-10-01T01:20"), ("deciphered", "1950-10-01T02:05"),
    )
    assert ref.distribution == (4, 4)


# --- Unicode encodings ----------------------------------------------------------------


@pytest.mark.parametrize("snippet,sign", [(LATIN, "Nº"), (LATIN, "No."), (CYRILLIC, "№")], ids=["latin-Nº", "latin-No.", "cyrillic-№"])
@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"])
def test_unicode_with_byte_order_mark_reads_like_utf8(snippet: str, sign: str, codec: str) -> None:
    text = text_of(snippet, sign)
    data = BOM_CODECS.get(codec, b"") + text.encode(codec.replace("-sig", ""))
    source = decode_source(data, "variant.txt")
    assert codes(source) == []
    assert reading(source) == reference(text)


@pytest.mark.parametrize("snippet,sign", [(LATIN, "Nº"), (CYRILLIC, "№")], ids=["latin", "cyrillic"])
@pytest.mark.parametrize("codec", NO_BOM_UTF16)
def test_utf16_without_byte_order_mark_finds_the_byte_order(snippet: str, sign: str, codec: str) -> None:
    text = text_of(snippet, sign)
    source = decode_source(text.encode(codec), "variant.txt")
    assert codes(source) == []
    assert reading(source) == reference(text)


@pytest.mark.parametrize("codec", NO_BOM_UTF16)
def test_utf16_without_bom_starting_with_a_non_ascii_letter(codec: str) -> None:
    """The first character decides nothing: ``“`` or ``Ш`` may open the file."""
    for text in ("“Comrade STALIN” — Sent on 10/03/50\n", "Шифртелеграмма № 600305\nTo Comrade STALIN\n"):
        source = decode_source(text.encode(codec), "variant.txt")
        assert codes(source) == []
        assert [line.text for line in source.lines] == text.split("\n")


def test_mostly_cyrillic_utf16_without_bom_is_not_taken_for_binary() -> None:
    text = "Товарищу ГРОМЫКО\nСообщаю текст письма КИМ ИР СЕНА товарищу СТАЛИНУ.\nШТЫКОВ\n"
    for codec in NO_BOM_UTF16:
        source = decode_source(text.encode(codec), "variant.txt")
        assert codes(source) == []
        assert [line.text for line in source.lines] == text.split("\n")


def test_nul_bytes_that_are_not_utf16_are_binary() -> None:
    noise = random.Random(7)
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(noise.randrange(256) for _ in range(400))
    source = decode_source(data, "scan.txt")
    assert codes(source) == ["binary-source"]
    assert source.lines == ()


# --- Windows code pages -------------------------------------------------------------------


def test_windows_1252_keeps_typographic_quotes_and_accents() -> None:
    text = text_of(LATIN, "Nº")
    source = decode_source(text.encode("cp1252"), "variant.txt")
    assert codes(source) == ["encoding-guessed"]
    assert "Windows-1252" in source.diagnostics[0].message
    assert source.diagnostics[0].pos.line == 1
    assert "Cde. Rákosi" in source.text and "“the letter”" in source.text and "Sung’s" in source.text
    assert "CIPHERED TELEGRAM Nº 600305/sh" in source.text
    assert reading(source) == reference(text)


def test_windows_1251_keeps_cyrillic_and_the_numero_sign() -> None:
    text = text_of(CYRILLIC, "№")
    source = decode_source(text.encode("cp1251"), "variant.txt")
    assert codes(source) == ["encoding-guessed"]
    assert "Windows-1251" in source.diagnostics[0].message
    assert "«Товарищу ГРОМЫКО»" in source.text and "(Штыков сообщает)" in source.text
    assert reading(source) == reference(text)


def test_windows_1251_with_a_single_russian_word_is_not_read_as_1252() -> None:
    """Statistics alone read ``Штыков`` in 1251 bytes as ``Øòûêîâ`` (Windows-1252)."""
    for text, russian in (
        ("To Comrade STALIN\nThe ambassador (Штыков) met Kim.\n", "(Штыков)"),
        ("To Comrade STALIN\nPak Heon-yeong [Пак Хен Ен] was present at the meeting.\nShtykov\n", "[Пак Хен Ен]"),
    ):
        source = decode_source(text.encode("cp1251"), "variant.txt")
        assert russian in source.text
        assert "Windows-1251" in source.diagnostics[0].message


def test_windows_1251_numero_sign_alone_is_not_a_superscript_one() -> None:
    text = "CIPHERED TELEGRAM № 600305/sh\nSent on 09/30/50 at 21:10\n№ 1355\n"
    source = decode_source(text.encode("cp1251"), "variant.txt")
    assert source.lines[0].text == "CIPHERED TELEGRAM № 600305/sh"
    assert "Windows-1251" in source.diagnostics[0].message


def test_quotes_only_1252_file_is_named_windows_1252() -> None:
    """Both code pages give the same quotes; an English file is reported as 1252, not 1251."""
    text = "He wrote “Dear Comrade” and ‘so on’ – urgent.\nNo. 12\n"
    source = decode_source(text.encode("cp1252"), "variant.txt")
    assert source.text.startswith("He wrote “Dear Comrade” and ‘so on’ – urgent.")
    assert codes(source) == ["encoding-guessed"]
    assert "Windows-1252" in source.diagnostics[0].message


def test_undecidable_bytes_are_reported_unsure() -> None:
    noise = random.Random(4)
    source = decode_source(bytes(noise.randrange(0x80, 0x100) for _ in range(600)), "variant.txt")
    assert codes(source) == ["encoding-unsure"]
    assert source.diagnostics[0].severity.value == "error"


# --- line endings and whitespace -----------------------------------------------------------


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_endings_keep_line_numbers(ending: str) -> None:
    text = text_of(LATIN)
    source = decode_source(text.replace("\n", ending).encode("utf-8"), "variant.txt")
    assert reading(source) == reference(text)
    assert len(source.lines) == len(text.split("\n"))


def test_lines_of_only_no_break_spaces_are_blank() -> None:
    text = text_of(LATIN)
    padded = "\n".join(line if line else "\u00a0 \u00a0" for line in text.split("\n"))
    source = decode_source(padded.encode("utf-8"), "variant.txt")
    assert all(line.blank for line in source.lines if not line.text.strip("\u00a0 "))
    assert reading(source) == reference(text)


def test_tabs_fold_to_single_spaces_and_count_as_indent() -> None:
    text = text_of(LATIN)
    tabbed = text.replace("Sent on 09/30/50 at 21:10", "\tSent\ton 09/30/50 at\t21:10\t")
    source = decode_source(tabbed.encode("utf-8"), "variant.txt")
    assert reading(source) == reference(text)
    sent = next(line for line in source.lines if line.text.startswith("Sent on"))
    assert sent.text == "Sent on 09/30/50 at 21:10"
    assert sent.indent == 8


def test_invisible_characters_do_not_break_labels() -> None:
    """A stray BOM, a soft hyphen or a C1 control must not hide ``**Contents:**``."""
    text = text_of(LATIN)
    dirty = text.replace("**Contents:**", "\ufeff**Con\u00adtents:**\x85").replace("Vakushin", "Vaku\u00adshin")
    source = decode_source(dirty.encode("utf-8"), "variant.txt")
    assert reading(source) == reference(text)


@pytest.mark.parametrize("sign", ["No.", "Nº", "№", "N°", "#"])
def test_number_signs_read_alike(sign: str) -> None:
    ref = reference(text_of(LATIN, "No."))
    got = reference(text_of(LATIN, sign))
    assert (got.telegram_number, got.events, got.distribution) == (ref.telegram_number, ref.events, ref.distribution)
    if sign != "#":
        assert got.outgoing_number == "1355"


def test_form_feed_starts_a_page_without_renumbering_lines() -> None:
    """Editors show ``^L`` inside a line; diagnostics must point at that same line."""
    data = b"first page\nlast line\n\x0cTop of page two\nmore\n\x0c\n"
    source = decode_source(data, "paged.txt")
    assert [(line.no, line.page, line.text) for line in source.lines] == [
        (1, 1, "first page"), (2, 1, "last line"), (3, 2, "Top of page two"), (4, 2, "more"), (5, 3, ""), (6, 3, ""),
    ]
    mid = decode_source(b"end of page\x0cstart of next\n", "paged.txt")
    assert [(line.no, line.page, line.text) for line in mid.lines] == [(1, 1, "end of page"), (1, 2, "start of next"), (2, 2, "")]
