"""A MkDocs hook: front matter written as JSON is read as JSON, not by a YAML parser.

MkDocs reads each page's front matter with PyYAML (``mkdocs.utils.meta.get_data``, libyaml's
parser where it is installed): 0.85 ms for a document page's block, some 10 s of the MkDocs
process at 10,000 documents. The generator writes that block as JSON in YAML's flow style
(``writers/frontmatter.py``), which ``json.loads`` reads in 0.02 ms. This hook puts a reader in
front of MkDocs' own that takes a block as JSON only where JSON and YAML are sure to read it
alike, and leaves every other block to MkDocs: one that is not JSON, or holds a number that is
not whole (YAML 1.1 reads ``1e+20`` as text), an escaped surrogate (YAML keeps the two halves
apart), or a character YAML reads otherwise or refuses (``writers.frontmatter.YAML_APART``).
A hand-written page's YAML goes to MkDocs as before. The hook holds no state: the reader is put
in place once per process, and a second build finds it there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from mkdocs.utils import meta

from build_edition.writers.frontmatter import YAML_APART

Reader = Callable[[str], tuple[str, dict[str, Any]]]
_ESCAPED_SURROGATE = re.compile(r"(?<!\\)(?:\\\\)*\\u[dD][89abAB]")  # an escape, not an escaped backslash and "u"


def json_front_matter(doc: str) -> tuple[str, dict[str, Any]] | None:
    """The page without its front matter, and the front matter, where the block is JSON that YAML reads alike;
    None where it is not (MkDocs' reader then reads the page)."""
    found = meta.YAML_RE.match(doc)
    if found is None:
        return None
    block = found.group(1)
    if not block.startswith("{") or YAML_APART.search(block) or _ESCAPED_SURROGATE.search(block):
        return None
    try:
        data = json.loads(block, parse_float=_refuse, parse_constant=_refuse)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return doc[found.end():].lstrip("\n"), data


def _refuse(text: str) -> object:
    raise ValueError(f"not read as JSON: {text}")


def reading_json_first(original: Reader) -> Reader:
    def get_data(doc: str) -> tuple[str, dict[str, Any]]:
        return json_front_matter(doc) or original(doc)

    get_data.reads_json_first = True  # type: ignore[attr-defined]
    get_data.__wrapped__ = original  # type: ignore[attr-defined]
    return get_data


def on_startup(command: str, dirty: bool) -> None:
    if not getattr(meta.get_data, "reads_json_first", False):
        setattr(meta, "get_data", reading_json_first(meta.get_data))  # noqa: B010 - a module function, replaced
