"""CLI commands of monthly monitoring: synth, monitor, warnings, forecast.

`register(app)` adds them to the main Typer app. Two sources (`--source`), never mixed in one table:
- synthetic (default): the SYNTHETIC enterprise data written by `zhizao synth` (`--data DIR`);
- published: the real published monthly growth rates in the store (`--db PATH`), with their source
  grade and address (zhizao.analytics.monitoring.published). They are sparse, so what is missing is
  said, not filled in.
`load_monitoring_inputs` is the seam that reads either.
"""
from __future__ import annotations

import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from zhizao import api, formatting, labels
from zhizao.analytics import chains as chain_analytics
from zhizao.analytics.monitoring import published as pub
from zhizao.analytics.monitoring.context import subject_name
from zhizao.analytics.monitoring.forecast import forecast_next_year, forecast_year
from zhizao.analytics.monitoring.growth import target_gap
from zhizao.analytics.monitoring.periods import FIRST_MONTH, parse_period
from zhizao.analytics.monitoring.projects import project_progress
from zhizao.analytics.monitoring.refresh import STEPS, refresh
from zhizao.analytics.monitoring.warnings import RULES
from zhizao.codes.industries import division_name
from zhizao.codes.regions import district_name
from zhizao.errors import MonitoringDataMissing, UserError
from zhizao.outputs.cli_delivery import delivery_rules, delivery_source_line, visible, with_delivery_rows
from zhizao.outputs.cli_enterprises import enterprise_rules, enterprise_warning_rows, warnings_source_line
from zhizao.outputs.console import Fmt, Lang, cell, column_cells, make_console, min_width, wrap
from zhizao.outputs.monitoring_inputs import (DATA_ENV, DEFAULT_DATA, PUBLISHED_VIEWS, SOURCES,  # noqa: F401
                                              MonitoringInputs, check_monitoring_plan, default_data_dir,
                                              load_monitoring_inputs)
from zhizao.outputs.spreadsheet_safe import write_csv
from zhizao.settings import Settings
from zhizao.store.store import as_db
from zhizao.synth import generate

LABELS = labels.COLUMN
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SEVERITY_ZH = {k: v[0] for k, v in labels.SEVERITY.items()}
LIGHT_EN = {k: v[1].split(" (")[0] for k, v in labels.LIGHT.items()}  # the colour is in the word


# Enumerated options: typer refuses any other value (exit 2, the allowed values named by zhizao's main()).
class Source(str, Enum):
    synthetic = "synthetic"
    published = "published"


class By(str, Enum):
    city = "city"
    district = "district"
    zone = "zone"
    industry = "industry"
    cluster = "cluster"
    enterprise = "enterprise"
    project = "project"


class Severity(str, Enum):
    high = "high"
    medium = "medium"
    low = "low"


# How a table cell prints, by column (console.cell kinds); the header carries the unit (%, 百分点, 万元).
KINDS = {"year": "int", "month": "int", "rank": "int", "through_month": "int", "backtest_n": "int",
         "history_points": "int", "sources": "int", "ytd": "level", "level": "level", "planned_investment": "level",
         "cumulative_investment": "level", "subject_id": "text", "credit_code": "text"}


def _kind(column: str) -> str:
    if column in KINDS:
        return KINDS[column]
    if column.endswith("_pct") or column in ("growth_lo", "growth_hi"):
        return "pct"
    if column == "pull_pp":  # small (0.05) and summed over subjects: two decimals, as in the brief
        return "pull"
    if column.endswith("_pp"):
        return "pp"
    return "auto"


def rule_title(rule: str, lang: str) -> str:
    """A warning rule's name for the reader (the rule's own title in analytics); a code stays for JSON/CSV."""

    if rule == "enterprise_*":
        return "企业类规则" if lang == "zh" else "enterprise rules"
    if rule in chain_rules():
        return labels.label("chain_rule", rule, lang)
    if rule in enterprise_rules():  # issue 13
        return labels.label("cli_enterprise_rule", rule, lang)
    if rule in delivery_rules():  # issue 14
        return labels.label("cli_delivery_rule", rule, lang)
    r = RULES.get(rule)
    return rule if r is None else (r.title_zh if lang == "zh" else r.title_en)


def chain_rules() -> dict:
    """The chain warning rules (chain_…) and their titles, as the chain analytics name them in labels."""
    return labels.TABLES.get("chain_rule", {})


def chain_warnings(plan, db, settings, severity: str, rule, console: Console, lang: str, fmt: str,
                   ew: pd.DataFrame | None = None) -> pd.DataFrame:
    """The plan's chain warnings (api.chain_warnings: imported chain data, else the synthetic default),
    filtered as the monitoring ones; a line in table format says where the chain data come from."""
    p = plan if plan is not None else api.resolve_plan(None, db, register=False)
    # issue 13: the enterprise, park and green warnings go with the chain ones (their data are not the period's)
    if ew is None:
        ew = enterprise_warning_rows(p, db, settings, SEVERITY_ORDER.get(severity, 2), rule, SEVERITY_ORDER, console,
                                     lang, fmt)
        # issue 14: the project, 三服务 and task warnings after the enterprise ones
        ew = with_delivery_rows(ew, p, db, settings, SEVERITY_ORDER.get(severity, 2), rule, SEVERITY_ORDER, console,
                                lang, fmt)
    if not p.chains or not hasattr(chain_analytics, "chain_warnings"):  # the analytics' rules may land after this
        return _with_enterprise_warnings(pd.DataFrame(), ew)
    w = api.chain_warnings(p, db, settings)
    if fmt == "table" and len(w):
        source, _ = api.chain_source_words(w.attrs, lang)  # the calibration note: zhizao chain list --verbose
        origin = labels.label("chain_words", "synthetic", lang) if w.attrs.get("synthetic") else ""
        console.print(Text(("产业链预警的数据：" if lang == "zh" else "Chain warnings from: ")
                           + " · ".join(x for x in (origin, source) if x),
                           style="bold yellow" if w.attrs.get("synthetic") else "dim"))
    attrs = dict(w.attrs)
    w = w[w["severity"].map(SEVERITY_ORDER) <= SEVERITY_ORDER.get(severity, 2)]
    w = w[w["rule"].isin(rule)] if rule else w
    w.attrs.update(attrs)
    return _with_enterprise_warnings(w, ew)


def _with_enterprise_warnings(cw: pd.DataFrame, ew: pd.DataFrame) -> pd.DataFrame:
    """The chain warnings and then the enterprise ones; attrs: the chain data's, and enterprise_synthetic."""
    both = pd.concat([cw, ew], ignore_index=True) if len(ew) else cw
    both.attrs.update(cw.attrs, enterprise_synthetic=bool(ew.attrs.get("synthetic")),
                      delivery_synthetic=bool(ew.attrs.get("delivery_synthetic")))
    return both


def with_chain_warnings(w: pd.DataFrame, cw: pd.DataFrame) -> pd.DataFrame:
    """The monitoring warnings and the chain warnings in one table: by severity, and within a severity
    the monitoring ones first (the chain ones, many more, would fill the first rows), then by rule."""
    both = pd.concat([w.assign(_chain=0), cw.assign(_chain=1)], ignore_index=True) if len(cw) else w.assign(_chain=0)
    both = both.assign(_sev=both["severity"].map(SEVERITY_ORDER).fillna(9))
    return both.sort_values(["_sev", "_chain", "rule"], kind="stable").drop(columns=["_sev", "_chain"])


def warnings_title(n: int | None, cw: pd.DataFrame, lang: str, published: str | None = None) -> str:
    """The warnings table's title: the monitoring warnings (n; None when there are no monitoring data)
    and the chain warnings said apart — their data and date are not the reporting period's."""
    say = lambda key, **kw: labels.label("chain_words", key, lang).format(**kw)  # noqa: E731
    if n is not None and not len(cw):
        words = f"{n} " + ("条预警" if lang == "zh" else "warnings")
        return f"{published}: {words}" + (("（公布数）" if lang == "zh" else " (published)") if published else "") \
            if published else words
    ent = cw["rule"].isin(list(enterprise_rules())) if "rule" in cw else pd.Series(False, index=cw.index)
    dlv = cw["rule"].isin(list(delivery_rules())) if "rule" in cw else pd.Series(False, index=cw.index)  # issue 14
    parts = []
    for rows, key, synthetic in ((cw[~ent & ~dlv], "warn_title_chain", cw.attrs.get("synthetic")),
                                 (cw[ent], "warn_title_enterprise", cw.attrs.get("enterprise_synthetic")),
                                 (cw[dlv], "warn_title_delivery", cw.attrs.get("delivery_synthetic"))):
        if not len(rows) and (key != "warn_title_chain" or ent.any() or dlv.any()):
            continue
        period = str(rows["period"].dropna().iloc[0]) if "period" in rows and rows["period"].notna().any() else "—"
        words = (labels.CHAIN_WORDS if key in labels.CHAIN_WORDS else labels.CLI_DELIVERY_WORDS
                 if key in labels.CLI_DELIVERY_WORDS else labels.CLI_ENTERPRISE_WORDS)  # issues 13, 14
        parts.append(words[key][1 if lang == "en" else 0].format(
            n=len(rows), period=period, origin=say("warn_origin_synthetic") if synthetic else ""))
    chain = "\n+ ".join(parts)  # issue 14: a part per line, each readable at 80 columns
    if n is None:
        return f"{chain}{say('warn_title_sep')}{say('warn_title_no_monitoring')}"
    mon = say("warn_title_monitoring_published" if published else "warn_title_monitoring", n=n)
    return f"{published + ': ' if published else ''}{mon} + {chain}"


def chain_warnings_only(plan, db, settings, severity, rule, fmt, limit, lang, console, missing: UserError) -> bool:
    """No monitoring data: the chain warnings alone, after a line saying what is missing and how to make
    it (exit 0). False when there is nothing to show (a plan without chain maps): the caller says why."""
    p = plan if plan is not None else api.resolve_plan(None, db, register=False)
    chains = p.chains and hasattr(chain_analytics, "chain_warnings")
    # issue 13: computed first (the first line says what is listed); their source line follows it
    ew = enterprise_warning_rows(p, db, settings, SEVERITY_ORDER.get(severity, 2), rule, SEVERITY_ORDER, console,
                                 lang, "json")
    ew = with_delivery_rows(ew, p, db, settings, SEVERITY_ORDER.get(severity, 2), rule, SEVERITY_ORDER, console,
                            lang, "json")  # issue 14
    if not chains and not len(ew):
        return False
    dlv = ew["rule"].isin(list(delivery_rules())) if len(ew) else pd.Series(dtype=bool)
    kinds = [k for k, there in (("chain", chains), ("enterprise", bool((~dlv).any())), ("delivery", bool(dlv.any())))
             if there]  # issue 14: the line names every kind listed
    say = lambda key: labels.label("cli_delivery_words", key, lang)  # noqa: E731
    listed = [say(f"warn_kind_{k}") for k in kinds]
    what = (listed[0] if len(listed) == 1
            else f"{say('warn_kind_sep').join(listed[:-1])}{say('warn_kind_and')}{listed[-1]}")
    console.print(say("warn_no_monitoring_list").format(what=what, reason=missing.reason(lang)),
                  style="yellow", markup=False, highlight=False)  # console: stderr for json/csv
    if fmt == "table" and (~dlv).any():
        warnings_source_line(ew, console, lang)
    if fmt == "table" and dlv.any():
        delivery_source_line(ew.attrs.get("delivery_attrs", {}), console, lang)
    cw = chain_warnings(p, db, settings, severity, rule, console, lang, fmt, ew)
    attrs = dict(cw.attrs)
    cw = with_chain_warnings(cw.iloc[:0], cw)  # by severity, as with the monitoring warnings
    cw.attrs.update(attrs)
    if fmt != "table":
        _emit(cw.reset_index(drop=True), fmt, lang, "", console)
        return True
    col = "explanation_zh" if lang == "zh" else "explanation_en"
    view = cw[["severity", "rule", "subject_name", col]].rename(columns={col: "explanation"}).head(limit)
    view = view.assign(severity=view["severity"].map(lambda v: labels.label("severity", v, lang)),
                       rule=view["rule"].map(lambda v: rule_title(v, lang)),
                       subject_name=view["subject_name"].map(visible),  # stored text: escapes shown, not obeyed
                       explanation=view["explanation"].map(visible))
    _emit(view.reset_index(drop=True), fmt, lang, warnings_title(None, cw, lang), console)
    return True


def step_title(step: str, lang: str) -> str:
    """A refresh step (refresh.STEPS) in words for the progress bar: a rule by its title."""
    if step in labels.MONITOR_STEP:
        return labels.MONITOR_STEP[step][0 if lang == "zh" else 1]
    return rule_title(step, lang)


def check_rules(rules: Optional[List[str]]) -> Optional[List[str]]:
    """--rule: each a registered rule name; UserError naming them otherwise."""

    known = [*RULES, *chain_rules(), *enterprise_rules(), *delivery_rules()]
    bad = [r for r in rules or [] if r not in known]
    if bad:
        raise UserError(f"没有规则 {'、'.join(bad)}：--rule 可取 {'、'.join(known)}",
                        f"no rule {', '.join(bad)}: --rule takes {', '.join(known)}")
    return rules


def check_period(period: Optional[str], first: tuple[int, int] | None, last: tuple[int, int] | None,
                 what_zh: str = "数据", what_en: str = "the data") -> Optional[tuple[int, int]]:
    """--period as (year, month) within [first, last]; UserError with the expected form or the range."""

    if period is None:
        return None
    try:
        y, m = parse_period(period)
        if not 1 <= m <= 12:
            raise ValueError(m)
    except ValueError:
        raise UserError(f"期别“{period}”无效：请写成 YYYY-MM，如 2024-09",
                        f"invalid period '{period}': write it as YYYY-MM, e.g. 2024-09") from None
    if first is not None and last is not None and not first <= (y, m) <= last:
        span = f"{first[0]}-{first[1]:02d}—{last[0]}-{last[1]:02d}"
        raise UserError(f"--period {period} 超出{what_zh}的范围：可取 {span}",
                        f"--period {period} is outside {what_en}: use a month in {span}")
    return y, m


def _january(start: str) -> int:
    """--start of synth: the year of a January written YYYY-01 (parse_period reads 2019-02 as the same
    reporting period as 2019-01, so the month is checked on the text)."""
    m = re.fullmatch(r"\s*(\d{4})[-/.年]?0?1月?\s*", str(start))
    if not m:
        raise UserError(f"--start {start} 须为某年1月，写成 YYYY-01，如 2019-01",
                        f"--start {start} must be a January, written YYYY-01, e.g. 2019-01")
    return int(m.group(1))


def _data_span(inputs: MonitoringInputs) -> tuple[tuple[int, int], tuple[int, int]] | tuple[None, None]:
    m = inputs.monthly
    if m is None or m.empty or not {"year", "month"} <= set(m.columns):
        return None, None
    ym = m[["year", "month"]].drop_duplicates()
    keys = sorted(zip(ym["year"].astype(int), ym["month"].astype(int)))
    # The first period with a year-to-date growth: 1–2月 of the next year when the data start in
    # January or February (January is reported with February), else a year later still (the year
    # before has no complete YTD to compare with).
    (y0, m0), (y1, m1) = keys[0], keys[-1]
    first, last = (y0 + 1 if m0 <= FIRST_MONTH else y0 + 2, FIRST_MONTH), (y1, max(m1, FIRST_MONTH))
    if first > last:
        raise UserError(f"监测数据只有 {y0}-{m0:02d}—{y1}-{m1:02d}，没有可与上年同期比较的期别：至少需要一整年又一期",
                        f"the monitoring data cover {y0}-{m0:02d} to {y1}-{m1:02d} only: no period has the same "
                        "period a year earlier to compare with (a full year and one more period are needed)")
    return first, last


def _published_span(inputs: MonitoringInputs):
    g = inputs.published.growth  # every level (city, industry, district), not only the city's months
    if g is None or g.empty:
        return None, None
    keys = sorted(set(zip(g["year"].astype(int), g["month"].astype(int))))
    return keys[0], keys[-1]


PLAN_HELP = ("规划（编号或路径，亦可用 ZHIZAO_PLAN）：--source published 按该规划打开数据库；合成数据只适用于内置默认规划 "
             "/ plan id or path (or ZHIZAO_PLAN): --source published opens the store for it; the synthetic data fits "
             "the embedded default plan only")


def _plan_or_exit(plan: Optional[str], db, source: str, lang: str):
    """check_monitoring_plan for a command: the reason in the user's language, exit 2."""

    try:
        return check_monitoring_plan(plan, db, source)
    except UserError as e:
        make_console(stderr=True).print(e.reason(lang), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def _lab(key: str, lang: str) -> str:
    return LABELS.get(key, labels.CLI_COLUMN.get(key, (key, key)))[0 if lang == "zh" else 1]


def _settings(pairs: Optional[List[str]]):
    """Settings from NAME=VALUE overrides (unknown names are refused by Settings)."""

    overrides = {}
    for p in pairs or []:
        name, sep, value = p.partition("=")
        if not sep:
            raise UserError(f"--set 应写成 名称=值，而不是“{p}”（名称见 zhizao settings）",
                            f"--set expects NAME=VALUE, got '{p}' (names: zhizao settings)")
        overrides[name.strip()] = value.strip()
    try:
        return Settings(overrides)
    except (KeyError, ValueError) as e:
        text = str(e).strip("'\"")
        raise UserError(f"--set 有误：没有该设置或取值无效（{text}）", f"--set: {text}") from None


def _emit(df: pd.DataFrame, fmt: str, lang: str, title: str, console: Console) -> None:
    if fmt == "json":
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, indent=2, default_handler=str) + "\n")
    elif fmt == "csv":
        out = df.copy()
        for c in out.columns:
            if out[c].map(lambda v: isinstance(v, dict)).any():
                out[c] = out[c].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v)
        sys.stdout.write(write_csv(out))  # text neutralised against formula injection
    else:
        _print_table(df, lang, title, console)


# What a narrow terminal leaves out first (least important first); json/csv keep every column.
DROP_ORDER = ("subject_id", "project_id", "credit_code", "share_prev_pct", "month_growth_pct", "planned_investment",
              "ytd", "contribution_pct", "required_rest_pct", "target_pct", "note", "conflict", "industry")
TEXT_MIN = 8  # cells (4 Chinese characters) a folded text column keeps at least
WORD_MAX = 16  # a longer English word may fold


def _folds(console: Console, text: str, width: int) -> int:
    return len(Text(text).wrap(console, width, overflow="fold"))


def _layout(console: Console, cols: list[str], heads: list[str], cells: list[list[str]], numeric: list[bool],
            width: int) -> tuple[list[int], list[int]]:
    """(indexes of the columns kept, their content widths) so that the table fits `width`: a number is
    never cut or folded (its column is as wide as its widest cell), a header folds over two lines at
    most, text folds; the least important columns (DROP_ORDER) go first when even that does not fit."""
    data = [max((cell_len(v) for v in col), default=1) for col in cells]
    need, ideal, usual = [], [], []
    for h, d, num, col in zip(heads, data, numeric, cells):
        lens = sorted(cell_len(v) for v in col) or [1]
        usual.append(max(lens[int(0.9 * (len(lens) - 1))], cell_len(h), 1))  # most rows (and the header) on one line
        # English folds between words: a column is at least as wide as its longest word (within reason)
        word = max((cell_len(x) for v in [h, *col] for x in v.split() if x.isascii()), default=0)
        if not num:  # nor a number inside Chinese prose ("-0.36个", "2024-09起")
            word = max(word, max((min_width(v) for v in col), default=0))
        w = max(d if num else min(d, TEXT_MIN), min(word, WORD_MAX), 1)
        while w < cell_len(h) and _folds(console, h, w) > 2:
            w += 1
        need.append(w)
        ideal.append(max(d, cell_len(h)))
    keep = list(range(len(cols)))
    droppable = sorted((i for i in keep if cols[i] in DROP_ORDER), key=lambda i: DROP_ORDER.index(cols[i]))

    def total(ix):  # content + padding (2 per column) + borders (n + 1)
        return sum(need[i] for i in ix) + 3 * len(ix) + 1

    while total(keep) > width and droppable:
        keep.remove(droppable.pop(0))
    widths = {i: need[i] for i in keep}
    spare = width - total(keep)
    # spare cells: text rows on one line for most rows, then number headers on one line, then the rest
    text, nums = [i for i in keep if not numeric[i]], [i for i in keep if numeric[i]]
    for i in sorted(text, key=lambda i: usual[i]):  # short text columns whole first (names before long prose)
        add = max(min(usual[i] - widths[i], spare), 0)
        widths[i] += add
        spare -= add
    for group, goal in ((nums, ideal), (text, ideal)):
        while spare > 0:
            short = [i for i in group if widths[i] < goal[i]]
            if not short:
                break
            for i in short:
                if spare > 0 and widths[i] < goal[i]:
                    widths[i] += 1
                    spare -= 1
    return keep, [widths[i] for i in keep]


def _print_table(df: pd.DataFrame, lang: str, title: str, console: Console) -> None:
    """A rich table that fits the terminal (_layout); says which columns a narrow terminal left out."""
    cols = list(df.columns)
    heads = [_lab(c, lang) for c in cols]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and _kind(c) != "text" for c in cols]
    cells = [column_cells(df[c], _kind(c), lang) for c in cols]
    keep, widths = _layout(console, cols, heads, cells, numeric, console.width)
    # cells broken between tokens here (console.wrap), so rich never folds a number in two
    lines = [[wrap(cells[i][r], w) for i, w in zip(keep, widths)] for r in range(len(df))]
    t = Table(title=title, show_lines=any(len(c) > 1 for row in lines for c in row))
    for i, w in zip(keep, widths):
        t.add_column(heads[i], justify="right" if numeric[i] else "left", width=w, overflow="fold")
    for row in lines:
        t.add_row(*[Text("\n".join(c)) for c in row])
    console.print(t)
    left = [heads[i] for i in range(len(cols)) if i not in keep]
    if left:
        console.print(Text(f"终端宽 {console.width} 列，略去：{'、'.join(left)}；加宽终端或用 --format csv 查看全部列。"
                           if lang == "zh" else f"{console.width}-column terminal: left out {', '.join(left)}; "
                           "widen the terminal or use --format csv for every column.", style="dim"))


def _names_en(result, w: pd.DataFrame) -> list[str]:
    """English names of the warnings' subjects (districts, zones, industries, clusters, the city);
    an enterprise keeps its registered name."""
    series = result.context.series if result.context is not None else {}
    out = []
    for st, sid, name in zip(w["subject_type"], w["subject_id"].astype(str), w["subject_name"]):
        ss = series.get(st)
        out.append(ss.names_en[ss.ids.index(sid)] if ss is not None and ss.names_en and sid in ss.ids else name)
    return out


def _names_en_published(df: pd.DataFrame) -> list[str]:
    """English names of published subjects: the city, districts and zones from the code tables; an
    industry keeps its series name as published (there is no English one)."""
    return [subject_name(st, str(sid), "en") if st in ("city", "district", "zone") else name
            for st, sid, name in zip(df["subject_type"], df["subject_id"], df["subject_name"])]


def _synthetic_banner(inputs: MonitoringInputs, console: Console, lang: str, fmt: str) -> None:
    if inputs.source == "synthetic" and fmt == "table":  # English keeps the capitals: it must not be missed
        text = labels.label("origin", "synthetic", lang)
        console.print(text if lang == "zh" else text.replace("Synthetic", "SYNTHETIC", 1), style="bold yellow",
                      markup=False)


def _synthetic_inputs(data, settings) -> MonitoringInputs:
    """The data folder's inputs; for the spark engine only the periods of the monthly reports (Spark
    reads the folder itself: the reports are not read twice)."""
    spark = settings["monitoring_engine"] == "spark"
    return load_monitoring_inputs(data, monthly_columns=("year", "month") if spark else None)


def _run_refresh(inputs: MonitoringInputs, period, settings, console: Console, lang: str):
    """The refresh on the engine the monitoring_engine setting names (spark reads the data folder itself)."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as prog:
        task = prog.add_task("监测刷新" if lang == "zh" else "Monitoring refresh", total=len(STEPS))
        advance = lambda step: prog.update(task, advance=1, description=step_title(step, lang))  # noqa: E731
        if settings["monitoring_engine"] == "spark" and inputs.data_dir is not None:
            prog.update(task, description="启动 Spark" if lang == "zh" else "Starting Spark")
            return api.refresh_data(inputs.data_dir, period=period, settings=settings, progress=advance)
        return refresh(inputs.enterprises, inputs.monthly, inputs.prices, period=period, settings=settings,
                       progress=advance)


# --- published source -----------------------------------------------------------------------------

def _check_source(source: str) -> str:
    if source not in SOURCES:
        raise typer.BadParameter(f"--source must be one of {', '.join(SOURCES)}")
    return source


def _published_banner(inputs: MonitoringInputs, console: Console, lang: str, fmt: str) -> None:
    if fmt == "table":
        console.print(Text("公布数据（真实、零星：只有已公布的月份与指标；每行注明来源，见表下）" if lang == "zh" else
                           "PUBLISHED data (real, sparse: only the months and series that were published; each row "
                           "cites its source, listed below the table)", style="bold cyan"))
        console.print(Text(("数据库：" if lang == "zh" else "Database: ") + str(inputs.published.db), style="dim"),
                      overflow="fold")


def _cite(inputs: MonitoringInputs, url: str, grade, lang: str) -> str:
    """A published source as a reader cites it (formatting.source_text): publisher and title first, the
    grade in words, the address last; publisher and title from the store's rows with that address."""
    title = publisher = None
    for frame in (inputs.published.growth, inputs.published.annual):
        if frame is None or "source_url" not in frame or frame.empty:
            continue
        hit = frame[frame["source_url"] == url]
        if len(hit):
            row = hit.iloc[0]
            title, publisher = row.get("source_title"), row.get("publisher")
            grade = grade if isinstance(grade, str) and grade else row.get("grade")
            break
    return formatting.source_text(title, publisher, grade if isinstance(grade, str) else None, url, lang)


def _published_period(inputs: MonitoringInputs, period: Optional[str]) -> tuple[int, int]:

    if period:
        return check_period(period, *_published_span(inputs), "已公布月度数据", "the published monthly data")
    p = pub.latest_period(inputs.published)
    if p is None:
        raise UserError("数据库中没有已公布的规模以上工业增加值累计增长率：请先用 zhizao data import 导入",
                        "the store has no published YTD growth of industrial value added: import it first "
                        "(zhizao data import)")
    return p


def _emit_published(inputs: MonitoringInputs, df: pd.DataFrame, fmt: str, lang: str, title: str,
                    console: Console) -> None:
    """As _emit; in table format each source becomes a numbered reference listed below the table with
    its publisher, title and grade in words (the address and grade letter stay in json/csv), and
    empty columns are dropped."""
    if fmt != "table" or "source_url" not in df:
        _emit(df, fmt, lang, title, console)
        return
    urls = [u for u in dict.fromkeys(df["source_url"]) if isinstance(u, str) and u]
    ref = {u: f"[{i + 1}]" for i, u in enumerate(urls)}
    grades = dict(zip(df["source_url"], df["grade"])) if "grade" in df else {}
    view = df.assign(source_url=df["source_url"].map(lambda u: ref.get(u, ""))).drop(columns="grade", errors="ignore")
    if "status" in view:  # final / preliminary in words
        view["status"] = view["status"].map(lambda v: labels.label("obs_status", v, lang) if isinstance(v, str) else v)
    view = view[[c for c in view.columns if not (view[c].isna() | (view[c].astype(str) == "")).all()]]
    _emit(view.rename(columns={"source_url": "ref"}), fmt, lang, title, console)
    for u in urls:
        console.print(Text(f"  {ref[u]} {_cite(inputs, u, grades.get(u), lang)}"), overflow="fold")


def _say_missing(console: Console, lang: str, what_zh: str, what_en: str) -> None:
    console.print("[yellow]" + (what_zh if lang == "zh" else what_en) + "[/]")


def _city_line(inputs, y: int, m: int, s, console: Console, lang: str, fmt: str) -> None:
    """The city's YTD growth, target gap and light at the period (table format), or what is missing."""

    p = pub.city_path(inputs.published, s, lang)
    row = p[(p["year"] == y) & (p["month"] == m)]
    if row.empty:
        have = ", ".join(f"{a}-{b:02d}" for a, b in pub.periods(inputs.published) if a == y) or "—"
        _say_missing(console, lang, f"全市规模以上工业增加值累计增长率 {y}-{m:02d} 未公布（{y}年已公布：{have}），不计算目标差距。",
                     f"The city's YTD value-added growth is not published for {y}-{m:02d} (published in {y}: {have}); "
                     f"no target gap.")
        return
    _emit_published(inputs, row[["year", "month", "ytd_growth_pct", "target_pct", "gap_pp", "required_rest_pct", "light",
                         "grade", "source_url"]].reset_index(drop=True), fmt, lang,
                    "全市（公布数）" if lang == "zh" else "City (published)", console)
    if fmt == "table":
        _say_missing(console, lang, "余下月份需增长%为近似值：上年各月水平未公布，按各月等量（s = m/12）估算。",
                     "'Needed rest %' is approximate: last year's monthly levels are not published; months taken as equal (s = m/12).")


def _monitor_published(inputs, period, by, fmt, lang, s, console) -> None:

    view = PUBLISHED_VIEWS.get(by)
    if view is None:
        raise UserError(f"--source published 不能用 --by {by}：该层级没有公布数据；可取 {'、'.join(PUBLISHED_VIEWS)}",
                        f"--by {by} is not available with --source published: nothing at that level is "
                        f"published; use one of {', '.join(PUBLISHED_VIEWS)}")
    _published_banner(inputs, console, lang, fmt)
    if view != "city" and not period:  # default: the latest period with a published value at this level

        latest = pub.latest_period(inputs.published, view)
        period = f"{latest[0]}-{latest[1]:02d}" if latest else None
    y, m = _published_period(inputs, period)
    if view == "city":
        df = pub.city_path(inputs.published, s, lang)
        title = "全市规上工业增加值累计增长（公布数）与目标路径" if lang == "zh" else "City YTD value-added growth (published) and the target path"
        _emit_published(inputs, df, fmt, lang, title, console)
        if fmt == "table":
            _say_missing(console, lang, "只列已公布的月份；余下月份需增长%为近似值（上年各月水平未公布，按各月等量估算）。",
                         "Only published months are listed; 'needed rest %' is approximate (last year's monthly "
                         "levels are not published; months taken as equal).")
        return
    df = pub.growth_table(inputs.published, (y, m), view, s, lang)
    if lang == "en" and fmt == "table":
        df = df.assign(subject_name=_names_en_published(df.assign(subject_type=view)))
    title = (f"{y}年1—{m}月 规上工业增加值累计增长（公布数，{'分产业' if view == 'industry' else '分区县'}）" if lang == "zh"
             else f"{y}-{m:02d} YTD growth (published, by {'industry' if view == 'industry' else 'district'})")
    if fmt == "table":
        if df["ytd_growth_pct"].notna().sum() == 0:
            _say_missing(console, lang, f"{y}-{m:02d} 没有公布的{'产业' if view == 'industry' else '区县'}累计增速。",
                         f"Nothing published for {y}-{m:02d} at this level.")
        cols = ["subject_name", *(["series"] if view != "industry" else []), "ytd_growth_pct", "light", "grade",
                "source_url", "conflict", "note"]
        _emit_published(inputs, df[cols], fmt, lang, title, console)
        _city_line(inputs, y, m, s, console, lang, fmt)
    else:
        _emit(df, fmt, lang, title, console)


def _warnings_published(inputs, period, severity, rule, fmt, limit, lang, s, console, plan=None) -> None:

    _published_banner(inputs, console, lang, fmt)
    try:
        y, m = _published_period(inputs, period)
    except UserError as e:  # nothing published yet: the chain warnings still stand (issue 12)
        if period or not chain_warnings_only(plan, inputs.published.db, s, severity, rule, fmt, limit, lang,
                                             console, e):
            raise
        return
    w = pub.warnings_table(inputs.published, (y, m), s)
    w = w[w["severity"].map(SEVERITY_ORDER) <= SEVERITY_ORDER.get(severity, 2)]
    if rule:
        w = w[w["rule"].isin(rule)]
    n = len(w)
    cw = chain_warnings(plan, inputs.published.db, s, severity, rule, console, lang, fmt)  # issue 12
    w = with_chain_warnings(w, cw)
    if fmt == "table":
        col = "explanation_zh" if lang == "zh" else "explanation_en"
        view = w.assign(grade=w["evidence"].map(lambda e: e.get("grade")), source_url=w["evidence"].map(lambda e: e.get("source_url")))
        if lang == "en":
            view = view.assign(subject_name=_names_en_published(view))
        view = view[["severity", "rule", "subject_name", col, "grade", "source_url"]].rename(columns={col: "explanation"}).head(limit)
        view = view.assign(severity=view["severity"].map(lambda v: labels.label("severity", v, lang)),
                           rule=view["rule"].map(lambda v: rule_title(v, lang)))
        _emit_published(inputs, view.reset_index(drop=True), fmt, lang, warnings_title(n, cw, lang, f"{y}-{m:02d}"),
                        console)
    else:
        _emit(w.reset_index(drop=True), fmt, lang, "", console)
    console.print("未运行的规则（公布数据不足）：" if lang == "zh" else "Rules not run on published data:")
    for k, v in pub.NOT_RUN.items():
        console.print(Text(f"  {rule_title(k, lang)}{'：' if lang == 'zh' else ': '}{v[0 if lang == 'zh' else 1]}"))


def _forecast_published(inputs, period, fmt, lang, console) -> None:

    _published_banner(inputs, console, lang, fmt)
    y, m = _published_period(inputs, period)
    f = pub.forecast(inputs.published, (y, m))
    if m == 12 and np.isfinite(f["ytd_growth_pct"]):  # the actual; next year: no change until its first release
        if fmt == "table":
            _year_complete(console, lang, y, f["ytd_growth_pct"])
            return
        keys = ("year", "through_month", "ytd_growth_pct", "growth_pct", "model", "ytd_grade", "ytd_source_url")
        actual = {**{k: f.get(k) for k in keys}, "basis": "actual", "growth_pct": f["ytd_growth_pct"], "model": None}
        ahead = {**actual, "year": y + 1, "through_month": 0, "ytd_growth_pct": None, "basis": "forecast",
                 "model": f["model"]}
        _emit(pd.DataFrame([actual, ahead]), fmt, lang, "", console)
        return
    if not np.isfinite(f["ytd_growth_pct"]):
        _say_missing(console, lang, f"无法预测：{'、'.join(f['missing'])} 未公布。",
                     f"No forecast: {', '.join(f['missing'])} not published.")
        raise typer.Exit(2)
    keys = ("year", "through_month", "ytd_growth_pct", "prev_annual_growth_pct", "growth_pct", "model", "ytd_grade",
            "ytd_source_url", "prev_grade", "prev_source_url", "backtest_n", "backtest_mae_pp", "backtest_naive_mae_pp")
    title = "全年增速预测（公布数；无预测区间：公布点太少）" if lang == "zh" else \
        "Annual growth forecast (published data; no interval: too few points)"
    if fmt != "table":
        _emit(pd.DataFrame([{k: f.get(k) for k in keys}]), fmt, lang, title, console)
    else:  # one forecast: a vertical table reads better than 13 narrow columns
        zh = lang == "zh"
        urls = dict.fromkeys(u for u in (f["ytd_source_url"], f["prev_source_url"]) if u)
        refs = {u: f"[{i + 1}]" for i, u in enumerate(urls)}
        grades = {f["ytd_source_url"]: f["ytd_grade"], f["prev_source_url"]: f["prev_grade"]}
        items = [
            ("年份" if zh else "Year", str(y)), ("截至月份" if zh else "Through month", f"{m}"),
            ("累计增长%（公布）" if zh else "YTD growth % (published)",
             f"{cell(f['ytd_growth_pct'], 'pct')}  {refs.get(f['ytd_source_url'], '')}"),
            ("上年全年增长%（公布）" if zh else "Last year's growth % (published)",
             f"{cell(f['prev_annual_growth_pct'], 'pct')}  {refs.get(f['prev_source_url'], '')}"
             if np.isfinite(f["prev_annual_growth_pct"]) else "—"),
            ("全年增长%（预测）" if zh else "Annual growth % (forecast)", cell(f["growth_pct"], "pct")),
            ("模型" if zh else "Model", labels.FORECAST_MODEL.get(f["model"], (f["model"],) * 2)[0 if zh else 1]),
        ]
        if f.get("backtest_n"):
            items.append(("回测（已公布年份）" if zh else "Backtest (published years)",
                          (f"{f['backtest_n']}次，平均绝对误差 " if zh else f"n = {f['backtest_n']}, mean absolute error ")
                          + formatting.points(f["backtest_mae_pp"], lang, 2, signed=False)
                          + ("（朴素法 " if zh else " (naive ")
                          + formatting.points(f["backtest_naive_mae_pp"], lang, 2, signed=False) + ("）" if zh else ")")))
        t = Table(title=title, show_header=False)
        t.add_column("")
        t.add_column("", overflow="fold")
        for k, v in items:
            t.add_row(k, v)
        console.print(t)
        for u, r in refs.items():
            console.print(Text(f"  {r} {_cite(inputs, u, grades.get(u), lang)}"), overflow="fold")
    if f["missing"]:
        _say_missing(console, lang, f"缺：{'、'.join(f['missing'])}（已退化为朴素法）。",
                     f"Missing: {', '.join(f['missing'])} (fell back to the naive forecast).")


def _year_complete(console: Console, lang: str, year: int, growth_pct: float, ahead: dict | None = None) -> None:
    """December: the year's data are complete, so its growth is the actual (no interval); then the
    next year's forecast from the history alone (`ahead`: forecast_next_year), or why there is none."""
    g = formatting.percent(growth_pct)
    zh = lang == "zh"
    console.print(f"{year}年全年数据已齐：全年增长 {g}（实际值，不是预测）。" if zh else
                  f"{year}: the year's data are complete: annual growth {g} (the actual, not a forecast).",
                  style="bold", markup=False)
    nxt = year + 1
    if ahead is None:  # published rates: no monthly levels to model before the new year's first release
        console.print(f"{nxt}年：公布数据只有增速，没有月度水平；在{nxt}年1—2月数据公布前，公布增速模型的全年预测"
                      f"即{year}年全年增长 {g}（假设不变，无预测区间）。" if zh else
                      f"{nxt}: published data are growth rates without monthly levels; until {nxt}'s January–February "
                      f"release the published-rate model's forecast is {year}'s growth, {g} (no change assumed, no "
                      f"interval).", markup=False)
    elif np.isfinite(ahead.get("growth_pct", np.nan)):
        level = int(round((1 - ahead["alpha"]) * 100))
        lo, hi = formatting.percent(ahead["growth_lo"]), formatting.percent(ahead["growth_hi"])
        yi = formatting.number(ahead["level"] / 1e4)  # 万元 → 亿元
        bn = formatting.number(ahead["level"] / 1e5)  # 万元 → billion yuan
        console.print(f"{nxt}年全年增长预测 {formatting.percent(ahead['growth_pct'])}（{level}%预测区间 {lo}—{hi}），"
                      f"全年增加值约 {yi} 亿元（不变价）。" if zh else
                      f"{nxt} forecast: annual growth {formatting.percent(ahead['growth_pct'])} ({level}% interval "
                      f"{lo} to {hi}), value added about {bn} billion yuan (constant prices).",
                      style="bold", markup=False)
        console.print(f"{nxt}年尚无数据，预测只依据历史：季节ARIMA模拟全年与“{nxt}年增速同{year}年”等权组合"
                      f"（docs/monitoring.md）。用 --period {year}-11 可查看截至11月时对{year}年的预测。" if zh else
                      f"No {nxt} data yet, so the forecast rests on the history alone: a seasonal ARIMA simulation of "
                      f"the whole year and \"{nxt} grows as {year} did\", equally weighted (docs/monitoring.md). "
                      f"--period {year}-11 shows the forecast made for {year} at November.", markup=False)
    else:
        console.print(f"{nxt}年的预测需要至少两个完整年度的数据。" if zh else
                      f"A forecast for {nxt} needs at least two complete years of data.", markup=False)


def register(app: typer.Typer) -> None:
    """Add the monitoring commands to `app`."""
    FMT = typer.Option(Fmt.table, "--format", help="输出格式 / output format")
    LANG = typer.Option(Lang.zh, "--lang", help="输出语言 / output language")
    SET = typer.Option(None, "--set", help="覆盖设置 NAME=VALUE（可重复，见 zhizao settings）/ setting override "
                                          "NAME=VALUE (repeatable)")
    DATA = typer.Option(None, "--data", show_default=False,
                        help=f"监测数据目录（zhizao synth 写出，--source synthetic）；缺省 ${DATA_ENV}，再缺省 "
                             f"./{DEFAULT_DATA} / data folder (--source synthetic; default: ${DATA_ENV}, else "
                             f"./{DEFAULT_DATA})")
    DB = typer.Option(None, "--db", parser=as_db, metavar="PATH|URL", help="--source published 所用数据库；缺省 $ZHIZAO_DB，再缺省用户数据库 / store for "
                                         "--source published (default: $ZHIZAO_DB, else the user store)")
    PLAN = typer.Option(None, "--plan", envvar="ZHIZAO_PLAN", help=PLAN_HELP)
    PERIOD = typer.Option(None, "--period", help="期别 YYYY-MM，须在数据范围内；缺省为最新 / period YYYY-MM within "
                                                 "the data (default: latest)")

    # A UserError raised below (bad --period, --rule, missing data …) reaches zhizao's main(): one line, exit 2.
    @app.command("synth")
    def synth_cmd(
        out: Optional[Path] = typer.Option(None, "--out", show_default=False,
                                           help=f"输出目录；缺省 ${DATA_ENV}，再缺省 ./{DEFAULT_DATA} / output folder "
                                                f"(default: ${DATA_ENV}, else ./{DEFAULT_DATA})"),
        enterprises: int = typer.Option(6700, "--enterprises", min=1,
                                        help="首年企业数 / enterprises in the first year"),
        months: int = typer.Option(72, "--months", min=13, help="月数（至少13）/ calendar months (at least 13)"),
        start: str = typer.Option("2019-01", "--start", help="首月，须为1月（YYYY-01）/ first month (a January)"),
        seed: int = typer.Option(0, "--seed", help="随机种子 / random seed"),
        no_anomalies: bool = typer.Option(False, "--no-anomalies", help="不注入异常 / inject no anomalies"),
        lang: Lang = LANG,
        plan: Optional[str] = typer.Option(None, "--plan", envvar="ZHIZAO_PLAN",
                                           help="规划（编号或路径）；合成数据只为内置默认规划生成 / plan id or path; "
                                                "synthetic data is generated for the embedded default plan only"),
    ) -> None:
        """生成合成企业月度数据（带注入异常及其真值表；演示与测试用，非真实企业）/ write SYNTHETIC enterprise data
        (with injected anomalies and their truth table)."""

        lang = lang.value
        _plan_or_exit(plan, None, "synthetic", lang)
        y = _january(start)
        out = out if out is not None else default_data_dir()
        console = make_console(stderr=True)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=console, transient=True) as prog:
            prog.add_task("生成合成数据…" if lang == "zh" else "Generating synthetic data…")
            data = generate(enterprises, months, f"{y}-01", seed, anomalies=None if no_anomalies else "default")
            paths = data.write(out)
        t = Table(title=(labels.label("origin", "synthetic", lang) + (" 已写入 " if lang == "zh" else " written to "))
                  + str(out))
        t.add_column("文件" if lang == "zh" else "File")
        t.add_column("行数" if lang == "zh" else "Rows", justify="right")
        for p in paths:
            name = p.stem
            rows = len(getattr(data, name)) if hasattr(data, name) and p.suffix == ".parquet" else ""
            t.add_row(p.name, str(rows))
        console.print(t)
        cal = data.metadata["calibration"]["city_va_ytd_growth"]
        done = [c for c in cal if c["basis"] == "published"]
        console.print(("已校准到公布的累计增速 " if lang == "zh" else "Calibrated to published YTD growth at ")
                      + ", ".join(f"{c['year']}-{c['month']:02d} {formatting.percent(c['synthetic_ytd_growth_pct'])}"
                                  for c in done), markup=False)

    @app.command("monitor")
    def monitor_cmd(
        period: Optional[str] = PERIOD,
        by: Optional[By] = typer.Option(None, "--by", help="按什么汇总；缺省 district（--source published 缺省 industry）"
                                                           " / level of the table (default: district; industry for "
                                                           "--source published)"),
        fmt: Fmt = FMT,
        data: Optional[Path] = DATA,
        top: int = typer.Option(20, "--top", min=1, help="--by enterprise/project 的行数 / rows for --by enterprise|project"),
        lang: Lang = LANG,
        set_: Optional[List[str]] = SET,
        source: Source = typer.Option(Source.synthetic, "--source",
                                      help="synthetic 合成企业数据 | published 数据库中已公布的真实月度增速 / "
                                           "synthetic enterprise data | the real published rates in the store"),
        db: Optional[Path] = DB,
        plan: Optional[str] = PLAN,
    ) -> None:
        """月度监测：累计/当月增速、贡献率与拉动、位次 / monthly growth, contributions and ranks."""

        fmt, lang, source, by = fmt.value, lang.value, source.value, (by.value if by else None)
        console = make_console(stderr=fmt != "table")
        p = _plan_or_exit(plan, db, source, lang)
        if source == "published":
            inputs = load_monitoring_inputs(source="published", db=db, plan=p)
            _monitor_published(inputs, period, by or "industry", fmt, lang, _settings(set_), console)
            return
        s = _settings(set_)
        inputs = _synthetic_inputs(data, s)
        at = check_period(period, *_data_span(inputs))
        by = by or "district"
        _synthetic_banner(inputs, console, lang, fmt)
        r = _run_refresh(inputs, at, s, console, lang)
        y, m = r.period
        title = f"{y}年1—{m}月" if lang == "zh" else f"{y}-{m:02d} YTD"
        if by == "city":
            path = r.city_path[["year", "month", "value"]]
            df = target_gap(path, float(s["target_annual_growth_pct"]))
            df = df.merge(r.city_path[["year", "month", "month_growth_pct"]], on=["year", "month"])
            df = df[["year", "month", "ytd_growth_pct", "month_growth_pct", "target_pct", "gap_pp", "required_rest_pct"]]
            if fmt == "table":  # the first year has nothing to compare with: its rows would be all —
                df = df[df["ytd_growth_pct"].notna().cummax()]
        elif by == "enterprise":
            e = r.enterprises.assign(abs_pull=lambda d: d["pull_pp"].abs()).nlargest(top, "abs_pull")
            df = e[["credit_code", "name", "district", "industry", "ytd", "growth_pct", "contribution_pct", "pull_pp"]]
            if fmt == "table":  # codes as names for a reader; JSON/CSV keep the codes
                df = df.assign(district=df["district"].map(lambda c: district_name(str(c), lang)),
                               industry=df["industry"].map(lambda c: division_name(str(c), lang)))
        elif by == "project":
            df = project_progress(inputs.projects, inputs.project_monthly, r.period)
            df = df.sort_values("gap_pp").head(top)[["project_id", "name", "district", "planned_investment",
                                                      "cumulative_investment", "completion_pct", "schedule_pct", "gap_pp"]]
            if fmt == "table":
                df = df.assign(district=df["district"].map(lambda c: district_name(str(c), lang)))
        else:
            c = r.contributions[r.contributions["subject_type"] == by]
            g = r.growth[r.growth["subject_type"] == by][["subject_id", "month_growth_pct"]]
            lt = r.lights[(r.lights["subject_type"] == by) & (r.lights["measure"] == "value_added")][["subject_id", "light"]]
            df = c.merge(g, on="subject_id", how="left").merge(lt, on="subject_id", how="left")
            if lang == "en" and by in ("district", "industry", "cluster", "zone"):
                ss = r.context.series[by]
                df["subject_name"] = df["subject_id"].map(dict(zip(ss.ids, ss.names_en)))
            df = df.sort_values("rank")[["subject_id", "subject_name", "ytd", "growth_pct", "month_growth_pct",
                                         "share_prev_pct", "contribution_pct", "pull_pp", "rank", "light"]]
            df = df.rename(columns={"growth_pct": "ytd_growth_pct"})
            if fmt == "table" and by in ("cluster", "zone"):  # their ids are code words, the names say it all
                df = df.drop(columns="subject_id")
            if lang == "en" and fmt == "table":
                df["light"] = df["light"].map(LIGHT_EN).fillna(df["light"])
        _emit(df.reset_index(drop=True), fmt, lang, title, console)

    @app.command("warnings")
    def warnings_cmd(
        period: Optional[str] = PERIOD,
        severity: Severity = typer.Option(Severity.low, "--severity", help="最低级别 / minimum severity"),
        rule: Optional[List[str]] = typer.Option(None, "--rule", help="只看这些规则（可重复；名称见 docs/monitoring.md）"
                                                                     " / only these rules (repeatable)"),
        fmt: Fmt = FMT,
        data: Optional[Path] = DATA,
        limit: int = typer.Option(200, "--limit", min=1, help="表格最多行数 / max rows in table format"),
        lang: Lang = LANG,
        set_: Optional[List[str]] = SET,
        source: Source = typer.Option(Source.synthetic, "--source",
                                      help="synthetic 合成企业数据 | published 已公布数据（只有目标差距与五色灯）/ "
                                           "synthetic | published (target gap and five lights only)"),
        db: Optional[Path] = DB,
        plan: Optional[str] = PLAN,
    ) -> None:
        """预警：目标差距、五色灯、异常与转折、企业风险、拖累 / early warnings."""
        fmt, lang, source, severity = fmt.value, lang.value, source.value, severity.value
        console = make_console(stderr=fmt != "table")
        check_rules(rule)
        if source == "synthetic" and plan is not None and not period:
            try:
                check_monitoring_plan(plan, db, source)
            except UserError as e:  # issue 14: the synthetic monitoring data do not fit this plan, its own data do
                other = _plan_or_exit(plan, db, "published", lang)
                if chain_warnings_only(other, db, _settings(set_), severity, rule, fmt, limit, lang, console, e):
                    return
        p = _plan_or_exit(plan, db, source, lang)
        if source == "published":
            inputs = load_monitoring_inputs(source="published", db=db, plan=p)
            _warnings_published(inputs, period, severity, rule, fmt, limit, lang, _settings(set_), console, p)
            return
        s = _settings(set_)
        try:
            inputs = _synthetic_inputs(data, s)
        except MonitoringDataMissing as e:  # the chain warnings do not need the monthly folder (issue 12)
            if period or not chain_warnings_only(p, db, s, severity, rule, fmt, limit, lang, console, e):
                raise
            return
        at = check_period(period, *_data_span(inputs))
        _synthetic_banner(inputs, console, lang, fmt)
        r = _run_refresh(inputs, at, s, console, lang)
        w = r.warnings
        w = w[w["severity"].map(SEVERITY_ORDER) <= SEVERITY_ORDER.get(severity, 2)]
        if rule:
            w = w[w["rule"].isin(rule)]
        n = len(w)
        # the chain warnings in the same table (issue 12): the plan's chain data, not the monthly folder
        cw = chain_warnings(p, db, s, severity, rule, console, lang, fmt)
        w = with_chain_warnings(w, cw)
        if fmt == "table":
            col = "explanation_zh" if lang == "zh" else "explanation_en"
            view = w[["severity", "rule", "subject_name", col]].rename(columns={col: "explanation"}).head(limit)
            if lang == "en":
                view["subject_name"] = _names_en(r, w.head(limit))
            view = view.assign(severity=view["severity"].map(lambda v: labels.label("severity", v, lang)),
                               rule=view["rule"].map(lambda v: rule_title(v, lang)),
                               subject_name=view["subject_name"].map(visible),  # stored text: never obeyed
                               explanation=view["explanation"].map(visible))
            _emit(view.reset_index(drop=True), fmt, lang, warnings_title(n, cw, lang), console)
        else:
            _emit(w.reset_index(drop=True), fmt, lang, "", console)

    @app.command("forecast")
    def forecast_cmd(
        period: Optional[str] = typer.Option(None, "--period", help="截至期别 YYYY-MM；缺省为最新 / cut-off YYYY-MM "
                                                                    "(default: latest)"),
        fmt: Fmt = FMT,
        data: Optional[Path] = DATA,
        lang: Lang = LANG,
        set_: Optional[List[str]] = SET,
        source: Source = typer.Option(Source.synthetic, "--source",
                                      help="synthetic 合成数据（含预测区间）| published 已公布增速（无区间）/ "
                                           "synthetic (with interval) | published-rate model (no interval)"),
        db: Optional[Path] = DB,
        plan: Optional[str] = PLAN,
    ) -> None:
        """全年增速与总量预测（含预测区间；全年数据已齐时给出实际值与下一年预测）/ forecast of the year's growth
        and level (once the year is complete: its actual and the next year's forecast)."""
        fmt, lang, source = fmt.value, lang.value, source.value
        console = make_console(stderr=fmt != "table")
        p = _plan_or_exit(plan, db, source, lang)
        if source == "published":
            _forecast_published(load_monitoring_inputs(source="published", db=db, plan=p), period, fmt, lang,
                                console)
            return
        s = _settings(set_)
        inputs = _synthetic_inputs(data, s)
        at = check_period(period, *_data_span(inputs))
        _synthetic_banner(inputs, console, lang, fmt)
        r = _run_refresh(inputs, at, s, console, lang)
        y, m = r.period
        levels = r.city_path[["year", "month", "value"]]
        alpha, n_sim = float(s["forecast_alpha"]), int(s["forecast_simulations"])
        f = forecast_year(levels, y, m, alpha=alpha, n_sim=n_sim)
        keys = ("year", "through_month", "ytd_growth_pct", "growth_pct", "growth_lo", "growth_hi", "level", "model")
        if m == 12 and np.isfinite(f["ytd_growth_pct"]):  # nothing left to forecast: the actual, then next year
            ahead = forecast_next_year(levels, y + 1, alpha=alpha, n_sim=n_sim)
            if fmt == "table":
                _year_complete(console, lang, y, f["ytd_growth_pct"], ahead)
                return
            actual = {**{k: f[k] for k in keys}, "basis": "actual", "growth_pct": f["ytd_growth_pct"],
                      "growth_lo": np.nan, "growth_hi": np.nan, "model": None}
            _emit(pd.DataFrame([actual, {**{k: ahead[k] for k in keys}, "basis": "forecast"}]), fmt, lang, "", console)
            return
        df = pd.DataFrame([{k: f[k] for k in keys}])
        if fmt == "table":
            df["model"] = df["model"].map(lambda c: labels.FORECAST_MODEL.get(c, (c, c))[0 if lang == "zh" else 1])
        title = (f"全年预测（{int((1 - alpha) * 100)}%预测区间，不变价）" if lang == "zh"
                 else f"Annual forecast ({int((1 - alpha) * 100)}% interval, constant prices)")
        _emit(df, fmt, lang, title, console)
