"""Reading register files: the shipped ones, then the editor's, which add and override.

The editor keeps ``seeds/registers/persons.yml``, ``organizations.yml`` and ``places.yml``
(the same format as ``build_edition/registers/data/``). An editor's entry with a shipped
entry's id replaces it. The build never writes to either. Every problem is a diagnostic
with the file's line; a bad entry is skipped and the rest of the register still loads.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import diagnostics as diag
from ..model import Diagnostic, SourcePos
from ..yaml_lines import LINE as _LINE
from ..yaml_lines import load_with_lines
from .entries import Entry, Form, FormKind, RegisterKind, Registers

DATA = Path(__file__).parent / "data"
EDITOR_FOLDER = "registers"
_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_KEYS = {"id", "name", "short", "given", "dates", "description", "wikidata", "geonames", "lat", "lon", "forms"}
_FORM_KEYS = {"form", "kind", "from", "to", "note"}


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterFile:
    """One register file: which register it feeds, where it is, how to show its path."""

    register: RegisterKind
    path: Path
    shown: str
    by_editor: bool


def register_files(editor_dir: Path | None, base: Path | None = None) -> list[RegisterFile]:
    """The shipped files, then the editor's (those whose stem names a register)."""
    files = [RegisterFile(register=k, path=DATA / f"{k.value}.yml", shown=f"build_edition/registers/data/{k.value}.yml",
                          by_editor=False) for k in RegisterKind]
    if editor_dir is not None and editor_dir.is_dir():
        for path in sorted(editor_dir.glob("*.yml")) + sorted(editor_dir.glob("*.yaml")):
            kind = next((k for k in RegisterKind if k.value == path.stem), None)
            files.append(RegisterFile(register=kind or RegisterKind.PERSON, path=path, shown=_shown(path, base),
                                      by_editor=True))
    return files


def _shown(path: Path, base: Path | None) -> str:
    from ..pipeline import shown_path  # one rule for every path a diagnostic shows

    return shown_path(path, base)


def load_registers(editor_dir: Path | None = None, base: Path | None = None) -> Registers:
    """The registers from the shipped files and the editor's folder (cached while unchanged)."""
    files = register_files(editor_dir, base)
    signature = tuple((f.path.as_posix(), *_stamp(f.path)) for f in files)
    return _load(tuple(files), signature)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _load(files: tuple[RegisterFile, ...], signature: tuple[tuple[object, ...], ...]) -> Registers:
    del signature  # part of the cache key only: a changed file is read again
    entries: dict[str, Entry] = {}
    found: list[Diagnostic] = []
    for file in files:
        if file.by_editor and file.path.stem not in {k.value for k in RegisterKind}:
            found.append(diag.make("register-unknown-file", SourcePos(path=file.shown, line=1),
                                   names=", ".join(f"{k.value}.yml" for k in RegisterKind)))
            continue
        seen: set[str] = set()
        for entry in _read_file(file, found):
            _add(entries, seen, entry, found)
    return Registers(entries=entries, diagnostics=tuple(found), files=tuple(f.path.as_posix() for f in files))


def _add(entries: dict[str, Entry], seen: set[str], entry: Entry, found: list[Diagnostic]) -> None:
    old = entries.get(entry.id)
    if entry.id in seen:
        found.append(diag.make("register-duplicate-id", entry.pos, id=entry.id, other=old.pos if old else "?"))
        return
    seen.add(entry.id)
    if old is not None and (not entry.by_editor or old.by_editor or old.register is not entry.register):
        found.append(diag.make("register-duplicate-id", entry.pos, id=entry.id, other=old.pos))
        return
    if old is not None:
        found.append(diag.make("register-override", entry.pos, id=entry.id, other=old.pos))
    entries[entry.id] = entry


def _read_file(file: RegisterFile, found: list[Diagnostic]) -> list[Entry]:
    first = SourcePos(path=file.shown, line=1)
    try:
        data = load_with_lines(file.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        found.append(diag.make("register-invalid", SourcePos(path=file.shown, line=line), reason=str(exc).splitlines()[0]))
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        found.append(diag.make("register-invalid", first, reason="it is not a list of entries (each starting with `- id:`)"))
        return []
    entries = []
    for item in data:
        entry = _entry(item, file, found)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(item: Any, file: RegisterFile, found: list[Diagnostic]) -> Entry | None:
    if not isinstance(item, dict):
        found.append(diag.make("register-bad-entry", SourcePos(path=file.shown, line=1), id="?",
                               reason=f"expected a mapping with id and name, found {item!r}"))
        return None
    pos = SourcePos(path=file.shown, line=int(item.get(_LINE, 1)))
    ident, name = item.get("id"), item.get("name")

    def bad(reason: str) -> None:
        found.append(diag.make("register-bad-entry", pos, id=ident or "?", reason=reason))

    if not isinstance(ident, str) or not _ID.match(ident):
        bad("`id` must be lower-case letters, digits and single hyphens, starting with a letter")
        return None
    if not isinstance(name, str) or not name.strip():
        bad("`name` is missing")
        return None
    for key in sorted(set(item) - _KEYS - {_LINE}):
        found.append(diag.make("register-unknown-key", pos, key=key, id=ident))
    text = {k: _text(item.get(k), k, bad) for k in ("short", "given", "dates", "description", "wikidata", "geonames")}
    lat, lon = _coordinate(item.get("lat"), 90, "lat", bad), _coordinate(item.get("lon"), 180, "lon", bad)
    if (lat is None) != (lon is None):
        bad("give both `lat` and `lon`, or neither")
        lat = lon = None
    return Entry(id=ident, register=file.register, name=name.strip(), short=text["short"] or _short(name), pos=pos,
                 forms=_forms(item.get("forms"), pos, bad), given=text["given"], dates=text["dates"],
                 description=text["description"] or "", wikidata=text["wikidata"], geonames=text["geonames"],
                 lat=lat, lon=lon, by_editor=file.by_editor)


def _short(name: str) -> str:
    """"Stalin, Iosif Vissarionovich" is "Stalin" in prose; "Kim Il Sung" stays whole."""
    return name.split(",", 1)[0].strip()


def _text(value: Any, key: str, bad: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        bad(f"`{key}` must be a single value")
        return None
    return str(value).strip() or None


def _coordinate(value: Any, limit: int, key: str, bad: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
        bad(f"`{key}` must be a number of degrees between -{limit} and {limit}")
        return None
    return float(value)


def _forms(value: Any, pos: SourcePos, bad: Any) -> tuple[Form, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        bad("`forms` must be a list")
        return ()
    forms = []
    for item in value:
        form = _form(item if isinstance(item, dict) else {"form": item}, bad)
        if form is not None:
            forms.append(form)
    return tuple(forms)


def _form(item: dict[str, Any], bad: Any) -> Form | None:
    text = item.get("form")
    if not isinstance(text, (str, int)) or not str(text).strip():
        bad(f"a form needs `form:` with the name as the source writes it, not {item.get('form')!r}")
        return None
    unknown = sorted(set(item) - _FORM_KEYS - {_LINE})
    if unknown:
        bad(f"unknown key(s) {', '.join(unknown)} in the form {text!r}")
    try:
        kind = FormKind(str(item.get("kind", "variant")))
    except ValueError:
        bad(f"unknown kind {item.get('kind')!r} of the form {text!r} (one of: {', '.join(k.value for k in FormKind)})")
        return None
    start, end = _date(item.get("from"), text, bad), _date(item.get("to"), text, bad)
    if (start is None and item.get("from") is not None) or (end is None and item.get("to") is not None):
        return None  # a code name with an unreadable period must not stand for the entry at all times
    note = item.get("note")
    return Form(text=str(text).strip(), kind=kind, start=start, end=end, note=str(note) if note is not None else None)


def _date(value: Any, text: object, bad: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        bad(f"the form {text!r} has {value!r} where a date (YYYY-MM-DD) belongs")
        return None
