"""Benchmark-only MkDocs hook: the ends of the steps the edition's hooks take (see clock_first.py)."""

from __future__ import annotations

import os
import time

from mkdocs.plugins import event_priority


def stamp(step: str) -> None:
    path = os.environ.get("EDITION_PHASES")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{time.time():.4f} {time.process_time():.4f} {step}\n")


@event_priority(-100)
def on_pre_build(config) -> None:  # noqa: ANN001
    stamp("pre_build_end")


@event_priority(-100)
def on_post_build(config) -> None:  # noqa: ANN001
    stamp("post_build_end")


@event_priority(-100)
def on_post_page(output: str, page, config) -> str:  # noqa: ANN001
    stamp("page_written " + page.file.src_uri)
    return output
