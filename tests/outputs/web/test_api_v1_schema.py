"""schemathesis against /api/v1 in-process: every operation, generated requests, on a store with the
bundled data (and monitoring data) and on the fictional plan's store. Checks: no 5xx, every answer
conforms to the described schema, status code and content type."""
from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

from zhizao import api
from zhizao.outputs.web.app import create_app
from zhizao.synth import generate

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def _synth(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("api-synth") / "data"
    generate(120, 30, "2022-01", seed=3).write(out)
    return out


@pytest.fixture(scope="module", params=["bundled", "fictional"])
def api_app(request, bundled_db, tmp_path_factory, _synth):
    if request.param == "bundled":
        db = tmp_path_factory.mktemp("api-schema") / "s.duckdb"
        db.write_bytes(bundled_db.read_bytes())
        return create_app(db=db, monitoring_data=_synth, warm=False, allowed_hosts=["testserver"])
    plan = api.load_plan(ASSETS / "fictional-plan.yaml")
    db = tmp_path_factory.mktemp("api-fictional") / "f.duckdb"
    api.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    api.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    return create_app(db=db, plan=plan, monitoring_data=tmp_path_factory.mktemp("no-synth"), warm=False,
                      allowed_hosts=["testserver"])


@pytest.fixture(scope="module")
def api_schema(api_app):
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", api_app)


def test_api_conforms_to_its_description(api_schema):
    # Each operation's strategy driven by hypothesis here (schemathesis's pytest plugin is not
    # used: its lazy fixture schemas do not run under this pytest).
    token = "t" * 32  # the CSRF double submit, so that POSTs reach the import and withdrawal code
    operations = [r.ok() for r in api_schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=12, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers={"X-CSRF-Token": token}, cookies={"zhizao_csrf": token}, checks=CHECKS)
        run()


def test_known_ids_conform_too(api_app, api_schema):
    """Generated ids rarely name a real plan, indicator or subject: the default plan's indicators and
    assessment and one subject of each type are checked against the description here."""
    from fastapi.testclient import TestClient

    client = TestClient(api_app)
    plan_op = api_schema["/api/v1/plans/{plan_id}"]["GET"]
    assess_op = api_schema["/api/v1/plans/{plan_id}/assessment"]["GET"]
    indicator_op = api_schema["/api/v1/plans/{plan_id}/indicators/{indicator_id}"]["GET"]
    subject_op = api_schema["/api/v1/monitoring/subjects/{subject_type}/{subject_id}"]["GET"]
    subjects = client.get("/api/v1/monitoring/subjects", params={"limit": 10000})
    first = {}
    for row in subjects.json()["items"] if subjects.status_code == 200 else []:
        first.setdefault(row["subject_type"], row["id"])
    assert subjects.status_code == 404 or len(first) == 6
    for st, sid in first.items():
        subject_op.Case(path_parameters={"subject_type": st, "subject_id": sid}).call_and_validate(checks=CHECKS)
    for plan in client.get("/api/v1/plans").json()["plans"][:1]:
        plan_op.Case(path_parameters={"plan_id": plan["id"]}).call_and_validate(checks=CHECKS)
        assess_op.Case(path_parameters={"plan_id": plan["id"]}).call_and_validate(checks=CHECKS)
        for ind in client.get(plan["api_url"]).json()["indicators"]:
            indicator_op.Case(path_parameters={"plan_id": plan["id"], "indicator_id": ind["id"]}).call_and_validate(
                checks=CHECKS)
