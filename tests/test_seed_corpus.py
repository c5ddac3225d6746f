"""The seed corpus in claims/: valid, faithful to its articles, and every verdict evidenced."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlparse

import pandas as pd
import pytest
import yaml

from forecastkit import load
from forecastkit.records.export import export_table

from conftest import ROOT, TODAY, shared_path

CLAIMS = ROOT / "claims"


def normalise(text: str) -> str:
    """Whitespace-normalised text: the only difference a quote may have from its article."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def corpus():
    # The seed corpus is real and still growing: outcomes recorded after the fixtures' TODAY are
    # refused as "in the future" against it (the loader checks every date rule), so check it
    # against the real date.
    return load(CLAIMS)


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
    assert (decided["evidence_count"] >= 1).all(), list(
        decided.loc[decided["evidence_count"] < 1, "claim_id"]
    )
    current = corpus.outcomes[corpus.outcomes["current"]].set_index("question_id")  # per question
    undecided = f.loc[f["status"].isin(["ambiguous", "annulled"]), ["claim_id", "question_id"]]
    for cid, qid in undecided.itertuples(index=False):
        assert isinstance(current.loc[qid, "note"], str) and current.loc[qid, "note"].strip(), cid


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


# --- evidence quality and open forecasts (issue 15, the second reading) ---------------------


#: The day of the second reading: open forecasts are checked against it.
REVIEW_DAY = dt.date(2026, 12, 1)
EVIDENCE_KINDS = {"primary", "news", "reference", "aggregator"}
#: Hosts that serve other sites' pages (proxies, unblockers, caches): never an evidence address.
PROXY_HOSTS = (
    "p.rst.im",
    "translate.goog",
    "12ft.io",
    "webcache.googleusercontent.com",
    "r.jina.ai",
    "proxysite.com",
    "croxyproxy.com",
    "hidemy.name",
)
#: Sites of state-aligned aggregator networks (the Pravda network): replaced wherever a better
#: stored copy says the same, which for the seed corpus is everywhere.
STATE_AGGREGATOR_HOSTS = ("news-pravda.com", "pravda-en.com")
#: Archives legitimately carry the original address in their own path.
ARCHIVE_HOSTS = ("web.archive.org",)


def _evidence_items():
    """Every evidence item of every outcome log, read from the YAML itself (the loaded tables
    keep only the columns the loader knows)."""
    for path in sorted((CLAIMS / "outcomes").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text("utf-8")) or {}
        for i, entry in enumerate(doc.get("outcomes") or []):
            for j, item in enumerate(entry.get("evidence") or []):
                yield f"{path.name}: outcomes[{i}] ({entry.get('claim')}) evidence[{j}]", item


def _host_matches(host: str, names) -> bool:
    return any(host == n or host.endswith("." + n) for n in names)


def test_every_evidence_item_names_its_source_kind():
    items = list(_evidence_items())
    assert items
    bad = [
        f"{where}: kind={item.get('kind')!r}"
        for where, item in items
        if item.get("kind") not in EVIDENCE_KINDS
    ]
    assert not bad, "evidence without a valid source kind:\n" + "\n".join(bad)


def test_the_outcomes_schema_knows_the_source_kinds():
    schemas = sorted((ROOT / "src" / "forecastkit").rglob("outcomes.schema.json"))
    assert schemas, "no outcomes.schema.json under src/forecastkit"
    schema = json.loads(schemas[0].read_text("utf-8"))
    item = schema["properties"]["outcomes"]["items"]["properties"]["evidence"]["items"]
    # the format also knows "tracker" (a platform's own resolution, as imported); the seed
    # corpus, read by people, uses only the four kinds of a page a person read
    assert set(item["properties"]["kind"]["enum"]) == EVIDENCE_KINDS | {"tracker"}
    assert "kind" not in item["required"]  # optional in the format, required of the seed corpus


def test_no_current_outcome_cites_a_proxy_or_a_state_aligned_aggregator_network(corpus):
    """Outcome logs are append-only, so a superseded entry keeps the address it cited; what a
    verdict rests on now (the current entry of each claim) must cite every page at its own
    address."""
    current = corpus.outcomes.loc[corpus.outcomes["current"], ["question_id", "entry"]]
    ev = corpus.evidence.merge(current, on=["question_id", "entry"])  # entries are per question
    assert len(ev) > 0
    bad = []
    for row in ev.itertuples():
        url = str(row.url)
        host = urlparse(url).netloc.lower()
        embedded = url.count("://") > 1 and not _host_matches(host, ARCHIVE_HOSTS)
        if _host_matches(host, PROXY_HOSTS) or embedded:
            bad.append(f"{row.file}:{row.line}: {row.question_id}: proxy address {url}")
        if _host_matches(host, STATE_AGGREGATOR_HOSTS):
            bad.append(f"{row.file}:{row.line}: {row.question_id}: state-aligned aggregator {url}")
    assert not bad, "\n".join(bad)


def test_no_evidence_anywhere_is_served_through_a_proxy_host_unless_superseded(corpus):
    """A proxy address may survive only in history: in an entry that a later one supersedes."""
    ev = corpus.evidence.merge(
        corpus.outcomes[["question_id", "entry", "current"]], on=["question_id", "entry"]
    )
    proxied = ev[[_host_matches(urlparse(str(u)).netloc.lower(), PROXY_HOSTS) for u in ev["url"]]]
    assert not proxied["current"].any(), list(proxied.loc[proxied["current"], "question_id"])


_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_M = "(" + "|".join(_MONTHS) + ")"
_DATE_PATTERNS = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), lambda m: (m[1], m[2], m[3])),
    # "3-4 July 2024", "19 June 2024"
    (
        re.compile(r"\b(?:\d{1,2}-)?(\d{1,2}) " + _M + r" (\d{4})\b", re.I),
        lambda m: (m[3], _MONTHS[m[2].lower()], m[1]),
    ),
    # "July 3-4, 2024", "June 19 2024"
    (
        re.compile(_M + r" (?:\d{1,2}-)?(\d{1,2}),? (\d{4})\b", re.I),
        lambda m: (m[3], _MONTHS[m[1].lower()], m[2]),
    ),
]


def _dates_in(text: str) -> list[dt.date]:
    found = []
    for pattern, parts in _DATE_PATTERNS:
        for m in pattern.finditer(text or ""):
            y, mo, d = (int(x) for x in parts(m))
            try:
                found.append(dt.date(y, mo, d))
            except ValueError:
                pass
    return found


def test_date_finder_reads_the_forms_used_in_criteria():
    assert _dates_in("the SCO summit of 3-4 July 2024") == [dt.date(2024, 7, 4)]
    assert _dates_in("on July 3-4, 2024 or by 2029-06-17") == [
        dt.date(2029, 6, 17),
        dt.date(2024, 7, 4),
    ]


def test_no_open_forecast_has_a_dated_branch_that_has_passed(corpus):
    """An open forecast whose criteria (or proposition) name a date after it was made and before
    the review day has a branch that is already determined: a disjunction with two horizons
    (record it as two claims) or an event-bound claim whose event is over (resolve it)."""
    f = corpus.forecasts()
    open_ = f[f["status"] == "open"]
    bad = []
    for row in open_.itertuples():
        made = row.made_on.date()
        text = " ".join(str(x) for x in (row.criteria, row.proposition) if isinstance(x, str))
        passed = sorted({d for d in _dates_in(text) if made < d < REVIEW_DAY})
        if passed:
            bad.append(
                f"{row.file}:{row.line}: {row.claim_id} is open but its criteria name "
                f"{', '.join(map(str, passed))}, already past"
            )
    assert not bad, "\n".join(bad)


def test_an_open_forecast_past_its_deadline_says_why_it_stays_open(corpus):
    f = corpus.forecasts()
    overdue = f[(f["status"] == "open") & (f["resolve_by"] < pd.Timestamp(REVIEW_DAY))]
    bad = [
        f"{r.file}:{r.line}: {r.claim_id}"
        for r in overdue.itertuples()
        if not (isinstance(r.notes, str) and "stays open" in r.notes)
    ]
    assert not bad, "open past resolve_by with no note saying why it stays open:\n" + "\n".join(bad)


def test_the_disjunction_of_two_horizons_is_recorded_as_two_claims(corpus):
    ids = set(corpus.claims["claim_id"])
    assert "hankyoreh-2024-doo-nk-sco-observer-or-csto" not in ids
    sco = corpus.claims.set_index("claim_id").loc["hankyoreh-2024-doo-nk-sco-summit-observer"]
    csto = corpus.claims.set_index("claim_id").loc["hankyoreh-2024-doo-nk-csto-participation"]
    assert str(sco["resolve_by"].date()) == "2024-07-04" and sco["status"] == "false"
    assert csto["status"] == "open"


# --------------------------------------------------------------------------- shared questions

#: Claims that forecast one event (docs/seed-review.md, "Shared questions"; issue 10).
SHARED = {
    "q-2024-ru-nk-mutual-defence-clause": {
        "hankyoreh-2024-many-experts",
        "kim-sung-bae",
        "kim-jong-won",
    },
    "q-2024-ru-nk-institutionalise-military-cooperation": {"kim-sung-bae", "kim-jong-won"},
    "q-2024-ru-nk-treaty-ramifications": {"kim-sung-bae", "kim-jong-won"},
    "q-2000-ru-nk-economic-commission": {"russian-government", "dprk-government"},
    "q-2000-ru-nk-economic-projects-railway": {"russian-government", "dprk-government"},
    "q-2000-ru-nk-security-consultations": {"russian-government", "dprk-government"},
    "q-2000-ru-nk-military-exchanges": {"russian-government", "dprk-government"},
}


def test_claims_on_one_event_share_a_question(corpus):
    registered = corpus.questions[corpus.questions["registered"]].set_index("question_id")
    assert set(registered.index) == set(SHARED)
    for qid, claimants in SHARED.items():
        on_q = corpus.claims[corpus.claims["question_id"] == qid]
        assert set(on_q["claimant"]) == claimants, qid
        assert on_q["status"].nunique() == 1 and on_q["resolved_on"].nunique() == 1, qid
        assert registered.loc[qid, "n_claimants"] == len(claimants)
        # the question closes no earlier than the claims' own deadlines
        assert (on_q["resolve_by"] <= registered.loc[qid, "resolve_by"]).all()


def test_each_outcome_is_logged_once_per_question(corpus):
    entries = corpus.outcomes
    shared = entries[entries["question_id"].isin(list(SHARED))]
    assert shared["claim_id"].isna().all()  # keyed by question, not by one claim of it
    urls = corpus.evidence.groupby(["question_id", "entry"])["url"].agg(
        lambda u: "; ".join(sorted(u))
    )
    seen = shared.assign(
        urls=[
            urls.get((q, e), "")
            for q, e in zip(shared["question_id"], shared["entry"], strict=True)
        ]
    )
    repeated = seen.duplicated(["question_id", "verdict", "resolved_on", "note", "urls"])
    assert not repeated.any(), seen[repeated][["question_id", "entry"]]


def test_joint_forecasts_compare_as_equals(corpus):
    from forecastkit.scoring.relative import relative_scores

    rel = relative_scores(corpus.forecasts(), "time-weighted", ci=False)
    pair = rel.head_to_head[
        (rel.head_to_head["claimant"] == "kim-sung-bae")
        & (rel.head_to_head["opponent"] == "kim-jong-won")
    ].iloc[0]
    assert pair["n_shared"] == 3 and pair["ties"] == 3  # the INSS authors' joint forecasts
    table = rel.table.set_index("claimant")
    assert (
        table.loc["kim-sung-bae", "relative_brier"] == table.loc["kim-jong-won", "relative_brier"]
    )
    assert table.loc["hankyoreh-2024-many-experts", "n_shared"] == 1


def test_policy_free_scores_are_those_of_the_claims(corpus):
    """Under ``all`` every claim is scored on its own: the question changes no claim's status,
    so the per-claimant scores are the plain means over the claimant's resolved claims."""
    from forecastkit.scoring.grouped import score_table

    f = corpus.forecasts()
    table = score_table(f, "claimant", policy="all", ci=False).set_index("group")
    scored = f[f["status"].isin(["true", "false"]) & f["probability"].notna()]
    brier = ((scored["probability"] - scored["outcome"]) ** 2).groupby(scored["claimant"]).mean()
    assert (table.loc[brier.index, "brier"] - brier).abs().max() < 1e-12
    assert table["n_resolved"].sum() == len(scored)
