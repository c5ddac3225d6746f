"""forecastkit.records.linking: each claim's question, and each question's latest claim."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from forecastkit.editing.synthetic import write_synthetic_corpus
from forecastkit.records.corpus import check


def _per_question(claims: pd.DataFrame) -> dict[str, tuple[str, dt.date]]:
    """What a lookup per question gave (the code before latest_claims): idxmax's first claim
    made last, looked up with .loc one question at a time."""
    dated = claims[claims["made_on"].notna()]
    latest = dated.loc[dated.groupby("question_id", sort=False)["made_on"].idxmax()]
    table = latest.set_index("question_id")[["claim_id", "made_on"]]
    return {
        q: (table.loc[q, "claim_id"], table.loc[q, "made_on"].date())
        for q in claims["question_id"].dropna().unique()
        if q in table.index
    }


def test_latest_claims_are_what_a_lookup_per_question_gave() -> None:
    from forecastkit.records.linking import latest_claims

    claims = pd.DataFrame(
        {
            "question_id": ["q1", "q1", "q2", "q2", "q2", "q3", "q4", None],
            "claim_id": ["a", "b", "c", "d", "e", "f", "g", "h"],
            "made_on": pd.to_datetime(
                [
                    "2020-01-01",
                    "2021-06-30",
                    "2022-03-01",
                    "2022-03-01",
                    "2021-01-01",
                    None,
                    "1999-12-31",
                    "2023-01-01",
                ]  # fmt: skip
            ),
        }
    ).astype({"question_id": "string", "claim_id": "string"})
    got = latest_claims(claims)
    assert got == _per_question(claims)
    assert got == {  # a tie goes to the first claim; no dated claim, no entry
        "q1": ("b", dt.date(2021, 6, 30)),
        "q2": ("c", dt.date(2022, 3, 1)),
        "q4": ("g", dt.date(1999, 12, 31)),
    }
    assert all(type(day) is dt.date for _, day in got.values())


@pytest.mark.parametrize("n_claims", [40, 200])
def test_outcome_logs_look_no_claim_up_per_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n_claims: int
) -> None:
    """Each outcome entry's 'resolved before the claim was made' check took a DataFrame.loc
    (0.8-1 s for the 9,641 outcomes of a 12,000-claim corpus); the lookups no longer grow with
    the outcomes."""
    import pandas.core.indexing as indexing

    root = write_synthetic_corpus(tmp_path / "claims", 1, n_claims, 5, start=dt.date(2000, 1, 1))
    calls = []
    loc = indexing._LocIndexer.__getitem__

    def counted(self, key):
        calls.append(key)
        return loc(self, key)

    monkeypatch.setattr(indexing._LocIndexer, "__getitem__", counted)
    corpus, errors = check(root, today=dt.date(2030, 1, 1))
    assert errors == [] and len(corpus.outcomes) > n_claims / 2
    assert len(calls) <= 1  # the one that picks every question's latest claim


def test_an_outcome_before_its_latest_claim_is_refused(tmp_path: Path) -> None:
    root = write_synthetic_corpus(tmp_path / "claims", 1, 40, 5, start=dt.date(2000, 1, 1))
    corpus, _ = check(root, today=dt.date(2030, 1, 1))
    row = corpus.outcomes.iloc[0]
    claim = corpus.claims.set_index("claim_id").loc[row["claim_id"]]
    log = root / "outcomes" / Path(claim["file"]).name
    text = log.read_text("utf-8")
    day = row["resolved_on"].date().isoformat()
    early = (claim["made_on"] - pd.Timedelta(days=1)).date().isoformat()
    log.write_text(text.replace(f"resolved_on: {day}", f"resolved_on: {early}", 1), "utf-8")
    _, errors = check(root, today=dt.date(2030, 1, 1))
    made = claim["made_on"].date().isoformat()
    assert f"resolved_on {early} is before the claim was made ({made})" in [
        e.message for e in errors
    ]
