"""Monthly operations monitoring and early warning (规上工业 monthly data).

Modules: periods (YTD ↔ month, 1–2月), growth, contributions (贡献率/拉动), panel (enterprise-scale
numpy path), context, anomaly, warnings (rule registry), forecast, projects, refresh (the full refresh, and a new period's).

The thresholds are declared in zhizao.settings (MONITORING_SETTINGS). Names are imported lazily.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "refresh": "refresh", "refresh_context": "refresh", "refresh_period": "refresh", "MonitoringResult": "refresh", "observations": "refresh",
    "RULES": "warnings", "run_rules": "warnings", "lights": "warnings", "WARNING_COLUMNS": "warnings",
    "add_growth": "growth", "target_gap": "growth", "required_rest_growth": "growth",
    "contributions": "contributions", "contribution_table": "contributions",
    "pulls_from_growth": "contributions", "rank": "contributions",
    "ytd_to_month": "periods", "month_to_ytd": "periods", "merge_jan_feb": "periods",
    "ytd_growth_to_month_growth": "periods", "parse_period": "periods", "period_label": "periods",
    "build_panel": "panel", "add_period": "panel", "context_from_panel": "context", "context_from_levels": "context",
    "forecast_year": "forecast", "forecast_from_ytd_growth": "forecast", "backtest": "forecast",
    "project_progress": "projects",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f"zhizao.analytics.monitoring.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(name)
