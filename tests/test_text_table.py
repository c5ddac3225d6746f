"""scoring.text_table.aligned writes what DataFrame.to_string(index=False) writes."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from forecastkit.scoring.text_table import aligned

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=500, deadline=None)
@given(
    names=st.lists(TEXT, min_size=1, max_size=4, unique=True),
    rows=st.integers(1, 6),
    data=st.data(),
)
def test_aligned_is_pandas_to_string(names, rows, data):
    columns = {}
    for name in names:
        if data.draw(st.booleans()):
            columns[name] = data.draw(st.lists(TEXT, min_size=rows, max_size=rows))
        else:
            columns[name] = data.draw(
                st.lists(st.integers(-(10**12), 10**12), min_size=rows, max_size=rows)
            )
    frame = pd.DataFrame(columns)
    assert aligned(frame) == frame.to_string(index=False)


def test_other_columns_and_empty_tables_go_to_pandas():
    for frame in (
        pd.DataFrame({"a": [0.1, 1e-05], "b": ["x", None]}),
        pd.DataFrame({"a": pd.Series([1, None], dtype="Int64")}),
        pd.DataFrame({"a": []}),
    ):
        assert aligned(frame) == frame.to_string(index=False)
