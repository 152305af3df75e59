"""The speed-ups of the per-document stage give what the plain formulas give.

Each fast path (a shortcut taken when the text holds nothing the slow path would
change, a prefilter that rejects a line before its patterns are tried) is checked
against the formula it stands in for, written out here as it stood before the
shortcut. Hypothesis draws the text from an alphabet rich in the characters
each shortcut looks for, so the two paths meet their edge cases.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_edition.readers import fields, inline, shapes
from build_edition.readers.frus_tei import _opens_with_markup, source_xml
from build_edition.source import _UNUSUAL, Line, SourceText, _indent, _split_breaks, clean_line, split_lines
from build_edition.writers import escape

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every character some shortcut or pattern treats specially, with letters, digits and space around them.
_SPECIAL = (
    " \t\n\r\f\v\x00\x01\x02\x03\x0b\x1f\x7f\x85\x9f\u00a0\u00ad\u2000\u200b\u202f\u205f\u2028\u3000\ufeff"
    "&<>\"'`\\*_{}[]()|#+-.!=:~%^$,;/"
)
_ALPHABET = _SPECIAL + "aAbzZ09²Ⅻ٣сŻ"
# Runs that matter as runs: doubled spaces, CRLF, closing hashes, an ordered-list opener.
_CHUNKS = ["  ", " \t ", "\r\n", "\n\r", "##", " #", "1.", "12. ", "[[", "]]", "a b", "word"]
TEXT = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=40),
    st.lists(st.one_of(st.sampled_from(_CHUNKS), st.sampled_from(_ALPHABET)), max_size=12).map("".join),
)
LINE_TEXT = st.one_of(TEXT, st.sampled_from(["", "**Citation:**", "Citation: x", "Contents:", "Summary:  y",
                                             "Original Language: Russian", "Copies: Stalin", "copy no. 2 to Cde. Molotov",
                                             "Distribution - 4 copies: Stalin", "12 copies printed.", "DISTRIBUTION: x"]))

# The formulas the shortcuts stand in for, as source.py and escape.py wrote them.
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\ufeff]")
_BREAK = re.compile(r"\r\n|\r|\n")
_MD_LINE_BREAK = re.compile(r"\r\n?|\n")
_BACKSLASH = re.compile(r"([\\`*_{}\[\]|])")
_CLOSING_HASHES = re.compile(r"#+(?=[ \t]*$)")


def plain_clean_line(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def plain_indent(text: str) -> int:
    expanded = _CONTROL.sub("", text).expandtabs(8)
    return len(expanded) - len(expanded.lstrip(" \u00a0"))


def plain_split_lines(text: str) -> tuple[Line, ...]:
    out: list[Line] = []
    page = 1
    for n, raw in enumerate(_BREAK.split(text), start=1):
        pieces = raw.split("\f")
        kept = [(page + k, piece) for k, piece in enumerate(pieces) if plain_clean_line(piece)]
        page += len(pieces) - 1
        for at, piece in kept or [(page, raw.replace("\f", ""))]:
            out.append(Line(text=plain_clean_line(piece), no=n, indent=plain_indent(piece), page=at))
    return tuple(out)


def plain_html(text: str) -> str:
    return text.translate(escape._ENTITIES)


def plain_md(text: str) -> str:
    escaped = _BACKSLASH.sub(r"\\\1", plain_html(_MD_LINE_BREAK.sub(" ", text)))
    escaped = _CLOSING_HASHES.sub(lambda m: "\\#" * len(m[0]), escaped)
    if escape._OPENER.match(escaped):
        body = escaped.lstrip(" \t")
        return escaped[: len(escaped) - len(body)] + escape.guard_line_start(body)
    return escaped


def plain_closing(text: str, start: int) -> tuple[int, bool, bool]:
    depth = 0
    nested = False
    for j in range(start, len(text)):
        if text[j] == "[":
            depth += 1
            nested = nested or depth > 1
        elif text[j] == "]":
            depth -= 1
            if depth == 0:
                return j + 1, True, nested
    return len(text), False, nested


@SETTINGS
@given(TEXT)
def test_line_cleaning_matches_the_plain_formulas(text: str) -> None:
    assert clean_line(text) == plain_clean_line(text)
    assert _indent(text) == plain_indent(text)
    assert _split_breaks(text) == _BREAK.split(text)


def test_no_character_line_cleaning_changes_is_printable() -> None:
    """``clean_line`` asks no pattern of a printable line without a double space: that holds only while
    every character its pattern finds is a non-printable one."""
    found = [hex(c) for c in range(sys.maxunicode + 1) if _UNUSUAL.match(chr(c)) and chr(c).isprintable()]
    assert found == []
    assert clean_line("  a\u00a0 b\u200b ") == "a b"  # the pattern's path still taken where it must be


@SETTINGS
@given(st.lists(TEXT, max_size=4).map("".join))
def test_split_lines_matches_the_plain_loop(text: str) -> None:
    assert split_lines(text) == plain_split_lines(text)


def test_split_lines_keeps_numbers_pages_and_indents() -> None:
    """A hand-made case: CRLF is one break, a form feed starts a page, tabs indent by eight."""
    lines = split_lines("a\r\n\tb  c\rd\fe\n\u00a0 f")
    assert [(x.text, x.no, x.indent, x.page) for x in lines] == [
        ("a", 1, 0, 1), ("b c", 2, 8, 1), ("d", 3, 0, 1), ("e", 3, 0, 2), ("f", 4, 2, 2)]


@SETTINGS
@given(TEXT)
def test_escaping_matches_the_plain_formulas(text: str) -> None:
    assert escape.html(text) == plain_html(text)
    assert escape.md(text) == plain_md(text)


@SETTINGS
@given(TEXT, st.integers(min_value=0, max_value=40))
def test_bracket_search_matches_the_character_loop(text: str, start: int) -> None:
    start = min(start, len(text))
    assert inline._closing(text, start) == plain_closing(text, start)


@SETTINGS
@given(LINE_TEXT, st.booleans())
def test_copy_line_prefilter_rejects_only_lines_no_pattern_reads(text: str, continuing: bool) -> None:
    patterns = (fields._DIST_HEAD, fields._COPIES_PRINTED, fields._COPY_TO, fields._COPIES_LIST)
    if fields.copy_line(text, continuing) is None and not continuing:
        assert not any(p.match(text) for p in patterns)


@SETTINGS
@given(LINE_TEXT)
def test_label_prefilter_rejects_only_lines_no_label_pattern_reads(text: str) -> None:
    if shapes._BOLD_LABEL.match(text) or shapes._PLAIN_LABEL.match(text):
        assert text.startswith(shapes._LABEL_STARTS)


@SETTINGS
@given(st.lists(st.tuples(LINE_TEXT.map(clean_line), st.integers(min_value=1, max_value=4)), max_size=6))
def test_markup_check_matches_the_joined_text(pieces: list[tuple[str, int]]) -> None:
    """The FRUS readers' early "no" agrees with looking at the whole joined text."""
    lines, no = [], 0
    for text, step in pieces:
        no += step % 2  # some lines share a number (pieces of one line around a form feed)
        lines.append(Line(text=text, no=max(no, 1)))
    source = SourceText(path="x", lines=tuple(lines))
    assert _opens_with_markup(source) == source_xml(source).lstrip().startswith("<")


@SETTINGS
@given(st.one_of(LINE_TEXT, st.lists(st.sampled_from(["SENT", "Received", "typEd", "dispatched", "ſent", " ", "9:30",
                                                      "e", "d", "n", "t", "x", "ı", "İ", "K", "reCeived", "cabl"]), max_size=8).map("".join)))
def test_verb_mark_rejects_only_lines_without_a_verb(text: str) -> None:
    if fields._VERB.search(text):
        assert fields._VERB_MARK.search(text)
        assert fields._may_hold_verb(text)


def test_verb_check_reads_each_verb_in_any_case_and_no_line_without_one() -> None:
    for verb in fields._KIND:
        assert fields._may_hold_verb(f"{verb.upper()} at 9:30") and fields._may_hold_verb(f"{verb.capitalize()} 1950")
    assert not fields._may_hold_verb("Moscow, 12 June 1950, 9:30")
    assert fields._may_hold_verb("ſent 12:00") == bool(fields._VERB.search("ſent 12:00"))  # not ASCII: the pattern's mark


# What the edition stage holds for 10,000 documents: packed texts, the same values.

def test_documents_json_from_packed_texts_is_the_plain_join() -> None:
    from build_edition.writers.data import Packed, documents_json_page

    texts = ['{"id": "a", "title": "Telegram “No. 1”"}', '{"id": "b", "title": "Тов. Сталину"}', "{}"]
    page = documents_json_page([Packed.of(t) for t in texts])
    assert page.joined().decode("utf-8") == '{"documents": [\n' + ",\n".join(texts) + "\n]}\n"
    assert documents_json_page([]).joined() == b'{"documents": [\n\n]}\n'


def test_summaries_from_a_worker_are_equal_to_the_original() -> None:
    import pickle

    from build_edition.pipeline import read_file
    from build_edition.summary import summarize
    from helpers import ROOT, seed

    summary = summarize(read_file(seed("600301"), ROOT))
    first, second = (pickle.loads(pickle.dumps(summary)) for _ in range(2))  # as two workers send them
    assert first == summary == second
    assert any(entry_id == "gromyko" for entry_id, *_ in first.names.uses)  # the telegram is addressed to Gromyko



def test_names_shared_between_documents_are_equal_to_their_own_and_pickled_once() -> None:
    import pickle

    from build_edition.pipeline import read_file
    from build_edition.registers.uses import shared_names
    from build_edition.summary import summarize
    from helpers import ROOT, seed

    # two workers' copies of the same telegram's names: equal, but no string is the other's
    first, second = (pickle.loads(pickle.dumps(summarize(read_file(seed("600301"), ROOT)).names)) for _ in range(2))
    roles: dict[tuple[str, ...], tuple[str, ...]] = {}
    shared = [shared_names(first, roles), shared_names(second, roles)]
    assert shared == [first, second] and first.uses and first.pairs
    (a, a_roles, a_forms, _), (b, b_roles, b_forms, _) = shared[0].uses[0], shared[1].uses[0]
    assert a is b and a_roles is b_roles and a_forms[0][0] is b_forms[0][0]
    assert first.uses[0][0] is not second.uses[0][0]
    # what the index saves: each shared string once, the second document's names as references to the first's
    assert len(pickle.dumps(shared)) < 0.7 * len(pickle.dumps([first, second]))


def test_fast_pickling_restores_every_field_in_its_own_slot() -> None:
    """``pickling.fast_pickling`` against what pickle does without it, for a class with a field of its base."""
    import dataclasses
    import pickle

    from build_edition.pickling import fast_pickling

    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Base:
        a: int
        b: str = "b"

    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Plain(Base):
        c: tuple[int, ...] = ()

    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Fast(Base):
        c: tuple[int, ...] = ()

    @dataclasses.dataclass(frozen=True, slots=True)
    class One:
        only: str

    fast_pickling(Fast)
    fast_pickling(One)
    globals().update(Plain=Plain, Fast=Fast, One=One)  # pickle finds classes by name in their module
    try:
        for cls in (Plain, Fast, One):
            cls.__qualname__ = cls.__name__
        fast = pickle.loads(pickle.dumps(Fast(a=1, b="x", c=(2, 3))))
        plain = pickle.loads(pickle.dumps(Plain(a=1, b="x", c=(2, 3))))
        assert (fast.a, fast.b, fast.c) == (plain.a, plain.b, plain.c) == (1, "x", (2, 3))
        assert pickle.loads(pickle.dumps(One("y"))).only == "y"
        assert len(pickle.dumps(Fast(a=1))) < len(pickle.dumps(Plain(a=1)))  # a tuple of values, not names
    finally:
        for name in ("Plain", "Fast", "One"):
            globals().pop(name, None)

# Names on a page and in the TEI: found with str.find, as the pattern of the forms finds them.

def plain_name_spans(text: str, forms: tuple[str, ...]) -> list[tuple[int, int, str]]:
    longest_first = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return [(m.start(), m.end(), m.group(1)) for m in re.finditer(rf"(?<![\w'’])({longest_first})(?![\w])", text)]


_NAME_ALPHABET = "KimPakIlSung '’_-.,1²Жé"
NAME_TEXT = st.lists(st.one_of(st.sampled_from(["Kim", "Kim Il", "Il Sung", "Pak", "O'Kim", "Kim’s", "Kim_", " "]),
                               st.sampled_from(_NAME_ALPHABET)), max_size=14).map("".join)
FORMS = st.lists(st.one_of(st.sampled_from(["Kim", "Kim Il Sung", "Il", "Pak", "K", "im", "Kim Il", "Ж"]),
                           st.text(alphabet=_NAME_ALPHABET, max_size=4)), min_size=1, max_size=5, unique=True).map(tuple)


@SETTINGS
@given(NAME_TEXT, FORMS)
def test_name_spans_are_the_matches_of_the_forms_pattern(text: str, forms: tuple[str, ...]) -> None:
    from build_edition.writers.names import name_spans

    assert name_spans(text, forms) == plain_name_spans(text, forms)


def test_name_spans_take_the_longest_form_and_whole_words_only() -> None:
    from build_edition.writers.names import name_spans

    text = "Kim Il Sung met Kim, not Kimura nor O'Kim; Pak_ and Pak."
    assert name_spans(text, ("Kim", "Kim Il Sung", "Pak")) == [(0, 11, "Kim Il Sung"), (16, 19, "Kim"), (52, 55, "Pak")]


# Names in running text: what a run of words could name is worked out once per run; the plain
# search, as resolver.py wrote it, tried every span of every run of every text.

def plain_find_names(resolver, text: str, on):  # type: ignore[no-untyped-def]
    from build_edition.registers import resolver as r

    def longest_at(words, n):  # type: ignore[no-untyped-def]
        start, _, first = words[n]
        if not r._capital(first) or r.name_key(first) not in resolver._first_words:
            return None
        last = n
        while last + 1 < len(words) and last + 1 - n < resolver._longest and r._joined(text, words, last):
            last += 1
        for end in range(last, n - 1, -1):
            if not r._capital(words[end][2]):
                continue
            span = r._trim(text[start:words[end][1]])
            found = resolver._lookup(span, frozenset(r.RegisterKind), on)
            if found.status is r.Status.UNKNOWN:
                found = resolver._without_initials(span, on)
            if found.status is not r.Status.UNKNOWN:
                begin = r._honorific_start(text, words, n)
                return r.Found(start=begin, end=start + len(span), text=text[begin:start + len(span)],
                               resolution=found), end
        return None

    for run in r._RUN.finditer(text):
        at = run.start()
        words = [(at + m.start(), at + m.end(), m.group()) for m in r._WORD.finditer(run.group())]
        n = 0
        while n < len(words):
            hit = longest_at(words, n)
            if hit is None:
                n += 1
                continue
            yield hit[0]
            n = hit[1] + 1


_RUN_WORDS = ["Stalin", "I.V.", "Comrade", "Cde.", "Kim", "Il", "Sung", "KIM", "IL", "SUNG", "Pak", "Heon-yeong", "PAK",
              "Ministry", "of", "Foreign", "Affairs", "the", "USSR", "Filippov", "Matveyev", "Zakharov", "Moscow",
              "Pyongyang", "Shtykov", "T.F.", "A.", "Vasilevsky", "Gromyko", "Stalin's", "Molotov", "and", "8", "MDGS",
              "Dear", "Korea", "Beijing", "Mao", "Zedong", "Roshchin"]
RUNNING_TEXT = st.lists(st.tuples(st.sampled_from(_RUN_WORDS), st.sampled_from([" ", " ", " ", ", ", ". ", " - ", "-", "\n", ""])),
                        max_size=16).map(lambda pairs: "".join(w + gap for w, gap in pairs))
ON = st.one_of(st.none(), st.dates(min_value=__import__("datetime").date(1940, 1, 1),
                                   max_value=__import__("datetime").date(1960, 12, 31)))


@SETTINGS
@given(RUNNING_TEXT, ON)
def test_names_in_running_text_are_those_the_plain_search_finds(text: str, on) -> None:  # type: ignore[no-untyped-def]
    from build_edition.registers import resolver_for

    resolver = resolver_for(None)
    assert list(resolver.find_names(text, on)) == list(plain_find_names(resolver, text, on))
    assert list(resolver.find_names(text, on)) == list(plain_find_names(resolver, text, on))  # the runs known


def test_a_worker_gets_the_resolver_it_already_has() -> None:
    import pickle

    from build_edition.registers import resolver_for

    resolver = resolver_for(None)
    first, second = (pickle.loads(pickle.dumps(resolver)) for _ in range(2))  # two batches of sources
    assert first is second is not resolver  # built once in a worker, with the runs it worked out
    assert first.registers is not resolver.registers and first.registers.entries == resolver.registers.entries
    found = list(first.find_names("Comrade Stalin and KIM IL SUNG met in Moscow.", None))
    assert [(f.text, f.resolution.entry.id if f.resolution.entry else None) for f in found][:2] == [
        ("Comrade Stalin", "stalin"), ("KIM IL SUNG", "kim-il-sung")]


# Front matter: JSON where JSON and YAML read it alike, YAML otherwise (writers/frontmatter.py); MkDocs' reader
# behind one that reads JSON (front_matter_hook.py).

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT,
                     st.sampled_from(["", "yes", "No", "null", "~", "1949-01-04", "0x1F", "1e3", "- a", "a: b", "#x",
                                      "'q'", '"q"', " lead", "trail ", "“Quoted,” he said", "Тов. Сталину", "&a", "*a",
                                      "!tag", "%", "@", "`", "a\nb", "\t", "\u2028", "\u2029", "\x85", "\ufeff",
                                      "\ufffe", "\x7f", "\\ud83d", "😀", "é" * 3, "\n---\n", "}", "{"]))
YAML_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)


def _as_mkdocs_reads(page: str) -> tuple[str, dict]:
    """MkDocs' own reader of front matter, with or without the hook in place."""
    from mkdocs.utils import meta

    return getattr(meta.get_data, "__wrapped__", meta.get_data)(page)


@SETTINGS
@given(st.dictionaries(TEXT, YAML_DATA, max_size=6))
def test_front_matter_reads_back_as_its_data_in_yaml_and_through_the_hook(data: dict[str, object]) -> None:
    from build_edition.front_matter_hook import json_front_matter
    from build_edition.writers.frontmatter import dump, json_alike

    page = dump(data) + "\n# Title\n"
    assert _as_mkdocs_reads(page) == ("# Title\n", data)
    fast = json_front_matter(page)
    assert fast == (("# Title\n", data) if json_alike(data, set()) else None)


def test_front_matter_that_json_and_yaml_would_read_apart_is_yaml() -> None:
    from build_edition.writers.frontmatter import dump

    shared = ["Stalin", "Molotov"]
    for data in ({"to": shared, "copies": shared}, {"ratio": 0.5}, {"big": 1e20}, {"n": {1: "one"}}):
        block = dump(data)
        assert not block.startswith("---\n{") and _as_mkdocs_reads(block + "x\n") == ("x\n", data)


_JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                          _SCALARS.filter(lambda v: isinstance(v, str)), st.text())


@SETTINGS
@given(st.recursive(_JSON_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=5), inner, max_size=4)),
                    max_leaves=12).filter(lambda v: isinstance(v, dict)),
       st.booleans(), st.sampled_from([", ", ","]), st.sampled_from(["", "\n", "\n "]))
def test_the_hook_reads_a_block_as_json_only_where_yaml_reads_it_alike(data: dict, ascii_only: bool, comma: str,
                                                                        gap: str) -> None:
    """Blocks of JSON as a person might write them: floats, escapes of every character, raw ones, line breaks."""
    import json

    from build_edition.front_matter_hook import json_front_matter

    block = json.dumps(data, ensure_ascii=ascii_only, separators=(comma, ":"), indent=gap or None)
    page = f"---\n{block}\n---\nText\n"
    fast = json_front_matter(page)
    if fast is not None:
        assert fast == _as_mkdocs_reads(page) == ("Text\n", data)


def test_the_hook_is_put_in_place_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.utils import meta

    from build_edition import front_matter_hook

    original = getattr(meta.get_data, "__wrapped__", meta.get_data)
    monkeypatch.setattr(meta, "get_data", original)
    front_matter_hook.on_startup(command="build", dirty=False)
    front_matter_hook.on_startup(command="serve", dirty=True)
    assert meta.get_data.__wrapped__ is original
    page = '---\n{"title": "T"}\n---\n# T\n'
    assert meta.get_data(page) == ("# T\n", {"title": "T"}) == original(page)
