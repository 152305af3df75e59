"""Fast pickling for the frozen, slotted dataclasses of the model.

Python 3.11 pickles a frozen dataclass with ``slots=True`` through
``dataclasses._dataclass_getstate``, which calls ``fields()`` for every object:
the cache of ten thousand documents spent most of its time there. A class given
these two methods pickles its field values as one tuple instead (same content,
a tenth of the time). Fields are read in their declared order, so a cache written
by another version of a class is told apart by the code fingerprint, never misread.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any


def fast_pickling(cls: type) -> type:
    """Give a frozen slotted dataclass tuple-based ``__getstate__``/``__setstate__``."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    get = attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))

    def __getstate__(self: Any) -> tuple[Any, ...]:
        return get(self)  # type: ignore[no-any-return]

    cls.__getstate__ = __getstate__  # type: ignore[attr-defined,assignment]
    cls.__setstate__ = _setstate(cls, names)  # type: ignore[attr-defined]
    return cls


def _setstate(cls: type, names: tuple[str, ...]) -> Callable[[Any, tuple[Any, ...]], None]:
    """``__setstate__`` that sets each field through its slot's descriptor, one statement a field: loading the
    index of ten thousand documents makes some 170,000 objects, and a loop over the fields with
    ``object.__setattr__`` took a quarter more time."""
    slots = {f"_slot{n}": getattr(cls, name).__set__ for n, name in enumerate(names)}
    body = "".join(f"    _slot{n}(self, state[{n}])\n" for n in range(len(names))) or "    pass\n"
    exec(f"def __setstate__(self, state):\n{body}", slots)  # noqa: S102 - code made here from field names only
    return slots["__setstate__"]  # type: ignore[return-value]


def fast_pickling_in(namespace: Mapping[str, object]) -> None:
    """:func:`fast_pickling` for every frozen slotted dataclass defined in a module's namespace."""
    module = namespace.get("__name__")
    for value in list(namespace.values()):
        if (isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module
                and "__slots__" in value.__dict__ and value.__dataclass_params__.frozen):  # type: ignore[attr-defined]
            fast_pickling(value)
