"""How messages say a count: ``1 forecast``, ``2 forecasts``, ``62,500 forecasts``."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1, with thousands separated.

    >>> counted(1, "forecast"), counted(62500, "forecast"), counted(0, "query", "queries")
    ('1 forecast', '62,500 forecasts', '0 queries')
    """
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
