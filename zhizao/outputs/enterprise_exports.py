"""Enterprise workbooks in the layouts offices exchange (docs/enterprises.md "Exports").

- `muju_workbook` — 亩均评价结果表: one sheet per evaluated group (规上企业, 规下企业) with a title row
  (`<year>年度<area>工业企业亩均效益综合评价结果`), a 单位 row (reporting office, year, scope), two header
  rows (names, then each indicator's unit), 序号 and the enterprises sorted by class then score (not
  evaluated ones last, with the reason), and a 说明 row: the formula, weights, benchmarks, class shares
  and the source line (合成数据 when synthetic); a 分类统计 sheet counts the classes.
- `price_workbook` — 差别电价/水价名单: 序号, 企业名称, 统一社会信用代码, 区县, 评价类别, 加价标准, 年用电量,
  预计加价金额 for the class C and D enterprises, with the same title, 单位 and 说明 rows.
- `template_workbook` — the blank import template: the six sheets zhizao.ingest.enterprises reads, with
  its sheet names and headers (Chinese, or the English column names with lang="en", units in brackets:
  the reader's COLUMN_ZH / COLUMN_EN, so every header written is one it accepts), one example row each
  (a synthetic valid credit code), and a 说明 sheet listing the accepted values (skipped by the reader).

Every text cell goes through spreadsheet_safe (never a formula); numbers stay numbers with a display
format. Cells name a CJK face (宋体, titles 黑体) so Excel/WPS on a Chinese machine lay them out as the
offices' own tables.
"""
from __future__ import annotations

import io
from copy import copy
from typing import Any

import pandas as pd
from rich.cells import cell_len

from zhizao import formatting, labels
from zhizao.codes import regions as region_codes
from zhizao.codes.industries import industry_code_name
from zhizao.codes.uscc import make_code
from zhizao.ingest import enterprises as ingest
from zhizao.ingest.enterprise_frames import (FRAMES, IP_CLASSES, LEVELS, PRODUCT_FIELDS,
                                             RD_INSTITUTIONS, SIZES, TAGS)
from zhizao.outputs.reports.fonts import GW_HEI, GW_SONG
from zhizao.outputs.spreadsheet_safe import xlsx_cell, xlsx_text
from zhizao.settings import Settings

# The 亩均 items of each group, in the order of the published tables (docs/reference/methods.md §3.1).
ITEMS = {"above": ("tax_per_mu", "va_per_mu", "va_per_energy", "va_per_emission", "labour_productivity",
                   "rd_intensity"),
         "below": ("tax_per_mu", "tax_per_kwh")}
# tax_per_kwh is 万元 per 万千瓦时, which is 元/千瓦时
ITEM_UNITS = {"tax_per_mu": "万元/亩", "va_per_mu": "万元/亩", "va_per_energy": "万元/吨标准煤",
              "va_per_emission": "万元/吨", "labour_productivity": "万元/人", "rd_intensity": "%",
              "tax_per_kwh": "元/千瓦时"}
CLASS_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}
NUMBER_FORMAT = "#,##0.00"


def _w(key: str, lang: str) -> str:
    return labels.ENT_EXPORT_WORDS[key][1 if lang == "en" else 0]


def _head(key: str, lang: str) -> str:
    return labels.ENT_EXPORT_HEAD[key][1 if lang == "en" else 0]


def _unit(unit: str, lang: str) -> str:
    pair = labels.ENT_EXPORT_UNIT.get(unit)
    return unit if pair is None else pair[1 if lang == "en" else 0]


def _unit_after(unit: str, lang: str) -> str:
    """A unit after a number: 3.02% in Chinese, 24.1 万元/亩 / 3.02 % as English writes them."""
    return _unit(unit, lang) if unit == "%" and lang != "en" else f" {_unit(unit, lang)}"


def _sep(lang: str) -> str:
    return "; " if lang == "en" else "、"


def area_name(plan, lang: str = "zh") -> str:
    """The plan's area as a title names it (English: the province's name where the code is one)."""
    if lang == "en" and plan.regions.whole_code.endswith("0000"):
        return region_codes.province_name(plan.regions.whole_code, "en") or plan.regions.whole_name
    return plan.regions.whole_name


def _district_names(plan, lang: str) -> dict[str, str]:
    names = {d.code: d.name for d in plan.regions.districts}
    if lang == "en":  # the GB/T 2260 English name where zhizao knows it, else the plan's own word
        names = {c: (region_codes.DISTRICTS_EN.get(c) or n) for c, n in names.items()}
    return names


def _park_names(data) -> dict[str, str]:
    p = data.parks
    return dict(zip(p["park_id"].astype(str), p["name"].astype(str))) if len(p) else {}


def source_line(data, lang: str = "zh") -> str:
    """The workbook's source line: the synthetic label first when synthetic, the data's source, its date."""
    parts = [_w("synthetic", lang)] if data.synthetic else []
    if data.synthetic and lang == "en":  # the label a Chinese reader of the file looks for, too
        parts.insert(0, labels.ENT_EXPORT_WORDS["synthetic"][0])
    parts.append(_w("note_source", lang).format(source=data.source or formatting.MISSING))
    if data.as_of:
        parts.append(_w("note_as_of", lang).format(date=formatting.date(data.as_of)))
    return ("; " if lang == "en" else "；").join(parts)


# --- the sheet layout ------------------------------------------------------------------------------

def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # noqa: PLC0415 - only when writing

    thin = Side(style="thin", color="808080")
    return {"title": Font(name=GW_HEI, size=16, bold=True, charset=134),
            "body": Font(name=GW_SONG, size=10, charset=134),
            "head": Font(name=GW_HEI, size=10, bold=True, charset=134),
            "border": Border(left=thin, right=thin, top=thin, bottom=thin),
            "fill": PatternFill("solid", fgColor="D9D9D9"),
            "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
            "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
            "top": Alignment(horizontal="left", vertical="top", wrap_text=True)}


def _width(values: list) -> float:
    """A column width in Excel units for CJK text: a Chinese character is two."""
    longest = max((max(cell_len(line) for line in str(v).split("\n")) for v in values if v is not None), default=4)
    return float(min(max(longest + 2, 6), 50))


def body_rows(ws, rows: list[list[Any]], n: int, st: dict, numbers: dict[int, str]) -> None:
    """The table's rows, bordered, in 宋体: numbers in their column's format (`numbers`: 1-based column →
    number format), text left-aligned and wrapped; every cell made safe for a spreadsheet first."""
    # A cell's style is set once per kind (number format, text or not) and copied to the others: setting
    # font, border and format hashes each style object per cell, minutes for 100,000 rows.
    done: dict[tuple, Any] = {}
    start = ws.max_row  # once: openpyxl computes max_row over every cell, per call
    for k, values in enumerate(rows, start=1):
        ws.append([xlsx_cell(v) for v in values])
        r = start + k
        for i in range(1, n + 1):
            c = ws.cell(row=r, column=i)
            kind = (numbers.get(i), i not in numbers and isinstance(c.value, str))
            if kind in done:
                c._style = copy(done[kind])
                continue
            c.font, c.border = st["body"], st["border"]
            if i in numbers:
                c.number_format = numbers[i]
            elif isinstance(c.value, str):
                c.alignment = st["left"]
            done[kind] = copy(c._style)


def notes_row(ws, notes: list[str], n: int, st: dict) -> None:
    """The 说明 row below the table: merged over its `n` columns, wrapped, as high as its lines need."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - openpyxl only when a workbook is written

    if not notes:
        return
    ws.append([xlsx_text("\n".join(notes))])
    r = ws.max_row
    ws.merge_cells(f"A{r}:{get_column_letter(n)}{r}")
    ws.cell(row=r, column=1).font, ws.cell(row=r, column=1).alignment = st["body"], st["top"]
    ws.row_dimensions[r].height = 15 * (sum(1 + cell_len(x) // max(8 * n, 80) for x in notes) + 1)


def _table_sheet(wb, title: str, heading: str, unit_row: str, heads: list[str], units: list[str],
                 rows: list[list[Any]], number_columns: set[int], notes: list[str], freeze: str = "C5") -> None:
    """One sheet in the exchanged layout: title (merged, 黑体), 单位 row, header names over units (a column
    without a unit spans both rows), bordered rows, and the 说明 row (merged, wrapped) below them."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - openpyxl only when a workbook is written

    st = _styles()
    ws = wb.create_sheet(title=title[:31])
    n = len(heads)
    last = get_column_letter(n)
    ws.append([xlsx_text(heading)])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font, ws["A1"].alignment = st["title"], st["center"]
    ws.row_dimensions[1].height = 30
    ws.append([xlsx_text(unit_row)])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font, ws["A2"].alignment = st["body"], st["left"]
    ws.append([xlsx_text(h) for h in heads])
    ws.append([xlsx_text(u) if u else None for u in units])
    for i, u in enumerate(units, start=1):
        col = get_column_letter(i)
        if not u:
            ws.merge_cells(f"{col}3:{col}4")
        for r in (3, 4):
            c = ws[f"{col}{r}"]
            c.font, c.alignment, c.border, c.fill = st["head"], st["center"], st["border"], st["fill"]
    body_rows(ws, rows, n, st, dict.fromkeys(number_columns, NUMBER_FORMAT))
    notes_row(ws, notes, n, st)
    for i in range(1, n + 1):
        sample = [heads[i - 1], units[i - 1], *(row[i - 1] for row in rows[:2000])]
        ws.column_dimensions[get_column_letter(i)].width = _width(sample)
    ws.freeze_panes = freeze
    ws.print_title_rows = "3:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _new_workbook():
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl only when a workbook is written

    wb = Workbook()
    wb.remove(wb.active)
    return wb


# --- 亩均评价结果表 -----------------------------------------------------------------------------------

def _text_list(v: Any, lang: str) -> str:
    if isinstance(v, (list, tuple, set)):
        return _sep(lang).join(str(x) for x in v)
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def _imputed_words(v: Any, lang: str) -> str:
    """The items given the group's average points, in words ("" when none)."""
    if isinstance(v, str):
        items = [x.strip() for x in v.replace(";", ",").split(",") if x.strip()]
    elif isinstance(v, (list, tuple, set)):
        items = [str(x) for x in v]
    else:
        items = []
    if not items:
        return ""
    words = [_head(x, lang) if x in labels.ENT_EXPORT_HEAD else x for x in items]
    return _w("imputed", lang).format(items=_sep(lang).join(words))


def _class_key(k: Any) -> int:
    return CLASS_ORDER.get(k if isinstance(k, str) else "", len(CLASS_ORDER))


def _sorted_results(df: pd.DataFrame) -> pd.DataFrame:
    """By class (A–D, not evaluated last), then score from the highest, then credit code (stable)."""
    if df.empty:
        return df
    key = pd.DataFrame({"k": df["klass"].map(_class_key), "s": -pd.to_numeric(df["score"], errors="coerce"),
                        "id": df["enterprise_id"].astype(str)}, index=df.index)
    return df.loc[key.sort_values(["k", "s", "id"], na_position="last").index]


def _weights(result, group: str, s: Settings) -> dict[str, float]:
    b = getattr(result, "benchmarks", None)
    if b is not None and len(b) and "weight" in b:
        g = b[b["group"] == group]
        if len(g):
            return dict(zip(g["item"], g["weight"]))
    prefix = "muju_weight_" if group == "above" else "muju_small_weight_"
    return {i: s[prefix + i] for i in ITEMS[group]}


def _benchmarks(result, group: str) -> dict[str, float]:
    b = getattr(result, "benchmarks", None)
    if b is None or not len(b):
        return {}
    g = b[b["group"] == group]
    return dict(zip(g["item"], g["benchmark"]))


def _muju_notes(result, group: str, data, s: Settings, lang: str) -> list[str]:
    cap = s["muju_item_cap"]
    lines = [_w("note_formula", lang).format(cap=formatting.number(cap)) if cap else _w("note_formula_nocap", lang)]
    weights = _weights(result, group, s)
    lines.append(_w("note_weights", lang).format(items=_sep(lang).join(
        f"{_head(i, lang)} {formatting.number(weights.get(i))}" for i in ITEMS[group])))
    bench = _benchmarks(result, group)
    if bench:
        lines.append(_w("note_benchmarks", lang).format(items=_sep(lang).join(
            f"{_head(i, lang)} {formatting.significant(bench.get(i))}{_unit_after(ITEM_UNITS[i], lang)}"
            for i in ITEMS[group])))
    lines.append(_w("note_classes", lang).format(**{k: formatting.number(s[f"muju_share_{k}"]) for k in "abcd"}))
    lines.append(source_line(data, lang))
    head = _w("note_head", lang)
    return [f"{head}{i}. {x}" if i == 1 else f"{i}. {x}" for i, x in enumerate(lines, start=1)]


def _scope(group: str, s: Settings, lang: str) -> str:
    return _w(f"scope_{group}", lang).format(min=formatting.number(s["above_scale_revenue_min"]))


def _unit_row(key: str, year: int, data, lang: str, **kw) -> str:
    text = _w(key, lang).format(year=year, **kw)
    return f"{_w('synthetic', lang)}　{text}" if data.synthetic else text


def _evaluate(data, year: int | None, s: Settings):
    from zhizao.analytics.enterprises import muju  # noqa: PLC0415 - written in parallel (issue 13)

    if year is None:
        years = pd.to_numeric(data.annual["year"], errors="coerce").dropna()
        year = int(years.max()) if len(years) else None
    return muju.evaluate(data, year, s)


def muju_workbook(plan, data, result=None, *, year: int | None = None, lang: str = "zh",
                  settings: Settings | None = None) -> bytes:
    """The 亩均评价结果表 (XLSX bytes) of `result` (analytics MujuResult; evaluated for `year`, default the
    latest year of data.annual, when None): a sheet per group, then 分类统计."""
    s = settings if settings is not None else Settings()
    if result is None:
        result = _evaluate(data, year, s)
    year = int(result.year)
    ent = result.enterprises
    districts, parks = _district_names(plan, lang), _park_names(data)
    heading = _w("muju_title", lang).format(year=year, area=area_name(plan, lang))
    wb = _new_workbook()
    groups = ent["group"].where(ent["group"].isin(["above", "below"]), "below") if len(ent) else pd.Series(dtype=object)
    reasons = "reasons_en" if lang == "en" else "reasons_zh"
    present = [g for g in ("above", "below") if (groups == g).any()] or ["above"]
    for group in present:
        part = _sorted_results(ent[groups == group]) if len(ent) else ent
        items = ITEMS[group]
        cols = ["seq", "name", "enterprise_id", "district", "park", "industry_class", "land_area", *items,
                "score", "rank", "klass", "remarks"]
        heads = [_head(c, lang) for c in cols]
        units = ["", "", "", "", "", "", _unit("亩", lang), *(_unit(ITEM_UNITS[i], lang) for i in items),
                 _unit("分", lang), "", "", ""]
        rows = []
        for seq, r in enumerate(part.to_dict("records"), start=1):
            klass = r.get("klass") if isinstance(r.get("klass"), str) and r.get("klass") else _w("not_evaluated", lang)
            remark = ("; " if lang == "en" else "；").join(x for x in (_text_list(r.get(reasons), lang), _imputed_words(r.get("imputed"), lang)) if x)
            park = str(r.get("park") or "")
            rows.append([seq, r.get("name"), r.get("enterprise_id"), districts.get(str(r.get("district")), r.get("district")),
                         parks.get(park, park), industry_code_name(str(r.get("industry_class") or ""), lang),
                         r.get("land_area"), *(r.get(i) for i in items), r.get("score"), r.get("rank"), klass, remark])
        numbers = {7 + j for j in range(len(items) + 2)}
        notes = ([_w("none_evaluated", lang)] if part.empty else []) + _muju_notes(result, group, data, s, lang)
        _table_sheet(wb, _w(f"sheet_{group}", lang), heading, _unit_row("unit_row", year, data, lang,
                     scope=_scope(group, s, lang)), heads, units, rows, numbers, notes)
    classes = result.classes.sort_values(["group", "klass"]) if len(result.classes) else result.classes
    share = pd.to_numeric(classes["share"], errors="coerce") if len(classes) else pd.Series(dtype=float)
    percent = share * 100 if len(share) and share.max() <= 1 else share  # a fraction or already percent
    rows = [[i, _w(f"group_{g}", lang) if g in ("above", "below") else g, k or _w("not_evaluated", lang), n, p]
            for i, (g, k, n, p) in enumerate(zip(classes["group"], classes["klass"], classes["n"], percent), start=1)]
    _table_sheet(wb, _w("sheet_classes", lang), heading, _unit_row("unit_row", year, data, lang,
                 scope=_sep(lang).join(_scope(g, s, lang) for g in ("above", "below"))),
                 [_head(c, lang) for c in ("seq", "group", "klass", "n", "share")],
                 ["", "", "", _unit("家", lang), _unit("%", lang)], rows, {5},
                 [f"{_w('note_head', lang)}{source_line(data, lang)}"], freeze="A5")
    return _save(wb)


# --- 差别电价/水价名单 -----------------------------------------------------------------------------------

def _price_rows(result, data, prices: pd.DataFrame, year: int, s: Settings) -> pd.DataFrame:
    """The listed enterprises with name, district, class and electricity use: from `prices` where it has
    them, else from the evaluation and the year's annual figures."""
    out = prices[["enterprise_id", "klass"]].copy() if len(prices) else pd.DataFrame(
        {"enterprise_id": pd.Series(dtype=object), "klass": pd.Series(dtype=object)})
    ent = result.enterprises.drop_duplicates("enterprise_id").set_index("enterprise_id") if len(result.enterprises) \
        else pd.DataFrame(columns=["name", "district"])
    reg = data.registry.drop_duplicates("enterprise_id").set_index("enterprise_id")
    for col in ("name", "district"):
        if col in prices:
            out[col] = prices[col].to_numpy()
        else:
            found = out["enterprise_id"].map(ent[col]) if col in ent else pd.Series(index=out.index, dtype=object)
            out[col] = found.fillna(out["enterprise_id"].map(reg[col]))
    if "electricity" in prices:
        out["electricity"] = pd.to_numeric(prices["electricity"], errors="coerce").to_numpy()
    else:
        a = data.annual[pd.to_numeric(data.annual["year"], errors="coerce") == year]
        out["electricity"] = out["enterprise_id"].map(a.drop_duplicates("enterprise_id").set_index("enterprise_id")
                                                      ["electricity"])
    surcharge = {"C": s["muju_surcharge_electricity_c"], "D": s["muju_surcharge_electricity_d"]}
    out["rate"] = out["klass"].map(surcharge)
    out["extra_cost"] = out["electricity"] * out["rate"]  # 万千瓦时 × 元/千瓦时 = 万元
    out = out[out["klass"].isin(["C", "D"])]
    key = pd.DataFrame({"k": out["klass"].map(_class_key), "d": out["district"].astype(str),
                        "x": -out["extra_cost"].fillna(-1.0), "id": out["enterprise_id"].astype(str)}, index=out.index)
    return out.loc[key.sort_values(["k", "d", "x", "id"]).index]


def price_workbook(plan, data, result=None, prices: pd.DataFrame | None = None, *, year: int | None = None,
                   lang: str = "zh", settings: Settings | None = None) -> bytes:
    """The 差别电价/水价名单 (XLSX bytes): the class C and D enterprises of `prices` (analytics price_list,
    computed from `result` when None) with each class's surcharges and the expected extra electricity cost."""
    s = settings if settings is not None else Settings()
    if result is None:
        result = _evaluate(data, year, s)
    if prices is None:
        from zhizao.analytics.enterprises import muju  # noqa: PLC0415 - written in parallel (issue 13)

        prices = muju.price_list(result, data, s)
    year = int(result.year)
    table = _price_rows(result, data, prices, year, s)
    districts = _district_names(plan, lang)
    fmt = {k: formatting.number(s[f"muju_surcharge_{m}_{k.lower()}"]) for k in "CD" for m in ("electricity",)}
    water = {k: formatting.number(s[f"muju_surcharge_water_{k.lower()}"]) for k in "CD"}
    rows = [[i, r["name"], r["enterprise_id"], districts.get(str(r["district"]), r["district"]), r["klass"],
             _w("surcharge_text", lang).format(e=fmt[r["klass"]], w=water[r["klass"]]), r["electricity"], r["extra_cost"]]
            for i, r in enumerate(table.to_dict("records"), start=1)]
    cols = ["seq", "name", "enterprise_id", "district", "klass", "surcharge", "electricity", "extra_cost"]
    units = ["", "", "", "", "", "", _unit("万千瓦时", lang), _unit("万元", lang)]
    notes = [_w("note_price", lang).format(ec=fmt["C"], ed=fmt["D"], wc=water["C"], wd=water["D"]),
             source_line(data, lang)]
    if not rows:
        notes.insert(0, _w("no_prices", lang))
    notes = [f"{_w('note_head', lang)}1. {notes[0]}", *(f"{i}. {x}" for i, x in enumerate(notes[1:], start=2))]
    wb = _new_workbook()
    _table_sheet(wb, _w("sheet_prices", lang), _w("price_title", lang).format(year=year, area=area_name(plan, lang)),
                 _unit_row("price_unit_row", year, data, lang), [_head(c, lang) for c in cols], units, rows, {7, 8},
                 notes)
    return _save(wb)


# --- the blank import template -----------------------------------------------------------------------

def template_header(frame: str, column: str, lang: str = "zh") -> str:
    """A template column's header, as the import reads it (zhizao.ingest.enterprises, the one source of
    headers, units and sheet names): Chinese with its unit in full-width brackets (用地面积（亩）), or in
    English the contract's column name with its unit (land_area (mu))."""
    return (ingest.COLUMN_EN if lang == "en" else ingest.COLUMN_ZH)[frame][column]


def template_sheet(frame: str | None, lang: str = "zh") -> str:
    """A template sheet's name as the import reads it; None: the notes sheet (说明), which it skips."""
    names = ingest.NOTES_SHEETS if frame is None else ingest.SHEET_NAMES[frame]
    return names[1 if lang == "en" else 0]


def _example_district(plan) -> str:
    if plan.regions.districts:
        return plan.regions.districts[0].code
    whole = plan.regions.whole_code  # a plan without districts: a county code under its area
    return whole[:4] + ("01" if whole[4:] != "01" else "02")


def _example_industry(plan) -> str:
    return next((d for ind in plan.industries for d in ind.gbt4754_divisions), "39")


def example_rows(plan, lang: str = "zh") -> dict[str, dict[str, Any]]:
    """One consistent example row per frame: an enterprise with a synthetic valid credit code in the
    plan's first district, its park (of the plan's first tier), a tag, a year's figures and the area's
    green figures. Words (tags, levels, sizes) in the template's language."""
    zh = lang != "en"
    district = _example_district(plan)
    code = make_code(district, "MA000000")
    year = plan.plan.base_year + 1
    park_id = "P001"
    tier = plan.park_system.tiers[0].id if plan.park_system else ("园区" if zh else "park")
    industry = _example_industry(plan)
    return {
        "registry": {"enterprise_id": code, "name": _w("example_name", lang), "district": district, "park": park_id,
                     "industry_class": industry, "size": labels.ENT_EXPORT_SIZE["medium"][0] if zh else "medium",
                     "established": "2015-06-18"},
        "tags": {"enterprise_id": code, "tag": labels.ENT_EXPORT_TAG["srdi_sme"][0] if zh else "srdi_sme",
                 "level": labels.ENT_EXPORT_LEVEL["municipal"][0] if zh else "municipal", "acquired": "2022-08-01",
                 "lost": ""},
        "annual": {"enterprise_id": code, "year": year, "land_area": 50, "revenue": 32000, "main_revenue": 30000,
                   "value_added": 8000, "tax": 1500, "energy": 2600, "electricity": 900, "water": 52000,
                   "emissions": 12.5, "rd_expense": 1100, "employees": 260, "net_profit": 2100, "assets": 41000,
                   "liabilities": 17000, "investment": 3500, "env_violations": 0, "quality_failures": 0,
                   "safety_violations": 0, "obsolete_equipment": "否" if zh else "no"},
        "srdi": {"enterprise_id": code, "year": year, "niche_years": 6, "product_field": "key", "digital_level": 2,
                 "quality_items": 2, "ip_class": "1", "rd_staff_share": 15, "rd_institution": "municipal",
                 "equity_financing": 0, "local_points": 8, "direct_pass": ""},
        "parks": {"park_id": park_id, "name": _w("example_park", lang), "tier": tier, "districts": district,
                  "area": 12000, "leading_industries": industry, "target_investment_per_mu": 300,
                  "target_output_per_mu": 600, "target_tax_per_mu": 25},
        "green": {"area": plan.regions.whole_code, "year": year, "energy": 2100.5, "water": 45000,
                  "value_added": 8000, "va_real_growth": 6.5},
    }


def _about_rows(plan, lang: str) -> list[list[str]]:
    zh = lang != "en"
    rows = [[_w("about_general", lang), "", _w("about_rows", lang)],
            [_w("about_codes", lang), "", _w("about_codes_values", lang)],
            [_w("about_dates", lang), "", _w("about_dates_values", lang)],
            [_w("about_units", lang), "", _w("about_units_values", lang)]]

    def words(item: str, table: dict, codes) -> None:
        for c in codes:
            if not c:
                rows.append([_w(item, lang), "", _w("about_blank", lang)])
            elif zh and table is not labels.ENT_EXPORT_PRODUCT_FIELD and table is not labels.ENT_EXPORT_IP_CLASS \
                    and table is not labels.ENT_EXPORT_RD_INSTITUTION:
                rows.append([_w(item, lang), table[c][0], c])  # a word the import reads, and its code
            else:
                rows.append([_w(item, lang), c, table[c][1 if lang == "en" else 0]])

    words("about_tags", labels.ENT_EXPORT_TAG, TAGS)
    words("about_levels", labels.ENT_EXPORT_LEVEL, LEVELS)
    words("about_sizes", labels.ENT_EXPORT_SIZE, SIZES)
    words("about_product_fields", labels.ENT_EXPORT_PRODUCT_FIELD, PRODUCT_FIELDS)
    words("about_ip_classes", labels.ENT_EXPORT_IP_CLASS, IP_CLASSES)
    words("about_rd_institutions", labels.ENT_EXPORT_RD_INSTITUTION, RD_INSTITUTIONS)
    names = _district_names(plan, lang)
    if names:
        rows += [[_w("about_districts", lang), c, n] for c, n in names.items()]
    else:
        rows.append([_w("about_districts", lang), "",
                     _w("about_districts_any", lang).format(prefix=plan.regions.whole_code[:2])])
    rows.append([_w("about_green_area", lang), plan.regions.whole_code, area_name(plan, lang)])
    rows += [[_w("about_green_area", lang), c, n] for c, n in names.items()]
    if plan.park_system:
        rows += [[_w("about_tiers", lang), t.id, (t.name_en or t.name) if lang == "en" else t.name]
                 for t in plan.park_system.tiers]
    else:
        rows.append([_w("about_tiers", lang), "", _w("about_tiers_none", lang)])
    return rows


def template_workbook(plan, lang: str = "zh") -> bytes:
    """The blank import template (XLSX bytes): 企业名录, 企业标签, 年度指标, 专精特新, 园区, 能耗水耗 (registry,
    tags, annual, srdi, parks, green with lang="en"), a header row and one example row each, then 说明."""
    st = _styles()
    examples = example_rows(plan, lang)
    wb = _new_workbook()
    for frame, columns in FRAMES.items():
        ws = wb.create_sheet(template_sheet(frame, lang))
        heads = [template_header(frame, c, lang) for c in columns]
        ws.append([xlsx_text(h) for h in heads])
        ws.append([xlsx_cell(examples[frame].get(c)) for c in columns])
        for cell in ws[1]:
            cell.font, cell.fill, cell.border, cell.alignment = st["head"], st["fill"], st["border"], st["center"]
        for cell in ws[2]:
            cell.font = st["body"]
            if isinstance(cell.value, str):  # codes stay text (a credit code or "0101" must not become a number)
                cell.number_format = "@"
        for cell, h, v in zip(ws[1], heads, ws[2]):
            ws.column_dimensions[cell.column_letter].width = _width([h, v.value])
        ws.freeze_panes = "A2"
    about_sheet(wb, template_sheet(None, lang),
                _w("about_title", lang).format(plan=plan.plan.title_en or plan.plan.title if lang == "en"
                                               else plan.plan.title),
                [_w("about_head", lang), _w("about_values", lang), _head("remarks", lang)],
                _about_rows(plan, lang), (18, 22, 80))
    return _save(wb)


def about_sheet(wb, name: str, title: str, heads: list[str], rows, widths: tuple[int, ...]) -> None:
    """A template's 说明 sheet: a title line, a header row, then the rows (column, values, remark) wrapped;
    shared by the enterprise and delivery templates."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - openpyxl only where a workbook is written

    st = _styles()
    ws = wb.create_sheet(name)
    ws.append([xlsx_text(title)])
    ws["A1"].font = st["title"]
    ws.append([xlsx_text(h) for h in heads])
    for cell in ws[2]:
        cell.font, cell.fill, cell.border = st["head"], st["fill"], st["border"]
    for k, r in enumerate(rows, start=3):  # the rows follow the title and the header (max_row scans every cell)
        ws.append([xlsx_cell(v) if v != "" else None for v in r])
        for cell in ws[k]:
            cell.font, cell.alignment = st["body"], st["top"]
    for k, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = width
    ws.freeze_panes = "A3"
