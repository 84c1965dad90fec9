"""Speed of a large chain data import (`zhizao.api.import_chain_data`) and of reading it back
(`zhizao.api.chain_data`), on DuckDB and optionally PostgreSQL (not a timed test).

    python bench/chain_import_bench.py [--enterprises 100000] [--relations 1000000] [--pg URL]

Writes three CSV files of fictional enterprises (valid credit codes, districts of a fictional plan
with one chain of three links) and supply relations, then times: reading and checking the files,
the whole import (reading, checking, bulk write), and reading the active batch back. The data are
SYNTHETIC (generated here); the plan is the tests' fictional 河湾市 plan with a chain added.

Measured on the shared 2-core machine (one run, the machine shared, 57 % of a core on average),
100,000 enterprises and 1,000,000 relations; peak memory of the whole script 2.4 GiB:

| step | DuckDB | PostgreSQL |
| --- | --- | --- |
| write the CSV files | 5 s | |
| read + check the files | 32 s | (same code) |
| whole import (read, check, bulk write) | 40 s | 21 s |
| chain_data read back | 5.5 s | 2.3 s |
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import zhizao.api as zz  # noqa: E402
from zhizao.codes import uscc  # noqa: E402
from zhizao.ingest.chains import read_chain_files  # noqa: E402
from zhizao.plan.load import load_plan  # noqa: E402
from tests.ingest.chain_files import chain_plan_path  # noqa: E402

LINKS = ("magnets", "windings", "motor")


def write_files(folder: Path, n_enterprises: int, n_relations: int, seed: int = 0) -> list[Path]:
    rng = np.random.default_rng(seed)
    districts = rng.choice(np.array(["990101", "990102", "510100", "440300"]), n_enterprises)
    ids = uscc.generate_codes(districts, rng)
    link = rng.integers(0, len(LINKS), n_enterprises)
    pd.DataFrame({"企业代码": ids, "企业名称": [f"合成企业{i}" for i in range(n_enterprises)], "所在地代码": districts,
                  "国家": "CN", "产值(万元)": rng.integers(100, 100000, n_enterprises)}).to_csv(
        folder / "enterprises.csv", index=False)
    pd.DataFrame({"企业代码": ids, "产业链": "motors", "环节": np.array(LINKS)[link],
                  "角色": rng.choice(np.array(["链主", "核心配套", "配套"]), n_enterprises),
                  "产能(万元)": rng.integers(100, 100000, n_enterprises)}).to_csv(folder / "members.csv", index=False)
    # a supplier supplies the product of its own link; shares of 0.1 % keep every buyer's sum ≤ 100 %
    sup = rng.integers(0, n_enterprises, int(n_relations * 1.1))
    buy = rng.integers(0, n_enterprises, len(sup))
    rel = pd.DataFrame({"s": sup, "b": buy}).query("s != b").drop_duplicates().head(n_relations)
    pd.DataFrame({"供应商代码": ids[rel["s"]], "采购商代码": ids[rel["b"]], "产业链": "motors",
                  "环节": np.array(LINKS)[link[rel["s"]]], "占需求比重(%)": 0.1}).to_csv(folder / "supply.csv", index=False)
    return [folder / f"{t}.csv" for t in ("enterprises", "members", "supply")]


def timed(label: str, fn):
    start = time.perf_counter()
    out = fn()
    print(f"{label}: {time.perf_counter() - start:.1f} s", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--enterprises", type=int, default=100_000)
    ap.add_argument("--relations", type=int, default=1_000_000)
    ap.add_argument("--pg", help="a PostgreSQL URL of an empty database to time as well")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhizao-chain-bench-") as tmp:
        folder = Path(tmp)
        plan_path = chain_plan_path(folder)
        paths = timed("write the CSV files (SYNTHETIC)", lambda: write_files(folder, args.enterprises, args.relations))
        plan = load_plan(plan_path)
        frames, problems, _ = timed("read + check the files", lambda: read_chain_files(paths, plan))
        assert not problems, problems[:3]
        print({t: len(f) for t, f in frames.items()})
        for name, db in (("duckdb", folder / "bench.duckdb"), ("postgresql", args.pg)):
            if db is None:
                continue
            timed(f"{name}: whole import", lambda: zz.import_chain_data(paths, plan=plan_path, db=db))
            data = timed(f"{name}: chain_data read back", lambda: zz.chain_data(db, plan_path))
            assert len(data.supply) == len(frames["chain_supply"])


if __name__ == "__main__":
    main()
