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
