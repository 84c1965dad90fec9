"""The assessment cache: one computation per (db mtime, lang, year, as_of)."""
from __future__ import annotations

from datetime import date

from zhizao import api
from zhizao.outputs.web import state as state_module
from zhizao.outputs.web.state import WebState

from webtest_support import GOOD_CSV


def test_assessment_is_cached_per_key_and_dropped_when_the_file_changes(fresh_db, tmp_path, monkeypatch):
    calls = []
    real = api.assess

    def counting(*a, **kw):
        calls.append((kw.get("lang"), kw.get("year"), kw.get("as_of")))
        return real(*a, **kw)

    monkeypatch.setattr(state_module.api, "assess", counting)
    st = WebState(fresh_db, None)
    first = st.assessment("zh")
    assert st.assessment("zh") is first and len(calls) == 1
    st.assessment("en")
    st.assessment("zh", 2023)
    st.assessment("zh", 2023, date(2024, 6, 30))
    st.assessment("zh", 2023, date(2024, 6, 30))
    assert len(calls) == 4

    csv = tmp_path / "good.csv"
    csv.write_text(GOOD_CSV, encoding="utf-8")
    api.import_data(csv, db=fresh_db)  # written by "another process": only the file's stamp tells
    again = st.assessment("zh")
    assert again is not first and len(calls) == 5


def test_import_through_the_state_invalidates(fresh_db, tmp_path):
    st = WebState(fresh_db, None)
    n = len(st.observations())
    csv = tmp_path / "good.csv"
    csv.write_text(GOOD_CSV, encoding="utf-8")
    st.import_file(csv)
    assert len(st.observations()) == n + 2
