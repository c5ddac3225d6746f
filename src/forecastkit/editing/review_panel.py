"""Review candidates in a notebook (``notebooks/explore.ipynb``): the same loop as
``forecastkit review``, over :mod:`forecastkit.editing.review`.

:class:`ReviewPanel` has plain methods a cell can call (:meth:`~ReviewPanel.table`,
:meth:`~ReviewPanel.accept`, :meth:`~ReviewPanel.reject`, :meth:`~ReviewPanel.edit`), each
returning the one-line message the CLI prints (a refusal's message too, rather than a
traceback), and :meth:`~ReviewPanel.show`: ipywidgets to pick a candidate, write its
proposition and accept or reject it with a button.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from forecastkit.editing import review
from forecastkit.errors import ForecastkitError
from forecastkit.records.paths import resolve_corpus_path

#: Columns of the table the panel shows (all of :func:`review.candidates_table` are in .table()).
SHOWN = ["ref", "status", "claimant", "registered", "hedge", "reading", "number", "resolve_by",
         "confidence", "quote", "proposition"]  # fmt: skip


class ReviewPanel:
    """Candidates of the corpus ``claims_dir`` (default: the project's), reviewed by ``ref``."""

    def __init__(
        self, claims_dir: str | os.PathLike[str] | None = None, scale: str | None = None
    ) -> None:
        self.path = resolve_corpus_path(claims_dir)
        self.scale = scale
        self._widgets: dict[str, Any] = {}

    def table(self, rejected: bool = False) -> pd.DataFrame:
        """One row per candidate (pending; rejected too with ``rejected``)."""
        return review.candidates_table(self.path, rejected=rejected, scale=self.scale)

    def accept(self, ref: str, **fields: Any) -> str:
        """Accept ``ref`` (fields as :func:`review.accept_candidate` takes them)."""
        return self._run(review.accept_candidate, ref, **fields)

    def reject(self, ref: str, reason: str, **fields: Any) -> str:
        return self._run(review.reject_candidate, ref, reason=reason, **fields)

    def edit(self, ref: str, **fields: Any) -> str:
        return self._run(review.edit_candidate, ref, **fields)

    def _run(self, action: Any, ref: str, **fields: Any) -> str:
        try:
            return action(ref, path=self.path, **fields).message
        except ForecastkitError as exc:
            return f"error: {exc}"

    # -- widgets ---------------------------------------------------------------------------
    def show(self) -> Any:
        """A picker, the candidate's quote, a proposition box, accept and reject buttons."""
        import ipywidgets as w

        pick = w.Dropdown(description="candidate")
        quote = w.HTML()
        proposition = w.Textarea(description="proposition", layout=w.Layout(width="100%"))
        add = w.Checkbox(description="add a new claimant", value=True)
        level = w.FloatText(description="level", value=0.0, tooltip="for a range; 0: not given")
        reason = w.Text(description="reason")
        accept = w.Button(description="Accept", button_style="success")
        reject = w.Button(description="Reject", button_style="warning")
        message, table = w.Output(), w.Output()
        self._widgets = dict(pick=pick, quote=quote, proposition=proposition, add=add,
                             level=level, reason=reason, accept=accept, reject=reject,
                             message=message, table=table)  # fmt: skip
        pick.observe(lambda _: self._show_quote(), names="value")
        accept.on_click(lambda _: self._on_accept())
        reject.on_click(lambda _: self._on_reject())
        self._refresh()
        return w.VBox([pick, quote, proposition, w.HBox([add, level]), w.HBox([accept, reason,
                       reject]), message, table])  # fmt: skip

    def _refresh(self) -> None:
        from IPython.display import display

        found = self.table()
        w = self._widgets
        w["pick"].options = list(found["ref"])
        w["table"].clear_output()
        with w["table"]:
            display(found[SHOWN] if not found.empty else "no candidates to review")
        self._show_quote()

    def _show_quote(self) -> None:
        from html import escape

        found = self.table().set_index("ref")
        ref = self._widgets["pick"].value
        if ref in found.index:
            row = found.loc[ref]
            self._widgets["quote"].value = (
                f"<blockquote>{escape(str(row['quote']))}</blockquote>"
                f"<small>{escape(str(row['claimant']))}, {escape(str(row['hedge']))}, "
                f"by {escape(str(row['resolve_by']))}</small>"
            )
            given = row["proposition"]
            self._widgets["proposition"].value = "" if pd.isna(given) else str(given)
        else:
            self._widgets["quote"].value = ""

    def _say(self, text: str) -> None:
        out = self._widgets["message"]
        out.outputs = ()
        out.append_stdout(text + "\n")  # works outside a kernel too (tests)
        if not text.startswith("error:"):
            self._refresh()

    def _on_accept(self) -> None:
        w = self._widgets
        if not w["pick"].value:
            return self._say("error: no candidate picked")
        fields: dict[str, Any] = {"add_claimant": w["add"].value}
        if w["proposition"].value.strip():
            fields["proposition"] = w["proposition"].value
        if w["level"].value:
            fields["level"] = w["level"].value
        self._say(self.accept(w["pick"].value, **fields))

    def _on_reject(self) -> None:
        w = self._widgets
        if not w["pick"].value:
            return self._say("error: no candidate picked")
        self._say(self.reject(w["pick"].value, reason=w["reason"].value))
