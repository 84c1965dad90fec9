"""SYNTHETIC enterprise micro-data calibrated to published Chongqing totals (see generator.py)."""
from zhizao.synth.generator import SynthData, generate

__all__ = ["SynthData", "generate"]
