"""Code standards: 统一社会信用代码 (GB 32100-2015), Chongqing GB/T 2260 codes, GB/T 4754 divisions."""
from zhizao.codes.uscc import check_character, generate_codes, is_valid, make_code, parse, valid_mask, validate

__all__ = ["check_character", "generate_codes", "is_valid", "make_code", "parse", "valid_mask", "validate"]
