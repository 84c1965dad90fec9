"""The fictional plan with the chain 电机产业链 of tests/ingest/chain_files added beside its own chain, so that
the chain files of those tests import into it (their districts and supply region)."""
from __future__ import annotations

from pathlib import Path

import yaml

from tests.ingest.chain_files import ASSETS, CHAIN_PLAN_EXTRA, DISTRICTS


def chain_plan_path(folder: Path) -> Path:
    data = yaml.safe_load((ASSETS / "fictional-plan.yaml").read_text(encoding="utf-8"))
    data["regions"]["districts"] = DISTRICTS
    data["clusters"] = [*(data.get("clusters") or []), *CHAIN_PLAN_EXTRA["clusters"]]
    data["chains"] = [*(data.get("chains") or []), *CHAIN_PLAN_EXTRA["chains"]]
    data["supply_region"] = CHAIN_PLAN_EXTRA["supply_region"]  # the chain files' regional supplier is in 51
    path = folder / "chain-plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
