"""forecastkit: hold published forecasts to account.

Claims live in YAML files under ``claims/``; :func:`load` reads them into pandas tables.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import Any

from forecastkit.errors import ForecastkitError

__all__ = ["Corpus", "ForecastkitError", "load", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy (PEP 562): `forecastkit.load` and submodules import pandas only when used, so that
    # commands that do not need it (resolve, add, lexicon) start in a fraction of a second.
    import importlib

    if name in ("Corpus", "load"):
        return getattr(importlib.import_module("forecastkit.records.corpus"), name)
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
