"""The investment-attraction brief (分链条招商: what each chain lacks) and the chain warnings, rows of
the monitoring warning table (docs/chains.md §Gaps, §Warnings)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.chains.coverage import buyer_links
from zhizao.analytics.chains.data import ROLES, ChainData
from zhizao.analytics.chains.frames import prepare
from zhizao.analytics.chains.risk import ChainRisk, risk
from zhizao.analytics.monitoring.warning_table import WARNING_COLUMNS, empty_warnings
from zhizao.errors import UserError
from zhizao.settings import Settings

GAP_COLUMNS = ["rank", "chain", "chain_name", "chain_name_en", "link", "name", "name_en", "stage", "status", "grade",
               "score", "why_zh", "why_en", "size", "size_basis", "n_members", "n_local", "key_products",
               "technologies", "section"]
GRADE_ORDER = {"high": 0, "medium": 1, "low": 2}


def _size(plan, cr: ChainRisk, data: ChainData) -> tuple[np.ndarray, np.ndarray]:
    """What a link is worth attracting, in 万元 of output: the output of the enterprises recorded as
    buying its product ("buyers"); with none recorded, the output of the members of the links it
    supplies ("downstream"); else 0 ("none")."""
    p = prepare(plan, data)
    L = p.n_links
    bl = buyer_links(p)
    out = np.nan_to_num(p.ent_output)
    buyers = (np.bincount(bl["link"].to_numpy(dtype=np.int64), weights=out[bl["buyer"].to_numpy(dtype=np.int64)],
                          minlength=L) if len(bl) else np.zeros(L))
    pos = {(c, lk): i for i, (c, lk) in enumerate(zip(p.links["chain"], p.links["link"]))}
    mk = np.unique(p.m_ent * max(L, 1) + p.m_link, return_index=True)[1]
    member_out = np.bincount(p.m_link[mk], weights=out[p.m_ent[mk]], minlength=L)
    down = np.zeros(L)
    for _, e in p.edges.iterrows():
        down[pos[(e["chain"], e["upstream"])]] += member_out[pos[(e["chain"], e["downstream"])]]
    size = np.where(buyers > 0, buyers, down)
    basis = np.where(buyers > 0, "buyers", np.where(down > 0, "downstream", "none")).astype(object)
    return size, basis


def gaps(plan, data: ChainData, settings: Settings | None = None, *, chain_risk: ChainRisk | None = None
         ) -> pd.DataFrame:
    """Per chain, its missing and weak links ranked by risk grade, score, then size (rank 1 first)."""
    s = settings or Settings()
    cr = chain_risk if chain_risk is not None else risk(plan, data, s)
    links, cov = cr.links, cr.coverage
    p = prepare(plan, data)
    size, basis = _size(plan, cr, data)
    names = {c.id: (c.name, c.name_en or c.name) for c in plan.chains}
    df = pd.DataFrame({
        "chain": links["chain"], "chain_name": links["chain"].map(lambda c: names[c][0]),
        "chain_name_en": links["chain"].map(lambda c: names[c][1]), "link": links["link"], "name": links["name"],
        "name_en": links["name_en"], "stage": p.links["stage"].to_numpy(), "status": links["status"],
        "grade": links["grade"], "score": links["score"], "why_zh": links["reasons_zh"], "why_en": links["reasons_en"],
        "size": size, "size_basis": basis, "n_members": cov["n_members"].to_numpy(), "n_local": cov["n_local"].to_numpy(),
        "key_products": p.links["key_products"].map("、".join).to_numpy(),
        "technologies": p.links["technologies"].map("、".join).to_numpy(), "section": p.links["section"].to_numpy(),
    })
    df = df[df["status"].isin(["missing", "weak"])]
    df = df.assign(_g=df["grade"].map(GRADE_ORDER), _st=(df["status"] != "missing").astype(int))
    df = df.sort_values(["chain", "_g", "score", "size", "_st", "link"], ascending=[True, True, False, False, True, True],
                        kind="stable")
    order = {c.id: i for i, c in enumerate(plan.chains)}
    df = df.assign(_c=df["chain"].map(order)).sort_values("_c", kind="stable")
    df["rank"] = df.groupby("chain").cumcount() + 1
    return df[GAP_COLUMNS].reset_index(drop=True) if len(df) else pd.DataFrame(
        {c: pd.Series(dtype=object) for c in GAP_COLUMNS})


def warn_roles(settings: Settings) -> tuple[str, ...]:
    """The roles chain_warn_roles names (enterprises warned about one by one); UserError on an unknown one."""
    roles = tuple(dict.fromkeys(r.strip().lower() for r in str(settings["chain_warn_roles"]).split(",") if r.strip()))
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise UserError(f"设置 chain_warn_roles 只能列出 {','.join(ROLES)}（逗号分隔），而不是“{','.join(bad)}”",
                        f"setting chain_warn_roles lists roles among {','.join(ROLES)} (comma-separated), not "
                        f"'{','.join(bad)}'")
    return roles


def _row(st, sid, name, period, rule, severity, evidence, zh, en) -> dict:
    return {"subject_type": st, "subject_id": sid, "subject_name": name, "period": period, "rule": rule,
            "severity": severity, "evidence": evidence, "explanation_zh": zh, "explanation_en": en}


def _num(x):
    x = float(x)
    return round(x, 4) if np.isfinite(x) else None


def chain_warnings(plan, data: ChainData, settings: Settings | None = None, *,
                   chain_risk: ChainRisk | None = None) -> pd.DataFrame:
    """Warnings with exactly WARNING_COLUMNS: missing and weak links, chains of low local supply, and for
    the key enterprises (roles in chain_warn_roles: 链主 and core suppliers by default) one row per buyer
    naming its high-risk single-source inputs and one per enterprise graded high. Every graded relation
    stays in risk(); the warning table carries the key ones only. period = data.as_of[:7]."""
    s = settings or Settings()
    key_roles = warn_roles(s)
    if not plan.chains or data.is_empty:
        return empty_warnings()
    cr = chain_risk if chain_risk is not None else risk(plan, data, s)
    period = data.as_of[:7] if data.as_of else None
    names = {c.id: (c.name, c.name_en or c.name) for c in plan.chains}
    synth = ("（合成数据）", " (SYNTHETIC data)") if data.synthetic else ("", "")
    rows: list[dict] = []
    for r in cr.links.itertuples(index=False):
        if r.status not in ("missing", "weak"):
            continue
        rule = f"chain_{r.status}_link"
        sev = {"high": "high", "medium": "medium"}.get(r.grade, "low" if r.status == "weak" else "medium")
        cz, ce = names[r.chain]
        what_zh, what_en = labels.CHAIN_STATUS[r.status]
        rows.append(_row("chain_link", f"{r.chain}/{r.link}", f"{cz}·{r.name}", period, rule, sev,
                         {"chain": r.chain, "link": r.link, "n_local": int(r.n_local), "local_share": _num(r.local_share),
                          "score": _num(r.score), "grade": r.grade},
                         f"{cz}产业链“{r.name}”为{what_zh}，风险{labels.RISK_GRADE[r.grade][0]}"
                         f"（评分{formatting.ratio(r.score)}）：{r.reasons_zh}{synth[0]}",
                         f"{ce}: '{r.name_en}' is a {what_en}, {r.grade} risk (score {formatting.ratio(r.score)}): "
                         f"{r.reasons_en}{synth[1]}"))
    p = prepare(plan, data)
    bl = buyer_links(p)
    if len(bl):
        chain_of = p.links["chain"].to_numpy()[bl["link"].to_numpy(dtype=np.int64)]
        df = pd.DataFrame({"chain": chain_of, "w": bl["weight"].to_numpy(), "wl": bl["weight"] * bl["local"]})
        agg = df.groupby("chain", sort=False)[["w", "wl"]].sum()
        low = s["chain_local_share_low"]
        for chain, a in agg.iterrows():
            share = a["wl"] / a["w"] if a["w"] > 0 else np.nan
            if np.isfinite(share) and share < low:
                cz, ce = names[chain]
                rows.append(_row("chain", chain, cz, period, "chain_low_local_share", "medium",
                                 {"local_share": _num(share), "threshold": low},
                                 f"{cz}产业链按需求加权的本地配套率为{formatting.share(share)}，低于{formatting.share(low)}"
                                 f"{synth[0]}",
                                 f"{ce}: need-weighted local supply share {formatting.share(share)}, below "
                                 f"{formatting.share(low)}{synth[1]}"))
    # key enterprises only, one row each at most: graded high (naming its single-source inputs too),
    # else a buyer with high-risk single-source inputs
    ents = cr.enterprises
    key_ents = ents[ents["role"].isin(key_roles)]
    rel = cr.relations
    hit = rel[(rel["grade"] == "high") & rel["single_source"] & rel["buyer_id"].isin(set(key_ents["enterprise_id"]))]
    single: dict[str, tuple[dict, str, str]] = {}
    if len(hit):
        ent_names = dict(zip(p.ent_ids, p.ent_names))
        link_names = {(c, lk): (n, ne) for c, lk, n, ne in zip(p.links["chain"], p.links["link"], p.links["name"],
                                                             p.links["name_en"])}
        for buyer, g in hit.groupby("buyer_id", sort=True):
            top = list(zip(g["chain"][:3], g["link"][:3], g["supplier_id"][:3]))
            items_zh = "、".join(f"{names[c][0]}·{link_names[(c, lk)][0]}（{ent_names.get(sup, sup)}）"
                                 for c, lk, sup in top)
            items_en = ", ".join(f"{names[c][1]}/{link_names[(c, lk)][1]} ({ent_names.get(sup, sup)})"
                                 for c, lk, sup in top)
            more = len(g) - 3
            single[buyer] = ({"single_source_inputs": int(len(g)), "max_score": _num(g["score"].max()),
                              "suppliers": list(g["supplier_id"][:10])},
                             f"有{len(g)}项高风险单一来源投入：{items_zh}{'等' if more > 0 else ''}",
                             f"{len(g)} high-risk single-source input(s): {items_en}{' …' if more > 0 else ''}")
    high = key_ents[key_ents["grade"] == "high"]
    for r in high.itertuples(index=False):
        ev, zh, en = single.pop(r.enterprise_id, ({}, "", ""))
        rows.append(_row("enterprise", r.enterprise_id, r.name, period, "chain_high_risk_enterprise", "high",
                         {"score": _num(r.score), "role": r.role, "sole_supplier_of": int(r.sole_supplier_of),
                          "articulation": bool(r.articulation), **ev},
                         f"供应链风险高（评分{formatting.ratio(r.score)}）：{r.reasons_zh}{'；' + zh if zh else ''}"
                         f"{synth[0]}",
                         f"high supply-chain risk (score {formatting.ratio(r.score)}): {r.reasons_en}"
                         f"{'; ' + en if en else ''}{synth[1]}"))
    role_of = dict(zip(key_ents["enterprise_id"], key_ents["role"]))
    name_of = dict(zip(key_ents["enterprise_id"], key_ents["name"]))
    for buyer, (ev, zh, en) in single.items():
        rows.append(_row("enterprise", buyer, name_of.get(buyer, buyer), period, "chain_single_source", "high",
                         {"role": role_of.get(buyer), **ev}, f"{zh}{synth[0]}", f"{en}{synth[1]}"))
    return pd.DataFrame(rows, columns=WARNING_COLUMNS) if rows else empty_warnings()
