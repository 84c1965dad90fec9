"""`zhizao serve`: the dashboard on a local port.

zhizao/outputs/cli.py calls `register(app)`. FastAPI and uvicorn are imported only when the
command runs, so `zhizao --help` works without the web dependencies.
Run without the main CLI: `python -m zhizao.outputs.web.cli --port 8000`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址；只在本机访问时保持 127.0.0.1 / address to bind"),
    port: int = typer.Option(8000, "--port", help="端口 / port"),
    db: Optional[Path] = typer.Option(None, "--db", help="DuckDB 文件；缺省用 $ZHIZAO_DB / database file"),
    monitoring_data: Optional[Path] = typer.Option(
        None, "--monitoring-data",
        help="运行监测页读取的 zhizao synth 目录；缺省用 $ZHIZAO_MONITORING_DATA，再缺省 ./zhizao-synth / monitoring data folder"),
) -> None:
    """启动网页看板 / serve the web dashboard (http://HOST:PORT/)."""
    import uvicorn

    from zhizao.outputs.web.app import create_app

    typer.echo(f"zhizao dashboard: http://{host}:{port}/  (Ctrl+C 停止 / to stop)")
    # One process, one worker: the assessment cache and the DuckDB lock live in this process.
    uvicorn.run(create_app(db=db, monitoring_data=monitoring_data), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


if __name__ == "__main__":
    typer.run(serve)
