"""The dashboard's state on a PostgreSQL store: the cache follows the store's generation (a write by
another process shows, a login does not empty the cache); a server that cannot be reached is a 503
naming the database, while the pages already computed are still served."""
import pytest

import zhizao.api as zz
from zhizao.outputs.web.state import StoreUnavailablePage, WebState
from zhizao.store.store import Store

DOWN = "postgresql://zhizao@127.0.0.1:1/nothing"


def test_cache_follows_the_generation_and_a_down_server_is_503(pg_url):
    state = WebState(pg_url, None)
    assert state.db == pg_url  # a URL stays a URL (a Path would fold its //)
    first = state.scorecard()
    version = state._sync()
    with Store(pg_url) as s:
        s.record_audit("login", actor="alice")
    assert state._sync() == version and state.scorecard() is first  # still cached
    plan = zz.load_plan("chongqing-manufacturing-2023-2027")
    zz.resolve_plan("chongqing-manufacturing-2023-2027", pg_url)  # a write by "another" caller
    assert plan and state._sync() != version
    state.scorecard()
    state.db = DOWN  # the server goes away
    assert state.scorecard() is not None  # computed before: still served
    with pytest.raises(StoreUnavailablePage) as e:
        state.sources()
    assert e.value.status_code == 503 and "127.0.0.1:1" in e.value.detail
    assert e.value.headers["Retry-After"]


def test_zhizao_db_url_alone_is_server_mode(pg_url, monkeypatch, tmp_path):
    """`zhizao serve` passes no --db when ZHIZAO_DB names the server: the dashboard still requires a login
    (it used to fall back to local mode, no accounts, anyone could upload)."""
    from fastapi.testclient import TestClient

    from zhizao.outputs.web.app import create_app

    monkeypatch.setenv("ZHIZAO_DB", pg_url)
    app = create_app(db=None, warm=False, monitoring_data=tmp_path, allowed_hosts=["testserver"])
    assert app.state.accounts is not None
    with TestClient(app) as c:  # its end closes the accounts' pool
        assert c.get("/monitoring/brief").status_code == 401  # city roles only: a login first
