"""The site's address, as mkdocs.yml reads it; light enough for the no-op build to import."""

from __future__ import annotations

import os

DEFAULT_SITE_URL = "https://example.github.io/telegram-edition/"  # mkdocs.yml's fallback for site_url


def site_url_from_environment() -> str:
    """The site's address as mkdocs.yml reads it: SITE_URL, or the same fallback, ending in ``/``."""
    url = os.environ.get("SITE_URL") or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"
