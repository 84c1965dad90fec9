"""Monitoring beyond one machine: the spark engine against the single machine on 10× the national data.

    python bench/spark_bench.py [--parts 10] [--enterprises 500000] [--months 60] [--data-dir DIR]
                                [--spark-master URL] [--driver-memory 8g] [--generate-only]

Writes a partitioned SYNTHETIC data set once (reused while its configuration matches): `--parts`
pieces, each `zhizao.synth.generate(--enterprises, --months, 2020-01)` with its own seed and
enterprise ids shifted by 10^7 per part, as enterprises.parquet/part-K.parquet and
monthly.parquet/part-K.parquet (the deflators of part 0 serve every part). The default is 10× the
national bench: about 6.8 M enterprises and 290 M monthly rows, 10–15 GB of Parquet.

Then, each in a fresh process, the full refresh at the latest period:
- spark: `zhizao.api.refresh_data(folder)` with `monitoring_engine = spark`, Spark in local mode on
  this machine's cores (`--spark-master` points it elsewhere), driver memory `--driver-memory`;
- numpy, one machine: the long frames of 290 M rows (≈ 14 GB) and the dense panel (≈ 9 GB) do not
  fit in 24 GB together, so the panel is built part by part (`build_panel` per part, copied into one
  preallocated panel; the parts hold disjoint enterprises) and refreshed (`context_from_panel`,
  `refresh_context`).
Reported: wall time (Spark's session start apart), peak RSS of the Python process (Spark's JVM has
its own heap), and whether both give the same results (the city's growth, every pull, the enterprises'
pulls, every warning). Measured numbers: bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ID_STRIDE = 10 ** 7
GIB = 1024 ** 3


def child_generate(part: int, n: int, months: int, out: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from zhizao.synth import generate

    d = generate(n, months, "2020-01", seed=200 + part)
    shift = part * ID_STRIDE
    ent = d.enterprises.assign(enterprise_id=d.enterprises["enterprise_id"].astype("int64") + shift)
    monthly = d.monthly.assign(enterprise_id=d.monthly["enterprise_id"].astype("int64") + shift)
    (out / "enterprises.parquet").mkdir(parents=True, exist_ok=True)
    (out / "monthly.parquet").mkdir(parents=True, exist_ok=True)
    ent.to_parquet(out / "enterprises.parquet" / f"part-{part:03d}.parquet", index=False)
    monthly.to_parquet(out / "monthly.parquet" / f"part-{part:03d}.parquet", index=False)
    if part == 0:
        d.prices.to_parquet(out / "prices.parquet", index=False)
        (out / "metadata.json").write_text(json.dumps(d.metadata, ensure_ascii=False))


def child_spark(data: Path, out: Path, master: str, driver_memory: str, partitions: int) -> None:
    os.environ["PYSPARK_SUBMIT_ARGS"] = f"--driver-memory {driver_memory} pyspark-shell"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import warnings

    import zhizao.api as zz
    from monitoring_bench import _outcome, _result_dict

    warnings.simplefilter("ignore", FutureWarning)
    t = time.perf_counter()
    spark = zz.spark_session(master, **{"spark.sql.shuffle.partitions": str(partitions)})
    start_s = time.perf_counter() - t
    t = time.perf_counter()
    r = zz.refresh_data(data, settings={"monitoring_engine": "spark"}, spark=spark)
    refresh_s = time.perf_counter() - t
    spark.stop()
    out.write_text(json.dumps({"start_s": start_s, "refresh_s": refresh_s, "timings": r.timings,
                               "maxrss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB,
                               "enterprises": len(r.enterprises), **_outcome(_result_dict(r))}))


def child_numpy(data: Path, out: Path) -> None:
    """The single machine: the panel built part by part into one preallocated panel, then refreshed."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import numpy as np
    import pandas as pd

    import zhizao.api as zz
    from monitoring_bench import COLUMNS, _outcome, _result_dict
    from zhizao.analytics.monitoring.context import context_from_panel
    from zhizao.analytics.monitoring.panel import PERIODS_PER_YEAR, Panel, build_panel, no_hugepage_advice
    from zhizao.analytics.monitoring.refresh import prepare_enterprises

    t = time.perf_counter()
    parts = sorted((data / "monthly.parquet").glob("part-*.parquet"))
    ents = [prepare_enterprises(pd.read_parquet(data / "enterprises.parquet" / p.name)) for p in parts]
    prices = pd.read_parquet(data / "prices.parquet")
    years = [pd.read_parquet(p, columns=["year"])["year"] for p in parts]
    first, last = int(min(y.min() for y in years)), int(max(y.max() for y in years))
    T, n = (last - first + 1) * PERIODS_PER_YEAR, sum(len(e) for e in ents)
    panel = None
    row = 0
    with no_hugepage_advice():
        for p, e in zip(parts, ents):
            monthly = pd.read_parquet(p, columns=COLUMNS)
            part = build_panel(e, monthly, prices)
            del monthly
            if panel is None:
                panel = Panel(first, T, pd.concat(ents, ignore_index=True),
                              {m: np.zeros((n, T)) for m in part.values}, np.zeros((n, T), dtype=bool),
                              {m: np.full(T, np.nan) for m in part.city_totals}, dict(part.price_basis),
                              part.measures_in)
            off = (part.first_year - first) * PERIODS_PER_YEAR
            rows = slice(row, row + part.n)
            for m, a in part.values.items():
                panel.values[m][rows, off:off + part.n_slots] = a
            panel.reported[rows, off:off + part.n_slots] = part.reported
            for m, c in part.city_totals.items():
                cur = panel.city_totals[m][off:off + part.n_slots]
                panel.city_totals[m][off:off + part.n_slots] = np.where(np.isnan(cur), c, np.where(np.isnan(c), cur, cur + c))
            row += part.n
            del part
        build_s = time.perf_counter() - t
        t = time.perf_counter()
        r = zz.refresh_context(context_from_panel(panel))
    refresh_s = time.perf_counter() - t
    out.write_text(json.dumps({"build_s": build_s, "refresh_s": refresh_s, "enterprises": len(r.enterprises),
                               "maxrss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB,
                               **_outcome(_result_dict(r))}))


def _spawn(args: list[str]) -> None:
    r = subprocess.run([sys.executable, __file__, *args], check=False)
    if r.returncode != 0:
        raise SystemExit(f"child failed ({r.returncode}): {' '.join(args)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", type=int, default=10)
    ap.add_argument("--enterprises", type=int, default=500_000, help="enterprises of each part in its first year")
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "zhizao-spark-bench")
    ap.add_argument("--spark-master", default=f"local[{os.cpu_count() or 2}]")
    ap.add_argument("--driver-memory", default="8g")
    ap.add_argument("--shuffle-partitions", type=int, default=64)
    ap.add_argument("--generate-only", action="store_true", help="write the data set and stop")
    ap.add_argument("--child", choices=["generate", "spark", "numpy"], help=argparse.SUPPRESS)
    ap.add_argument("--child-part", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child == "generate":
        child_generate(a.child_part, a.enterprises, a.months, a.data_dir)
        return 0
    if a.child == "spark":
        child_spark(a.data_dir, a.child_out, a.spark_master, a.driver_memory, a.shuffle_partitions)
        return 0
    if a.child == "numpy":
        child_numpy(a.data_dir, a.child_out)
        return 0

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from monitoring_bench import _same

    config = {"parts": a.parts, "enterprises": a.enterprises, "months": a.months}
    meta = a.data_dir / "bench.json"
    if not (meta.exists() and json.loads(meta.read_text()).get("config") == config):
        import shutil

        shutil.rmtree(a.data_dir, ignore_errors=True)
        a.data_dir.mkdir(parents=True)
        t = time.perf_counter()
        for part in range(a.parts):
            print(f"generating part {part + 1}/{a.parts} …", flush=True)
            _spawn(["--child", "generate", "--child-part", str(part), "--enterprises", str(a.enterprises),
                    "--months", str(a.months), "--data-dir", str(a.data_dir)])
        size = sum(p.stat().st_size for p in a.data_dir.rglob("*.parquet") if p.is_file())
        meta.write_text(json.dumps({"config": config, "generate_s": time.perf_counter() - t, "bytes": size}))
    info = json.loads(meta.read_text())
    if a.generate_only:
        print(f"{a.data_dir}: {info['bytes'] / GIB:.1f} GiB of Parquet")
        return 0
    results = {}
    for engine in ("numpy", "spark"):
        print(f"{engine}: refreshing …", flush=True)
        out = a.data_dir / f"result-{engine}.json"
        _spawn(["--child", engine, "--child-out", str(out), "--data-dir", str(a.data_dir),
                "--spark-master", a.spark_master, "--driver-memory", a.driver_memory,
                "--shuffle-partitions", str(a.shuffle_partitions)])
        results[engine] = json.loads(out.read_text())
    s, z = results["spark"], results["numpy"]
    same = _same(s, z) and s["enterprises"] == z["enterprises"]
    print(f"\nMonitoring refresh on {a.parts} parts × {a.enterprises:,} enterprises × {a.months} months "
          f"({z['enterprises']:,} enterprises, {info['bytes'] / GIB:.1f} GiB of Parquet, {os.cpu_count()} cores)")
    print(f"  spark ({a.spark_master}): refresh {s['refresh_s']:.1f} s (+ session start {s['start_s']:.1f} s), "
          f"Python peak RSS {s['maxrss_gib']:.2f} GiB (the JVM's heap: up to {a.driver_memory})")
    print(f"  numpy, one machine: panel built part by part {z['build_s']:.1f} s + refresh {z['refresh_s']:.1f} s "
          f"= {z['build_s'] + z['refresh_s']:.1f} s, peak RSS {z['maxrss_gib']:.2f} GiB")
    print(f"  same results: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
