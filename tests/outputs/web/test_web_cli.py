"""`zhizao serve` registers on the main Typer app and starts uvicorn with the chosen options."""
from __future__ import annotations

import typer
from typer.testing import CliRunner

from zhizao.outputs.web.cli import register


def test_serve_is_registered_with_its_options(monkeypatch, bundled_db):
    app = typer.Typer()
    register(app)

    @app.command("other")  # a second command, so Typer keeps "serve" as a subcommand
    def other():
        pass

    seen = {}
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(kw, app=application))
    result = CliRunner().invoke(app, ["serve", "--port", "8123", "--db", str(bundled_db)])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].state.web.db == bundled_db
    help_text = CliRunner().invoke(app, ["serve", "--help"]).output
    for opt in ("--host", "--port", "--db"):
        assert opt in help_text


def test_serve_allows_its_host_and_warns_off_loopback(monkeypatch, bundled_db):
    app = typer.Typer()
    register(app)

    @app.command("other")
    def other():
        pass

    seen = {}
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(kw, app=application))
    monkeypatch.delenv("ZHIZAO_ALLOWED_HOSTS", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(bundled_db)])
    assert "警告" not in result.output and "warning" not in result.output
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--allowed-host", "dash.example.gov.cn",
                                      "--allowed-host", "10.1.2.3", "--db", str(bundled_db)])
    assert result.exit_code == 0, result.output
    assert "警告" in result.output and "nothing is authenticated" in result.output
    from fastapi.testclient import TestClient

    with TestClient(seen["app"], base_url="http://dash.example.gov.cn") as c:
        assert c.get("/plan").status_code == 200
        assert c.get("/plan", headers={"Host": "10.1.2.3:8000"}).status_code == 200
        assert c.get("/plan", headers={"Host": "evil.example"}).status_code == 400
    assert "--allowed-host" in CliRunner().invoke(app, ["serve", "--help"]).output
