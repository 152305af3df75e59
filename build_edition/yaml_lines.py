"""YAML that the editor writes (corrections files, registers), read safely and with line numbers.

``LineLoader`` is PyYAML's safe loader, on libyaml's C parser when PyYAML was built with it (the
wheels are): the bundled registers are read at every build that reads a source, and the pure-Python
parser took a large share of a rebuild after one change. Every mapping gets its line in the file
under ``LINE``, for the diagnostics.
"""

from __future__ import annotations

from typing import Any

import yaml

LINE = "__line__"
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_Base):  # type: ignore[misc,valid-type]  # CSafeLoader or SafeLoader, both safe
    """A safe loader that remembers the line of every mapping."""


def _mapping_with_line(loader: Any, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(key): value for key, value in loader.construct_mapping(node, deep=True).items()}
    mapping[LINE] = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_with_lines(text: str) -> Any:
    """The YAML document in ``text``; raises ``yaml.YAMLError`` (with ``problem_mark``) when it is not valid."""
    return yaml.load(text, Loader=LineLoader)  # noqa: S506 - a safe loader
