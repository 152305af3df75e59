"""Making source text inert in Markdown and HTML: it is shown, never interpreted.

Python-Markdown undoes a backslash before any of its escapable characters, and
HTML entities display literally, so every character that could start markup is
turned into one of the two. Writers pass *all* text from sources through here.
"""

from __future__ import annotations

import re

# Characters that open inline markup anywhere in a line with this site's extensions:
# emphasis, code, links/footnotes/abbreviations, attr_list braces, table pipes.
# (`<` and `&` become entities; other punctuation is markup only at a line start.)
_BACKSLASH = re.compile(r"([\\`*_{}\[\]|])")
# What may not open a line: headings, lists, rules, setext underlines, definitions,
# admonitions; each is made literal by a backslash or, where Markdown has none, an entity.
_LINE_START = re.compile(r"^(?:(?P<escapable>[#+\-!.(])|(?P<digits>\d+)\.|(?P<other>[=:~%^$]))")
# Block openers that matter where inline text stands first in a container; `.` and `(`
# open nothing there, and guarding them would only add backslashes mid-line.
_OPENER = re.compile(r"^[ \t]*(?:[#+\-!=:~%^$]|\d+\.)")
# Markdown starts a new line at CR as well as at LF; inline text must stay on its line.
_LINE_BREAK = re.compile(r"\r\n?|\n")
# Closing hashes of an ATX heading: `# Title ##` shows as "Title".
_CLOSING_HASHES = re.compile(r"#+(?=[ \t]*$)")
# Line breaks become character references too: HTML reads them as the same whitespace,
# and raw HTML that Markdown must keep whole (an attribute value) stays on one line.
# A backtick would end a Markdown code span that holds escaped text and let the rest be read as Markdown.
# Python-Markdown deletes STX and ETX (its placeholder marks) before it reads anything, so they are
# deleted here too: a guard must judge a line start as Markdown will see it (`\x03- x` is a list item).
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
                           "`": "&#96;", "\x02": None, "\x03": None})


# Every character that ``html`` or ``md`` would change (``#`` only at the end, but rare):
# text without any is returned as it is, which most text from sources is.
_HTML_SPECIAL = re.compile(r"[&<>\"\n\r`\x02\x03]")
_MD_SPECIAL = re.compile(r"[&<>\"\n\r`\x02\x03\\*_{}\[\]|#]")


def html(text: str) -> str:
    """Escape for HTML text and attribute values."""
    if _HTML_SPECIAL.search(text) is None:
        return text
    return text.translate(_ENTITIES)


def md(text: str) -> str:
    """Escape inline text so Markdown shows it exactly as written.

    The result may also open a list item, a footnote or a definition (``- {md(x)}``),
    where Markdown reads block syntax again, so a block opener at its start is guarded
    too; a run of ``#`` at its end would close an ATX heading, so it is escaped.
    """
    if _MD_SPECIAL.search(text) is None:
        escaped = text
    else:
        escaped = _BACKSLASH.sub(r"\\\1", html(_LINE_BREAK.sub(" ", text)))
        escaped = _CLOSING_HASHES.sub(lambda m: "\\#" * len(m[0]), escaped)
    if _OPENER.match(escaped):
        body = escaped.lstrip(" \t")
        return escaped[: len(escaped) - len(body)] + guard_line_start(body)
    return escaped


def guard_line_start(markdown: str) -> str:
    """Make escaped text safe to stand at the start of a line.

    Leading spaces and tabs are dropped: HTML does not show them, and Markdown reads
    them as indentation (code blocks, and block syntax after up to three spaces).
    """
    markdown = markdown.lstrip(" \t")
    match = _LINE_START.match(markdown)
    if match is None:
        return markdown
    if match["escapable"]:
        return "\\" + markdown
    if match["digits"]:
        return f"{match['digits']}\\." + markdown[match.end():]
    return f"&#{ord(markdown[0])};" + markdown[1:]


def md_block(text: str) -> str:
    """Escape text that stands at the start of a line (a paragraph of its own)."""
    return guard_line_start(md(text))


def md_cell(text: str) -> str:
    """Escape text for a table cell: one line, no unescaped pipes."""
    return md(" ".join(text.split()))


def attr(text: str) -> str:
    """Escape for an HTML attribute value; quotes included."""
    return html(text).replace("'", "&#39;")


def slug(text: str) -> str:
    """A lowercase ASCII slug for file names and anchors."""
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:80].strip("-") or "untitled"


_WEB_ADDRESS = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$", re.I)


def href(url: str) -> str | None:
    """An http(s) address escaped for an ``href``, or None for anything else.

    Only these schemes may become links: ``javascript:``, ``data:`` and their
    disguises (``jav&#x09;ascript:``, leading spaces) would run in the reader's browser.
    """
    return attr(url).translate(_HREF_MARKUP) if _WEB_ADDRESS.match(url) else None


# Python-Markdown reads links (``[x](y)``, ``[x]``) and backslash escapes before it sets raw HTML apart, so
# in an href they become character references, which the browser reads back as the same address.
_HREF_MARKUP = str.maketrans({"[": "&#91;", "]": "&#93;", "\\": "&#92;"})
