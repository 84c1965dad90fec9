"""Speed of reading and checking large enterprise files (`zhizao.ingest.enterprises.read_enterprise_files`),
not a timed test.

    python bench/enterprise_import_bench.py [--enterprises 500000] [--years 3]

Writes a registry CSV (valid credit codes in the embedded plan's districts) and a yearly-figures CSV
(every measure, 是/否 for 淘汰类设备) of SYNTHETIC enterprises generated here, then times the reading
and checking of both. Measured on the shared 2-core machine (one run, others working):
500,000 registry rows + 1,500,000 yearly rows read and checked in 15–21 s (a third of the rows with a blank last cell, recounted), peak memory 2.3 GiB.
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

from zhizao.codes import uscc  # noqa: E402
from zhizao.ingest.enterprises import read_enterprise_files  # noqa: E402
from zhizao.plan.load import load_plan  # noqa: E402

MONEY = ["营业收入（万元）", "主营业务收入（万元）", "增加值（万元）", "税收（万元）", "研发经费（万元）", "净利润（万元）",
         "资产总额（万元）", "负债总额（万元）", "固定资产投资（万元）"]
OTHER = ["用地面积（亩）", "综合能耗（吨标准煤）", "用电量（万千瓦时）", "用水量（立方米）", "主要污染物排放量（吨）"]


def write_files(folder: Path, plan, n: int, years: int, seed: int = 0) -> list[Path]:
    rng = np.random.default_rng(seed)
    districts = rng.choice(np.array([d.code for d in plan.regions.districts]), n)
    ids = uscc.generate_codes(districts, rng)
    pd.DataFrame({"统一社会信用代码": ids, "企业名称": [f"合成企业{i}" for i in range(n)], "所在区县": districts,
                  "行业代码": rng.choice(["3670", "3981", "2614"], n), "企业规模": rng.choice(["小型", "中型", "微型"], n),
                  "成立日期": "2010-01-01"}).to_csv(folder / "registry.csv", index=False)
    annual = pd.DataFrame({"统一社会信用代码": np.tile(ids, years), "年份": np.repeat(np.arange(2022, 2022 + years), n)})
    for col in MONEY + OTHER:
        annual[col] = rng.integers(1, 100000, len(annual)) / 10
    annual["从业人员（人）"] = rng.integers(1, 1000, len(annual))
    for col in ("环保违法次数", "质量抽检不合格次数", "安全生产违法次数"):
        annual[col] = rng.integers(0, 2, len(annual))
    annual["淘汰类设备"] = rng.choice(["是", "否", ""], len(annual))
    annual.to_csv(folder / "annual.csv", index=False)
    return [folder / "registry.csv", folder / "annual.csv"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--enterprises", type=int, default=500_000)
    ap.add_argument("--years", type=int, default=3)
    args = ap.parse_args()
    plan = load_plan()
    with tempfile.TemporaryDirectory(prefix="zhizao-enterprise-bench-") as tmp:
        start = time.perf_counter()
        paths = write_files(Path(tmp), plan, args.enterprises, args.years)
        print(f"write the CSV files (SYNTHETIC): {time.perf_counter() - start:.1f} s", flush=True)
        start = time.perf_counter()
        frames, problems, _ = read_enterprise_files(paths, plan)
        print(f"read + check: {time.perf_counter() - start:.1f} s; rows {({k: len(v) for k, v in frames.items()})}; "
              f"problems {len(problems)}")
        if problems:
            sys.exit(1)


if __name__ == "__main__":
    main()
