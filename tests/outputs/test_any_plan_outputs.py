"""No plan that lints clean crashes any output (issue 8): a generated plan and its data go through
the user's import, the assessment, the report and every dashboard page's JSON twin."""
from __future__ import annotations

import sys
from pathlib import Path

import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings as hsettings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies import links_frame, make_plan, obs_frame, plan_and_data  # noqa: E402

from zhizao import api  # noqa: E402
from zhizao.outputs.reports.build import build_report  # noqa: E402
from zhizao.outputs.web.app import create_app  # noqa: E402
from zhizao.plan.lint import lint_plan  # noqa: E402
from zhizao.store.importing import ImportFailed  # noqa: E402

# How a qualified value is printed in a file, as statistics releases print it.
PRINTED = {"exact": "{v}", "more_than": "超{v}", "nearly": "近{v}", "about": "约{v}", "at_least": "{v}以上",
           "at_most": "{v}以内", "less_than": "不足{v}"}


def _csv(obs) -> str:
    lines = ["series,period,value,unit,status,source_url,grade,vintage,quote"]
    for i, r in enumerate(obs.itertuples()):
        value = PRINTED[r.qualifier].format(v=f"{r.value:g}")
        lines.append(f"{r.series},{r.year},{value},{r.unit},{r.status},https://example.org/{i},{r.grade},"
                     f"{r.year + 1}-03-01,{r.series} {value}")
    return "\n".join(lines) + "\n"


@example(data=(make_plan([  # found by this test: an undated cumulative change crashed the report's chart
    {"id": "i1", "name": "指标1", "unit": "%", "direction": "decrease", "kind": "cumulative_change",
     "target": {"year": None, "value": -1.0, "comparator": "<="}}], base_year=2015, target_year=2017),
    obs_frame([{"series": "i1", "year": 2016, "value": -0.5, "unit": "%"}]), links_frame([])))
@given(data=plan_and_data(max_indicators=3))
@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
def test_a_clean_plan_goes_through_import_assessment_report_and_dashboard(data, tmp_path_factory):
    plan, obs, _ = data
    if any(f.severity == "error" for f in lint_plan(plan)):
        return
    tmp = tmp_path_factory.mktemp("anyplan")
    plan_file = tmp / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(plan.model_dump(mode="json"), allow_unicode=True),
                         encoding="utf-8")
    db = tmp / "s.duckdb"
    loaded = api.load_plan(plan_file)
    obs = obs[obs["year"] <= plan.plan.target_year]  # the import's window ends with the plan (tested elsewhere)
    if len(obs):
        csv = tmp / "data.csv"
        csv.write_text(_csv(obs), encoding="utf-8")
        try:
            api.import_data(csv, plan=loaded, db=db)
        except ImportFailed as e:  # only the duplicates the generator may draw are refused
            assert {p.code for p in e.problems} <= {"duplicate_key"}, e.problems[0].message_en
    for lang in ("zh", "en"):
        result = api.assess(loaded, db=db, lang=lang)
        files = build_report(result, api.observations(db), plan=loaded, formats="html", out_dir=tmp / lang, lang=lang)
        assert files["html"].stat().st_size > 0
    with TestClient(create_app(db=db, plan=plan_file, warm=False, allowed_hosts=["testserver"])) as c:
        pages = ["/", "/plan", "/districts", "/data", "/downloads",
                 *[f"/indicator/{i.id}" for i in loaded.indicators]]
        for page in pages:
            for lang in ("zh", "en"):
                r = c.get(f"{page}?format=json&lang={lang}")
                assert r.status_code == 200, (page, r.text[:300])
                assert r.json()["page"]
        assert c.get("/").status_code == 200
