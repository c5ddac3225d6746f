"""One exception root for forecastkit, and errors that carry their location.

Every error a user can cause derives from :class:`ForecastkitError`. It knows the file, line
and field it is about and how to fix it, and renders as one line::

    claims/x.yaml:12: claims[0].resolveby: unknown field; did you mean 'resolve_by'?
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class ForecastkitError(Exception):
    """Root of every forecastkit error.

    Parameters
    ----------
    message:
        What is wrong, in one sentence without a trailing full stop.
    file, line, field:
        Where: the file (path), 1-based line number and field path (``claims[2].hedge``).
    hint:
        How to fix it, when there is something useful to say.
    """

    #: Listed before the other errors of a :class:`ValidationFailed`: set on an error of the
    #: authors registry, which every claim refers to (so the claims' errors may follow from it).
    leads: bool = False

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        self.hint = hint
        super().__init__(str(self))

    @property
    def location(self) -> str:
        """``file:line`` (or whichever parts are known)."""
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or ""

    def __str__(self) -> str:
        parts = []
        if self.location:
            parts.append(self.location)
        if self.field:
            parts.append(self.field)
        parts.append(self.message + (f"; {self.hint}" if self.hint else ""))
        return ": ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for this error in a notebook (and papermill prints): one line,
        ``ParameterError: author: unknown author 'x'; did you mean 'y'?``, not a traceback.

        IPython calls ``_render_traceback_`` on an exception that has one instead of formatting
        the stack (IPython ``InteractiveShell.showtraceback``).
        """
        return [f"{type(self).__name__}: {self}"]


class ClaimFileError(ForecastkitError):
    """A claim, authors or outcomes file that cannot be read or breaks the schema."""


class CorpusError(ForecastkitError):
    """A problem between files: duplicate ids, unknown claimants, dangling outcomes."""


class UnknownScaleError(ForecastkitError):
    """A lexicon scale name that forecastkit does not ship."""


class UnknownHedgeError(ForecastkitError):
    """A hedge that no house mapping or scale phrase covers."""


class ScoringError(ForecastkitError):
    """Invalid input to a scoring function (shape, range, non-binary outcomes)."""


class ParameterError(ForecastkitError):
    """A report or command parameter that fails its check (author, scale, date)."""


class ReportError(ForecastkitError):
    """A report that could not be produced."""


class EditError(ForecastkitError):
    """A claim or outcome edit that was refused; nothing was written."""


class ValidationFailed(ForecastkitError):
    """Several errors found at once; ``errors`` holds each, in file and line order."""

    def __init__(self, errors: Iterable[ForecastkitError]) -> None:
        self.errors = sorted(
            errors, key=lambda e: (not e.leads, e.file or "", e.line or 0, e.field or "")
        )
        n = len(self.errors)
        first = str(self.errors[0]) if self.errors else "no errors"
        more = f" (and {n - 1} more)" if n > 1 else ""
        super().__init__(first + more)

    def __str__(self) -> str:  # the first error is the one-line summary
        n = len(self.errors)
        first = str(self.errors[0]) if self.errors else "no errors"
        return first + (f" (and {n - 1} more)" if n > 1 else "")


class ExtractionError(ForecastkitError):
    """An article that cannot be read for candidate claims (empty, binary, unreadable)."""


class ProjectError(ForecastkitError):
    """No forecastkit project where a command needs one, or a folder ``init`` cannot use."""
