"""Imports into the store: a user's file, a links file, or the bundled real data.

All three go through the same validation (zhizao.ingest.table) and land in one transaction:
an import with any problem writes nothing.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from zhizao.ingest.names import read_series_name
from zhizao.ingest.table import ImportProblem, TableReadError, canonical_columns, read_table, validate_rows
from zhizao.ingest.units import UnitError, convert
from zhizao.plan.load import read_yaml
from zhizao.plan.spec import Plan
from zhizao.store.store import Batch, Store, source_id_for

HISTORY_YEARS = 5  # years before the base year accepted as context for trends


class ImportFailed(Exception):
    """The file was refused; `problems` lists every problem found. The store is unchanged."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(f"import refused: {len(problems)} problem(s); nothing was written")


@dataclass
class ImportSummary:
    batch_id: str
    file: str
    observations: int
    sources: int
    series: int
    links: int
    skipped: list[ImportProblem] = field(default_factory=list)  # entries left out (bundled links only)


def plan_window(plan: Plan) -> tuple[int, int]:
    return plan.plan.base_year - HISTORY_YEARS, plan.plan.target_year


def region_resolver(plan: Plan):
    """Region code for a code or a name; names match districts, aliases and functional zones."""
    names: dict[str, str] = {}
    codes: set[str] = set()
    if plan.regions:
        r = plan.regions
        codes.add(r.whole_code)
        names[r.whole_name] = r.whole_code
        for word in ("全市", "全省", "全区", "合计", "总计"):
            names[word] = r.whole_code
        for d in r.districts:
            codes.add(d.code)
            for n in [d.name, *d.aliases]:
                names[n] = d.code
        for z in r.functional_zones:
            codes.add(z.code)
            for n in [z.name, *z.aliases]:
                names[n] = z.code

    def resolve(text: str) -> str | None:
        t = (text or "").strip()
        if t in codes:
            return t
        if not plan.regions and re.fullmatch(r"\d{6}", t):
            return t  # a plan without a region list accepts any 6-digit GB/T 2260 code
        return names.get(t) or names.get(t.replace("（", "(").replace("）", ")"))

    return resolve


def _series_units(store: Store, plan: Plan) -> dict[str, str]:
    units = store.series_units()
    units.update({ind.id: ind.unit for ind in plan.indicators})
    return units


STAGES = ("read", "validate", "check", "write")  # what an import reports to its progress callback


def import_file(store: Store, path: str | Path, plan: Plan, progress=None, *, actor: str | None = None,
                role: str | None = None) -> ImportSummary:
    """Validate a CSV/XLSX file in the documented long format and commit it, or refuse it whole.
    `progress(stage, rows)` is called as each of STAGES starts (rows known after reading).
    `actor`/`role` name who imports in the audit log (default cli:<system user>)."""
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return import_links(store, path, plan, actor=actor, role=role)
    step = progress or (lambda stage, rows: None)
    step("read", None)
    try:
        df = read_table(path)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    except TableReadError as e:
        raise ImportFailed([e.problem(path.name)]) from None
    except OSError as e:  # read_table opened it, so this is rare: permissions changed, file removed
        raise ImportFailed([TableReadError(f"无法打开：{e.strerror or e}", f"cannot open: {e.strerror or e}")
                            .problem(path.name)]) from None
    step("validate", len(df))
    rows, problems = validate_rows(
        df, file=path.name, series_units=_series_units(store, plan),
        resolve_region=region_resolver(plan), window=plan_window(plan),
        default_region=plan.regions.whole_code if plan.regions else "500000",
    )
    rows = with_vintage(rows)
    step("check", len(rows))
    problems += _already_stored(store, rows, path.name)
    if problems:
        raise ImportFailed(problems)
    step("write", len(rows))
    batch = _batch_from_rows(rows, kind="import", file=str(path), sha256=sha)
    batch_id = store.commit(batch, actor=actor, role=role)
    return ImportSummary(batch_id, str(path), len(batch.observations), _distinct_sources(batch), 0, 0)


def _distinct_sources(batch: Batch) -> int:
    """Sources, not rows: the batch carries one source row per observation."""
    return int(batch.sources["source_id"].nunique()) if len(batch.sources) else 0


def _text(v) -> str:
    return "" if v is None or v is pd.NaT or (isinstance(v, float) and pd.isna(v)) else str(v)


def _day(v) -> str:
    return _text(v)[:10]


def with_vintage(rows: pd.DataFrame) -> pd.DataFrame:
    """When a value became known: its vintage, else its publication date, else unknown (NULL).
    The access date is not used: it says when we read it, not when it was published."""
    if rows.empty:
        return rows
    rows = rows.copy()
    rows["vintage"] = [_day(v) or _day(p) or None for v, p in zip(rows["vintage"], rows["published"])]
    return rows


def _already_stored(store: Store, rows: pd.DataFrame, file: str) -> list[ImportProblem]:
    """The same value from the same source and vintage is refused: re-importing is a mistake,
    while a revision (new vintage or new value) is welcome."""
    if rows.empty:
        return []
    existing = store.existing_keys(series=sorted(set(rows["series"])))  # only what the file can clash with
    if existing.empty:
        return []
    ex = set(
        zip(existing["series"], existing["region"], existing["industry"], existing["period_key"],
            existing["source_url"].fillna(""), [_day(v) for v in existing["vintage"]],
            existing["value"].round(9), existing["basis"].fillna("level"), existing["basis_from"].fillna(""))
    )
    out = []
    for r in rows.itertuples():
        key = (r.series, r.region, r.industry, r.period_key, _text(r.source_url), _day(r.vintage), round(r.value, 9),
               getattr(r, "basis", None) or "level", _text(getattr(r, "basis_from", None)))
        if key in ex:
            out.append(ImportProblem(
                file=file, row=int(r.row), column="value", value=str(r.value_text), code="already_in_store",
                message_zh=f"第{r.row}行：该数值（{r.series}，{r.period_key}，同一来源与版本日期）已在数据库中；修订值请给出新的版本日期",
                message_en=f"row {r.row}: this value ({r.series}, {r.period_key}, same source and vintage) is already stored; give a revision a new vintage date",
            ))
    return out


def _batch_from_rows(rows: pd.DataFrame, *, kind: str, file: str | None, sha256: str | None,
                     note: str | None = None, series: pd.DataFrame | None = None,
                     links: pd.DataFrame | None = None, synthetic: bool = False) -> Batch:
    rows = rows.copy()
    rows["source_id"] = [source_id_for(u, t) for u, t in zip(rows["source_url"], rows["source_title"])]
    sources = pd.DataFrame({
        "source_id": rows["source_id"], "title": rows["source_title"], "publisher": rows["publisher"],
        "url": rows["source_url"], "published": pd.to_datetime(rows["published"], errors="coerce").dt.date,
        "accessed": pd.to_datetime(rows["accessed"], errors="coerce").dt.date, "grade": rows["grade"],
    })
    # One address cited by several rows: the store keeps the first copy, so the one naming its publisher first.
    said = sum(sources[c].notna().astype(int) for c in ("publisher", "published", "accessed"))
    sources = sources.loc[said.sort_values(ascending=False, kind="stable").index]
    obs = rows.assign(
        vintage=pd.to_datetime(rows["vintage"], errors="coerce").dt.date,
        synthetic=synthetic,
    )
    return Batch(kind=kind, file=file, sha256=sha256, note=note, observations=obs, sources=sources,
                 series=series if series is not None else pd.DataFrame(),
                 links=links if links is not None else pd.DataFrame())


# --- links -----------------------------------------------------------------------------------
LINK_TRANSFORMS = {"identity", "derived_ratio", "chain_real_growth", "chain_annual_changes", "cumulative_from_levels"}
COMPARABILITIES = {"comparable", "different_definition", "proxy"}


def _clip(value, limit: int = 120) -> str:
    """A value for a message: never the str() of an unbounded structure."""
    text = value if isinstance(value, str) else repr(value) if isinstance(value, (int, float, bool)) or value is None \
        else f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[:limit] + "…"


def read_links(path_or_text, plan: Plan, name: str) -> tuple[pd.DataFrame, pd.DataFrame, list[ImportProblem]]:
    """Parse a links YAML (series attributes + links), checking every entry. Aliases are refused
    (a links file is short; an alias bomb is not); YAML errors become problems with their line."""
    text = path_or_text if isinstance(path_or_text, str) else path_or_text.read()
    problems: list[ImportProblem] = []
    ids = {i.id for i in plan.indicators} | {f"cluster:{c.id}" for c in plan.clusters}

    def bad(where: str, value, code: str, zh: str, en: str, row: int | None = None):
        problems.append(ImportProblem(file=name, row=row, column=where, value=_clip(value), code=code,
                                      message_zh=zh, message_en=en))

    data, _, found = read_yaml(text, aliases=False)
    for line, where, reason in found:
        bad(where, "", "bad_yaml", f"第{line or '?'}行：YAML 无法使用（{reason}）",
            f"line {line or '?'}: unusable YAML ({reason})", row=line)
    if found:
        return pd.DataFrame(), pd.DataFrame(), problems
    data = data if data is not None else {}
    if not isinstance(data, dict):
        bad("", data, "bad_yaml", "关联文件须为含 series 与 links 的映射", "a links file must be a mapping with 'series' and 'links'")
        return pd.DataFrame(), pd.DataFrame(), problems
    entries = {}
    for key in ("series", "links"):
        val = data.get(key) or []
        if not isinstance(val, list):
            bad(key, val, "bad_yaml", f"{key} 须为列表", f"'{key}' must be a list")
            val = []
        entries[key] = val
    if not isinstance(data.get("plan_id") or "", str):
        bad("plan_id", data.get("plan_id"), "bad_yaml", "plan_id 须为文本", "'plan_id' must be text")

    good_series = []
    for i, s in enumerate(entries["series"]):
        if not isinstance(s, dict) or not s.get("series") or not s.get("unit"):
            bad(f"series[{i}]", s, "bad_series", "序列须给出 series 与 unit", "a series needs 'series' and 'unit'")
        elif not all(isinstance(v, (str, int, float, type(None))) for v in s.values()):
            bad(f"series[{i}]", s, "bad_series", "序列的各项须为文本或数字", "series fields must be text or numbers")
        else:
            good_series.append(s)
    series = pd.DataFrame(good_series)
    links = []
    for i, lk in enumerate(entries["links"]):
        where = f"links[{i}]"
        if not isinstance(lk, dict):
            bad(where, lk, "bad_link", f"{where}：每条关联须为映射", f"{where}: each link must be a mapping")
            continue
        lk = dict(lk)
        if not all(isinstance(v, (str, int, float, type(None))) for v in lk.values()):
            bad(where, lk, "bad_link", f"{where}：关联的各项须为文本或数字", f"{where}: link fields must be text or numbers")
            continue
        lk.setdefault("transform", "identity")
        ind = _clip(lk.get("indicator"), 80)
        if lk.get("indicator") not in ids:
            bad(where, lk.get("indicator"), "unknown_indicator",
                f"{where}：规划中没有指标“{ind}”", f"{where}: the plan has no indicator '{ind}'")
        if lk["transform"] not in LINK_TRANSFORMS:
            bad(where, lk["transform"], "bad_transform", f"{where}：未知的换算方式", f"{where}: unknown transform")
        if lk.get("comparability") not in COMPARABILITIES:
            bad(where, lk.get("comparability"), "bad_comparability",
                f"{where}：可比性须为 comparable / different_definition / proxy",
                f"{where}: comparability must be comparable, different_definition or proxy")
        if lk["transform"] == "derived_ratio":
            if not (lk.get("numerator") and lk.get("denominator")):
                bad(where, lk, "bad_link", f"{where}：派生比率须给出分子与分母", f"{where}: a derived ratio needs numerator and denominator")
        elif not lk.get("series"):
            bad(where, lk, "bad_link", f"{where}：须给出 series", f"{where}: 'series' is required")
        lk["plan_id"] = data.get("plan_id") or plan.plan.id
        links.append(lk)
    return series, pd.DataFrame(links), problems


def _ratio_unit_problems(links: pd.DataFrame, series: pd.DataFrame, store: Store, plan: Plan,
                         name: str) -> list[ImportProblem]:
    """A derived ratio whose declared input unit cannot take the input series' unit would yield no
    value: refused at import where the series' unit is known (else the assessment says why)."""
    if links.empty or "transform" not in links:
        return []
    units = {**_series_units(store, plan),
             **({str(k): str(v) for k, v in zip(series["series"], series["unit"])} if not series.empty else {})}
    out = []
    for i, lk in links.iterrows():
        if lk.get("transform") != "derived_ratio":
            continue
        for role in ("numerator", "denominator"):
            want, name_ = lk.get(f"{role}_unit"), lk.get(role)
            have = units.get(name_) if isinstance(name_, str) else None
            if not isinstance(want, str) or not want or have is None:
                continue
            try:
                convert(1.0, have, want)
            except UnitError as e:
                out.append(ImportProblem(
                    file=name, row=None, column=f"links[{i}].{role}_unit", value=_clip(want), code="unit_mismatch",
                    message_zh=f"links[{i}]：{role}“{_clip(name_, 80)}”的单位是“{have}”，不能换算为声明的"
                               f"{role}_unit“{want}”（{e.reason_zh}）；请改正 {role}_unit",
                    message_en=f"links[{i}]: the {role} '{_clip(name_, 80)}' is in '{have}', which does not "
                               f"convert to the declared {role}_unit '{want}' ({e.reason_en}); correct {role}_unit"))
    return out


def import_links(store: Store, path: Path, plan: Plan, *, actor: str | None = None,
                 role: str | None = None) -> ImportSummary:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ImportFailed([ImportProblem(
            file=path.name[:200], row=None, column="", value="", code="unreadable_file",
            message_zh=f"关联文件须为 UTF-8 文本（第 {e.start} 字节无法解码）",
            message_en=f"a links file must be UTF-8 text (byte {e.start} cannot be decoded)")]) from None
    series, links, problems = read_links(text, plan, path.name)
    problems += _ratio_unit_problems(links, series, store, plan, path.name)
    if problems:
        raise ImportFailed(problems)
    batch = Batch(kind="links", file=str(path), sha256=hashlib.sha256(text.encode()).hexdigest(),
                  series=series, links=links)
    batch_id = store.commit(batch, actor=actor, role=role)
    return ImportSummary(batch_id, str(path), 0, 0, len(series), len(links))


# --- bundled real data -----------------------------------------------------------------------
BUNDLED = "chongqing"
# Loaded in this order through the users' import (read_table + validate_rows); the 2025 files and
# official.csv (publication dates, first releases and revisions) are described in
# zhizao/resources/datasets/SHARED-DATA-README.md.
BUNDLED_FILES = ("annual.csv", "yearbook_datasets.csv", "monthly_cumulative.csv", "districts.csv",
                 "annual_2025.csv", "yearbook_datasets_2025.csv", "monthly_cumulative_2025.csv",
                 "districts_2025.csv", "official.csv")


def bundled_dir():
    return resources.files("zhizao.resources").joinpath("datasets", BUNDLED)


def bundled_tables() -> list[tuple[str, pd.DataFrame]]:
    """The bundled CSVs as `read_table` reads a user's file."""
    out = []
    for name in BUNDLED_FILES:
        with resources.as_file(bundled_dir().joinpath(name)) as path:
            out.append((name, read_table(path)))
    return out


def _registered_units(tables: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """Every published series (its name read as the import reads it) under the unit it is first
    published in; a unit in Chinese is preferred to an English one (billion yuan)."""
    units: dict[str, str] = {}
    for _, df in tables:
        cols = canonical_columns(df)
        for text, unit in zip(df[cols["series"]], df[cols["unit"]]):
            name = read_series_name(text)
            if name.target or not unit:
                continue
            have = units.get(name.series)
            if have is None or (not _cjk_or_percent(have) and _cjk_or_percent(unit)):
                units[name.series] = unit
    return pd.DataFrame({"series": list(units), "unit": list(units.values())})


def _cjk_or_percent(unit: str) -> bool:
    return "%" in unit or any("\u4e00" <= ch <= "\u9fff" for ch in unit)


def bundled_rows(plan: Plan) -> pd.DataFrame:
    """The bundled rows as validated by the users' import (all files; registered series)."""
    series = _bundled_series(plan, bundled_tables())
    valid, problems, _ = _validate_bundled(plan, bundled_tables(), series)
    if problems:
        raise ImportFailed(problems)
    return valid


def _bundled_series(plan: Plan, tables) -> pd.DataFrame:
    series_attr, _, _ = read_links(bundled_links_text(plan.plan.id), plan, "links.yaml")
    first = _registered_units(tables).set_index("series")
    return (series_attr.set_index("series").combine_first(first) if not series_attr.empty
            else first).reset_index(names="series")


def _validate_bundled(plan: Plan, tables, series: pd.DataFrame):
    """Each file through validate_rows; rows repeated across files (the same value from the same
    address and date) are kept once. Returns (rows, problems, skipped target rows)."""
    series_units = {**{i.id: i.unit for i in plan.indicators}, **dict(zip(series["series"], series["unit"]))}
    price = {s: p for s, p in zip(series.get("series", []), series.get("price_basis", [])) if isinstance(p, str)}
    frames, problems, skipped = [], [], []
    for name, df in tables:
        valid, found = validate_rows(
            df, file=f"bundled:{name}", series_units=series_units, resolve_region=region_resolver(plan),
            window=plan_window(plan), default_region=plan.regions.whole_code if plan.regions else "500000",
            targets="skip")
        problems += found
        skipped += valid.attrs.get("skipped", [])
        if len(valid):
            valid = valid.copy()
            valid["note"] = [f"bundled:{name}" + (f"; {n}" if isinstance(n, str) and n else "") for n in valid["note"]]
            # Series attributes the CSVs lack (price basis) come from the links file.
            valid["price_basis"] = [pb if isinstance(pb, str) and pb else price.get(s) for s, pb in
                                    zip(valid["series"], valid["price_basis"])]
            frames.append(valid)
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(rows):
        key = ["series", "region", "industry", "period_key", "source_url", "vintage", "published", "basis",
               "basis_from", "value"]
        # The copy that says most about its source (official.csv: date, title, publisher) is kept.
        rich = sum(rows[c].notna().astype(int) for c in ("published", "source_title", "publisher"))
        order = rows.assign(_rich=rich).sort_values("_rich", ascending=False, kind="stable")
        keep = ~order[[k for k in key if k != "published"]].astype(str).duplicated()
        rows = order.loc[keep].drop(columns="_rich").sort_index().reset_index(drop=True)
    return rows, problems, skipped


def load_bundled(store: Store, plan: Plan) -> ImportSummary:
    """Load the bundled real Chongqing statistics with their sources and links (all or nothing)."""
    links_name = bundled_links_name(plan.plan.id) or "links.yaml"
    series_attr, links, problems = read_links(bundled_links_text(plan.plan.id), plan, links_name)
    # A custom plan that keeps the bundled plan id but renames or drops indicators: the bundled links
    # to those indicators cannot apply; they are left out and named in the batch note (and plan lint).
    skipped = [p for p in problems if p.code == "unknown_indicator"]
    problems = [p for p in problems if p.code != "unknown_indicator"]
    if skipped:
        known = {i.id for i in plan.indicators} | {f"cluster:{c.id}" for c in plan.clusters}
        links = links[links["indicator"].isin(known)].reset_index(drop=True)
    tables = bundled_tables()
    series = _bundled_series(plan, tables)
    valid, row_problems, targets = _validate_bundled(plan, tables, series)
    problems += row_problems
    if problems:
        raise ImportFailed(problems)
    valid = with_vintage(valid)
    batch = _batch_from_rows(valid, kind="bundled", file=f"zhizao/resources/datasets/{BUNDLED}", sha256=None,
                             note=f"bundled real published statistics (zhizao/resources/datasets/{BUNDLED})"
                             + "".join(f"; not loaded: {p.message_en}" for p in skipped)
                             + "".join(f"; not a value ({p.file}): {p.message_en}" for p in targets),
                             series=series, links=links)
    batch_id = store.commit(batch)
    return ImportSummary(batch_id, batch.file, len(batch.observations), _distinct_sources(batch),
                         len(series), len(links), skipped)


def load_bundled_links(store: Store, plan: Plan) -> ImportSummary | None:
    """An embedded plan opened in a store that already holds the bundled statistics (loaded for
    another embedded plan): add this plan's bundled links, once. None when there is nothing to do."""
    name = bundled_links_name(plan.plan.id)
    if name is None or plan.plan.id in store.linked_plan_ids():
        return None
    series_attr, links, problems = read_links(bundled_links_text(plan.plan.id), plan, name)
    known = {i.id for i in plan.indicators} | {f"cluster:{c.id}" for c in plan.clusters}
    problems = [p for p in problems if p.code != "unknown_indicator"]
    if problems:
        raise ImportFailed(problems)
    links = links[links["indicator"].isin(known)].reset_index(drop=True) if len(links) else links
    batch = Batch(kind="bundled", file=f"zhizao/resources/datasets/{BUNDLED}/{name}", sha256=None,
                  note=f"links of the embedded plan {plan.plan.id} to the bundled statistics",
                  series=series_attr, links=links)
    batch_id = store.commit(batch)
    return ImportSummary(batch_id, batch.file, 0, 0, len(series_attr), len(links))


def bundled_links_name(plan_id: str) -> str | None:
    """The bundled links file (links*.yaml) whose `plan_id` is `plan_id`: each embedded plan has one."""
    for f in sorted((x for x in bundled_dir().iterdir() if x.name.startswith("links") and x.name.endswith(".yaml")),
                    key=lambda x: x.name):
        m = re.search(r"^plan_id:\s*(\S+)\s*$", f.read_text(encoding="utf-8"), re.M)
        if m and m.group(1) == plan_id:
            return f.name
    return None


def bundled_links_text(plan_id: str | None = None) -> str:
    name = (bundled_links_name(plan_id) if plan_id else None) or "links.yaml"
    return bundled_dir().joinpath(name).read_text(encoding="utf-8")


def bundled_mismatches(plan: Plan) -> list[ImportProblem]:
    """Bundled links naming indicators `plan` does not have (a custom plan with the bundled id)."""
    _, _, problems = read_links(bundled_links_text(plan.plan.id), plan, bundled_links_name(plan.plan.id) or "links.yaml")
    return [p for p in problems if p.code == "unknown_indicator"]
