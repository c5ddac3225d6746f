"""Report parameters, checked before they reach a notebook.

A report notebook takes ``author``, ``claims_dir``, ``scale``, ``as_of``, ``min_n`` and
``policy`` (how a claimant's several forecasts on one question count: docs/scoring.md).
papermill writes parameter values into the notebook as Python literals, so each value is checked
for its exact type and form here first: a claimant key that the corpus knows, a shipped lexicon
scale, an ISO date, a non-negative integer. Anything else is a one-line
:class:`~forecastkit.errors.ParameterError` and nothing runs.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from forecastkit.errors import ParameterError

#: The form of a claimant key (``authors.yaml``): lower-case letters, digits and hyphens.
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")  # records.layout.ID_PATTERN: a file name
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ReportParameters:
    """Checked parameters of a report notebook (the names of its ``parameters`` cell)."""

    author: str | None
    claims_dir: str
    scale: str
    as_of: str
    min_n: int
    policy: str = "time-weighted"  # scoring.policies.DEFAULT_POLICY (checked by the test suite)
    min_resolved: int = 0  # resolved forecasts a claimant needs to be ranked (and reported on)

    def as_dict(self) -> dict[str, Any]:
        """The values papermill injects: only ``str``, ``int`` and ``None``."""
        return asdict(self)

    @property
    def as_of_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of)


def check_author(author: object, known: Iterable[str]) -> str:
    """``author`` if it is a claimant key in ``known``; else a :class:`ParameterError`."""
    if not isinstance(author, str) or not KEY_PATTERN.fullmatch(author):
        raise ParameterError(
            f"{author!r} is not a claimant key",
            field="author",
            hint="keys are lower-case words joined by hyphens, as in authors.yaml",
        )
    keys = list(known)
    if author not in keys:
        near = [k for k in keys if author in k][:3] or difflib.get_close_matches(
            author, keys, n=3, cutoff=0.6
        )
        hint = (
            f"did you mean {' or '.join(repr(n) for n in near)}?"
            if near
            else "see authors.yaml for the claimant keys"
        )
        raise ParameterError(f"unknown author '{author}'", field="author", hint=hint)
    return author


def check_scale(scale: object) -> str:
    """``scale`` if it names a shipped lexicon scale."""
    from forecastkit.records import lexicon

    names = list(lexicon.scales())
    if not isinstance(scale, str) or scale not in names:
        raise ParameterError(
            f"unknown scale {scale!r}",
            field="scale",
            hint=f"use one of {', '.join(names)} (forecastkit lexicon)",
        )
    return scale


def check_date(value: object, field: str = "as_of", *, today: dt.date | None = None) -> str:
    """An ISO ``YYYY-MM-DD`` date as text; ``None`` means ``today``."""
    if value is None:
        return (today or dt.date.today()).isoformat()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ParameterError(
        f"{value!r} is not a date", field=field, hint="write dates as YYYY-MM-DD, e.g. 2025-12-31"
    )


def check_min_n(value: object) -> int:
    """A whole number of resolved forecasts, 0 or more (``True`` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParameterError(
            f"{value!r} is not a whole number of forecasts",
            field="min_n",
            hint="give an integer such as 10",
        )
    return value


def check_policy(value: object) -> str:
    """A scoring policy of :data:`forecastkit.scoring.policies.POLICIES`; None: the default."""
    from forecastkit.scoring.policies import DEFAULT_POLICY, POLICIES

    if value is None:
        return DEFAULT_POLICY
    if not isinstance(value, str) or value not in POLICIES:
        raise ParameterError(
            f"unknown policy {value!r}",
            field="policy",
            hint=f"use one of {', '.join(POLICIES)} (docs/scoring.md)",
        )
    return value


def check_min_resolved(value: object) -> int:
    """The resolved forecasts a claimant needs to be ranked: a whole number, 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParameterError(
            f"{value!r} is not a whole number of resolved forecasts",
            field="min_resolved",
            hint="give an integer such as 20",
        )
    return value


def check_claims_dir(value: object) -> str:
    """The corpus folder as an absolute path (``None``: the project's ``claims/``)."""
    from forecastkit.records.paths import resolve_corpus_path

    if value is not None and not isinstance(value, (str, os.PathLike)):
        raise ParameterError(f"{value!r} is not a folder", field="claims_dir")
    path = resolve_corpus_path(value)
    if not path.is_dir():
        raise ParameterError(
            "corpus folder not found",
            file=path,
            field="claims_dir",
            hint="give the folder that holds the claim files, e.g. claims/",
        )
    return str(Path(path).resolve())


def check_parameters(
    *,
    author: object = None,
    claims_dir: object = None,
    scale: object = None,
    as_of: object = None,
    min_n: object = 10,
    policy: object = None,
    min_resolved: object = 0,
    authors: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> ReportParameters:
    """Check every report parameter; ``authors`` are the keys ``author`` must be one of.

    ``author=None`` is allowed (the overview has no author; an author report then picks the
    claimant with most forecasts). ``scale=None`` is the lexicon's default scale, ``policy=None``
    the default scoring policy.

    Examples
    --------
    >>> check_parameters(author="x", authors=["x"], scale="icd203", claims_dir=".",
    ...                  as_of="2024-01-31").as_of
    '2024-01-31'
    """
    from forecastkit.records.lexicon import DEFAULT_SCALE

    checked_scale = check_scale(DEFAULT_SCALE if scale is None else scale)
    checked_date = check_date(as_of, today=today)
    checked_min_n = check_min_n(min_n)
    folder = check_claims_dir(claims_dir)
    if author is not None:
        author = check_author(author, authors if authors is not None else ())
    return ReportParameters(
        author,
        folder,
        checked_scale,
        checked_date,
        checked_min_n,
        check_policy(policy),
        check_min_resolved(min_resolved),
    )
