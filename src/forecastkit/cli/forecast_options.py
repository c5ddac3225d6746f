"""``add claim``'s options for forecasts beyond yes/no, and errors that name them.

The text of each option is read by :mod:`forecastkit.records.forecast_text` (the syntax
``show`` and ``export`` print); the numbers are checked against the question by
:func:`forecastkit.editing.claims.add_claim`, whose errors name the claim's field
(``claim.quantiles.0.95``). On the command line those become the option
(``--quantiles: ...``), or the file, line and column of a ``--cdf @FILE``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from forecastkit.errors import EditError, ForecastkitError, ValidationFailed

FORECAST_OPTIONS = ("probabilities", "quantiles", "interval", "cdf", "point")

_HELP = {
    "probabilities": "Multiple choice: each option's probability, LABEL=P pairs "
    "(e.g. 'medvedev=0.6,putin=0.3,neither=0.1'); they sum to 1.",
    "quantiles": "Numeric or date: LEVEL=VALUE pairs (e.g. '0.05=2,0.5=2.5,0.95=3').",
    "interval": "Numeric or date: a central interval, LEVEL:LOWER..UPPER (e.g. '90%:2..3', "
    "'0.5:2024-07-01..2024-12-31').",
    "cdf": "Numeric or date: P(value <= x) on a grid, X=P pairs (e.g. '0=0.02,1=0.1,2=0.5'), "
    "or @FILE, a CSV file with the columns x,p.",
    "point": "Numeric or date: a point estimate (scored for error only), e.g. 2.5 or 2024-09-01.",
}
_INDEX = re.compile(r"^claim\.cdf\.(x|p)\[(\d+)\]$")


def forecast_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The five options, one per form (a claim gives one of them, or a hedge/probability)."""
    for name in reversed(FORECAST_OPTIONS):
        func = click.option(f"--{name}", default=None, metavar="TEXT", help=_HELP[name])(func)
    return func


def read_forecast(given: dict[str, str | None]) -> tuple[dict[str, Any], Path | None, list[int]]:
    """The forms given, parsed (``add_claim``'s keyword arguments); for ``--cdf @FILE`` also
    the file and the line of each grid point.

    Raises
    ------
    EditError
        For text that is not the option's syntax (naming the option, or the CDF file's line).
    """
    from forecastkit.records import forecast_text as ft

    out: dict[str, Any] = {}
    cdf_file: Path | None = None
    lines: list[int] = []
    for name in FORECAST_OPTIONS:
        text = given.get(name)
        if text is None:
            continue
        if name == "cdf" and text.startswith("@"):
            cdf_file = Path(text[1:])
            out["cdf"], lines = ft.read_cdf_file(cdf_file)
        elif name == "point":
            out["point"] = ft.parse_value(text, "point")
        else:
            reader = {
                "probabilities": ft.parse_probabilities,
                "quantiles": ft.parse_quantiles,
                "interval": ft.parse_interval,
                "cdf": ft.parse_cdf,
            }[name]
            out[name] = reader(text)
    return out, cdf_file, lines


def on_the_command_line(
    exc: ForecastkitError,
    given: dict[str, Any],
    *,
    cdf_file: Path | None = None,
    lines: list[int] | None = None,
    binary: str | None = None,
) -> ForecastkitError:
    """``exc`` about the new claim's forecast, located at the option (or CDF file line) the
    user wrote it in; other errors unchanged. A list of errors becomes its first one.
    ``binary`` is ``hedge`` or ``probability`` when the claim gave one: a yes/no form on a
    question of another type is refused at that option."""
    if isinstance(exc, ValidationFailed):
        if not exc.errors or any(e.file for e in exc.errors):
            return exc
        exc = exc.errors[0]
    fld = exc.field or ""
    parts = fld.split(".")
    if len(parts) < 2 or parts[0] != "claim":
        return exc
    form = parts[1].split("[")[0]
    if form == "probability" and binary and " forecast on the " in exc.message:
        return EditError(exc.message, field=f"--{binary}", hint=exc.hint)
    if form not in given:
        return exc
    if form == "cdf" and cdf_file is not None:
        m = _INDEX.match(fld)
        at = int(m[2]) if m else None
        return EditError(
            exc.message,
            file=cdf_file,
            line=lines[at] if lines and at is not None and at < len(lines) else None,
            field=m[1] if m else None,
            hint=exc.hint,
        )
    return EditError(exc.message, field=f"--{form}", hint=exc.hint)
