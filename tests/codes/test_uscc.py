"""统一社会信用代码 (GB 32100-2015): check characters computed by hand below."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from zhizao.codes.uscc import (CHARSET, check_character, generate_codes, is_valid, make_code,
                               org_check_character, parse, valid_mask, validate)


def test_weights_and_charset():
    assert len(CHARSET) == 31 and not set("IOZSV") & set(CHARSET)


def test_check_character_standard_example_by_hand():
    # 91350100M000100Y4 (the GB 32100 example 91350100M000100Y43)
    # values  9 1 3 5 0 1 0 0 M=21 0 0 0 1 0 0 Y=30 4
    # weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
    # Σ = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28; 31 − 28 = 3
    assert check_character("91350100M000100Y4") == "3"
    assert is_valid("91350100M000100Y43")


def test_check_character_chongqing_shaped_by_hand():
    # 91500000MA5U7Q5A2: values 9 1 5 0 0 0 0 0 21 10 5 27 7 24 5 10 2
    # Σ = 9+3+45+420+290+125+351+56+576+50+300+56 = 2281; 2281 mod 31 = 18; 31 − 18 = 13 → 'D'
    assert check_character("91500000MA5U7Q5A2") == "D"
    assert validate("91500000MA5U7Q5A2D").valid
    v = validate("91500000MA5U7Q5A2X")
    assert not v.valid and "expected 'D'" in v.reason


def test_check_character_zero_case():
    # Σ ≡ 0 (mod 31) → (31 − 0) mod 31 = 0 → '0'
    assert check_character("0" * 17) == "0"


def test_org_code_check_by_hand():
    # body M000100Y: M=22, Y=34; weights 3 7 9 10 5 8 4 2 → 66 + 5 + 68 = 139; 139 mod 11 = 7; 11 − 7 = 4
    assert org_check_character("M000100Y") == "4"
    assert validate("91350100M000100Y43", check_org_code=True).valid


@pytest.mark.parametrize("code,reason", [
    ("91350100M000100Y4", "length"),
    ("91350100M000100YI3", "character"),
    ("21350100M000100Y43", "authority"),
    ("91350100M000100Y44", "check character"),
])
def test_invalid(code, reason):
    v = validate(code)
    assert not v.valid and reason in v.reason


def test_lowercase_and_spaces_accepted():
    assert is_valid(" 91350100m000100y43 ")


def test_parse_and_make_code():
    code = make_code("500112", "MA5U7Q5A")
    p = parse(code)
    assert p["region"] == "500112" and p["department_name"] == "工商" and p["kind_name"] == "企业"
    assert validate(code, check_org_code=True).valid


def test_generate_codes_valid_unique_and_regional():
    regions = ["500112", "500103", "500243"] * 200
    codes = generate_codes(regions, np.random.default_rng(3))
    assert len(set(codes)) == len(codes)
    assert all(validate(c, check_org_code=True).valid for c in codes)
    assert all(c[2:8] == r for c, r in zip(codes, regions))


body = st.text(alphabet=CHARSET, min_size=17, max_size=17)


@settings(max_examples=200, deadline=None)
@given(first17=body, pos=st.integers(0, 16), shift=st.integers(1, 30))
def test_any_single_substitution_is_detected(first17, pos, shift):
    # weights 3^i mod 31 are non-zero and 31 is prime, so one changed character always changes Σ mod 31
    code = first17 + check_character(first17)
    changed = CHARSET[(CHARSET.index(code[pos]) + shift) % 31]
    bad = code[:pos] + changed + code[pos + 1:]
    assert check_character(bad[:17]) != bad[17]


def test_valid_mask_agrees_with_validate():
    codes = ["91350100M000100Y43", "91500000MA5U7Q5A2D", "91500000MA5U7Q5A2X", "91350100M000100Y4",
             "91350100M000100YI3", "21350100M000100Y43", "9135010OM000100Y43", " 91350100m000100y43"]
    assert valid_mask(codes).tolist() == [validate(c).valid for c in codes]
    gen = generate_codes(["500112"] * 1000, np.random.default_rng(0))
    assert valid_mask(gen).all()
