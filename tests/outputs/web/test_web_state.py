"""The assessment cache: one computation of both languages per (store version, year, as_of)."""
from __future__ import annotations

import copy
from datetime import date

import pytest
from fastapi.testclient import TestClient

from zhizao import api
from zhizao.outputs.web.app import create_app
from zhizao.outputs.web import state as state_module
from zhizao.outputs.web.state import WebState

from webtest_support import GOOD_CSV


def test_assessment_is_cached_per_key_and_dropped_when_the_file_changes(fresh_db, tmp_path, monkeypatch):
    calls = []
    real = state_module.assess_plan_languages

    def counting(*a, **kw):
        calls.append((kw.get("langs"), kw.get("year"), kw.get("as_of")))
        return real(*a, **kw)

    monkeypatch.setattr(state_module, "assess_plan_languages", counting)
    st = WebState(fresh_db, None)
    first = st.assessment("zh")
    assert st.assessment("zh") is first and calls == [(("zh", "en"), None, None)]
    st.assessment("en")  # computed with the Chinese one: one key for both languages
    assert len(calls) == 1
    st.assessment("zh", 2023)
    st.assessment("en", 2023, date(2024, 6, 30))
    st.assessment("zh", 2023, date(2024, 6, 30))
    assert calls[1:] == [(("zh", "en"), 2023, None), (("zh", "en"), 2023, "2024-06-30")]

    csv = tmp_path / "good.csv"
    csv.write_text(GOOD_CSV, encoding="utf-8")
    api.import_data(csv, db=fresh_db)  # written by "another process": only the file's stamp tells
    again = st.assessment("zh")
    assert again is not first and len(calls) == 4


def test_warm_assesses_both_languages_in_one_computation(fresh_db, monkeypatch):
    calls = []
    real = state_module.assess_plan_languages
    monkeypatch.setattr(state_module, "assess_plan_languages",
                        lambda *a, **kw: (calls.append(kw["langs"]), real(*a, **kw))[1])
    st = WebState(fresh_db, None)
    st.warm()
    assert calls == [("zh", "en")]
    st.assessment("zh"), st.assessment("en")
    assert calls == [("zh", "en")]


def test_each_language_is_what_api_assess_says(fresh_db):
    """One computation for both languages gives each language's `api.assess` answer, as-of views too."""
    st = WebState(fresh_db, None)
    for lang in ("zh", "en"):
        for year, as_of in ((None, None), (2023, date(2024, 6, 30))):
            assert st.assessment(lang, year, as_of) == api.assess(st.plan, db=fresh_db, lang=lang, year=year,
                                                                  as_of=as_of)


def test_an_unknown_language_is_refused(fresh_db):
    st = WebState(fresh_db, None)
    with pytest.raises(ValueError):
        st.assessment("fr")


PAGES = ["/", "/?format=json", "/completion", "/completion?format=json", "/gaps", "/gaps?format=json",
         "/plan", "/districts?format=json", "/downloads", "/download/scorecard?format=csv",
         "/completion?table=completion&format=csv", "/gaps?table=gaps&format=csv", "/data?format=json",
         "/?year=2023&as_of=2024-06-30", "/api/v1/plans/chongqing-manufacturing-2021-2025/assessment"]


def test_pages_leave_the_shared_assessments_as_they_were(fresh_db):
    """The languages share evidence records: no page, JSON twin or export may change a cached result."""
    app = create_app(db=fresh_db, warm=False, allowed_hosts=["testserver"])
    st = app.state.plans.default
    with TestClient(app) as c:
        results = {(year, as_of): st.assessments(year, as_of) for year, as_of in ((None, None),
                                                                                  (2023, date(2024, 6, 30)))}
        before = copy.deepcopy(results)
        indicators = [i["id"] for i in results[(None, None)]["zh"]["indicators"]]
        for lang in ("zh", "en"):
            for url in PAGES + [f"/indicator/{i}" for i in indicators] + [f"/indicator/{indicators[0]}?format=json"]:
                r = c.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
                assert r.status_code == 200, (url, r.status_code)
        assert results == before
        assert all(st.assessments(y, a) is results[(y, a)] for y, a in results)  # still the cached ones


def test_page_views_do_not_write_the_store(fresh_db):
    """Serving pages (after the first visit of a plan, which registers it) never writes the store file."""
    app = create_app(db=fresh_db, warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        c.get("/p/chongqing-manufacturing-2023-2027/")  # a first visit registers the embedded plan: one write
        stamp = app.state.plans.default.stamp()
        for _ in range(2):
            for url in PAGES + ["/plans", "/p/chongqing-manufacturing-2023-2027/", "/p/chongqing-manufacturing-2023-2027/completion"]:
                assert c.get(url).status_code == 200, url
        assert app.state.plans.default.stamp() == stamp


def test_import_through_the_state_invalidates(fresh_db, tmp_path):
    st = WebState(fresh_db, None)
    n = len(st.observations())
    csv = tmp_path / "good.csv"
    csv.write_text(GOOD_CSV, encoding="utf-8")
    st.import_file(csv)
    assert len(st.observations()) == n + 2
