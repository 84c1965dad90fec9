"""The 终期评估 (final evaluation) draft: chapters 一 to 七 and the annex, in prose built from the data.

Used when the evaluation year has reached the plan's target year (result["evaluation"]["kind"] ==
"final"). Statuses come from ind["final"] (contract A, docs/reports.md); next-plan reference values
from zhizao.api.draft_plan (contract B). Either may be missing from an older assessment: the
chapter then says so instead of guessing a status.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.progress import target_display
from zhizao.outputs.reports import charts
from zhizao.outputs.reports.model import Bullets, Cell, Figure, Heading, Para, Table
from zhizao.outputs.reports.style import FINAL_STATUSES
from zhizao.outputs.reports.text import actual_text, cluster_heading, final_label, ind_name, num, pct, qual_mark, unit, with_unit
from zhizao.settings import Settings

NUMERALS = "一二三四五六七八九十"
DONE = ("completed", "basically_completed", "expected_completed", "expected_basically_completed")
SHORT = ("not_completed", "expected_difficult")


def _zh(lang: str) -> bool:
    return lang != "en"


def _j(items, lang: str) -> str:
    return ("、" if _zh(lang) else ", ").join(items)


def _cn(k: int) -> str:
    """1 → 一, 12 → 十二 (enough for the plan's sections)."""
    if k <= 10:
        return NUMERALS[k - 1]
    tens, ones = divmod(k, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


def is_final(result: dict) -> bool:
    """The final layout: the assessment says so (contract A), else the year has reached the target year."""
    ev = result.get("evaluation")
    if isinstance(ev, dict) and ev.get("kind"):
        return ev["kind"] == "final"
    year, target = result.get("year"), (result.get("plan") or {}).get("target_year")
    return bool(year and target and year >= target)


def final_of(ind: dict, lang: str) -> dict:
    """ind["final"], or an explicit 无法判断 when the assessment carries no final judgement."""
    f = ind.get("final")
    if isinstance(f, dict) and f.get("status"):
        return f
    return {"status": "undetermined", "label": final_label("undetermined", lang), "data_year": ind.get("data_year"),
            "projected": False, "projection": None, "completion_pct": None, "over_completed": False,
            "text": ("本次评估结果未含终期判定，请用支持终期评估的zhizao版本重新评估" if _zh(lang) else
                     "The assessment carries no final-evaluation judgement: assess again with a zhizao version "
                     "that makes one"), "missing": True}


def _label(f: dict, lang: str) -> str:
    """The status label; a projection names its data year: 预计完成（据2023年数据）."""
    # The label in the report's language (the assessment's own label is in the language it ran in).
    label = final_label(f["status"], lang) if f["status"] in labels.FINAL_STATUS else (f.get("label") or f["status"])
    if f.get("projected") and f.get("data_year"):
        label += f"（据{f['data_year']}年数据）" if _zh(lang) else f" (from {f['data_year']} data)"
    return label


def _counts(result: dict, finals: dict[str, dict]) -> dict[str, int]:
    counts = (result.get("summary") or {}).get("final_counts")
    if isinstance(counts, dict) and counts:
        return counts
    out: dict[str, int] = {}
    for f in finals.values():
        out[f["status"]] = out.get(f["status"], 0) + 1
    return out


def _end(s: str, lang: str) -> str:
    s = s.rstrip()
    return s if not s or s[-1] in "。.；;！？" else s + ("。" if _zh(lang) else ".")


def _sentence(ind: dict, f: dict, lang: str) -> str:
    return f"{ind_name(ind, lang)}：{_end(f.get('text') or _label(f, lang), lang)}" if _zh(lang) else \
        f"{ind_name(ind, lang)}: {_end(f.get('text') or _label(f, lang), lang)}"


# --- 一、总体评价 -------------------------------------------------------------------------------
def _overall(result: dict, finals: dict[str, dict], lang: str) -> list:
    zh = _zh(lang)
    inds = result["indicators"]
    counts = _counts(result, finals)
    c = lambda s: counts.get(s, 0)  # noqa: E731
    p = result["plan"]
    blocks: list = [Heading(1, "一、总体评价" if zh else "1. Overall assessment", "f-overall")]
    binding = [i for i in inds if i.get("binding")]
    if binding:
        ids = (result.get("summary") or {}).get("binding_final") or [i["id"] for i in binding]
        order = [i for k in ids for i in binding if i["id"] == k] + [i for i in binding if i["id"] not in ids]
        done = [i for i in order if finals[i["id"]]["status"] in DONE]
        blocks.append(Para(
            (f"规划设约束性指标{len(order)}项，" + (f"其中{len(done)}项已完成或预计完成。" if done else "尚无一项可确认完成。"))
            if zh else f"The plan has {len(order)} binding indicator(s); {len(done)} completed or expected to be.", "lead"))
        blocks.append(Bullets([_sentence(i, finals[i["id"]], lang) for i in order]))
    else:
        blocks.append(Para("规划未设约束性指标。" if zh else "The plan has no binding indicators."))
    measured = c("completed") + c("basically_completed") + c("not_completed")
    projected = c("expected_completed") + c("expected_basically_completed") + c("expected_difficult")
    data_years = sorted({f["data_year"] for f in finals.values() if f.get("projected") and f.get("data_year")})
    if zh:
        s = (f"规划确定主要指标{len(inds)}项。按{p['target_year']}年实际数据，已完成{c('completed')}项、基本完成"
             f"{c('basically_completed')}项、未完成{c('not_completed')}项（共{measured}项）")
        s += (f"；{projected}项{p['target_year']}年数据尚未公布，按{_j([str(y) for y in data_years], lang)}年数据预测，"
              f"预计完成{c('expected_completed')}项、预计基本完成{c('expected_basically_completed')}项、预计难以完成"
              f"{c('expected_difficult')}项" if projected else "")
        s += (f"；无法判断{c('undetermined')}项，无可比数据{c('no_data')}项" +
              (f"，仅监测{c('tracked')}项" if c("tracked") else "") + "。")
    else:
        s = (f"The plan sets {len(inds)} main indicators. On {p['target_year']} data: {c('completed')} completed, "
             f"{c('basically_completed')} basically completed, {c('not_completed')} not completed")
        s += (f"; {projected} have no {p['target_year']} data yet and are projected from "
              f"{', '.join(str(y) for y in data_years)} data: {c('expected_completed')} expected completed, "
              f"{c('expected_basically_completed')} expected basically completed, {c('expected_difficult')} unlikely"
              if projected else "")
        s += f"; {c('undetermined')} cannot be judged, {c('no_data')} have no comparable data" + (
            f", {c('tracked')} tracked only." if c("tracked") else ".")
    blocks.append(Para(s))
    if any(f.get("missing") for f in finals.values()):
        blocks.append(Para("注意：本次评估结果未含终期判定（已完成/未完成等），各指标暂列为“无法判断”。请用支持终期评估的"
                           "zhizao版本重新评估后再生成本报告。" if zh else
                           "Note: the assessment carries no final-evaluation judgements, so every indicator is shown as "
                           "'cannot be judged'. Assess again with a zhizao version that makes them, then rebuild.", "alert"))
    rows, chart_rows = [], []
    for s_ in FINAL_STATUSES:
        names = [ind_name(i, lang) for i in inds if finals[i["id"]]["status"] == s_]
        if not names and not counts.get(s_):
            continue
        rows.append([Cell(final_label(s_, lang), status=s_, align="center"), Cell(str(counts.get(s_, len(names))), align="right"),
                     Cell(_j(names, lang) or "—")])
        chart_rows.append((s_, final_label(s_, lang), counts.get(s_, len(names))))
    blocks.append(Table(["完成情况" if zh else "Result", "指标数" if zh else "Count", "指标" if zh else "Indicators"],
                        rows, "final-counts", widths=[1.6, 0.8, 5.6]))
    if chart_rows:
        blocks.append(Figure(charts.final_counts_chart(chart_rows, lang),
                             "图1　主要指标完成情况" if zh else "Figure 1. Main indicators by result", "fig-final-counts",
                             width_cm=14.0))
    return blocks


# --- 二、主要指标完成情况 ---------------------------------------------------------------------------
def _source_text(ind: dict, lang: str) -> str:
    srcs = [s for s in ind.get("sources") or [] if s.get("role") in (None, "actual")]
    pubs = []
    for s in srcs:
        name = s.get("publisher") or s.get("title")
        if name and name not in pubs:
            pubs.append(name)
    d = ind.get("actual_derivation")
    if d and d.get("formula") and not pubs:
        return "推算" if _zh(lang) else "derived"
    return _j(pubs[:2], lang) or "—"


def _actual_year(ind: dict, f: dict, lang: str) -> str:
    if ind.get("actual") is None:
        return "—"
    y = ind.get("data_year") or f.get("data_year")
    # A number may not be followed by a line break before "（" (UAX 14): a zero-width space lets a
    # narrow cell break there instead of inside the number.
    return f"{actual_text(ind['actual'], ind.get('qualifier'), lang)}\u200b（{y}）" if _zh(lang) else \
        f"{actual_text(ind['actual'], ind.get('qualifier'), lang)} ({y})"


def _baseline(ind: dict, lang: str) -> str:
    b = ind.get("baseline") or {}
    return "—" if b.get("value") is None else qual_mark(b.get("qualifier"), lang) + num(b["value"])


def _target(ind: dict, lang: str) -> str:
    return formatting.grouped(target_display(ind["target"], lang)) if ind.get("target") else "—"


def _nature(ind: dict, lang: str) -> str:
    if ind.get("nature") in labels.NATURE:
        return labels.label("nature", ind["nature"], lang)
    if ind.get("nature_label") and _zh(lang):
        return ind["nature_label"]
    return ("约束性" if ind.get("binding") else "预期性") if _zh(lang) else ("binding" if ind.get("binding") else "expected")


def _main_table(result: dict, finals: dict[str, dict], plan, lang: str) -> list:
    zh = _zh(lang)
    inds = result["indicators"]
    blocks: list = [Heading(1, "二、主要指标完成情况" if zh else "2. Main indicators", "f-indicators")]
    rows = []
    for k, ind in enumerate(inds, 1):
        f = finals[ind["id"]]
        rows.append([Cell(str(k), align="center"), Cell(ind_name(ind, lang)), Cell(unit(ind.get("unit"), lang), align="center"),
                     Cell(_nature(ind, lang), align="center"), Cell(_baseline(ind, lang), align="right"),
                     Cell(_target(ind, lang), align="right"), Cell(_actual_year(ind, f, lang), align="right"),
                     Cell(_label(f, lang), status=f["status"], align="center"), Cell(_source_text(ind, lang))])
    header = (["序号", "指标", "单位", "属性", "基期值", "目标值", "实际值（年份）", "完成情况", "数据来源"] if zh else
              ["No.", "Indicator", "Unit", "Nature", "Baseline", "Target", "Actual (year)", "Result", "Source"])
    base, target = result["plan"]["base_year"], result["plan"]["target_year"]
    blocks.append(Para(f"表1列出规划主要指标的基期值（{base}年）、目标值（{target}年）、最新实际值及完成情况。"
                       "“预计”类结论依据目标年之前的数据，括号内注明数据年份。" if zh else
                       f"Table 1 lists each main indicator's baseline ({base}), target ({target}), latest actual value "
                       "and result. 'Expected' results rest on data older than the target year, whose year is given."))
    blocks.append(Para("表1　主要指标完成情况" if zh else "Table 1. Main indicators", "caption"))
    blocks.append(Table(header, rows, "final-indicators", widths=[8, 30, 11, 12, 15, 16, 22, 22, 20],
                        small=True))
    # One subsection per indicator area: each indicator's sentence, and its chart where it has data.
    fig = 1
    cats = [(c.id, (c.name_en or c.name) if lang == "en" else c.name) for c in plan.categories]
    for n, (cat_id, cat_name) in enumerate([c for c in cats if any(i["category"] == c[0] for i in inds)], 1):
        blocks.append(Heading(2, f"（{_cn(n)}）{cat_name}" if zh else f"2.{n} {cat_name}", f"f-cat-{cat_id}"))
        for k, ind in enumerate([i for i in inds if i["category"] == cat_id], 1):
            f = finals[ind["id"]]
            lead = f"{k}．{ind_name(ind, lang)}" + ("（约束性）" if zh and ind.get("binding") else "")
            blocks.append(Para(f"{lead}。{_end(f.get('text') or _label(f, lang), lang)}" if zh else
                               f"{k}. {ind_name(ind, lang)}. {_end(f.get('text') or _label(f, lang), lang)}"))
            if ind.get("history") and ind.get("actual") is not None:
                fig += 1
                blocks.append(Figure(charts.indicator_chart(ind, lang, final=f),
                                     f"图{fig}　{ind_name(ind, lang)}" if zh else f"Figure {fig}. {ind_name(ind, lang)}",
                                     f"fig-final-{ind['id']}", width_cm=14.5))
    return blocks


# --- 三、重点任务和重大工程进展 -------------------------------------------------------------------
def _cluster_share(result: dict) -> dict[str, dict]:
    return {c["id"]: c for c in result.get("clusters") or []}


@dataclass(frozen=True)
class DeliveryChapter:
    """What chapter 三 reads from the delivery data (docs/delivery.md): reported, never synthetic, rows.
    `items` is zhizao.analytics.delivery.tasks.item_status, `by_task` its task_progress(by="task"),
    `funnel` / `funnel_by_cluster` projects.funnel of project_status (signed projects only); None where nothing
    real is stored. `n_projects` counts the whole register, signed or not."""
    as_of: str
    items: pd.DataFrame | None = None
    by_task: pd.DataFrame | None = None
    n_reports: int = 0
    funnel: pd.DataFrame | None = None
    funnel_by_cluster: pd.DataFrame | None = None
    n_projects: int = 0
    synthetic_left_out: bool = False  # synthetic frames existed and were not used

    @property
    def has_tasks(self) -> bool:
        return self.items is not None and len(self.items) > 0

    @property
    def has_projects(self) -> bool:
        return self.n_projects > 0 or (self.funnel is not None and len(self.funnel) > 0)


def delivery_chapter(plan, data, settings=None, as_of: str | None = None) -> DeliveryChapter:
    """Chapter 三's inputs from a DeliveryData: task progress only from non-synthetic progress reports,
    the project funnel only from non-synthetic projects (synthetic data never feed the evaluation)."""
    s = settings if settings is not None else Settings()
    when = as_of or data.as_of or pd.Timestamp.today().date().isoformat()
    real_reports = "progress_reports" not in data.synthetic_frames and len(data.progress_reports) > 0
    real_projects = not data.area_synthetic("projects") and len(data.projects) > 0
    out = {"synthetic_left_out": bool(data.synthetic_frames)}
    if real_reports and len(data.work_items):
        from zhizao.analytics.delivery import tasks as dl_tasks  # noqa: PLC0415 - only with reported progress

        items = dl_tasks.item_status(plan, data, when, s)
        out.update(items=items, by_task=dl_tasks.task_progress(items, by="task"), n_reports=len(data.progress_reports))
    if real_projects:
        from zhizao.analytics.delivery import projects as dl_projects  # noqa: PLC0415 - only with real projects

        status = dl_projects.project_status(data, when, s)
        out.update(funnel=dl_projects.funnel(status), funnel_by_cluster=dl_projects.funnel(status, by="cluster"),
                   n_projects=len(status))
    return DeliveryChapter(as_of=when, **out)


ITEM_STATES = ("done", "on_track", "behind", "stalled", "overdue", "not_started")


def _tw(key: str, lang: str) -> str:
    return labels.FINAL_TASK_WORDS[key][0 if _zh(lang) else 1]


def _state_counts(counts: dict, lang: str) -> str:
    parts = [_tw(f"st_{k}", lang).format(n=int(counts.get(k, 0))) for k in ITEM_STATES if counts.get(k, 0)]
    return ("、" if _zh(lang) else ", ").join(parts) or "—"


def _names(v, lang: str) -> list[str]:
    if isinstance(v, (list, tuple)):
        return [str(x) for x in v if str(x)]
    text = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
    return [x.strip() for x in text.replace("；", ";").replace("、", ";").split(";") if x.strip()]


def _task_key(by_task: pd.DataFrame) -> str:
    return next(c for c in ("task", "group", "key") if c in by_task.columns)


def _task_progress_blocks(chapter: DeliveryChapter, plan, lang: str, table: int) -> list:
    """The lead sentence and 表{table}: per plan task its lead units, work items, mean completion, statuses."""
    zh = _zh(lang)
    items, by_task = chapter.items, chapter.by_task
    counts = items["status"].value_counts().to_dict()
    reported = int((pd.to_numeric(items.get("n_reports", 0), errors="coerce").fillna(0) > 0).sum()) \
        if "n_reports" in items else int(len(items))
    mean = pd.to_numeric(items["completion"], errors="coerce").mean()
    blocks: list = [Para(_tw("tasks_lead", lang).format(
        date=formatting.date(chapter.as_of), items=len(items), n=reported, reports=chapter.n_reports,
        counts=_state_counts(counts, lang), mean=formatting.percent(mean), table=table))]
    words = {t.id: (f"{t.title}（{t.section}）" if zh else f"{t.title} ({t.section})")
             for t in [*plan.tasks, *plan.safeguards]}
    order = {t: k for k, t in enumerate(words)}
    lead_col = "lead_names" if zh or "lead_names_en" not in items else "lead_names_en"
    leads: dict[str, list[str]] = {}
    for r in items.to_dict("records"):
        seen = leads.setdefault(str(r.get("task")), [])
        seen += [n for n in _names(r.get(lead_col), lang) if n not in seen]
    key = _task_key(by_task)
    t = by_task.assign(_o=by_task[key].map(lambda x: order.get(str(x), len(order)))).sort_values(["_o", key])
    rows = []
    for k, r in enumerate(t.to_dict("records"), 1):
        task = str(r[key])
        rows.append([Cell(str(k), align="center"), Cell(words.get(task, task)),
                     Cell(_j(leads.get(task, []), lang) or "—"), Cell(str(int(r.get("n", 0))), align="right"),
                     Cell(formatting.percent(r.get("mean_completion")), align="right"),
                     Cell(_state_counts(r, lang))])
    blocks.append(Para(_tw("tasks_caption", lang).format(table=table), "caption"))
    blocks.append(Table([_tw(h, lang) for h in ("h_seq", "h_task", "h_lead", "h_items", "h_mean", "h_status")],
                        rows, "final-task-progress", widths=[0.5, 2.8, 2.0, 0.8, 0.9, 2.4], small=True))
    return blocks


def _funnel_counts(funnel: pd.DataFrame) -> dict[str, tuple[int, float]]:
    out = {}
    for stage, g in funnel.groupby("stage"):
        out[str(stage)] = (int(pd.to_numeric(g["n"], errors="coerce").fillna(0).sum()),
                           float(pd.to_numeric(g.get("planned_investment", 0), errors="coerce").fillna(0).sum()))
    return out


def _share(part: int, whole: int) -> str:
    return formatting.percent(100.0 * part / whole) if whole else "—"


def _project_blocks(chapter: DeliveryChapter, plan, lang: str) -> list:
    """The project funnel in sentences: how many projects signed, started, in production, at full production."""
    zh = _zh(lang)
    c = _funnel_counts(chapter.funnel) if chapter.funnel is not None else {}
    n = {s: c.get(s, (0, 0.0))[0] for s in ("signed", "started", "production", "full_production")}
    total = max(chapter.n_projects, n["signed"])  # the funnel leaves out projects not yet signed
    if not n["signed"]:
        return [Para(_tw("projects_none_signed", lang).format(date=formatting.date(chapter.as_of), total=total))]
    money = c.get("signed", (0, 0.0))[1]  # the signed projects' planned investment
    investment = (f"{formatting.grouped(formatting.number(money / 10000, 1))}亿元" if zh else
                  f"{formatting.grouped(formatting.number(money / 10000, 1))} 100m yuan")
    items = [_tw("projects_lead", lang).format(
        date=formatting.date(chapter.as_of), total=total, signed=n["signed"], investment=investment,
        started=n["started"],
        started_share=_share(n["started"], n["signed"]), production=n["production"],
        production_share=_share(n["production"], n["signed"]), full=n["full_production"],
        full_share=_share(n["full_production"], n["signed"]))]
    by = chapter.funnel_by_cluster
    if by is not None and len(by) and "group" in by:
        cnames = {x.id: ((x.name_en or x.name) if lang == "en" else x.name) for x in plan.clusters}
        order = {x.id: k for k, x in enumerate(plan.clusters)}
        parts = []
        for g in sorted(by["group"].dropna().astype(str).unique(), key=lambda x: (order.get(x, len(order)), x)):
            if not g:
                continue
            gc = _funnel_counts(by[by["group"].astype(str) == g])
            parts.append(_tw("projects_cluster_item", lang).format(
                name=cnames.get(g, g), signed=gc.get("signed", (0, 0))[0], production=gc.get("production", (0, 0))[0]))
        if parts:
            items.append(_tw("projects_cluster", lang).format(items=_j(parts, lang) if zh else "; ".join(parts)))
    return [Para("".join(items) if zh else " ".join(items))]


def _tasks(result: dict, finals: dict[str, dict], plan, observations: pd.DataFrame | None, lang: str,
           delivery: DeliveryChapter | None = None) -> list:
    zh = _zh(lang)
    blocks: list = [Heading(1, "三、重点任务和重大工程进展" if zh else "3. Key tasks and major projects", "f-tasks")]
    tasks = list(getattr(plan, "tasks", None) or [])
    has_tasks = delivery is not None and delivery.has_tasks
    has_projects = delivery is not None and delivery.has_projects
    left_out = [Para(_tw("synthetic_never", lang), "note")] if delivery is not None and \
        delivery.synthetic_left_out and not (has_tasks and has_projects) else []
    if not tasks:
        blocks.append(Para("规划未列出重点任务条目，本章无内容可评。" if zh else "The plan lists no key tasks."))
        return blocks + (_project_blocks(delivery, plan, lang) if has_projects else []) + left_out
    by_id = {i["id"]: i for i in result["indicators"]}
    industries = {x.id: x for x in getattr(plan, "industries", None) or []}
    clusters = _cluster_share(result)
    cnames = {c.id: ((c.name_en or c.name) if lang == "en" else c.name) for c in getattr(plan, "clusters", None) or []}
    has_industry_data = observations is not None and "industry" in observations and \
        (observations["industry"].fillna("ALL") != "ALL").any()
    rows, with_data = [], 0
    for k, task in enumerate(tasks, 1):
        shows = []
        for iid in task.indicators:
            if iid in by_id:
                shows.append(f"{ind_name(by_id[iid], lang)}{'：' if zh else ': '}{_label(finals[iid], lang)}")
        seen = set()
        for ind_id in task.industries:
            cl = getattr(industries.get(ind_id), "cluster", None)
            if cl and cl in clusters and cl not in seen:
                seen.add(cl)
                c = clusters[cl]
                if c.get("actual") is not None:
                    shows.append(f"{cnames.get(cl, c['name'])}{c.get('year')}年{actual_text(c['actual'], c.get('qualifier'), lang)}"
                                 f"{c.get('unit') or ''}，为规模目标的{pct(c.get('share_of_target'))}" if zh else
                                 f"{cnames.get(cl, c['name'])}: "
                                 f"{with_unit(actual_text(c['actual'], c.get('qualifier'), lang), c.get('unit'), lang)} in {c.get('year')}, {pct(c.get('share_of_target'))} of its target")
        if shows:
            with_data += 1
        rows.append([Cell(str(k), align="center"), Cell(f"{task.title}（{task.section}）" if zh and task.section else task.title),
                     Cell(("；" if zh else "; ").join(shows) or ("无关联数据" if zh else "no linked data"))])
    if not has_tasks and not has_projects:  # nothing reported: the chapter as it always read
        blocks.append(Para(
            f"规划列出重点任务{len(tasks)}项，其中{with_data}项可由关联的主要指标或产业集群数据反映进展（表2）。"
            "数据库中没有重点任务和重大工程的进度数据（项目数、投资完成额、建成投产情况等），"
            + ("也没有按行业分列的数据，" if not has_industry_data else "")
            + "以下仅为关联数据所能说明的内容；各项任务和重大工程的完成情况需由牵头部门补充。" if zh else
            f"The plan lists {len(tasks)} key tasks; for {with_data} of them linked indicators or cluster data show "
            "progress (Table 2). The store holds no progress data on tasks or major projects (project counts, "
            "investment completed, plants in operation)" + (" and no data by industry" if not has_industry_data else "")
            + ": the table shows only what linked data can say; the lead departments must report each task's progress."))
        blocks += left_out
    else:
        missing = [] if has_projects else [_tw("no_project_data", lang)]
        missing += [] if has_tasks else [_tw("no_task_reports", lang)]
        blocks.append(Para(
            (f"规划列出重点任务{len(tasks)}项，其中{with_data}项可由关联的主要指标或产业集群数据反映进展（表2）"
             + "".join(f"；{m}" for m in missing) + "。") if zh else
            (f"The plan lists {len(tasks)} key tasks; for {with_data} of them linked indicators or cluster data show "
             "progress (Table 2)." + "".join(f" {m}." for m in missing))))
    blocks.append(Para("表2　重点任务相关数据" if zh else "Table 2. Key tasks and linked data", "caption"))
    blocks.append(Table(["序号", "重点任务（规划出处）", "相关数据反映的进展"] if zh else ["No.", "Task", "What linked data shows"],
                        rows, "final-tasks", widths=[0.5, 3.0, 4.5], small=True))
    if has_tasks:  # 表3 follows 表2; chapter 七's table moves on to 表4 (final_blocks)
        blocks += _task_progress_blocks(delivery, plan, lang, 3)
    if has_projects:
        blocks += _project_blocks(delivery, plan, lang)
    if has_tasks or has_projects:
        blocks += left_out
    return blocks


# --- 四、产业集群 -----------------------------------------------------------------------------
def _clusters(result: dict, plan, lang: str, mid_clusters) -> list:
    blocks = mid_clusters(result, plan, lang)
    if not blocks:
        return []
    heading = cluster_heading(result, lang)
    blocks[0] = Heading(1, f"四、{heading}发展情况" if _zh(lang) else f"4. {heading[:1].upper() + heading[1:]}", "f-clusters")
    return blocks


# --- 五、区县落实情况 -------------------------------------------------------------------------
KEY_SERIES = ("规上工业总产值", "规上工业产值", "工业增加值", "规上工业增加值增长率", "工业增加值增长率")


def _districts(plan, observations: pd.DataFrame | None, lang: str, n: int) -> list:
    zh = _zh(lang)
    blocks: list = [Heading(1, f"{_cn(n)}、区县落实情况" if zh else f"{n}. Districts", "f-districts")]
    regions = getattr(plan, "regions", None)
    groups = list(getattr(regions, "groups", None) or [])
    districts = {d.code: d.name for d in getattr(regions, "districts", None) or []}
    if not groups or not districts:
        return blocks + [Para("规划未划分区域板块，本章从略。" if zh else "The plan defines no regional groups.")]
    obs = pd.DataFrame() if observations is None else observations
    if not obs.empty and "region" in obs:
        obs = obs[obs["region"].isin(districts.keys())]
    tops = [g for g in groups if not g.parent]
    top_names = _j([(g.name_en or g.name) if lang == "en" else g.name for g in tops], lang)
    with_data = set(obs["region"]) if not obs.empty else set()
    blocks.append(Para(
        f"规划按{top_names}布局。{len(districts)}个区县中，{len(with_data)}个在数据库中有公开的区县统计数据，"
        f"{len(districts) - len(with_data)}个没有。区县数据取自各区县公开的统计公报和政府工作报告，年份和口径不一，"
        "只列出最新值，不汇总、不据此判断完成情况；缺数据的区县需由区县经济信息委报送。" if zh else
        f"The plan is laid out by {top_names}. Of {len(districts)} districts, {len(with_data)} have published district "
        f"statistics in the store and {len(districts) - len(with_data)} have none. District figures come from the "
        "districts' own bulletins, with different years and definitions: the latest values are listed, not summed "
        "and not judged; the districts without data must report them."))
    for g in groups:
        members = list(g.districts) or [d for c in groups if c.parent == g.id for d in c.districts]
        if not g.districts:  # a parent: its children follow
            continue
        gname = (g.name_en or g.name) if lang == "en" else g.name
        parent = next((x for x in groups if x.id == g.parent), None)
        if parent is not None:
            gname = (f"{parent.name}·{gname}" if zh else f"{parent.name_en or parent.name}: {gname}")
        blocks.append(Heading(2, gname, f"f-grp-{g.id}"))
        rows, missing = [], []
        for code in members:
            sub = obs[obs["region"] == code] if not obs.empty else obs
            if sub.empty:
                missing.append(districts.get(code, code))
                continue
            latest = sub.sort_values("year").groupby("series", sort=False).tail(1)
            keyed = latest[latest["series"].isin(KEY_SERIES)]
            show = (keyed if not keyed.empty else latest).head(3)
            items = [f"{r.series} {int(r.year)}年 {actual_text(r.value, r.qualifier, lang)}{r.unit or ''}" if zh else
                     f"{r.series} {int(r.year)}: {with_unit(actual_text(r.value, r.qualifier, lang), r.unit, lang)}"
                     for r in show.itertuples()]
            rows.append([Cell(districts.get(code, code)), Cell(("；" if zh else "; ").join(items))])
        blocks.append(Para(f"共{len(members)}个区县，{len(rows)}个有数据" + (f"；无数据：{_j(missing, lang)}。" if missing else "。")
                           if zh else f"{len(members)} districts, {len(rows)} with data"
                           + (f"; none for {_j(missing, lang)}." if missing else ".")))
        if rows:
            blocks.append(Table(["区县", "最新公开数据"] if zh else ["District", "Latest published data"], rows,
                                f"final-districts-{g.id}", widths=[1.2, 6.0], small=True))
    return blocks


# --- 六、存在的主要问题 ------------------------------------------------------------------------
def _problems(result: dict, finals: dict[str, dict], lang: str, n: int) -> list:
    zh = _zh(lang)
    inds = result["indicators"]
    blocks: list = [Heading(1, f"{_cn(n)}、存在的主要问题" if zh else f"{n}. Main problems", "f-problems")]
    k = 0
    short = [i for i in inds if finals[i["id"]]["status"] in SHORT]
    if short:
        k += 1
        blocks.append(Heading(2, f"（{_cn(k)}）部分指标未完成或预计难以完成" if zh else
                              f"{n}.{k} Targets not completed or unlikely", "f-p-short"))
        items = []
        for i in short:
            f = finals[i["id"]]
            gap = ""
            if f.get("completion_pct") is not None:
                gap = (f"（完成{formatting.completion_rate(f['completion_pct'])}）" if zh else
                       f" ({formatting.completion_rate(f['completion_pct'])} of target)")
            items.append(_sentence(i, f, lang).rstrip("。.") + gap + ("。" if zh else "."))
        blocks.append(Bullets(items))
    gaps = [i for i in inds if finals[i["id"]]["status"] in ("no_data", "undetermined")]
    old = [i for i in inds if finals[i["id"]].get("projected")]
    if gaps or old:
        k += 1
        blocks.append(Heading(2, f"（{_cn(k)}）数据缺口" if zh else f"{n}.{k} Data gaps", "f-p-gaps"))
        items = []
        for i in gaps:
            f = finals[i["id"]]
            why = i.get("reason") if f["status"] == "no_data" and i.get("reason") else f.get("text")
            items.append(f"{ind_name(i, lang)}（{_label(f, lang)}）：{_end(why or '', lang)}" if zh else
                         f"{ind_name(i, lang)} ({_label(f, lang)}): {_end(why or '', lang)}")
        if old:
            target = result["plan"]["target_year"]
            items.append(f"{len(old)}项指标尚无{target}年数据，结论依据早年数据预测：{_j([ind_name(i, lang) for i in old], lang)}。"
                         f"{target}年数据公布后应重新评估。" if zh else
                         f"{len(old)} indicator(s) have no {target} data and rest on projections: "
                         f"{_j([ind_name(i, lang) for i in old], lang)}. Re-assess when the {target} data is published.")
        blocks.append(Bullets(items))
    caliber = []
    # One line for all indicators with other-definition evidence, not one line each.
    odd = [ind_name(i, lang) for i in inds
           if any(e.get("comparability") not in (None, "comparable") for e in i.get("other_evidence") or [])]
    if odd:
        caliber.append(f"{_j(odd, lang)}等{len(odd)}项指标另有口径不同或近似替代的数据，不能直接用于评估，需统一统计口径"
                       if zh else f"{len(odd)} indicator(s) also have values of other definitions or proxies that "
                       f"cannot be used: {_j(odd, lang)}")
    for i in inds:
        if (i.get("baseline") or {}).get("rebased"):
            b = i["baseline"]
            caliber.append(f"{ind_name(i, lang)}：基期值按最终公布数{num(b.get('value'))}替换规划印刷值{num(b.get('printed_value'))}"
                           if zh else f"{ind_name(i, lang)}: baseline re-based to {num(b.get('value'))} "
                           f"(printed {num(b.get('printed_value'))})")
    proxies = [c for c in result.get("clusters") or [] if c.get("comparability") not in (None, "comparable")]
    if proxies:
        caliber.append(("产业集群规模口径未在规划中界定，" + _j([c["name"] for c in proxies], lang) + "只有近似替代口径的数据")
                       if zh else "The plan does not define the cluster scale measure; only proxies exist for "
                       + _j([c["name"] for c in proxies], lang))
    if caliber:
        k += 1
        blocks.append(Heading(2, f"（{_cn(k)}）统计口径问题" if zh else f"{n}.{k} Definitions", "f-p-caliber"))
        blocks.append(Bullets([_end(x, lang) for x in caliber]))
    if k == 0:
        blocks.append(Para("各指标均已完成或预计完成，数据齐全，未发现需要单列的问题。" if zh else
                           "Every indicator is completed or expected to be, with full data: no problem to list."))
    return blocks


# --- 七、下一步建议与“十五五”目标设定参考 -------------------------------------------------------------
def _fmt(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "—"
    if isinstance(v, (int, float)):
        return formatting.grouped(num(v))  # 1,072 as the targets and the CLI print it
    return str(v)


def _year(v) -> str:
    """A year never grouped (2027, not 2,027), whether it arrives as an int or a float."""
    return "—" if v is None or pd.isna(v) else str(int(v))


def _given(v) -> bool:
    return isinstance(v, str) and v not in ("", "nan", "None")


def _next(result: dict, finals: dict[str, dict], draft: pd.DataFrame | None, lang: str, n: int,
          draft_error: str | None = None, table: int = 3) -> list:
    zh = _zh(lang)
    inds = result["indicators"]
    target = result["plan"]["target_year"]
    blocks: list = [Heading(1, f"{_cn(n)}、下一步建议与“十五五”目标设定参考" if zh else
                            f"{n}. Next steps and reference values for the next plan", "f-next")]
    short = [ind_name(i, lang) for i in inds if finals[i["id"]]["status"] in SHORT]
    gaps = [ind_name(i, lang) for i in inds if finals[i["id"]]["status"] in ("no_data", "undetermined")]
    items = []
    if short:
        items.append(f"对未完成或预计难以完成的{len(short)}项指标（{_j(short, lang)}），分析差距成因，在下一轮规划中作为重点延续推进。"
                     if zh else f"Analyse why {len(short)} indicator(s) fell short ({_j(short, lang)}) and carry them "
                     "forward as priorities in the next plan.")
    if gaps:
        items.append(f"对无可比数据或无法判断的{len(gaps)}项指标（{_j(gaps, lang)}），明确统计口径、数据来源和牵头部门，"
                     "确保下一轮规划的指标可监测、可评估。" if zh else
                     f"Fix the definition, source and lead department of the {len(gaps)} indicator(s) without "
                     f"comparable data ({_j(gaps, lang)}) so that the next plan can be monitored.")
    items.append(f"{target}年统计数据正式公布后，以终值重新评估并更新本报告。" if zh else
                 f"Re-assess with the final {target} statistics when they are published and update this report.")
    blocks.append(Heading(2, "（一）下一步建议" if zh else f"{n}.1 Next steps", "f-next-steps"))
    blocks.append(Bullets(items))
    blocks.append(Heading(2, "（二）“十五五”目标设定参考值" if zh else f"{n}.2 Reference values for the next plan", "f-next-ref"))
    if draft is None or len(draft) == 0:
        why = draft_error or ("本版本zhizao尚不能生成下一轮规划参考值" if zh else
                              "this zhizao version cannot compute next-plan reference values")
        blocks.append(Para((f"暂无“十五五”目标设定参考值：{why}。可用 zhizao plan draft 生成后补入。" if zh else
                            f"No reference values for the next plan: {why}. Generate them with `zhizao plan draft`."),
                           "note"))
        return blocks
    to_year = next((int(v) for v in draft.get("reference_year", pd.Series(dtype=float)).dropna()), target + 5)
    in_force = next((str(v) for v in draft["in_force_plan"].dropna() if str(v)), "") if "in_force_plan" in draft else ""
    blocks.append(Para(
        f"按各指标已观测的变化趋势外推到{to_year}年，得到参考值及其区间（表{table}）；"
        + (f"现行规划（{in_force}）已设目标的，一并列出其目标值；" if in_force else "")
        + "只有两个可比数值（一个年度变化）的，与终期评估的推算相同，按最新值持平，区间据该变化（本表为80%区间，"
        "终期评估为90%区间）；最新值为界限值（如“超”）的，不作外推，按界限持平，记为“至少”；"
        "现行规划中名称相近但口径不同的指标不列为现行目标，只在说明中供参考。"
        + "参考值是趋势的延续，不是目标建议，设定目标还需结合发展战略和政策力度。" if zh else
        f"Each indicator's observed trend, extended to {to_year}, gives a reference value with an interval (Table {table})"
        + (f"; targets of the plan in force ({in_force}) are listed beside them" if in_force else "")
        + ". With only two comparable values (one yearly change) the latest value is held, as in the final "
        "evaluation, with an interval from that change (80 % here, 90 % in the final evaluation); a latest value "
        "that is only a bound (\"over …\") is held as the bound and reads \"at least\"; a namesake in the plan in "
        "force with another definition is not listed as its target, only noted for orientation."
        " A reference value continues the trend; it is not a proposed target."))
    rows = []
    for r in draft.itertuples(index=False):
        g = lambda k: getattr(r, k, None)  # noqa: E731
        # the latest value with its qualifier (超26,000), a bound reference with 至少
        shown = _given(g("latest_qualifier")) and qual_mark(g("latest_qualifier"), lang)
        latest = "—" if g("latest_value") is None or pd.isna(g("latest_value")) else \
            (f"{shown or ''}{_fmt(g('latest_value'))}\u200b（{_year(g('latest_year'))}）" if zh else
             f"{shown or ''}{_fmt(g('latest_value'))} ({_year(g('latest_year'))})")
        bound = g("reference_bound")
        ref = _fmt(g("reference_value"))
        if _given(bound) and ref != "—":
            ref = labels.label("bound_word", bound, lang) + ref
        rng = "—" if g("low") is None or pd.isna(g("low")) else f"{_fmt(g('low'))}～{_fmt(g('high'))}"
        inf = "—" if g("in_force_target") is None or (isinstance(g("in_force_target"), float) and pd.isna(g("in_force_target"))) \
            else (f"{_fmt(g('in_force_target'))}\u200b（{_year(g('in_force_year'))}）" if zh else
                  f"{_fmt(g('in_force_target'))} ({_year(g('in_force_year'))})")
        if g("in_force_match") == "different_definition":
            inf = labels.label("in_force_match", "different_definition", lang)  # never as the target in force
        # Each part is a sentence or a list of its own: joined by ；, without its own full stop (no "。、").
        note = ("；" if zh else "; ").join(
            str(x).rstrip("。.；; ") for x in (g("stated_growth_check"), g("note"))
            if x is not None and str(x) not in ("", "nan", "None"))
        rows.append([Cell(str(g("name") or g("indicator"))), Cell(unit(str(g("unit") or ""), lang), align="center"),
                     Cell(latest, align="right"), Cell(ref, align="right"), Cell(rng, align="right"),
                     Cell(inf, align="right"), Cell(note or "—")])
    blocks.append(Para(f"表{table}　{to_year}年目标设定参考值" if zh else f"Table {table}. Reference values for {to_year}", "caption"))
    blocks.append(Table(["指标", "单位", "最新值（年份）", f"{to_year}年参考值", "区间", "现行规划目标（年份）", "说明"] if zh else
                        ["Indicator", "Unit", "Latest (year)", f"{to_year} reference", "Interval", "Plan in force (year)", "Note"],
                        rows, "final-draft", widths=[2.4, 0.7, 1.4, 1.1, 1.7, 1.4, 2.2], small=True))
    return blocks


# --- 附件：指标口径与数据来源 ----------------------------------------------------------------------
def _annex(result: dict, lang: str) -> list:
    zh = _zh(lang)
    blocks: list = [Heading(1, "附件：指标口径与数据来源" if zh else "Annex: definitions and sources", "f-annex")]
    blocks.append(Para("下表列出每项指标评估所用的统计口径（统计序列、价格口径、推算公式）和数据来源（发布单位和标题、来源等级、"
                       "来源地址）。来源等级：A为政府网站原文，B为主流或官方媒体，C为其他网站转载的政府或官方媒体原文，"
                       "D为二手整理或自媒体（慎用，不单独作为判断依据），R为本单位台账（导入的管理数据，非公开发布）。" if zh else
                       "Each indicator's definition (series, price basis, formula) and sources (publisher and title, grade, "
                       "address). Grades: A the government's own site, B mainstream or official media, C an official text "
                       "reprinted on another site, D a secondary compilation or self-media (use with care, never deciding alone), R "
                       "the office's own register (imported administrative data, not published)."))
    rows = []
    for k, ind in enumerate(result["indicators"], 1):
        caliber = [x for x in (ind.get("actual_series"),) if x]
        d = ind.get("actual_derivation")
        if d and d.get("formula"):
            caliber.append(("推算：" if zh else "derived: ") + d["formula"])
        if ind.get("price_basis") in ("constant", "comparable"):
            caliber.append(labels.label("price_basis", ind["price_basis"], lang))
        srcs, seen = [], set()
        for s in ind.get("sources") or []:
            key = (s.get("publisher"), s.get("title"), s.get("grade"), s.get("url"))
            if key not in seen:
                seen.add(key)
                srcs.append(s)
        # One address per cell (the renderers link the text's end): the linked source comes last.
        linked = next((s for s in srcs if s.get("url")), None)
        texts = [formatting.source_text(s.get("title"), s.get("publisher"), s.get("grade"), None, lang)
                 for s in srcs if s is not linked and (s.get("title") or s.get("publisher"))]
        if linked:
            texts.append(formatting.source_text(linked.get("title"), linked.get("publisher"), linked.get("grade"),
                                                linked["url"], lang))
        src_cell = Cell(("；" if zh else "; ").join(texts) or ("无" if zh else "none"),
                        href=linked["url"] if linked else None)
        rows.append([Cell(str(k), align="center"), Cell(ind_name(ind, lang)),
                     Cell(("；" if zh else "; ").join(caliber) or "—"), src_cell])
    blocks.append(Table(["序号", "指标", "统计口径", "数据来源"] if zh else ["No.", "Indicator", "Definition", "Sources"],
                        rows, "final-annex", widths=[0.5, 2.2, 2.4, 4.6], small=True))
    return blocks


def final_blocks(result: dict, observations: pd.DataFrame | None, plan, lang: str, *, mid_clusters,
                 draft: pd.DataFrame | None = None, draft_error: str | None = None, delivery=None) -> list:
    """Every chapter of the 终期评估 draft, in reading order. `delivery`: a DeliveryData (the store's
    projects and 任务分工; zhizao.api_delivery_data.delivery_data) or its DeliveryChapter, for chapter 三."""
    finals = {i["id"]: final_of(i, lang) for i in result["indicators"]}
    if delivery is not None and not isinstance(delivery, DeliveryChapter):
        delivery = delivery_chapter(plan, delivery, as_of=result.get("as_of") or None)
    blocks = _overall(result, finals, lang) + _main_table(result, finals, plan, lang)
    blocks += _tasks(result, finals, plan, observations, lang, delivery)
    clusters = _clusters(result, plan, lang, mid_clusters)
    blocks += clusters
    n = 5 if clusters else 4  # chapters after 四 move up when the plan has no clusters
    blocks += _districts(plan, observations, lang, n)
    blocks += _problems(result, finals, lang, n + 1)
    blocks += _next(result, finals, draft, lang, n + 2, draft_error,
                    table=4 if delivery is not None and delivery.has_tasks and getattr(plan, "tasks", None) else 3)
    blocks += _annex(result, lang)
    return blocks

