"""One authorisation point: `current_user` guards every route but the static files."""
from __future__ import annotations

import pytest
from fastapi import HTTPException
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from zhizao.outputs.web import api_v1
from zhizao.outputs.web.app import PLAN_PREFIX, PLAN_ROUTERS, ROUTERS, create_app
from zhizao.outputs.web.auth import ANONYMOUS_CITY_USER, User, current_user


# Values for the path parameters of the page routes, to reach every route with a real URL.
SAMPLE = {"plan_id": "chongqing-manufacturing-2021-2025", "indicator_id": "software_revenue", "kind": "cluster", "item_id": "automotive", "name": "observations",
          "adcode": "500112", "subject_type": "district", "subject_id": "500112", "batch_id": "b_1"}


def every_route() -> list[tuple[str, str]]:
    """(method, url) for every route of every page module: new routes are covered automatically."""
    out = []
    for router in ROUTERS:
        for r in router.routes:
            assert isinstance(r, APIRoute)
            out += [(m, r.path.format(**SAMPLE)) for m in sorted(r.methods)]
            if router in PLAN_ROUTERS:  # the same pages under each plan's prefix
                out += [(m, (PLAN_PREFIX + r.path).format(**SAMPLE)) for m in sorted(r.methods)]
    for r in api_v1.router.routes:  # the JSON API, behind the same point
        out += [(m, r.path.format(**SAMPLE)) for m in sorted(r.methods)]
    return out


def test_the_app_serves_only_the_page_routers_and_static(shared_app):
    # Every route reaches the app through `include_router(..., dependencies=[Depends(current_user)])`;
    # anything else would be a route outside the authorisation point.
    others = [r for r in shared_app.routes if not (isinstance(r, Mount) and r.path == "/static")]
    # + the JSON API (behind the same point) and /health (no login, no data: api_v1.NO_LOGIN)
    assert len(others) == len(ROUTERS) + len(PLAN_ROUTERS) + 2
    assert len(every_route()) >= 10


@pytest.fixture(scope="module")
def refusing_client(tmp_path_factory, bundled_db):
    app = create_app(db=bundled_db, warm=False, allowed_hosts=["testserver"])

    def refuse():
        raise HTTPException(403, "refused by the test")

    app.dependency_overrides[current_user] = refuse
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("method,url", every_route())
def test_refusal_at_the_one_point_closes_every_route(refusing_client, method, url):
    kwargs = {"files": {"file": ("x.csv", b"a,b\n")}} if method == "POST" else {}
    assert refusing_client.request(method, url, **kwargs).status_code == 403
    assert refusing_client.request(method, url + "?format=json", **kwargs).status_code == 403


def test_static_files_carry_no_data_and_stay_public(refusing_client):
    assert refusing_client.get("/static/app.css").status_code == 200
    assert refusing_client.get("/static/vendor/echarts/echarts.min.js").status_code == 200


def test_today_everyone_is_the_anonymous_city_user(client):
    assert current_user(None) is ANONYMOUS_CITY_USER and ANONYMOUS_CITY_USER.level == "city"
    assert ANONYMOUS_CITY_USER.can_see_region("500112")


def test_a_district_user_would_see_only_their_enterprise_rows():
    import pandas as pd

    user = User(id="yubei", level="district", region="500112")
    obs = pd.DataFrame({"region": ["500112", "500101", "500000"], "enterprise_id": ["e1", "e2", None]})
    assert user.visible(obs)["region"].tolist() == ["500112", "500000"]
    assert not user.can_see_region("500101")
