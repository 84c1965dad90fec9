"""Fixtures for the dashboard tests: a store with the bundled data, an app, a live server, Chromium."""
from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

# No skips: .ci/run installs everything these tests need (scripts/install.sh --test).
from fastapi.testclient import TestClient  # noqa: E402

from zhizao import api  # noqa: E402
from zhizao.outputs.web.app import create_app  # noqa: E402

from webtest_support import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory) -> Path:
    """A store holding the bundled real data, built once (loading it takes a second or two)."""
    path = tmp_path_factory.mktemp("web-store") / "bundled.duckdb"
    api.open_store(path).close()
    return path


@pytest.fixture
def fresh_db(bundled_db, tmp_path) -> Path:
    """A private copy for tests that write."""
    path = tmp_path / "store.duckdb"
    shutil.copy(bundled_db, path)
    return path


# TestClient sends "Host: testserver"; the app accepts only named hosts (security.py).
TEST_HOSTS = ["testserver"]


@pytest.fixture(scope="session")
def shared_app(bundled_db, tmp_path_factory):
    # its own copy: a first visit to another embedded plan registers it in the store it serves, and
    # bundled_db must stay as the CLI leaves it (fresh_db copies it for tests that expect that)
    db = tmp_path_factory.mktemp("web-shared") / "shared.duckdb"
    shutil.copy(bundled_db, db)
    return create_app(db=db, allowed_hosts=TEST_HOSTS)


@pytest.fixture(scope="session")
def _shared_client(shared_app):
    with TestClient(shared_app) as c:
        yield c


@pytest.fixture
def client(_shared_client):
    """The read-only app's client, with no language cookie left over from another test."""
    _shared_client.cookies.clear()
    return _shared_client


@pytest.fixture
def fresh_client(fresh_db):
    app = create_app(db=fresh_db, warm=False, allowed_hosts=TEST_HOSTS)
    with TestClient(app) as c:
        c.db = fresh_db
        yield c


@pytest.fixture(scope="module")
def live_server(bundled_db, tmp_path_factory):
    """uvicorn on a free localhost port, in a background thread, over a private store copy."""
    import uvicorn

    db = tmp_path_factory.mktemp("live") / "store.duckdb"
    shutil.copy(bundled_db, db)
    app = create_app(db=db)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}", db=db, app=app)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: run scripts/install-system.sh (Debian package chromium)"
    from playwright import sync_api
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
