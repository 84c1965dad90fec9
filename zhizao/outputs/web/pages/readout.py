"""How an indicator reads in one line: its conclusion, latest value, source grade and data gaps.

Shared by the overview cards, the indicator page, the completion table and the data-gaps page so
that they say the same thing. Pure functions of the assessment dict and the plan; words from
zhizao.labels, numbers from zhizao.formatting.
"""
from __future__ import annotations

from zhizao import formatting, labels
from zhizao.outputs.web.i18n import t
from zhizao.outputs.web.render import target_text

GRADE_ORDER = ("A", "B", "R", "C", "D", "none")  # R: an office's own register (labels.GRADE)
WEAK_GRADES = ("C", "D", "none")  # C: a reprint, not the publisher's own text


def value_with_unit(v, unit: str | None, qualifier: str | None, lang: str) -> str:
    """2,705亿元 · 超26,000亿元 · 28.76% · about 41.9 10k yuan/person."""
    return formatting.value(v, labels.unit_label(unit, lang), lang, qualifier)


def weakest_grade(ind: dict) -> str | None:
    """The weakest grade among the sources of the value used (a derived ratio has two)."""
    grades = [s.get("grade") or "none" for s in ind.get("sources") or []
              if s.get("role", "actual") in ("actual", "numerator", "denominator")]
    grades = [g if g in GRADE_ORDER else "none" for g in grades]
    return max(grades, key=GRADE_ORDER.index) if grades else None


def grade_words(code: str | None, lang: str) -> str:
    return labels.label("grade", code if code in labels.GRADE else "none", lang)


def cautious_note(ind: dict, lang: str) -> str | None:
    """"按区间保守端34.2计算" when the pace figures were computed at a qualified value's cautious end
    (约36 read as 34.2), so that a reader does not redo 63.3% from the 36 shown; None otherwise."""
    shown, used = ind.get("actual"), ind.get("actual_assessed")
    if shown is None or used is None or not ind.get("qualifier") or abs(float(shown) - float(used)) < 1e-9:
        return None
    return t("cautious_end_note", lang).format(value=formatting.number(used))


def completion_figure(ind: dict, lang: str) -> dict:
    """The one completion-like number an indicator shows, with its own name: in a final evaluation
    完成率 (actual ÷ target, final.completion_pct, as a 终期评估 reports it), else 进度完成度
    ((actual − baseline)/(target − baseline)). `value` is in percent, `text` as printed."""
    if ind.get("final") is not None:
        v = ind["final"].get("completion_pct")
        return {"key": "completion_rate", "label": t("completion_rate", lang), "value": v,
                "text": formatting.completion_rate(v), "note": None}
    c = ind.get("completion")
    return {"key": "change_completion", "label": t("change_completion", lang),
            "value": None if c is None else 100 * c, "text": formatting.completion(c, lang),
            "note": cautious_note(ind, lang) if c is not None else None}


def target_phrase(ind: dict, lang: str) -> str:
    target = ind.get("target")
    if not target:
        return ""
    text = formatting.with_unit(target_text(target, lang), ind.get("unit"), lang)
    if target.get("year"):
        return t("concl_target_year", lang).format(target=text, year=target["year"])
    return t("concl_target", lang).format(target=text)


def conclusion(ind: dict, lang: str) -> str:
    """One line: status, latest value with its year, against the target and the planned path, the
    source grade in words. In a target year the final evaluation's own sentence leads."""
    sep = "；" if lang != "en" else "; "
    grade = weakest_grade(ind)
    grade_part = t("concl_grade", lang).format(grade=grade_words(grade, lang)) if grade else ""
    final = ind.get("final") or {}
    if final.get("text"):
        head = f"{t('concl_final', lang)}{'：' if lang != 'en' else ': '}{final['text']}"
        return sep.join(p for p in (head, grade_part) if p)
    parts = [ind.get("status_words") or ind.get("status_label") or labels.label("status", ind.get("status"), lang)]
    if ind.get("actual") is not None:
        parts.append(t("concl_latest", lang).format(
            value=value_with_unit(ind["actual"], ind.get("unit"), ind.get("qualifier"), lang), year=ind.get("data_year")))
    else:
        parts.append(ind.get("reason") or t("concl_no_value", lang))
    tp = target_phrase(ind, lang)
    if tp:
        parts.append(tp)
    if ind.get("planned") is not None and ind.get("data_year"):
        parts.append(t("concl_planned", lang).format(
            year=ind["data_year"], value=value_with_unit(ind["planned"], ind.get("unit"), None, lang)))
    if grade_part:
        parts.append(grade_part)
    return (parts[0] + ("：" if lang != "en" else ": ") + sep.join(parts[1:])) if len(parts) > 1 else parts[0]


def gaps(ind: dict, eval_year: int, base_year: int, lang: str) -> list[dict]:
    """What is missing for one indicator: [{kind, text}], empty when nothing is. Kinds: no_data,
    only_base, only_proxy, not_deciding, no_baseline, stale, low_grade, preliminary."""
    out: list[dict] = []

    def add(kind: str, text: str) -> None:
        out.append({"kind": kind, "text": text})

    reason = ind.get("reason_code")
    history = ind.get("history") or []
    if ind.get("actual") is None:
        if reason == "only_base_year" or (history and all(int(h["year"]) <= base_year for h in history)):
            add("only_base", t("gap_only_base", lang))
        elif reason == "only_other_evidence" or (not history and ind.get("other_evidence")):
            add("only_proxy", t("gap_only_proxy", lang))
        elif reason == "not_deciding":
            add("not_deciding", t("gap_not_deciding", lang))
        else:
            add("no_data", t("gap_no_data", lang))
        return out
    baseline = ind.get("baseline") or {}
    if reason == "no_baseline" or (ind.get("target") and baseline.get("value") is None and reason != "no_target"):
        add("no_baseline", t("gap_no_baseline", lang).format(year=base_year))
    if ind.get("data_year") and int(ind["data_year"]) < eval_year:
        add("stale", t("gap_stale", lang).format(data_year=ind["data_year"], year=eval_year))
    grade = weakest_grade(ind)
    if grade in WEAK_GRADES:
        add("low_grade", t("gap_low_grade", lang).format(grade=grade_words(grade, lang)))
    if ind.get("actual_observation_status") == "preliminary":
        add("preliminary", t("gap_preliminary", lang))
    return out
