"""The web dashboard: FastAPI + Jinja2 pages over zhizao.api, ECharts served from the package.

`create_app(db, plan)` in app.py builds the application; `cli.register(typer_app)` adds
`zhizao serve`. Reference: docs/dashboard.md.
"""
