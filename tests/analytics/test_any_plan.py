"""No plan that lints clean crashes or is silently skipped (issue 8): generated plans and data."""
import math
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies import plan_and_data  # noqa: E402

from zhizao.analytics.assessment import assess_plan  # noqa: E402
from zhizao.analytics.progress import PACE_STATUSES, STATUSES, Interval, meets_target  # noqa: E402
from zhizao.plan.lint import lint_plan  # noqa: E402
from zhizao.settings import Settings  # noqa: E402

S = Settings()
EXPLAINED = ("no_comparable_data", "not_met", "tracked")


@given(data=plan_and_data(max_indicators=4), lang=st.sampled_from(["zh", "en"]), step=st.integers(0, 12))
@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_clean_plan_assesses_with_a_status_or_a_reason(data, lang, step):
    plan, obs, links = data
    if any(f.severity == "error" for f in lint_plan(plan)):
        return
    for year in (min(plan.plan.base_year + step, plan.plan.target_year + 1),):  # any evaluation year
        res = assess_plan(plan, obs, links, year=year, settings=S, lang=lang)
        assert sum(res["summary"]["counts"].values()) == len(plan.indicators)
        for ind, r in zip(plan.indicators, res["indicators"]):
            assert r["status"] in STATUSES and r["status_label"]
            if r["status"] in EXPLAINED:
                assert r["reason"] and r["reason_code"], (r["id"], r["status"])
            if lang == "zh" and r["reason"]:
                assert any("\u4e00" <= ch <= "\u9fff" for ch in r["reason"])  # a Chinese reason under zh
            t = ind.target
            if t is None:
                assert r["status"] == "tracked"
                continue
            period = ind.kind.value in ("cumulative_change", "average_annual_growth")
            if r["status"] in PACE_STATUSES and not t.every_year:
                # A pace needs a year and a baseline (printed, from the store, or 0 for a cumulative change).
                assert t.year is not None or period
                assert r["baseline"]["value"] is not None or ind.kind.value == "average_annual_growth"
                assert r["growth_ratio"] is not None and math.isfinite(r["growth_ratio"])
            if ind.nature.value != "binding":
                assert not r["binding_alert"]
            # An exact value that meets the target is achieved (level kinds judged on their latest value).
            if (r["actual"] is not None and r["qualifier"] == "exact" and not period and not t.every_year
                    and r["status"] != "no_comparable_data"):
                met, _ = meets_target(ind, Interval.exact(r["actual"]), S["approx_tolerance"])
                assert (r["status"] == "achieved") == met, (r["id"], r["actual"], r["status"])
                assert (r["gap"] == 0) == met
        # The JSON is finite and serialisable (no NaN/inf reaches a page or a report).
        import json
        json.dumps(res, allow_nan=False, default=str)
