"""End to end on the PredictionBook public dump: import, validate, and per-user Brier scores
against a pandas computation on the raw file under each policy (skips without ../shared/data)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from forecastkit.cli import main

from conftest import FIXTURE_CORPUS

DUMP = Path(__file__).resolve().parents[2] / "shared" / "data" / "predictionbook"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (DUMP / "public.csv.zip").is_file(),
        reason="../shared/data/predictionbook is not beside the project",
    ),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("pb") / "claims"
    shutil.copytree(FIXTURE_CORPUS, root)
    done = CliRunner().invoke(
        main,
        [
            "import",
            str(root),
            str(DUMP / "public.csv.zip"),
            "--from",
            "predictionbook",
            "--skip-bad-rows",
        ],
    )
    assert done.exit_code == 0, done.output
    return root, done.output


def _day(values: pd.Series) -> pd.Series:
    """The UTC day of the dump's timestamps, as the import reads them."""
    return pd.to_datetime(values, utc=True, format="mixed").dt.tz_localize(None).dt.floor("D")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The dump's resolved forecasts, with the import's documented exclusions applied by hand:
    deadline before the forecast, forecast after the resolution (docs/import-formats.md)."""
    t = pd.read_csv(DUMP / "public.csv.zip")
    t["made"] = _day(t["timestamp"])
    t["close"] = _day(t["close_time"])
    t["resolved"] = _day(t["resolve_time"])
    t = t[~(t["close"] < t["made"])]
    t = t[~(t["resolved"].notna() & (t["made"] > t["resolved"]))]
    t = t[t["outcome"].isin([0, 1])].copy()
    t["brier"] = (t["probability"] - t["outcome"]) ** 2
    t["order"] = np.arange(len(t))
    return t


def _all(t: pd.DataFrame) -> pd.Series:
    return t.groupby("user_id")["brier"].mean()


def _last(t: pd.DataFrame) -> pd.Series:
    t = t[t["made"] <= t["resolved"]].sort_values(["user_id", "question_id", "made", "order"])
    last = t.groupby(["user_id", "question_id"]).tail(1)
    return last.groupby("user_id")["brier"].mean()


def _time_weighted(t: pd.DataFrame) -> pd.Series:
    """Each forecast weighted by the days it stood, from its day to the next forecast of the
    same user on the question or to the close (the earlier of resolution and deadline);
    forecasts after the close ignored; all on the close day: the last one."""
    t = t.assign(end=t[["resolved", "close"]].min(axis=1))
    t = t[t["made"] <= t["end"]].sort_values(["user_id", "question_id", "made", "order"])
    nxt = t.groupby(["user_id", "question_id"])["made"].shift(-1)
    stop = nxt.where(nxt.notna(), t["end"])
    t = t.assign(w=(stop - t["made"]).dt.days.astype(float))
    total = t.groupby(["user_id", "question_id"])["w"].transform("sum")
    is_last = ~t.duplicated(["user_id", "question_id"], keep="last")
    t["w"] = np.where(total > 0, t["w"], is_last.astype(float))
    t["wb"] = t["w"] * t["brier"]
    per_q = t.groupby(["user_id", "question_id"])[["wb", "w"]].sum()
    per_q["brier"] = per_q["wb"] / per_q["w"]
    return per_q.groupby("user_id")["brier"].mean()


def test_import_reports_what_it_did(imported):
    _, output = imported
    assert "forecasts on" in output and "from PredictionBook" in output
    assert "skipped 1,092 bad rows" in output


def test_the_imported_corpus_validates(imported):
    root, _ = imported
    done = CliRunner().invoke(main, ["validate", str(root)])
    assert done.exit_code == 0, done.output[-2000:]


@pytest.mark.parametrize(
    "policy,reference", [("all", _all), ("last", _last), ("time-weighted", _time_weighted)]
)
def test_per_user_brier_matches_pandas_on_the_raw_file(imported, raw, policy, reference):
    import forecastkit
    from forecastkit.scoring.grouped import score_table

    root, _ = imported
    corpus = forecastkit.load(root)
    table = score_table(corpus.forecasts(), "claimant", policy=policy, ci=False)
    aliases = corpus.authors.set_index("claimant")["aliases"].str.removeprefix("predictionbook:")
    ours = table.assign(user_id=table["group"].map(aliases)).dropna(subset=["user_id"])
    ours = ours[ours["n_resolved"] > 0].set_index("user_id")["brier"]
    theirs = reference(raw)
    theirs.index = theirs.index.astype(str)
    assert len(theirs) > 1500
    common = theirs.index.intersection(ours.index)
    assert len(common) == len(theirs), sorted(set(theirs.index) - set(ours.index))[:5]
    assert np.allclose(ours.loc[common], theirs.loc[common], atol=1e-9)
