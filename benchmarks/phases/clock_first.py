"""Benchmark-only MkDocs hook (``bench_serve.py --phases``): time-stamps each step of a build.

Listed first in the benchmark's configuration, so its events run before the edition's hooks
(priority 100); ``clock_last.py`` stamps the ends of the steps the edition's hooks take. Each
stamp is one line ``<unix time> <process CPU time> <step>`` appended to the file named by ``EDITION_PHASES``.
MkDocs loads this file again with the configuration at each rebuild: the first stamp of a
rebuild (``load_config``) is this module being run. Each line also carries the CPU time of the
process so far (all its threads), so a phase's CPU seconds can be told from its wall time. It also stamps the live-reload server's
own messages (``Detected file changes``, ``Reloading browsers``) with a logging handler,
installed once per process.
"""

from __future__ import annotations

import gc
import logging
import os
import time

from mkdocs.plugins import event_priority


def stamp(step: str) -> None:
    path = os.environ.get("EDITION_PHASES")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{time.time():.4f} {time.process_time():.4f} {step}\n")


class _ServerStamps(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        for step in ("Detected file changes", "Reloading browsers"):
            if step in message:
                stamp(step.replace(" ", "_"))


_server_log = logging.getLogger("mkdocs.livereload")
if not any(isinstance(h, _ServerStamps) or type(h).__name__ == "_ServerStamps" for h in _server_log.handlers):
    _server_log.addHandler(_ServerStamps())
stamp("load_config")


class _Collections:
    """Seconds the cyclic garbage collector took since the last ``on_config`` (all generations)."""

    seconds = 0.0
    started = 0.0


def _time_collections(phase: str, info: dict) -> None:  # gc.callbacks' signature
    if phase == "start":
        _Collections.started = time.perf_counter()
    else:
        _Collections.seconds += time.perf_counter() - _Collections.started


if not any(getattr(c, "__name__", "") == "_time_collections" for c in gc.callbacks):
    gc.callbacks.append(_time_collections)


@event_priority(100)
def on_config(config):  # noqa: ANN001, ANN201
    stamp("on_config")
    _Collections.seconds = 0.0
    return config


@event_priority(100)
def on_pre_build(config) -> None:  # noqa: ANN001
    stamp("pre_build")


@event_priority(100)
def on_files(files, config):  # noqa: ANN001, ANN201
    stamp("files")
    return files


@event_priority(100)
def on_nav(nav, config, files):  # noqa: ANN001, ANN201
    stamp("nav")
    return nav


@event_priority(100)
def on_page_markdown(markdown, page, config, files):  # noqa: ANN001, ANN201
    stamp("page_read " + page.file.src_uri)
    return markdown


@event_priority(100)
def on_env(env, config, files):  # noqa: ANN001, ANN201
    stamp("env")
    return env


@event_priority(100)
def on_pre_template(template, template_name, config):  # noqa: ANN001, ANN201
    stamp("template " + template_name)
    return template


@event_priority(100)
def on_page_context(context, page, config, nav):  # noqa: ANN001, ANN201
    stamp("page_build " + page.file.src_uri)
    return context


@event_priority(100)
def on_post_build(config) -> None:  # noqa: ANN001
    stamp("post_build")
    stamp(f"gc_seconds {_Collections.seconds:.4f}")
