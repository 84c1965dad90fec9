"""Scale benchmark of the full monitoring refresh: zhizao (numpy panel) vs plain pandas.

    python bench/monitoring_bench.py [--scale province|national|both] [--impl both|zhizao|pandas]

Each measured run is a fresh subprocess (so peak RSS is per run): it loads the synthetic parquet
files, then times `refresh` (growth, contributions, five lights, every warning rule) at the
latest period. Data are generated once per scale into --data-dir (reused when present).
Reported: load time, refresh wall time, peak RSS of the whole process (ru_maxrss, includes the
loaded data), peak RSS sampled during the refresh, speed-up vs pandas, whether both produced the
same results, and PASS/FAIL against the targets; then, for zhizao, where the time goes (the refresh's
parts: panel index, scatter, deflation, totals, aggregates, growth, contributions, detectors,
enterprise rules) beside a one-column scan of the same file, and at national scale issue 15's targets.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SCALES = {
    # enterprises in the first year (entries come on top), calendar months, start, seed
    "province": {"n": 7_000, "months": 72, "start": "2019-01", "seed": 11, "target_s": 1.0},
    "national": {"n": 500_000, "months": 60, "start": "2020-01", "seed": 12, "target_s": 10.0},
}
MEMORY_TARGET_GIB = 6.0
# Cheap steps on the ~80 aggregate series that run identical code in both implementations (see
# pandas_baseline.py); the anomaly, CUSUM and change-point detectors are implemented separately.
SHARED_STEPS = ("lights", "target_gap", "five_light", "drag")
DETECT_STEPS = ("anomaly", "cusum_shift", "change_point")  # robust STL, CUSUM, PELT on the aggregate series
SPEEDUP_TARGET = 5.0
COLUMNS = ["enterprise_id", "year", "month", "value_added", "output", "revenue", "profit", "electricity"]
GIB = 1024 ** 3


# --- child processes -------------------------------------------------------------------------------

def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class _Sampler(threading.Thread):
    """Samples RSS every few ms: the peak during the refresh alone (ru_maxrss also covers loading)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = _rss_bytes()
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            self.peak = max(self.peak, _rss_bytes())
            time.sleep(0.005)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return max(self.peak, _rss_bytes())


def child_generate(scale: str, out: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from zhizao.synth import generate

    c = SCALES[scale]
    t = time.perf_counter()
    d = generate(c["n"], c["months"], c["start"], c["seed"])
    d.write(out)
    info = {"scale": scale, **{k: c[k] for k in ("n", "months", "start", "seed")},
            "rows": len(d.monthly), "enterprises": len(d.enterprises), "seconds": time.perf_counter() - t}
    (out / "bench.json").write_text(json.dumps(info))


def child_run(impl: str, data: Path, out: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pandas as pd
    import pyarrow.parquet as pq

    from zhizao.analytics.monitoring.refresh import STEPS, refresh
    from pandas_baseline import refresh_pandas

    t = time.perf_counter()
    monthly = pq.read_table(data / "monthly.parquet", columns=COLUMNS).to_pandas(self_destruct=True, split_blocks=True)
    enterprises = pd.read_parquet(data / "enterprises.parquet")
    prices = pd.read_parquet(data / "prices.parquet")
    load_s = time.perf_counter() - t
    rss_loaded = _rss_bytes()
    scan_s = _one_column_scan(data)

    stamps: dict[str, float] = {}

    def progress(step: str) -> None:
        stamps[step] = time.perf_counter()
        print(f"STEP {step}", flush=True)

    print(f"STEPS {len(STEPS)}", flush=True)
    sampler = _Sampler()
    sampler.start()
    t = time.perf_counter()
    if impl == "zhizao":
        r = refresh(enterprises, monthly, prices, progress=progress)
        res = _result_dict(r)
    else:
        res = refresh_pandas(enterprises, monthly, prices, progress=progress)
    refresh_s = time.perf_counter() - t
    peak_refresh = sampler.stop()
    steps, prev = {}, t
    for name, at in sorted(stamps.items(), key=lambda kv: kv[1]):
        steps[name], prev = at - prev, at
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    summary = {
        "impl": impl, "rows": len(monthly), "enterprises": len(enterprises), "period": list(res["period"]),
        "load_s": load_s, "refresh_s": refresh_s, "maxrss_gib": maxrss / GIB,
        "refresh_peak_gib": peak_refresh / GIB, "loaded_gib": rss_loaded / GIB, "steps": steps,
        "scan_s": scan_s, "profile": res.get("profile", {}),
        "shared_s": sum(v for k, v in steps.items() if k in SHARED_STEPS),
        "detect_s": sum(v for k, v in steps.items() if k in DETECT_STEPS),
        **_outcome(res),
    }
    out.write_text(json.dumps(summary))


def _outcome(res: dict) -> dict:
    """What "same results" compares: the city's YTD growth, every pull, the enterprises' pulls, the warnings."""
    g = res["growth"]
    city = g[g["subject_type"] == "city"]
    pull = res["contributions"].set_index(["subject_type", "subject_id"])["pull_pp"]
    w = res["warnings"]
    return {"city_ytd_growth": float(city["ytd_growth_pct"].iloc[0]),
            "pulls": {f"{a}:{b}": float(v) for (a, b), v in pull.items()},
            "enterprise_pull_sum": float(res["enterprises"]["pull_pp"].sum()),
            "warnings": sorted(f"{r}|{s}" for r, s in zip(w["rule"], w["subject_id"]))}


def _result_dict(r) -> dict:
    return {"period": r.period, "growth": r.growth, "contributions": r.contributions, "enterprises": r.enterprises,
            "warnings": r.warnings, "profile": r.timings}


def child_prepare_panel(data: Path, panel: Path) -> None:
    """The stored panel of every period but the last (one-off, not timed against a target), and the
    last period's reports on their own: what a new month looks like when it arrives."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import pandas as pd
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    import zhizao.api as zz

    tab = pq.read_table(data / "monthly.parquet", columns=COLUMNS)
    y = pc.max(tab["year"]).as_py()
    m = pc.max(pc.filter(tab["month"], pc.equal(tab["year"], y))).as_py()
    last = pc.and_(pc.equal(tab["year"], y), pc.greater_equal(tab["month"], m if m > 2 else 1))  # 1–2月 whole
    pq.write_table(tab.filter(last), data / "last_period.parquet")
    t = time.perf_counter()
    r = zz.refresh(pd.read_parquet(data / "enterprises.parquet"), tab.filter(pc.invert(last)).to_pandas(),
                   pd.read_parquet(data / "prices.parquet"))
    zz.save_panel(r.context, panel, source={"synthetic": True, "data": str(data)})
    (data / "panel.json").write_text(json.dumps({"build_s": time.perf_counter() - t, "period": [y, m]}))


def child_stored(data: Path, panel: Path, out: Path) -> None:
    """The stored panel (issue 15): load it, add the last period, then a full refresh from it."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import pandas as pd

    import zhizao.api as zz
    from zhizao.analytics.monitoring.context import context_from_panel

    print("STEPS 3", flush=True)
    prices = pd.read_parquet(data / "prices.parquet")
    t = time.perf_counter()
    ctx = zz.load_panel(panel)
    load_s = time.perf_counter() - t
    print("STEP load", flush=True)
    del ctx
    t = time.perf_counter()
    new = zz.add_period(panel, pd.read_parquet(data / "last_period.parquet"), prices)
    new_s = time.perf_counter() - t
    print("STEP new period", flush=True)
    t = time.perf_counter()
    stored = zz.load_panel(panel)
    full = zz.refresh_context(context_from_panel(stored.panel, stored.groups))
    full_s = time.perf_counter() - t
    print("STEP full refresh", flush=True)
    out.write_text(json.dumps({
        "load_s": load_s, "new_period_s": new_s, "full_s": full_s, "new_period_profile": new.timings,
        "full_profile": full.timings, "maxrss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB,
        "new": _outcome(_result_dict(new)), "full": _outcome(_result_dict(full)),
        "build": json.loads((data / "panel.json").read_text()),
    }))


def _one_column_scan(data: Path) -> float:
    """Seconds to read one measure of the monthly file (memory-mapped) and sum it: what the hardware
    allows for a pass over the data, the floor a refresh is compared with."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    t = time.perf_counter()
    pc.sum(pq.read_table(data / "monthly.parquet", columns=["value_added"], memory_map=True)["value_added"])
    return time.perf_counter() - t


# --- parent ----------------------------------------------------------------------------------------

# where the time goes: the zhizao refresh's parts (result.timings), in the order they run
PROFILE_PARTS = (("load (parquet → frames)", ("load",)), ("panel: index rows and periods", ("panel.index",)),
                 ("panel: scatter into dense arrays", ("panel.scatter",)), ("panel: deflation", ("panel.deflation",)),
                 ("panel: city totals", ("panel.totals",)), ("panel: aggregates by subject", ("panel.aggregates",)),
                 ("growth", ("growth",)), ("contributions (贡献率/拉动)", ("contributions",)),
                 ("lights, target gap, drag", ("lights", "target_gap", "drag")), ("detectors", DETECT_STEPS),
                 ("enterprise rules", ("enterprise_sharp_fall", "enterprise_consecutive_decline",
                                       "enterprise_stopped_reporting", "enterprise_output_power_divergence")))
# issue 15's targets for the national scale, met by the stored panel (child_stored)
SCALE_TARGETS = {"new_period_s": 0.5, "full_s": 2.5, "maxrss_gib": 3.0, "load_s": 1.5}
STORED_ROWS = (("load_s", "load the stored panel (memory-mapped)", "s"),
               ("new_period_s", "a new period (add_period: its column, aggregates, results, every rule)", "s"),
               ("full_s", "full refresh from the stored panel (aggregates again, every rule)", "s"),
               ("maxrss_gib", "peak RSS of that process", "GiB"))


def profile_rows(r: dict) -> list[tuple[str, float, float]]:
    """(part, seconds, share of load + refresh) of one zhizao run's summary, then the refresh total and
    the one-column scan; parts the run did not report are left out."""
    times = {"load": r["load_s"], **r.get("profile", {})}
    total = r["load_s"] + r["refresh_s"]
    rows = []
    for name, keys in PROFILE_PARTS:
        got = [times[k] for k in keys if k in times]
        if got:
            rows.append((name, sum(got), sum(got) / total if total else 0.0))
    rows.append(("refresh total (without load)", r["refresh_s"], r["refresh_s"] / total if total else 0.0))
    rows.append(("one-column scan (read + sum)", r.get("scan_s", float("nan")), float("nan")))
    return rows


def scale_target_rows(r: dict) -> list[tuple[str, float, float, bool]]:
    """(what, measured, target, met) for issue 15's national targets, from a child_stored summary."""
    return [(k, r[k], v, r[k] < v) for k, v in SCALE_TARGETS.items()]


def stored_rows(r: dict, national: bool) -> list[tuple[str, str, str, str]]:
    """(what, measured, target, PASS/FAIL or —) of a child_stored summary; targets at national scale only."""
    out = []
    for key, what, unit in STORED_ROWS:
        target = SCALE_TARGETS.get(key) if national else None
        out.append((what, f"{r[key]:.3f} {unit}", f"< {target} {unit}" if target else "—",
                    ("PASS" if r[key] < target else "FAIL") if target else "—"))
    return out



def _spawn(args: list[str], progress, task) -> None:
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if line.startswith("STEPS "):
            progress.update(task, total=int(line.split()[1]), completed=0)
        elif line.startswith("STEP "):
            progress.update(task, advance=1)
    if proc.wait() != 0:
        raise SystemExit(f"child failed: {' '.join(args)}")


def _same(a: dict, b: dict) -> bool:
    if abs(a["city_ytd_growth"] - b["city_ytd_growth"]) > 1e-6:
        return False
    if set(a["pulls"]) != set(b["pulls"]) or any(abs(a["pulls"][k] - b["pulls"][k]) > 1e-6 for k in a["pulls"]):
        return False
    return a["warnings"] == b["warnings"] and abs(a["enterprise_pull_sum"] - b["enterprise_pull_sum"]) < 1e-6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=["province", "national", "both"], default="both")
    ap.add_argument("--impl", choices=["both", "zhizao", "pandas"], default="both")
    ap.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "zhizao-bench")
    ap.add_argument("--child", choices=["generate", "run", "prepare", "stored"], help=argparse.SUPPRESS)
    ap.add_argument("--child-panel", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--child-scale", help=argparse.SUPPRESS)
    ap.add_argument("--child-impl", help=argparse.SUPPRESS)
    ap.add_argument("--child-data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child == "generate":
        child_generate(a.child_scale, a.child_data)
        return 0
    if a.child == "run":
        child_run(a.child_impl, a.child_data, a.child_out)
        return 0
    if a.child == "prepare":
        child_prepare_panel(a.child_data, a.child_panel)
        return 0
    if a.child == "stored":
        child_stored(a.child_data, a.child_panel, a.child_out)
        return 0

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    console = Console(width=200)
    scales = ["province", "national"] if a.scale == "both" else [a.scale]
    impls = ["zhizao", "pandas"] if a.impl == "both" else [a.impl]
    results: dict[str, dict[str, dict]] = {}
    stored: dict[str, dict] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console) as progress:
        for scale in scales:
            data = a.data_dir / scale
            c = SCALES[scale]
            meta = data / "bench.json"
            fresh = meta.exists() and all(json.loads(meta.read_text()).get(k) == c[k] for k in ("n", "months", "start", "seed"))
            if not fresh:
                task = progress.add_task(f"{scale}: generating synthetic data", total=None)
                data.mkdir(parents=True, exist_ok=True)
                _spawn(["--child", "generate", "--child-scale", scale, "--child-data", str(data)], progress, task)
                progress.update(task, total=1, completed=1)
            results[scale] = {}
            for impl in impls:
                out = data / f"result-{impl}.json"
                task = progress.add_task(f"{scale}: {impl} refresh", total=None)
                _spawn(["--child", "run", "--child-impl", impl, "--child-data", str(data), "--child-out", str(out)],
                       progress, task)
                results[scale][impl] = json.loads(out.read_text())
            if "zhizao" in impls:
                base, work = data / "panel-base", data / "panel-work"
                task = progress.add_task(f"{scale}: stored panel", total=None)
                if not (base / "small.npz").exists() or not (data / "panel.json").exists():
                    _spawn(["--child", "prepare", "--child-data", str(data), "--child-panel", str(base)], progress, task)
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(base, work)
                os.sync()  # a stored panel is on disk, not dirty in the page cache: add_period's flush writes its period only
                out = data / "result-stored.json"
                _spawn(["--child", "stored", "--child-data", str(data), "--child-panel", str(work),
                        "--child-out", str(out)], progress, task)
                stored[scale] = json.loads(out.read_text())

    t = Table(title="Monitoring refresh benchmark (2 cores; wall time of the refresh, data already loaded)")
    for col in ("scale", "impl", "rows", "load s", "refresh s", "of which shared s", "detectors s", "peak RSS GiB",
                "refresh peak GiB", "speed-up", "speed-up excl. shared", "same results", "time", "memory",
                "speed-up ≥5×"):
        t.add_column(col, justify="right" if col not in ("scale", "impl") else "left")
    ok_all = True
    for scale, rs in results.items():
        z, p = rs.get("zhizao"), rs.get("pandas")
        for impl, r in rs.items():
            is_z = impl == "zhizao"
            speed = p["refresh_s"] / z["refresh_s"] if (z and p) else None
            speed_x = ((p["refresh_s"] - p["shared_s"]) / (z["refresh_s"] - z["shared_s"])) if (z and p) else None
            same = _same(z, p) if (z and p) else None
            checks = [r["refresh_s"] < SCALES[scale]["target_s"], r["maxrss_gib"] < MEMORY_TARGET_GIB,
                      speed is not None and speed >= SPEEDUP_TARGET]
            if is_z:
                ok_all &= all(checks[:2]) and (speed is None or checks[2]) and same is not False
            pf = (lambda ok: "[green]PASS[/]" if ok else "[red]FAIL[/]") if is_z else (lambda ok: "—")
            t.add_row(scale, impl, f"{r['rows']:,}", f"{r['load_s']:.2f}", f"{r['refresh_s']:.2f}",
                      f"{r['shared_s']:.2f}", f"{r.get('detect_s', float('nan')):.2f}", f"{r['maxrss_gib']:.2f}", f"{r['refresh_peak_gib']:.2f}",
                      f"{speed:.1f}×" if (speed and is_z) else "", f"{speed_x:.1f}×" if (speed_x and is_z) else "",
                      "" if same is None or not is_z else ("yes" if same else "[red]NO[/]"),
                      pf(checks[0]), pf(checks[1]), pf(checks[2]) if speed is not None else "—")
    console.print(t)
    for scale, rs in results.items():
        z = rs.get("zhizao")
        if not z or "profile" not in z:
            continue
        prof = Table(title=f"Where the time goes: zhizao, {scale} ({z['rows']:,} rows)")
        for col in ("part", "seconds", "share"):
            prof.add_column(col, justify="left" if col == "part" else "right")
        for name, sec, share in profile_rows(z):
            prof.add_row(name, f"{sec:.3f}", "" if share != share else f"{share:.0%}")
        console.print(prof)
    for scale, r in stored.items():
        z = results[scale].get("zhizao")
        same_new, same_full = _same(r["new"], z), _same(r["full"], z)
        st = Table(title=f"Stored panel (issue 15), {scale}: new period {r['build']['period'][0]}-"
                         f"{r['build']['period'][1]:02d} added to the panel of the periods before it")
        for col in ("what", "measured", "target", "met"):
            st.add_column(col, justify="left" if col == "what" else "right")
        for row in stored_rows(r, scale == "national"):
            st.add_row(*row)
        st.add_row("full refresh from the long parquet frames (panel built too)", f"{z['refresh_s']:.3f} s", "—", "—")
        st.add_row("load of the long parquet frames", f"{z['load_s']:.3f} s", "—", "—")
        if "pandas" in results[scale]:
            st.add_row("plain pandas, full refresh", f"{results[scale]['pandas']['refresh_s']:.3f} s", "—", "—")
        st.add_row("one-column scan (read + sum)", f"{z['scan_s']:.3f} s", "—", "—")
        st.add_row("building the stored panel once (full refresh + write)", f"{r['build']['build_s']:.3f} s", "—", "—")
        st.add_row("same results as the full refresh: new period / full from stored",
                   f"{'yes' if same_new else 'NO'} / {'yes' if same_full else 'NO'}", "yes", "")
        console.print(st)
        ok_all &= same_new and same_full
        if scale == "national":
            ok_all &= all(met for *_, met in scale_target_rows(r))
    console.print(f"Targets: province < {SCALES['province']['target_s']} s, national < {SCALES['national']['target_s']} s, "
                  f"peak RSS < {MEMORY_TARGET_GIB} GiB, ≥ {SPEEDUP_TARGET}× faster than pandas. 'shared' = the "
                  f"aggregate-series steps ({', '.join(SHARED_STEPS)}), same code in both; 'detectors' = "
                  f"{', '.join(DETECT_STEPS)} (robust STL, CUSUM, PELT on the ~80 aggregate series), batched "
                  f"numpy in zhizao, series by series in the baseline.")
    return 0 if ok_all else 1


if __name__ == "__main__":
    raise SystemExit(main())
