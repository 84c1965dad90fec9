"""统一社会信用代码 (Unified Social Credit Identifier), GB 32100-2015.

Layout of the 18 characters:

====  =====================================================================
1     登记管理部门代码 (registering authority: 1 机构编制, 5 民政, 9 工商, Y 其他 …)
2     机构类别代码 (kind of entity; for 工商 9: 1 企业, 2 个体工商户, 3 农民专业合作社)
3–8   登记管理机关行政区划码 (GB/T 2260 code of the registering authority)
9–17  主体标识码 = 组织机构代码 (GB 11714: 8 body characters + its own check character)
18    校验码 (check character, computed over characters 1–17)
====  =====================================================================

Characters come from a 31-character set: digits and capital letters without I, O, Z, S, V.
Check character: c18 = 31 − (Σ value(c_i)·3^(i−1) mod 31) mod 31, for i = 1..17.
The embedded organisation code has its own check (GB 11714-1997): weights 3,7,9,10,5,8,4,2,
c9 = 11 − (Σ mod 11), with 10 → 'X' and 11 → '0'.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, …
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

DEPARTMENTS = {"1": "机构编制", "5": "民政", "9": "工商", "Y": "其他"}
KINDS_BY_DEPARTMENT = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "Y": {"1": "其他"},
}

_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (raises ValueError on a character outside the set)."""
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    try:
        total = sum(VALUE[c] * w for c, w in zip(first17.upper(), WEIGHTS))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not allowed in a credit code") from None
    return CHARSET[(31 - total % 31) % 31]


def org_check_character(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation-code body."""
    if len(body8) != 8:
        raise ValueError(f"expected 8 characters, got {len(body8)}")
    total = 0
    for c, w in zip(body8.upper(), ORG_WEIGHTS):
        if c.isdigit():
            v = int(c)
        elif "A" <= c <= "Z":
            v = ord(c) - ord("A") + 10
        else:
            raise ValueError(f"character {c!r} is not allowed in an organisation code")
        total += v * w
    r = 11 - total % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


@dataclass(frozen=True)
class Validation:
    valid: bool
    reason: str = ""  # empty when valid; else why not (English, stable for tests)


def validate(code: str, *, check_org_code: bool = False) -> Validation:
    """Validate a credit code. `check_org_code` also checks the embedded GB 11714 check character
    (off by default: some legitimately issued codes carry bodies that are not GB 11714 codes)."""
    if not isinstance(code, str):
        return Validation(False, "not a string")
    code = code.strip().upper()
    if len(code) != 18:
        return Validation(False, f"length {len(code)}, expected 18")
    if not _SHAPE.match(code):
        return Validation(False, "character outside the GB 32100 set, or non-digit region code")
    if code[0] not in DEPARTMENTS:
        return Validation(False, f"unknown registering authority {code[0]!r}")
    expected = check_character(code[:17])
    if code[17] != expected:
        return Validation(False, f"check character {code[17]!r}, expected {expected!r}")
    if check_org_code and org_check_character(code[8:16]) != code[16]:
        return Validation(False, "embedded organisation code has a wrong check character")
    return Validation(True)


def is_valid(code: str, *, check_org_code: bool = False) -> bool:
    return validate(code, check_org_code=check_org_code).valid


_LUT = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(CHARSET):
    _LUT[ord(_c)] = _i


def valid_mask(codes) -> np.ndarray:
    """Vectorised GB 32100 check (length, character set, check character) of many codes; the
    embedded organisation code is not checked. For hundreds of thousands of codes at once."""
    arr = np.char.strip(np.asarray(codes, dtype="U32"))
    ok = np.char.str_len(arr) == 18
    raw = np.char.encode(np.char.upper(arr), "ascii", "replace").astype("S18")  # longer ones already failed
    b = np.frombuffer(raw.tobytes(), dtype=np.uint8).reshape(len(arr), 18)
    v = _LUT[b]
    ok &= (v >= 0).all(axis=1) & (b[:, 2:8] >= ord("0")).all(axis=1) & (b[:, 2:8] <= ord("9")).all(axis=1)
    ok &= np.isin(b[:, 0], np.frombuffer(b"159Y", dtype=np.uint8))
    check = (31 - (np.where(v[:, :17] >= 0, v[:, :17], 0) @ np.array(WEIGHTS)) % 31) % 31
    return ok & (check == v[:, 17])


def parse(code: str) -> dict[str, str]:
    """Split a (valid) code into its parts, with Chinese labels for department and kind."""
    v = validate(code)
    if not v.valid:
        raise ValueError(f"invalid credit code {code!r}: {v.reason}")
    code = code.strip().upper()
    return {
        "department": code[0],
        "department_name": DEPARTMENTS[code[0]],
        "kind": code[1],
        "kind_name": KINDS_BY_DEPARTMENT.get(code[0], {}).get(code[1], "未知"),
        "region": code[2:8],
        "org_code": code[8:17],
        "check": code[17],
    }


def make_code(region: str, body8: str, department: str = "9", kind: str = "1") -> str:
    """Assemble a valid code from its parts; the organisation-code check is computed too."""
    if not re.fullmatch(r"\d{6}", region):
        raise ValueError(f"region must be a 6-digit GB/T 2260 code, got {region!r}")
    first17 = f"{department}{kind}{region}{body8}{org_check_character(body8)}"
    return first17 + check_character(first17)


# The organisation-code body of a code must use the 31-character set, which also has no 'I', 'O'.
_BODY_CHARS = np.frombuffer(CHARSET.encode(), dtype="S1")
_ORG_VALUE = np.array([int(c) if c.isdigit() else ord(c) - 55 for c in CHARSET], dtype=np.int64)


def generate_codes(
    regions: "np.ndarray | list[str]",
    rng: np.random.Generator,
    *,
    department: str = "9",
    kind: str = "1",
    prefix: str = "MA",
) -> np.ndarray:
    """Vectorised generator of unique valid codes, one per region code given.

    Bodies look like post-2015 enterprise codes: `prefix` (e.g. "MA", as in 91500000MA5U…)
    followed by random characters from the GB 32100 set. Both check characters are computed.
    """
    regions = np.asarray(regions, dtype="U6")
    n = len(regions)
    width = 8 - len(prefix)
    out = np.empty(n, dtype="U18")
    todo = np.arange(n)
    seen: set[str] = set()
    while len(todo):
        idx = rng.integers(0, 31, size=(len(todo), width))
        codes = _assemble(regions[todo], idx, department, kind, prefix)
        keep = []
        for j, c in zip(todo, codes):
            if c in seen:
                keep.append(j)  # duplicate: draw again (rare: 31^6 ≈ 8.9e8 bodies per prefix)
            else:
                seen.add(c)
                out[j] = c
        todo = np.array(keep, dtype=np.int64)
    return out


def _assemble(regions: np.ndarray, idx: np.ndarray, department: str, kind: str, prefix: str) -> list[str]:
    n, width = idx.shape
    pre_vals = np.array([_ORG_VALUE[VALUE[c]] for c in prefix], dtype=np.int64)
    body_org_vals = np.hstack([np.broadcast_to(pre_vals, (n, len(prefix))), _ORG_VALUE[idx]])
    r = 11 - (body_org_vals @ np.array(ORG_WEIGHTS)) % 11
    org_check = np.where(r == 10, 10, np.where(r == 11, 0, r))  # value; 10 → 'X'
    # Values in the 31-character set: 'X' is index 29 there.
    org_check_idx = np.where(org_check == 10, VALUE["X"], org_check)
    region_digits = np.frombuffer("".join(regions).encode(), dtype=np.uint8).reshape(n, 6) - 48
    pre_idx = np.array([VALUE[c] for c in prefix], dtype=np.int64)
    first17 = np.hstack([
        np.full((n, 1), VALUE[department]),
        np.full((n, 1), VALUE[kind]),
        region_digits.astype(np.int64),
        np.broadcast_to(pre_idx, (n, len(prefix))),
        idx,
        org_check_idx[:, None],
    ])
    check = (31 - (first17 @ np.array(WEIGHTS)) % 31) % 31
    allidx = np.hstack([first17, check[:, None]])
    chars = _BODY_CHARS[allidx]
    return [b.decode() for b in chars.view("S18").ravel()]
