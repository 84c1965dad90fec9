"""The rules' explanations read as written text: numbers through zhizao.formatting (no 6.92339, no
-0.0%, no nan) and no code identifiers in the Chinese text (issue 10)."""
import re

import pytest

from zhizao import labels
from zhizao.analytics.monitoring.context import context_from_panel
from zhizao.analytics.monitoring.panel import build_panel
from zhizao.analytics.monitoring.warnings import RULES, run_rules
from zhizao.synth import generate

from monitoring_helpers import city_levels, ctx_from, enterprise_ctx

RAW = re.compile(r"\d+\.\d{3,}|-0(\.0+)?(?![.\d])|\bnan\b|\bNaN\b|\d[eE][+-]\d")
CODE = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, sorted(labels.code_words()))) + r")(?![\w/.-])")


def _check(w):
    assert len(w)
    for zh, en in zip(w["explanation_zh"], w["explanation_en"]):
        assert not RAW.search(zh) and not RAW.search(en), (zh, en)
        assert not CODE.search(zh), zh
        assert not re.search(r"\b[a-z]+_[a-z_]+\b|Division \d", en), en  # English names, not codes


@pytest.fixture(scope="module")
def ctx():
    d = generate(300, 48, "2021-01", 0, anomalies="default")
    return context_from_panel(build_panel(d.enterprises, d.monthly, d.prices))


def test_every_rule_on_synthetic_data(ctx):
    frames = [run_rules(ctx, p, rules=list(RULES)) for p in ("2023-03", "2024-06", "2024-11", "2024-12")]
    seen = set()
    for w in frames:
        _check(w)
        seen |= set(w["rule"])
    assert {"target_gap", "five_light", "drag"} <= seen or len(seen) >= 5, seen


def test_a_growth_that_rounds_to_zero_is_not_minus_zero():
    # YTD growth −0.04 %: the old f"{g:.1f}" printed "累计增长-0.0%"
    w = run_rules(ctx_from(city_levels([100.0] * 11 + [99.96] * 5)), (2022, 6), rules=["target_gap"])
    _check(w)
    assert "累计增长0%" in w["explanation_zh"].iloc[0] and "个百分点" in w["explanation_zh"].iloc[0]
    assert "6 pp below" in w["explanation_en"].iloc[0]


def test_enterprise_explanations():
    ctx = enterprise_ctx({1: {"value_added": [100.0] * 11 + [40.0] * 3, "output": [100.0] * 11 + [40.0] * 3,
                              "electricity": [100.0] * 14}})
    w = run_rules(ctx, None, rules=[r for r in RULES if r.startswith("enterprise_")])
    _check(w)
