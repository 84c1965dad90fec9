import math
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from zhizao.ingest.periods import Period, parse_period
from zhizao.ingest.units import UNITS, convert
from zhizao.ingest.values import parse_value

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
by_dimension: dict[str, list[str]] = {}
for unit, (dim, _) in UNITS.items():
    by_dimension.setdefault(dim, []).append(unit)
unit_pairs = st.sampled_from(sorted(by_dimension)).flatmap(
    lambda d: st.tuples(st.sampled_from(by_dimension[d]), st.sampled_from(by_dimension[d])))


@given(finite, unit_pairs)
def test_convert_round_trip(x, pair):
    a, b = pair
    assert math.isclose(convert(convert(x, a, b), b, a), x, rel_tol=1e-12, abs_tol=1e-300)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_repr_parses_back(x):
    assert parse_value(repr(x)).number == x


@given(finite)
def test_thousands_separated_parses_back(x):
    assert parse_value(f"{x:,}").number == x


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_full_width_and_qualifier(x):
    full = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c == "." else c for c in repr(x))
    pv = parse_value("约" + full + "左右")
    assert pv.number == x and pv.qualifier == "about"
    assert unicodedata.normalize("NFKC", full) == repr(x)


@given(st.decimals(min_value=0, max_value=10**6, places=2), st.sampled_from(["万", "亿", "千"]))
def test_scale_is_exact(d, word):
    factor = {"万": 10**4, "亿": 10**8, "千": 10**3}[word]
    assert parse_value(f"{d}{word}").number == float(d * factor)


@given(st.sampled_from(["year", "ytd", "month"]), st.integers(1990, 2100), st.integers(1, 12))
def test_period_key_and_zh_label_round_trip(ptype, year, month):
    p = Period(ptype, year, None if ptype == "year" else month)
    assert parse_period(p.key) == p
    if not (ptype == "ytd" and month == 1):
        assert parse_period(p.label("zh")) == p
