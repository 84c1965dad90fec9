"""The assessment's results stay exactly as frozen: a speed-up must not change any status, value,
reason or label.

tests/assets/assessment-frozen.json was produced by the assessment code before it was made faster
(issue 11, PERF). Per case (plan, year, as-of date, language) it holds the status, value and reason
of every indicator, and a digest of every indicator's whole JSON, of the clusters and of the whole
result (floats written with 12 significant digits, so only float noise is ignored). Any change
fails here and names the case and the indicator.

When an assessment change is intended, regenerate the file and say why in the commit:

    .venv/bin/python tests/analytics/test_assessment_equivalence.py --regenerate
"""
from __future__ import annotations

import hashlib
import json
import math
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import zhizao.api as zz  # noqa: E402
from zhizao.analytics.assessment import assess_plan, assess_plan_languages  # noqa: E402

ASSETS = ROOT / "tests" / "assets"
FROZEN = ASSETS / "assessment-frozen.json"
PLAN_A, PLAN_B, FICTIONAL = "chongqing-manufacturing-2021-2025", "chongqing-manufacturing-2023-2027", "fictional"
# (store, year, as_of): the default year (a final evaluation for both embedded plans), mid-term years,
# an as-of date that holds back values not yet released.
CASES = [
    (PLAN_A, None, None), (PLAN_A, 2023, "2024-06-30"), (PLAN_A, 2022, None),
    (PLAN_B, None, None), (PLAN_B, 2024, "2025-03-01"),
    (FICTIONAL, 2024, None), (FICTIONAL, 2025, "2025-06-30"),
]
LANGS = ("zh", "en")
KEY_FIELDS = ("status", "data_year", "actual", "completion", "reason_code")  # named on failure; the digest has all


def case_id(store: str, year, as_of, lang: str) -> str:
    return f"{store}/{year or 'default'}/{as_of or '-'}/{lang}"


def canonical(v):
    """JSON-ready with floats at 12 significant digits (as the candidates' own rounding). A value
    known only since its import is known since the day the test made its store: that day is a
    placeholder."""
    if isinstance(v, str) and v == TODAY:
        return "<today>"
    if isinstance(v, float):
        return f"{v:.12g}" if math.isfinite(v) else str(v)
    if isinstance(v, dict):
        return {str(k): canonical(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [canonical(x) for x in v]
    if v is None or isinstance(v, (str, bool, int)):
        return v
    return str(v)


TODAY = date.today().isoformat()


def digest(v) -> str:
    text = json.dumps(canonical(v), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def fingerprint(result: dict) -> dict:
    return {
        "head": {"year": result["year"], "counts": result["summary"]["counts"],
                 "clusters": digest(result["clusters"]),
                 "rest": digest({k: v for k, v in result.items() if k not in ("indicators", "clusters")}),
                 "whole": digest(result)},
        "indicators": {i["id"]: {**{k: canonical(i.get(k)) for k in KEY_FIELDS}, "digest": digest(i)}
                       for i in result["indicators"]},
    }


def make_stores(tmp: Path) -> dict:
    dbs = {}
    for plan_id in (PLAN_A, PLAN_B):
        dbs[plan_id] = (plan_id, tmp / f"{plan_id}.duckdb")
        zz.open_store(dbs[plan_id][1], zz.resolve_plan(plan_id, dbs[plan_id][1])).close()  # bundled data
    fictional = zz.load_plan(ASSETS / "fictional-plan.yaml")
    db = tmp / "fictional.duckdb"
    zz.import_data(ASSETS / "fictional-links.yaml", plan=fictional, db=db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=fictional, db=db)
    dbs[FICTIONAL] = (fictional, db)
    return dbs


def run(dbs: dict, store: str, year, as_of, lang: str) -> dict:
    plan, db = dbs[store]
    return zz.assess(plan, db=db, year=year, as_of=as_of, lang=lang)


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    return make_stores(tmp_path_factory.mktemp("equivalence"))


@pytest.fixture(scope="module")
def frozen():
    return json.loads(FROZEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("store,year,as_of", CASES)
@pytest.mark.parametrize("lang", LANGS)
def test_assessment_equals_frozen(dbs, frozen, store, year, as_of, lang):
    cid = case_id(store, year, as_of, lang)
    got, want = fingerprint(run(dbs, store, year, as_of, lang)), frozen[cid]
    assert list(got["indicators"]) == list(want["indicators"]), cid
    for ind_id, w in want["indicators"].items():
        g = got["indicators"][ind_id]
        for k in w:  # status, value, reason … first: the message names what changed
            assert g[k] == w[k], f"{cid} {ind_id}.{k}: {g[k]!r} != frozen {w[k]!r}"
    for k, what in (("counts", "status counts"), ("clusters", "clusters"), ("rest", "plan, summary or settings"),
                    ("year", "year"), ("whole", "result")):
        assert got["head"][k] == want["head"][k], f"{cid}: {what} changed"


def test_the_frozen_file_covers_every_case(frozen):
    assert set(frozen) == {case_id(*c, lang) for c in CASES for lang in LANGS}


@pytest.mark.parametrize("store,year,as_of", [CASES[0], CASES[1], CASES[4], CASES[6]])
def test_both_languages_at_once_equal_each_alone(dbs, store, year, as_of):
    """assess_plan_languages computes the evidence once for zh and en: each result is the one
    assess_plan gives for its language alone, also with non-finite values left out and named."""
    plan, db = dbs[store]
    plan = zz.resolve_plan(plan, db, register=False)
    with zz.open_store(db, plan) as s:
        obs = s.observations(as_of=zz._as_date(as_of), include_nonfinite=True)
        links = s.links(plan.plan.id)
    bad = obs.iloc[[0]].assign(value=float("inf"), obs_id=10**9, batch_id="bad-batch")
    for frame in (obs, pd.concat([obs, bad], ignore_index=True)):
        both = assess_plan_languages(plan, frame, links, year=year, as_of=as_of)
        assert list(both) == ["zh", "en"]
        for lang in LANGS:
            alone = assess_plan(plan, frame, links, year=year, lang=lang, as_of=as_of)
            assert json.dumps(both[lang], sort_keys=True, default=str) == json.dumps(alone, sort_keys=True, default=str)
        assert len(both["en"]["summary"]["ignored_values"]) == (frame is not obs)
    assert both["zh"]["summary"]["ignored_values"][0]["message"].startswith("批次 bad-batch")
    assert both["en"]["summary"]["ignored_values"][0]["message"].startswith("batch bad-batch")


def regenerate() -> None:
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        dbs = make_stores(Path(tmp))
        out = {case_id(*c, lang): fingerprint(run(dbs, *c, lang)) for c in CASES for lang in LANGS}
    # one line per indicator: small, and a diff shows what changed
    lines = ["{"]
    for n, (cid, fp) in enumerate(out.items()):
        lines.append(f" {json.dumps(cid)}: {{")
        lines.append(f'  "head": {json.dumps(fp["head"], ensure_ascii=False)},')
        lines.append('  "indicators": {')
        inds = list(fp["indicators"].items())
        lines += [f"   {json.dumps(i)}: {json.dumps(v, ensure_ascii=False)}" + ("," if k < len(inds) - 1 else "")
                  for k, (i, v) in enumerate(inds)]
        lines.append("  }}" + ("," if n < len(out) - 1 else ""))
    FROZEN.write_text("\n".join(lines + ["}"]) + "\n", encoding="utf-8")
    print(f"wrote {FROZEN} ({len(out)} cases)")


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: test_assessment_equivalence.py --regenerate")
    regenerate()
