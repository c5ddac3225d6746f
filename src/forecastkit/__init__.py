"""forecastkit: hold published forecasts to account.

Claims live in YAML files under ``claims/``; :func:`load` reads them into pandas tables.
"""

from __future__ import annotations

__version__ = "0.1.0"

from forecastkit.errors import ForecastkitError
from forecastkit.corpus import Corpus, load

__all__ = ["Corpus", "ForecastkitError", "load", "__version__"]
