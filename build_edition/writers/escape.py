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
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def html(text: str) -> str:
    """Escape for HTML text and attribute values."""
    return text.translate(_ENTITIES)


def md(text: str) -> str:
    """Escape inline text so Markdown shows it exactly as written."""
    return _BACKSLASH.sub(r"\\\1", html(text)).replace("\n", " ")


def guard_line_start(markdown: str) -> str:
    """Make escaped text safe to stand at the start of a line."""
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
