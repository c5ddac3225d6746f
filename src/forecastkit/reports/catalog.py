"""What a folder of reports holds, whichever runs wrote it: the index and the links between pages.

A run may make every report or only a few (``--author``, ``--min-resolved``): the index lists
every report present in the folder after the run, not only the ones this run planned, and each
page links only to reports that exist (:func:`forecastkit.reports.assets.relink`), so an overview
made before a claimant's report was written gains the link once it is.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from forecastkit.records.atomic import write_text_atomic
from forecastkit.reports.jobs import INDEX_FILE, ReportJob, RunSummary

#: Pages in the folder that are not reports.
NOT_REPORTS = ("index",)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)


def present_reports(output: Path) -> set[str]:
    """The keys of the reports in ``output``: each ``<key>.html`` with its ``<key>.ipynb``."""
    output = Path(output)
    return {
        p.stem
        for p in output.glob("*.html")
        if p.stem not in NOT_REPORTS
        and not p.name.startswith(".")
        and (output / f"{p.stem}.ipynb").is_file()
    }


def _page_title(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)
    except OSError:
        return path.stem
    m = _TITLE.search(head)
    return html.unescape(m.group(1)).strip() if m else path.stem


def relink_pages(output: Path, manifest: dict[str, dict[str, Any]]) -> int:
    """Make every recorded page link exactly the reports present in ``output``; returns how many
    pages were rewritten. Each manifest entry lists the reports its page names (``links``) and
    those it links now (``linked``), so pages that need no change are not read."""
    from forecastkit.reports.assets import relink

    present = present_reports(output)
    rewritten = 0
    for key, entry in manifest.items():
        links = entry.get("links") or []
        want = sorted(set(links) & present)
        if not links or want == entry.get("linked"):
            continue
        path = Path(output) / str(entry.get("html", f"{key}.html"))
        try:
            page = path.read_text(encoding="utf-8")
        except OSError:
            continue
        write_text_atomic(path, relink(page, present))
        entry["linked"] = want
        rewritten += 1
    return rewritten


def write_index(
    output: Path,
    jobs: Sequence[ReportJob],
    summary: RunSummary,
    manifest: dict[str, dict[str, Any]],
) -> Path:
    """``index.html``: every report in the folder with its one-line summary, the overview first;
    this run's failed reports are flagged (the last good one is kept), planned reports that were
    never produced are listed without a link."""
    from forecastkit.reports.html import IndexEntry, index_html

    output = Path(output)
    status = {r.key: r.status for r in summary.results}
    present = present_reports(output)
    planned = {job.key: job for job in jobs}
    entries: dict[str, IndexEntry] = {}
    for key in sorted(present | set(planned), key=lambda k: (k != "overview", k)):
        job = planned.get(key)
        recorded = manifest.get(key, {})
        if job is not None:
            ok = status.get(key) in ("written", "unchanged")
            state = "ok" if ok else ("failed" if key in present else "missing")
            entries[key] = IndexEntry(f"{key}.html", job.title, job.summary, state)
        else:
            title = recorded.get("title") or _page_title(output / f"{key}.html")
            entries[key] = IndexEntry(f"{key}.html", title, recorded.get("summary", ""), "ok")
    first = jobs[0].parameters if jobs else {}
    when = first.get("as_of") or dt.date.today().isoformat()
    note = (
        f"{len(present)} report{'s' if len(present) != 1 else ''} in this folder. "
        f"Records as of {when}; hedges read on the {first.get('scale', '')} scale."
    )
    downloads = [
        (f"every claim ({name})", name) for name in ("claims.csv",) if (output / name).is_file()
    ]
    path = output / INDEX_FILE
    write_text_atomic(path, index_html(list(entries.values()), note=note, downloads=downloads))
    return path
