"""MkDocs hook: the site's copies of the generator's own files are hard links to them, not copies.

MkDocs copies every file of ``docs/`` that is not a page into the site folder: for this
edition, for each document, its TEI export and its three citation files, and the downloads
of ``data/`` (at 2,000 sources 8,000 files and 69 MB, five times as many at 10,000).
Measured in a ``mkdocs build`` at 2,000 sources: 8.3 s, 5.4 s of them CPU, of a build of
about 50 s of CPU; linked, 0.2 s. The site holds the same bytes either way.

Only the files the generator wrote (``docs/.edition-manifest.json``) are linked: the
generator never writes into one of its files, it replaces it (writers/output.py: a new
file renamed over the old), so the site's link keeps the bytes it was built with until
MkDocs links the new file; and MkDocs empties the site folder before a build, or under
``--dirty`` replaces a file whose source is newer. An editor's own files in ``docs/`` and
the theme's are copied as before, and so is a file that cannot be linked (the site folder
on another disk, a file system without links). Nothing writes into a file of the site
folder in place (MkDocs writes its pages anew, Pagefind its own folder): a plugin that did
would write into ``docs/`` too.
"""

from __future__ import annotations

import os
from pathlib import Path

from build_edition.writers.output import read_manifest


def on_files(files, config):  # noqa: ANN001, ANN201 - MkDocs passes its Files and config
    generated = read_manifest(Path(config.docs_dir))
    for file in files:
        if file.src_uri in generated and _copied_from_docs(file):
            file.copy_file = _Linker(file)
    return files


def _copied_from_docs(file) -> bool:  # noqa: ANN001 - MkDocs' File
    return not file.is_documentation_page() and file.generated_by is None and bool(file.abs_src_path)


class _Linker:
    """``File.copy_file`` of one file, by a hard link where the file system allows one."""

    def __init__(self, file) -> None:  # noqa: ANN001 - MkDocs' File
        self.file = file

    def __call__(self, dirty: bool = False) -> None:
        file = self.file
        if dirty and not file.is_modified():
            return
        target = file.abs_dest_path
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            if os.path.lexists(target):
                os.unlink(target)
            os.link(file.abs_src_path, target)
        except OSError:
            type(file).copy_file(file, dirty)  # MkDocs' own copy
