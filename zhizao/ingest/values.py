"""Parse values as printed in releases: `超2.6万`, `近1500`, `3.8万余`, `4500亿级`, `过千亿` …

Rules (the lead documents these for users):

* The qualifier is never dropped: see `QUALIFIERS` for each code and its Chinese triggers.
  A trigger written `…X` follows the number (`3.8万余`, `30左右`, `4500亿级`); others precede it.
  达到/达/为 before a number add nothing (exact) unless a suffix says otherwise (达到30以上 → at_least).
  Two different non-exact qualifiers in one value (`近2万余`) are refused.
* Scale words after the number multiply it: 百 1e2, 千 1e3, 万 1e4, 亿 1e8, and combinations
  (千万, 万亿, 千亿 …). `number` is the written number times that scale.
* **Unit-scale rule.** When the unit is given and the value's scale words END with the scale word
  the unit starts with, that trailing word restates the unit and is dropped:
  `过千亿` with 亿元 → 1000 (亿元); `4500亿级` with 亿元 → 4500; `2.79万` with 亿元 → 27900;
  `突破万亿` with 万亿元 → 1. The dropped word is kept in `unit_scale`.
* With no digits, scale words alone read as one of them: 千亿 = 1 × 千亿 (`过千亿`, `突破万亿`).
  Other Chinese numerals (三千, 两万, 2万3千) are refused: write digits.
* A trailing parenthesis is a note, not a number: `2.4倍(即增长1.4倍)` → 2.4, note 即增长1.4倍.
* A unit written into the value (`37万辆` with unit 万辆) is tolerated and removed.
* Full-width characters, thousands separators (1,234.5), a leading +/−, a `%`, `倍` or
  `(个)百分点` suffix and e-notation (1e-05) are accepted.
* A change word before the number gives its sign, as the bundled data stores decreases:
  下降/减少/回落/降低/下滑/下跌 → negative (`下降4.1%` → −4.1), 增长/提高/上升/增加/上涨 → as
  written (`增长-3.1%` stays −3.1, as NBS tables print it). A decrease word with a minus
  sign (`下降-2%`) is ambiguous and refused.
* Only finite numbers are values: `1e400`, a 400-digit number, `inf` and `nan` are refused, and
  so is text longer than `MAX_VALUE_CHARS` (no printed value is that long).
"""

from __future__ import annotations

import decimal
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ._errors import IngestError
from .units import SCALE_WORDS, normalize_unit, unit_scale_word


class ValueParseError(IngestError):
    """The text is not a single number with an optional scale and qualifier."""


# code → (Chinese label, English label, trigger words); `…X` = X follows the number.
QUALIFIERS: dict[str, tuple[str, str, list[str]]] = {
    "exact": ("确数", "exact", ["达到", "达", "为"]),
    "more_than": ("超过", "more than", ["超", "超过", "逾", "多", "过", "…余", "…多"]),
    "at_least": ("不少于", "at least", ["突破", "不低于", "达到…以上", "…以上"]),
    "nearly": ("接近", "nearly", ["近", "接近", "将近"]),
    "about": ("约", "about", ["约", "大约", "…左右", "…上下", "…级"]),
    "at_most": ("不超过", "at most", ["不超过", "…以内", "…以下"]),
    "less_than": ("不足", "less than", ["不足", "低于", "不到"]),
}


def _triggers(suffix: bool) -> dict[str, str]:
    found = {}
    for code, (_zh, _en, words) in QUALIFIERS.items():
        for word in words:
            if word.startswith("…") == suffix and "…" not in word[1:]:
                found[word.lstrip("…")] = code
    return found


_PREFIXES = _triggers(suffix=False)
_SUFFIXES = _triggers(suffix=True)  # 余 and 多 may also sit before the scale: 30余万


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


MAX_VALUE_CHARS = 500  # longer text is not a printed value (and would slow the regexes)

# change word → sign it gives the number; `同比`/`比上年` before it add nothing
CHANGE_WORDS: dict[str, int] = {
    **dict.fromkeys(("增长", "提高", "上升", "增加", "上涨", "增"), 1),
    **dict.fromkeys(("下降", "减少", "回落", "降低", "下滑", "下跌", "降"), -1),
}
_CHANGE = rf"(?:同比|比上年|较上年|比上年同期|较上年同期)?(?P<change>{'|'.join(sorted(CHANGE_WORDS, key=len, reverse=True))})"

_SCALE = r"[百千]?(?:万亿|万|亿)?"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?"
_PATTERN = re.compile(
    rf"^(?:{_CHANGE})?(?P<pre>{_alt(_PREFIXES)})?(?P<sign>[+-])?(?P<num>{_NUMBER})?(?P<mid>余|多)?"
    rf"(?P<scale>{_SCALE})(?P<post>余|多)?(?P<level>级)?(?P<mark>%|倍|个?百分点)?"
    rf"(?P<suf>{_alt(w for w in _SUFFIXES if w not in ('余', '多', '级'))})?$"
)
_NOTE = re.compile(r"^(?P<body>[^()]*)\((?P<note>[^()]*)\)$")
_QUOTES = "“”‘’\"'「」『』"
_NO_QUOTES = dict.fromkeys(map(ord, _QUOTES))


@dataclass(frozen=True)
class ParsedValue:
    """A parsed value. `number` already includes `scale_factor`; `text` is the input as given."""

    number: float
    qualifier: str
    scale_word: str | None
    scale_factor: float
    text: str
    unit_scale: str | None = None  # scale word dropped because the unit already carries it
    mark: str | None = None  # '%', '倍' or '百分点' when the value carried one
    note: str | None = None  # trailing parenthesis, e.g. 即增长1.4倍

    def qualifier_label(self, lang: str = "zh") -> str:
        return qualifier_label(self.qualifier, lang)


def qualifier_label(code: str, lang: str = "zh") -> str:
    zh, en, _ = QUALIFIERS[code]
    return zh if lang == "zh" else en


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("\u2212", "-").translate(_NO_QUOTES).strip()
    # Spaces only matter between two digits (then they separate two numbers).
    return re.sub(r"(?<!\d)\s+|\s+(?!\d)", "", s)


def _diagnose(body: str) -> ValueParseError:
    """Explain why `body` did not match, for the import report."""
    numbers = re.findall(r"\d+(?:[.,]\d+)*", body)
    if len(numbers) > 1:
        shown = "、".join(numbers)
        return ValueParseError(
            f"含有多个数字（{shown}），只能保留一个数字，其余写入备注",
            f"it contains more than one number ({', '.join(numbers)}); keep one and move the "
            "rest to the note",
        )
    if re.search(r"[A-Za-z]", body):
        return ValueParseError("含有字母，数值只能写数字", "it contains letters; write digits only")
    if re.search(r"[零〇一二两三四五六七八九十]", body):
        return ValueParseError(
            "使用了中文数字，请改写为阿拉伯数字（如“三千”写作“3000”）",
            "it uses Chinese numerals; write Arabic digits (三千 → 3000)",
        )
    if re.fullmatch(r"\d{1,3}(,\d+)+(\.\d+)?", body) or "," in body:
        return ValueParseError(
            "千分位逗号位置不对（应每三位一个，如1,234.5）",
            "misplaced thousands separator (one every three digits, e.g. 1,234.5)",
        )
    return ValueParseError(
        "不是可识别的数值写法（数字，可带超/近/约/突破等限定词、万/亿等量级和%）",
        "not a recognised value (a number, optionally with a qualifier such as 超/近/约/突破, "
        "a scale such as 万/亿, and %)",
    )


def _strip_unit(body: str, unit: str | None) -> str:
    """Remove a unit pasted into the value (`37万辆` with unit 万辆, `2.6万亿元` with 亿元)."""
    if not unit:
        return body
    norm = normalize_unit(unit)
    scale = unit_scale_word(norm)
    base = norm[len(scale):] if scale else norm
    for word in (norm, base):
        if word and word not in ("%", "倍", "百分点") and body.endswith(word) and body != word:
            return body[: -len(word)]
    return body


def parse_value(text: str, unit: str | None = None) -> ParsedValue:
    """Parse a printed value; `unit` (the row's unit) enables the unit-scale rule.

    Raises `ValueParseError` for empty text, letters, several numbers or unknown forms.
    """
    if text is None or not str(text).strip():
        raise ValueParseError("数值为空", "the value is empty")
    if len(str(text)) > MAX_VALUE_CHARS:
        raise ValueParseError(f"超过{MAX_VALUE_CHARS}个字符，不是一个数值",
                              f"it is longer than {MAX_VALUE_CHARS} characters; not a value")
    s = _normalize(str(text))
    if s in {"-", "—", "--", "——", "…", "/"}:
        raise ValueParseError(
            "只有占位符号，没有数值；无数据时请删去该行",
            "only a placeholder, no number; leave the row out when there is no data",
        )
    if s.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        raise ValueParseError("不是有限数（inf、nan），请填写实际数值",
                              "not a finite number (inf, nan); give the actual value")
    note = None
    m_note = _NOTE.match(s)
    if m_note:
        s, note = m_note["body"], m_note["note"] or None
    s = _strip_unit(s, unit)
    m = _PATTERN.match(s)
    if not m or not (m["num"] or m["scale"]):
        raise _diagnose(s)
    if m["mid"] and (m["post"] or not m["num"]):
        raise _diagnose(s)

    codes = {
        code
        for code in (
            _PREFIXES.get(m["pre"] or ""),
            _SUFFIXES.get(m["mid"] or m["post"] or ""),
            "about" if m["level"] else None,
            _SUFFIXES.get(m["suf"] or ""),
        )
        if code and code != "exact"
    }
    if len(codes) > 1:
        names = "、".join(QUALIFIERS[c][0] for c in sorted(codes))
        raise ValueParseError(
            f"限定词互相矛盾（{names}），只保留一个",
            f"conflicting qualifiers ({', '.join(sorted(codes))}); keep one",
        )
    qualifier = codes.pop() if codes else "exact"

    scale = m["scale"]
    # Without digits (过千亿, 突破万亿) the scale words alone are the number: 1 × scale.
    mantissa = Decimal(m["num"].replace(",", "")) if m["num"] else Decimal(1)
    unit_scale = unit_scale_word(unit) if unit else None
    if unit_scale and scale.endswith(unit_scale):
        scale = scale[: -len(unit_scale)]
    else:
        unit_scale = None
    factor = _scale_factor(scale)
    # Decimal keeps 2.01万 = 20100.0 exactly (float 2.01 * 1e4 would not be).
    try:
        number = float(mantissa * Decimal(int(factor)))
    except decimal.DecimalException:  # 1e999999999: beyond Decimal's own exponent range
        number = math.inf
    if not math.isfinite(number):
        raise ValueParseError("数值过大，超出可表示范围（不是有限数）",
                              "the number is too large to represent (not finite)")
    if m["change"] and CHANGE_WORDS[m["change"]] < 0 and m["sign"] == "-":
        raise ValueParseError(
            f"“{m['change']}”后又带负号，方向不明：写“{m['change']}2.0%”或“-2.0%”",
            f"'{m['change']}' (a decrease) followed by a minus sign is ambiguous: write "
            f"'{m['change']}2.0%' or '-2.0%'")
    if (m["sign"] == "-") != (m["change"] is not None and CHANGE_WORDS[m["change"]] < 0):
        number = -number
    mark = "百分点" if m["mark"] and m["mark"].endswith("百分点") else m["mark"]
    return ParsedValue(
        number=number,
        qualifier=qualifier,
        scale_word=scale or None,
        scale_factor=factor,
        text=str(text),
        unit_scale=unit_scale,
        mark=mark,
        note=note,
    )


def _scale_factor(scale: str) -> float:
    factor = 1.0
    while scale:
        word = next(w for w in SCALE_WORDS if scale.startswith(w))
        factor *= SCALE_WORDS[word]
        scale = scale[len(word):]
    return factor
