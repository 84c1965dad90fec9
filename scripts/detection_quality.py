"""Precision and recall of the warning rules on SYNTHETIC data with a recorded ground truth.

    python scripts/detection_quality.py [--enterprises 6700] [--months 72] [--seeds 0 1 2]
                                        [--world default|no-trends|both] [--compare | --no-compare]

Every rule is replayed period by period (each run sees only data up to that period, as a monitor
would), and each hit is attributed to the generator's ground truth (`anomalies.parquet`), which has
two categories:
- injected anomalies (sharp falls, consecutive declines, stopped reporting, output–electricity
  divergence of enterprises; district shocks; industry level shifts);
- structural events: the assumed relative industry trends change every January (汽车 up, 电子 down
  …, zhizao.synth.reference.INDUSTRY_TREND_PP). Real structure, not anomalies; recorded so that a
  turning-point rule that sees them is not charged with a false alarm.

A hit is, in this order of precedence:
- true: an injected anomaly of a kind the rule targets, on the same subject, in its detection window
  (TARGETS). recall = targeted anomalies caught at least once / targeted anomalies;
- echo: the base-year echo (11 periods later) of such an anomaly, which year-on-year rules see;
- structural: a structural event on the same subject, material (below) and in the rule's reaction
  window. recall_structural = material structural events on the targeted subject types caught;
- spill-over: a material effect of any recorded event (injected or structural) on another subject:
  an enterprise's sharp fall moves its district, industry, cluster and zone; a district shock moves
  its zone and the industries concentrated there; a trend change of 汽车 moves 两江新区 and, through
  the city total (calibrated to the published path), every part's share of the city;
- unexplained: a false alarm.

Material: the event moves the watched quantity of the subject (the city's comparable index, a
part's share of it) by at least MATERIAL_SIGMA times that subject's own noise (robust σ from its
year-on-year changes). The expected move of an event on a set E of enterprises with relative size r
(factor − 1, or the trend step) on subject A is log(1 + r·w_A(E)) − log(1 + r·w_city(E)), w the value-
added share of E in A a year before the event (the city is calibrated, so its own move is 0).

precision (strict) = true / hits, as the earlier version of this script reported it;
precision = (true + echo + structural + spill-over) / hits: hits explained by a recorded event.

With --compare (default) the rules are replayed twice, with the earlier defaults (BEFORE) and the
current ones, and a before/after table is printed.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zhizao.analytics.monitoring.anomaly import MAD_SCALE  # noqa: E402
from zhizao.analytics.monitoring.context import context_from_panel  # noqa: E402
from zhizao.analytics.monitoring.panel import build_panel  # noqa: E402
from zhizao.analytics.monitoring.periods import PERIODS_PER_YEAR, slot_of  # noqa: E402
from zhizao.analytics.monitoring.refresh import prepare_enterprises  # noqa: E402
from zhizao.analytics.monitoring.warnings import RULES, _relative  # noqa: E402
from zhizao.settings import Settings  # noqa: E402
from zhizao.synth import generate  # noqa: E402

P = PERIODS_PER_YEAR
# kind → (rules meant to catch it, detection window in periods after the injected start)
TARGETS = {
    "sharp_fall": (("enterprise_sharp_fall",), 0),
    "consecutive_decline": (("enterprise_consecutive_decline",), 3),
    "stopped_reporting": (("enterprise_stopped_reporting",), 0),
    "output_power_divergence": (("enterprise_output_power_divergence",), 0),
    "district_shock": (("anomaly",), 0),
    "industry_shift": (("change_point", "cusum_shift", "anomaly"), 6),
}
SPANS = {"sharp_fall": 1, "consecutive_decline": 4, "output_power_divergence": 1, "district_shock": 1}
PERMANENT = ("industry_shift", "industry_trend")
AGGREGATE_RULES = ("anomaly", "cusum_shift", "change_point")
YOY_RULES = ("cusum_shift", "change_point")  # watch year-on-year growth; `anomaly` watches levels
STRUCTURAL_RULES = ("cusum_shift", "change_point")  # turning-point rules: recall of structural events
REACTION = 6  # periods after an onset within which a year-on-year rule's hit is attributed to it
LEVEL_REACTION = 2  # … and a level rule's hit to a permanent step
MATERIAL_SIGMA = 2.0
SIGNAL_RULES = ("target_gap", "five_light", "drag")
# The defaults before this evaluation (docs/monitoring.md gives the measured effect of each change).
BEFORE = {"anomaly_z": 3.5, "anomaly_min_periods_stl": 36, "anomaly_min_sigma_pct": 0.0, "anomaly_short_min_points": 22,
          "cusum_h": 5.0, "change_point_penalty": 10.0, "change_point_min_points": 7}


# --- replay ---------------------------------------------------------------------------------------------

def replay(ctx, settings: Settings, first: int = P, rules=None) -> pd.DataFrame:
    """Every hit of every rule at every period: rule, subject, slot, and for change points the slot
    where the located change starts (`located`; the report slot otherwise)."""
    hits = []
    for slot in range(first, ctx.latest + 1):
        for name, rule in RULES.items():
            if rules is not None and name not in rules:
                continue
            w = rule(ctx, slot, settings)
            for st, sid, ev in zip(w["subject_type"], w["subject_id"], w["evidence"]):
                at = ctx.slot(*map(int, ev["change_at"].split("-"))) if name == "change_point" else slot
                hits.append((name, st, str(sid), slot, at))
    return pd.DataFrame(hits, columns=["rule", "subject_type", "subject_id", "slot", "located"])


# --- attribution ----------------------------------------------------------------------------------------

class World:
    """One generated data set: its context, ground truth, subjects and events as enterprise sets."""

    def __init__(self, seed: int, n: int, months: int, start: str, trends: bool):
        self.data = d = generate(n, months, start, seed, industry_trends=trends)
        self.ctx = context_from_panel(build_panel(prepare_enterprises(d.enterprises), d.monthly, d.prices))
        truth = d.anomalies.copy()
        truth["slot"] = slot_of(truth["year"].to_numpy(), truth["month"].to_numpy(), self.ctx.first_year)
        self.truth = truth.reset_index(drop=True)
        ent = self.ctx.panel.enterprises
        self.ent = ent
        self.code_row = {c: i for i, c in enumerate(ent["credit_code"])}
        self.A = self.ctx.panel.values["value_added"]
        self.groups = {st: ent[st].astype(str).to_numpy() for st in ("district", "zone", "industry", "cluster")}
        self.noise = self._noise()
        self.members = {}
        for e in self.truth.itertuples():
            if e.kind == "stopped_reporting" or e.subject_type == "city":
                continue  # the comparable index leaves a silent enterprise out; the city moves no part
            if e.subject_type == "enterprise":
                rows = np.array([int(e.enterprise_id)])
            else:
                rows = np.nonzero(self.groups[e.subject_type] == str(e.subject_id))[0]
            self.members[e.anomaly_id] = rows

    def _noise(self) -> dict:
        """Robust σ (log units) of each aggregate subject's watched quantity, from its YoY changes."""
        out = {}
        for st in ("city", "district", "zone", "industry", "cluster"):
            R = _relative(self.ctx, st)[:, :self.ctx.latest + 1]
            with np.errstate(divide="ignore", invalid="ignore"):
                d = np.log(R[:, P:]) - np.log(R[:, :-P])
            for i, sid in enumerate(self.ctx.series[st].ids):
                x = np.diff(d[i][np.isfinite(d[i])])
                out[(st, sid)] = np.median(np.abs(x - np.median(x))) * MAD_SCALE / 2 if len(x) > 5 else np.nan
        return out

    def share(self, rows: np.ndarray, subject_type: str, subject_id: str, slot: int) -> float:
        """Value-added share of enterprises `rows` in a subject, a year before `slot`."""
        t = slot - P if slot >= P else slot
        col = self.A[:, t]
        if subject_type == "city":
            mask = np.ones(len(col), dtype=bool)
        else:
            mask = self.groups[subject_type] == subject_id
        tot = col[mask].sum()
        return float(col[rows][mask[rows]].sum() / tot) if tot > 0 else 0.0

    def effect(self, e, subject_type: str, subject_id: str, yoy: bool) -> float:
        """Expected move (log) of the subject's watched quantity caused by event e."""
        if e.anomaly_id not in self.members or subject_type == "city":
            return 0.0
        if e.category == "structural":
            r = (e.growth_shift_pp if yoy else e.level_step_pct) / 100
            if not np.isfinite(r):
                return 0.0
        else:
            r = e.factor - 1
        rows = self.members[e.anomaly_id]
        w_a = self.share(rows, subject_type, subject_id, e.slot)
        w_c = self.share(rows, "city", "", e.slot)
        return float(np.log1p(r * w_a) - np.log1p(r * w_c))


def _onsets(e, rule: str) -> list[tuple[int, int]]:
    """(first, last) slots within which a hit of `rule` can be caused by event e; for change_point
    the slots within which the located change (`located`) must start."""
    s = int(e.slot)
    span = SPANS.get(e.kind, 1)
    if rule in YOY_RULES:
        # a level change shows in YoY growth when it starts and again a year later (as a base effect
        # of a transient change, or as the end of the shift of a permanent one); a structural trend
        # change moves YoY growth from its January on
        starts = [s] if e.category == "structural" else [s, s + P]
        if rule == "change_point":
            return [(c - 1, c + (0 if e.kind in PERMANENT else span)) for c in starts]
        return [(c, c + (0 if e.kind in PERMANENT else span - 1) + REACTION) for c in starts]
    if e.kind in PERMANENT:
        return [(s, s + LEVEL_REACTION)]
    return [(s, s + span)]


def attribute(hits: pd.DataFrame, w: World) -> pd.DataFrame:
    """Add `why` (true | echo | structural | spillover | unexplained) and `event` to every hit."""
    e_ = w.ent.set_index("credit_code")
    hits = hits.assign(district=hits["subject_id"].map(e_["district"]).astype(str),
                       industry=hits["subject_id"].map(e_["industry"]).astype(str))
    by_subject = defaultdict(list)
    for e in w.truth.itertuples():
        key = ("enterprise", str(e.subject_id)) if e.subject_type == "enterprise" else (e.subject_type, str(e.subject_id))
        by_subject[key].append(e)
    cache = {}

    def material(e, st, sid, rule):
        key = (e.anomaly_id, st, sid, rule in YOY_RULES)
        if key not in cache:
            cache[key] = is_material(w, e, st, sid, rule)
        return cache[key]

    def within(e, rule, slot, located):
        t = located if rule == "change_point" else slot
        return any(a <= t <= b for a, b in _onsets(e, rule))

    why, which = [], []
    for r in hits.itertuples():
        own = by_subject.get((r.subject_type, r.subject_id), [])
        kinds = [k for k, (rules, _) in TARGETS.items() if r.rule in rules]
        got = "unexplained", None
        for e in own:
            if e.kind in kinds and e.slot <= r.slot <= e.slot + TARGETS[e.kind][1]:
                got = "true", e.anomaly_id
                break
        if got[0] == "unexplained" and r.subject_type == "enterprise":
            for e in own:  # an enterprise's own anomaly of another kind, or the echo of one
                if e.slot <= r.slot <= e.slot + SPANS.get(e.kind, 1) or e.slot + P <= r.slot <= e.slot + P + SPANS.get(e.kind, 1):
                    got = "echo" if r.slot >= e.slot + P else "spillover", e.anomaly_id
                    break
            if got[0] == "unexplained":  # a district or industry shock hits every enterprise in it
                for st in ("district", "industry"):
                    for e in by_subject.get((st, str(getattr(r, st))), []):
                        if e.category == "injected" and (e.slot <= r.slot <= e.slot + SPANS.get(e.kind, 1)
                                                         or (e.kind in PERMANENT and e.slot <= r.slot)
                                                         or e.slot + P <= r.slot <= e.slot + P + SPANS.get(e.kind, 1)):
                            got = "spillover", e.anomaly_id
                            break
        if got[0] == "unexplained" and r.rule in AGGREGATE_RULES:
            for e in own:  # the base-year echo of a targeted anomaly of this subject
                if e.category == "injected" and e.kind in kinds and r.rule in YOY_RULES and \
                        within(e, r.rule, r.slot, r.located) and r.slot >= e.slot + P:
                    got = "echo", e.anomaly_id
                    break
            if got[0] == "unexplained":
                cands = [e for e in w.truth.itertuples() if within(e, r.rule, r.slot, r.located)]
                # own structural events first, then any material effect
                for e in sorted(cands, key=lambda e: (not (e.subject_type == r.subject_type and str(e.subject_id) == r.subject_id),
                                                      e.category != "injected")):
                    if material(e, r.subject_type, r.subject_id, r.rule):
                        own_event = e.subject_type == r.subject_type and str(e.subject_id) == r.subject_id
                        got = ("structural" if (own_event and e.category == "structural") else "spillover"), e.anomaly_id
                        break
        why.append(got[0])
        which.append(got[1])
    return hits.assign(why=why, event=which)


def is_material(w: World, e, st: str, sid: str, rule: str) -> bool:
    """Whether event e moves the watched quantity of subject (st, sid) by ≥ MATERIAL_SIGMA·σ."""
    yoy = rule in YOY_RULES
    sigma = w.noise.get((st, sid), np.nan)
    if e.subject_type == st and str(e.subject_id) == sid:  # its own level (share move ≈ the same)
        r = ((e.growth_shift_pp if yoy else e.level_step_pct) / 100) if e.category == "structural" else e.factor - 1
        eff = np.log1p(r) if np.isfinite(r) else np.nan
    else:
        eff = w.effect(e, st, sid, yoy)
    return bool(np.isfinite(eff) and np.isfinite(sigma) and abs(eff) >= MATERIAL_SIGMA * sigma)


def structural_recall(hits: pd.DataFrame, w: World, rule: str) -> tuple[int, int]:
    """(material structural events, caught by `rule` on their own subject in its window)."""
    n = caught = 0
    h = hits[hits["rule"] == rule]
    col = "located" if rule == "change_point" else "slot"
    for e in w.truth[w.truth["category"] == "structural"].itertuples():
        if not is_material(w, e, e.subject_type, str(e.subject_id), rule):
            continue
        n += 1
        win = _onsets(e, rule)[0]
        caught += bool(((h["subject_type"] == e.subject_type) & (h["subject_id"] == str(e.subject_id))
                        & h[col].between(*win)).any())
    return n, caught


def score(hits: pd.DataFrame, truth: pd.DataFrame, structural: dict) -> pd.DataFrame:
    rows = []
    for rule in RULES:
        h = hits[hits["rule"] == rule]
        kinds = [k for k, (rules, _) in TARGETS.items() if rule in rules]
        targeted = truth[truth["kind"].isin(kinds)]
        caught = set(h.loc[h["why"] == "true", "event"])
        n = len(h)
        c = h["why"].value_counts()
        ns, cs = structural.get(rule, (0, 0))
        rows.append({
            "rule": rule, "targets": ",".join(kinds) or "—", "injected": len(targeted), "caught": len(caught),
            "recall": len(caught) / len(targeted) if len(targeted) else np.nan,
            "structural": ns if rule in STRUCTURAL_RULES else np.nan,
            "recall_structural": cs / ns if (ns and rule in STRUCTURAL_RULES) else np.nan,
            "hits": n, "true": int(c.get("true", 0)), "echo": int(c.get("echo", 0)),
            "struct": int(c.get("structural", 0)), "spill": int(c.get("spillover", 0)),
            "unexpl": int(c.get("unexplained", 0)),
            "precision_strict": c.get("true", 0) / n if (n and kinds) else np.nan,
            "precision": (n - c.get("unexplained", 0)) / n if (n and kinds) else np.nan,
        })
    return pd.DataFrame(rows)


def run(seeds, n, months, start, trends, settings: dict[str, Settings], progress=None) -> dict[str, pd.DataFrame]:
    """Scores per settings name, pooled over seeds."""
    pooled = {k: ([], [], defaultdict(lambda: [0, 0])) for k in settings}
    for seed in seeds:
        w = World(seed, n, months, start, trends)
        for name, s in settings.items():
            h = attribute(replay(w.ctx, s), w)
            tag = f"#{seed}"
            pooled[name][0].append(h.assign(event=h["event"].map(lambda x: None if x is None else f"{x}{tag}")))
            pooled[name][1].append(w.truth.assign(anomaly_id=w.truth["anomaly_id"].astype(str) + tag))
            for rule in RULES:
                ns, cs = structural_recall(h, w, rule)
                pooled[name][2][rule][0] += ns
                pooled[name][2][rule][1] += cs
            w.ctx.cache.clear()
        if progress:
            progress(seed)
    return {k: score(pd.concat(h, ignore_index=True), pd.concat(t, ignore_index=True), dict(st))
            for k, (h, t, st) in pooled.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Precision/recall of the warning rules on synthetic data")
    ap.add_argument("--enterprises", type=int, default=6700)
    ap.add_argument("--months", type=int, default=72)
    ap.add_argument("--start", default="2019-01")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--world", choices=["default", "no-trends", "both"], default="both")
    ap.add_argument("--compare", action=argparse.BooleanOptionalAction, default=True,
                    help="also replay with the earlier defaults (BEFORE) and print before/after")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE",
                    help="setting override for the current run (repeatable)")
    a = ap.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    console = Console(width=200)
    current = Settings(dict(x.split("=", 1) for x in a.overrides))
    settings = {"after": current}
    if a.compare:
        settings = {"before": Settings(BEFORE), **settings}
    worlds = {"default": True, "no-trends": False}
    for world in (list(worlds) if a.world == "both" else [a.world]):
        note = ("assumed industry trends on (recorded as structural events)" if worlds[world]
                else "no industry trends: the injected anomalies are the only designed changes")
        with console.status(f"{world}: replaying every rule period by period, seeds {a.seeds}"):
            res = run(a.seeds, a.enterprises, a.months, a.start, worlds[world], settings)
        for name, r in res.items():
            table = Table(title=f"Detection quality ({name}{': ' + ', '.join(f'{k}={v}' for k, v in BEFORE.items()) if name == 'before' else ''}), "
                                f"SYNTHETIC data, world '{world}' ({note}); {a.enterprises:,} enterprises × {a.months} months, "
                                f"seeds {a.seeds}, every period replayed")
            for c in r.columns:
                table.add_column(c, justify="left" if c in ("rule", "targets") else "right")
            for row in r.itertuples(index=False):
                table.add_row(*[("—" if pd.isna(v) else f"{v:.2f}") if isinstance(v, float) else str(v) for v in row])
            console.print(table)
        if a.compare:
            b, f = res["before"].set_index("rule"), res["after"].set_index("rule")
            t = Table(title=f"Before → after, aggregate rules, world '{world}' (recall / precision; strict = as the "
                            "earlier script scored, i.e. only targeted injected anomalies count as correct)")
            for c in ("rule", "recall", "recall_structural", "hits", "precision_strict", "precision"):
                t.add_column(c, justify="left" if c == "rule" else "right")

            def fmt(x, y, nd=2):
                f_ = (lambda v: "—" if pd.isna(v) else (f"{v:.{nd}f}" if nd else f"{int(v)}"))
                return f"{f_(x)} → {f_(y)}"
            for rule in AGGREGATE_RULES:
                t.add_row(rule, fmt(b.at[rule, "recall"], f.at[rule, "recall"]),
                          fmt(b.at[rule, "recall_structural"], f.at[rule, "recall_structural"]),
                          fmt(b.at[rule, "hits"], f.at[rule, "hits"], 0),
                          fmt(b.at[rule, "precision_strict"], f.at[rule, "precision_strict"]),
                          fmt(b.at[rule, "precision"], f.at[rule, "precision"]))
            console.print(t)
    console.print("Signal rules without injected ground truth (counts only): " + ", ".join(SIGNAL_RULES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
