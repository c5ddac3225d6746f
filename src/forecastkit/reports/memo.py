"""Results that every report in a kernel would compute alike, computed once.

``forecastkit report`` runs hundreds of reports through one kernel, and the corpus is loaded
once (:func:`forecastkit.reports.views.open_corpus`). Figures over the whole corpus (everyone's
claims as of a date, relative scores on shared questions) are then the same for every author
report: :func:`per_frame` keeps each, keyed by the very DataFrame it was computed from (held
here, so its ``id`` cannot be reused) and the other arguments. Frames are never changed in place
by the reports, so a kept result stays right; a new corpus (an edited file) is a new frame.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
#: Results kept (a few per corpus: the snapshot, relative scores, shared claims).
SIZE = 8
_SLOTS: OrderedDict[tuple[Any, ...], tuple[object, Any]] = OrderedDict()


def per_frame(name: str, frame: object, args: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or the result kept from the last call with the same ``name``, the same
    ``frame`` object and equal ``args``."""
    key = (name, id(frame), args)
    hit = _SLOTS.get(key)
    if hit is not None and hit[0] is frame:
        _SLOTS.move_to_end(key)
        return hit[1]
    value = compute()
    _SLOTS[key] = (frame, value)
    while len(_SLOTS) > SIZE:
        _SLOTS.popitem(last=False)
    return value


def clear() -> None:
    _SLOTS.clear()
