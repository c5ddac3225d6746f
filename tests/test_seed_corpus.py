"""The seed corpus in claims/: valid, faithful to its articles, and every verdict evidenced."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, TODAY, shared_path
from forecastkit import load
from forecastkit.records.export import export_table

CLAIMS = ROOT / "claims"


def normalise(text: str) -> str:
    """Whitespace-normalised text: the only difference a quote may have from its article."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def corpus():
    return load(CLAIMS, today=TODAY)


@pytest.fixture(scope="module")
def articles():
    folder = shared_path("articles")
    return {p.name: normalise(p.read_text("utf-8")) for p in sorted(folder.glob("*.txt"))}


def test_every_quote_is_verbatim_in_one_article_per_source(corpus, articles):
    missing, source_articles = [], {}
    for row in corpus.claims.itertuples():
        quote = normalise(row.quote)
        found = {name for name, text in articles.items() if quote in text}
        if not found:
            missing.append(f"{row.file}:{row.line}: {row.claim_id}")
        source_articles.setdefault(row.source_id, set()).update(found)
    assert not missing, "quotes not found verbatim:\n" + "\n".join(missing)
    for source, found in source_articles.items():
        assert len(found) == 1, f"{source}: quotes come from {sorted(found)}"
    assert len(source_articles) == len(articles) == 5


def test_every_resolved_forecast_has_evidence_or_a_note(corpus):
    f = corpus.forecasts()
    decided = f[f["status"].isin(["true", "false"])]
    assert (decided["evidence_count"] >= 1).all(), list(decided.loc[decided["evidence_count"] < 1, "claim_id"])
    current = corpus.outcomes[corpus.outcomes["current"]].set_index("claim_id")
    for cid in f.loc[f["status"].isin(["ambiguous", "annulled"]), "claim_id"]:
        assert isinstance(current.loc[cid, "note"], str) and current.loc[cid, "note"].strip(), cid


def test_every_forecast_is_resolved_or_open_until_its_deadline(corpus):
    f = corpus.forecasts()
    overdue = f[(f["status"] == "open") & (f["resolve_by"] < str(TODAY))]
    assert overdue.empty, f"open past their deadline: {list(overdue['claim_id'])}"
    resolved = f[f["status"] != "open"]
    assert (resolved["resolved_on"] >= resolved["made_on"]).all()
    assert (resolved["resolved_on"] <= str(TODAY)).all()


def test_claimants_are_not_only_bylines(corpus):
    f = corpus.forecasts()
    assert f["claimant"].nunique() >= 8
    assert (f["claimant_role"] != "byline author").sum() >= 10


def test_inferred_deadlines_name_a_convention_rule(corpus):
    f = corpus.forecasts()
    inferred = f[f["deadline_basis"] == "inferred"]
    bad = inferred[~inferred["deadline_rule"].str.match(r"D[0-4] ")]
    assert bad.empty, list(bad["claim_id"])


def test_export_lists_every_claim_with_its_status(corpus):
    table = export_table(corpus)
    assert len(table) == len(corpus.claims)
    assert set(table["status"]) <= {"open", "true", "false", "ambiguous", "annulled"}
    assert table["status"].notna().all()
