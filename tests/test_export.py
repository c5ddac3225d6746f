"""records.export: writing the exported table."""

from __future__ import annotations

import errno
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.errors import ForecastkitError
from forecastkit.records import atomic, export

from conftest import FIXTURE_CORPUS, tree_snapshot


def test_export_to_an_unwritable_path_is_one_line(tmp_path: Path, monkeypatch) -> None:
    """--output under a file (or on a read-only disk) was a FileExistsError traceback from
    mkdir: one line naming the path, nothing written."""
    (tmp_path / "afile").write_text("mine\n")
    before = tree_snapshot(tmp_path)
    target = tmp_path / "afile" / "claims.csv"
    result = CliRunner().invoke(main, ["export", str(FIXTURE_CORPUS), "-o", str(target)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: {target}: cannot write the export")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert tree_snapshot(tmp_path) == before

    def read_only(path, data):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomic, "write_bytes_atomic", read_only)
    with pytest.raises(ForecastkitError, match="Read-only file system"):
        export.write_table(pd.DataFrame({"a": [1]}), "csv", tmp_path / "x.csv")
    assert tree_snapshot(tmp_path) == before


# --------------------------------------------------------------------------------------------
# The CSV is what pandas' to_csv wrote (records.csv_text), and the table what it was


TYPES = FIXTURE_CORPUS.parent / "types"


def _old_export_table(corpus, as_of=None) -> pd.DataFrame:
    """export_table as it was before it shared the claims' columns (commit d428b8b)."""
    c = export._claims_as_of(corpus, as_of)
    out = c.copy()
    out["deadline"] = export.deadline_texts(
        c["deadline_basis"], c["deadline_phrase"], c["deadline_rule"]
    )
    out["tags"] = c["tags"].map(lambda t: "; ".join(t)).astype("string")
    from forecastkit.records.forecast_text import forecast_texts

    is_date = export._is_date(corpus, out["question_id"])
    texts = forecast_texts(corpus.forecast_points, out.loc[is_date, "claim_id"])
    out["forecast"] = out["claim_id"].astype(str).map(texts).astype("string")
    stated = out["probability_stated"]
    shown = {v: f"{v:.10g}" for v in stated.dropna().unique().tolist()}
    yes_no = stated.map(shown).astype("string").fillna(out["hedge"].astype("string"))
    out["forecast"] = out["forecast"].fillna(yes_no)
    units = corpus.questions.drop_duplicates("question_id").set_index("question_id")["unit"]
    out["unit"] = out["question_id"].map(units).astype("string")
    numbers = pd.to_numeric(out["outcome_value"], errors="coerce")
    from forecastkit.records.forecast_text import show_number

    shown_values = [
        None if pd.isna(v) else (show_number(float(v), bool(d)) or None)
        for v, d in zip(numbers, is_date, strict=True)
    ]
    text = pd.Series(shown_values, index=out.index, dtype="string")
    out["answer"] = out["outcome_option"].astype("string").fillna(text)
    for col in ("question_type", "form"):
        out[col] = out[col].astype("string")
    return out[export.EXPORT_COLUMNS].reset_index(drop=True)


@pytest.fixture(scope="module")
def tracker(tmp_path_factory) -> Path:
    from forecastkit.editing.synthetic import write_synthetic_tracker

    root = tmp_path_factory.mktemp("tracker")
    write_synthetic_tracker(root, 3_000, 600, 40, seed=5)
    return root


@pytest.mark.parametrize("as_of", [None, "2012-01-01", "2024-06-30"])
@pytest.mark.parametrize("which", ["fixture", "types", "tracker"])
def test_the_export_table_and_its_csv_are_what_they_were(tracker, which, as_of) -> None:
    """The table is the old one, dtypes and all; its CSV, written column-wise (the path must
    be taken), is pandas' to_csv to the byte; so is the history's."""
    from forecastkit.records.corpus import load
    from forecastkit.records.csv_text import column_wise

    root = {"fixture": FIXTURE_CORPUS, "types": TYPES, "tracker": tracker}[which]
    corpus = load(root)
    day = None if as_of is None else pd.Timestamp(as_of).date()
    table = export.export_table(corpus, day)
    pd.testing.assert_frame_equal(table, _old_export_table(corpus, day))
    for t in (table, export.history_table(corpus, day)):
        expected = t.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
        assert column_wise(t, "\n") is not None
        assert b"".join(column_wise(t, "\n")) == expected.encode("utf-8")


def test_write_table_csv_is_to_csv_to_the_byte(tmp_path: Path) -> None:
    from forecastkit.records.corpus import load

    table = export.history_table(load(TYPES))
    export.write_table(table, "csv", tmp_path / "x.csv")
    expected = table.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8")
    assert (tmp_path / "x.csv").read_bytes() == expected


def test_a_write_that_fails_midway_leaves_the_old_file(tmp_path: Path) -> None:
    """The CSV comes in pieces: one that fails to come leaves the old file and no temporary."""
    target = tmp_path / "claims.csv"
    target.write_bytes(b"old\n")

    def pieces():
        yield b"new,"
        raise MemoryError

    with pytest.raises(MemoryError):
        atomic.write_bytes_atomic(target, pieces())
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]
    atomic.write_bytes_atomic(target, iter([b"a,", memoryview(b"b\n")]))
    assert target.read_bytes() == b"a,b\n"
