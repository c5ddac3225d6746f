"""Regenerate the tables of ``docs/lexicon.md`` from the lexicon data.

The doc's prose is written by hand; everything between ``<!-- BEGIN GENERATED: name -->`` and
``<!-- END GENERATED: name -->`` comes from :func:`render_blocks`. tests/test_lexicon.py fails
when the doc and the data disagree, so the doc cannot drift.

Usage: python scripts/build_lexicon_doc.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "lexicon.md"
BLOCK = re.compile(
    r"(<!-- BEGIN GENERATED: (?P<name>[\w-]+) -->\n)(.*?)(<!-- END GENERATED: (?P=name) -->)", re.S
)


def _md_table(header: list[str], rows: list[list[object]]) -> str:
    def cell(v: object) -> str:
        text = f"{v:g}" if isinstance(v, float) else str(v)
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_blocks() -> dict[str, str]:
    """The generated blocks of docs/lexicon.md, by name."""
    from forecastkit.records.lexicon import (
        DEFAULT_SCALE,
        house_mapping,
        lexicon_table,
        normalize_hedge,
        scales,
    )

    shipped = scales()
    summary = _md_table(
        ["key", "scale", "publisher", "year", "reference"],
        [
            [
                f"`{k}`" + (" (default)" if k == DEFAULT_SCALE else ""),
                s.name,
                s.publisher,
                s.year,
                f"{s.citation} <{s.url}>",
            ]
            for k, s in shipped.items()
        ],
    )
    per_scale = []
    for key, sc in shipped.items():
        table = lexicon_table(key)
        per_scale.append(
            f"### `{key}`: {sc.name}\n\n{sc.citation} <{sc.url}>\n\n"
            + _md_table(
                ["phrase", "level", "point", "low", "high"],
                table[["phrase", "level", "point", "low", "high"]].values.tolist(),
            )
        )
    house = house_mapping()
    house_rows = [
        [f"`{h}`", f"`{normalize_hedge(h)}`", lv, why]
        for h, lv, why in house.itertuples(index=False)
    ]
    return {
        "scales": summary,
        "scale-tables": "\n".join(per_scale),
        "house": _md_table(["hedge as written", "normalised", "level", "rationale"], house_rows),
    }


def render_doc(text: str) -> str:
    """``text`` with every generated block replaced by its current contents."""
    blocks = render_blocks()
    return BLOCK.sub(lambda m: m.group(1) + blocks[m.group("name")] + m.group(4), text)


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    new = render_doc(text)
    if new != text:
        DOC.write_text(new, encoding="utf-8")
        print(f"updated {DOC.relative_to(ROOT)}")
    else:
        print(f"{DOC.relative_to(ROOT)} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
