"""Industrial chains (产业链) and supply-chain security: pure functions over the chain data frames
(docs/chains.md)."""
from zhizao.analytics.chains.coverage import link_coverage
from zhizao.analytics.chains.data import ChainData
from zhizao.analytics.chains.frames import chain_frames, locate
from zhizao.analytics.chains.risk import ChainRisk, backups, chain_summary, critical_nodes, risk
from zhizao.analytics.chains.whatif import Scenario, WhatIf, compare, whatif

__all__ = ["ChainData", "ChainRisk", "Scenario", "WhatIf", "backups", "chain_frames", "chain_summary", "compare",
           "critical_nodes", "link_coverage", "locate", "risk", "whatif"]
