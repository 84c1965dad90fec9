"""Early-warning rules: a registry (name → Rule) of typed rules returning one table shape
(zhizao.analytics.monitoring.warning_table). The rules live by kind:

- target.py: the city's growth against its annual-target path;
- lights.py: the five-light signal (a status of each subject, not a warning: `WARNING_RULES` leaves it out);
- deviations.py: outliers, persistent deviations, turning points, drags on the city's growth;
- enterprise_rules.py: enterprise distress.

Rules look only at data up to the evaluated period, so running them period by period replays what
a monitor would have said at the time (used by scripts/detection_quality.py).
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

import pandas as pd

# Imported in this order so RULES lists the rules as before (the CLI and the brief follow it).
from zhizao.analytics.monitoring import target as _target  # noqa: F401
from zhizao.analytics.monitoring.lights import (LIGHT_SCORE, LIGHTS, LIGHTS_EN, _light_severity, light_of,  # noqa: F401
                                                lights)
from zhizao.analytics.monitoring.deviations import _relative  # noqa: F401
from zhizao.analytics.monitoring import enterprise_rules as _enterprise  # noqa: F401
from zhizao.analytics.monitoring.context import MonitoringContext
from zhizao.analytics.monitoring.warning_table import (AGGREGATE_TYPES, PART_TYPES, RULES, SEVERITIES,  # noqa: F401
                                                       SEVERITY_ZH, WARNING_COLUMNS, Rule, empty_warnings,
                                                       register, slot_for)
from zhizao.settings import Settings

# The rules run when none are named: the warnings (the five-light signal is a status, not one).
WARNING_RULES: tuple[str, ...] = tuple(n for n, r in RULES.items() if not r.signal)


def run_rules(ctx: MonitoringContext, period: tuple[int, int] | str | None = None,
              settings: Settings | Mapping | None = None, rules: Iterable[str] | None = None,
              progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Run the named rules (default: WARNING_RULES) at a period (default: the latest)."""
    s = settings if isinstance(settings, Settings) else Settings(settings)
    slot = slot_for(ctx, period)
    frames = []
    for name in (list(rules) if rules is not None else list(WARNING_RULES)):
        frames.append(RULES[name](ctx, slot, s))
        if progress:
            progress(name)
    frames = [f for f in frames if len(f)]
    out = pd.concat(frames, ignore_index=True) if frames else empty_warnings()
    return out[WARNING_COLUMNS]


