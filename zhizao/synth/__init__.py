"""SYNTHETIC demo data: enterprise micro-data calibrated to published Chongqing totals (generator.py)
and industrial-chain data for any plan with chains (chains.py)."""
from zhizao.synth.chains import default_chain_data, generate_chain_data
from zhizao.synth.generator import SynthData, generate

__all__ = ["SynthData", "default_chain_data", "generate", "generate_chain_data"]
