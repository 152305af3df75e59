"""Making source text inert in Markdown and HTML: it is shown, never interpreted.

Python-Markdown undoes a backslash before any of its escapable characters, and
HTML entities display literally, so every character that could start markup is
turned into one of the two. Writers pass *all* text from sources through here.
"""

from __future__ import annotations

import re

# Python-Markdown's own escapable characters, plus '|' which the tables extension adds.
_BACKSLASH = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def html(text: str) -> str:
    """Escape for HTML text and attribute values."""
    return "".join(_ENTITIES.get(c, c) for c in text)


def md(text: str) -> str:
    """Escape inline text so Markdown shows it exactly as written."""
    text = html(text)
    text = _BACKSLASH.sub(r"\\\1", text)
    # A colon or equals sign opening a line would start a definition or a heading underline.
    text = text.replace(":", "&#58;") if text.startswith(":") else text
    return text.replace("\n", " ")


def md_block(text: str) -> str:
    """Escape text that stands at the start of a line (a paragraph of its own)."""
    escaped = md(text)
    if escaped.startswith(("=", "%", "~", "^", "$")):
        escaped = f"&#{ord(escaped[0])};" + escaped[1:]
    return escaped


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
