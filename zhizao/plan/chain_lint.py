"""Does a plan's chain map (产业链图谱) hold together? Pure: Plan → list of findings.

`error`: the map contradicts itself or names what does not exist — a cycle (a link upstream of itself),
an unknown or malformed GB/T 4754-2017 code, an upstream id that is not a link of the chain (the loader
refuses those; kept for plans built in code). `warning`: the map is incomplete — a link upstream of a
later-stage link, a link with no way down to a final product or service, an isolated link, a chain
without a final-stage link. `info`: a link that cites no section or quote.
The subject (Finding.indicator) is "chain.link", or "chain" for the chain as a whole.
"""
from __future__ import annotations

import re

import networkx as nx

from zhizao import labels
from zhizao.codes.industries import is_industry_code
from zhizao.plan.findings import Finding
from zhizao.plan.spec import Chain, ChainLink, ChainStage, Plan

STAGE_ORDER = {s: i for i, s in enumerate(ChainStage)}  # materials 0 … services 4
END_STAGES = (ChainStage.final, ChainStage.services)
CODE_FORM = re.compile(r"^\d{2,4}$")


def lint_chains(plan: Plan) -> list[Finding]:
    """Every chain's findings, chain by chain in the plan's order; [] for a plan without chains."""
    out: list[Finding] = []
    for chain in plan.chains:
        out += _lint_chain(chain)
    return out


def chain_graph(chain: Chain) -> nx.DiGraph:
    """The chain as a directed graph upstream → downstream; upstream ids that are not links are left out."""
    g = nx.DiGraph()
    ids = {link.id for link in chain.links}
    g.add_nodes_from(ids)
    g.add_edges_from((u, link.id) for link in chain.links for u in link.upstream if u in ids)
    return g


def _names(chain: Chain):
    by_id = {link.id: link for link in chain.links}
    chain_zh, chain_en = chain.name, chain.name_en or chain.id

    def zh(link_id: str) -> str:
        return f"“{by_id[link_id].name}”" if link_id in by_id else f"“{link_id}”"

    def en(link_id: str) -> str:
        link = by_id.get(link_id)
        return f"'{(link.name_en or link.id) if link else link_id}'"

    return chain_zh, chain_en, zh, en


def _stage(stage: ChainStage, lang: str) -> str:
    return labels.label("chain_stage", stage.value, lang)


def _lint_chain(chain: Chain) -> list[Finding]:
    out: list[Finding] = []
    chain_zh, chain_en, zh, en = _names(chain)
    by_id = {link.id: link for link in chain.links}
    g = chain_graph(chain)

    def f(subject: str, check: str, severity: str, msg_zh: str, msg_en: str) -> None:
        out.append(Finding(subject, check, severity, f"产业链“{chain_zh}”：{msg_zh}", f"chain '{chain_en}': {msg_en}"))

    def subject(link_id: str) -> str:
        return f"{chain.id}.{link_id}"

    for link in chain.links:
        for u in link.upstream:
            if u not in by_id:
                f(subject(link.id), "chain_unknown_upstream", "error",
                  f"环节{zh(link.id)}的上游“{u}”不是本链的环节；请改为本链环节的编号",
                  f"link {en(link.id)} names upstream '{u}', which is not a link of this chain; use a link id of the chain")
        _industry_class(link, f, subject, zh, en)

    # A cycle per strongly connected component (and per self-loop), named in order: one is enough to fix.
    for component in nx.strongly_connected_components(g):
        first = min(component, key=list(by_id).index)
        if len(component) == 1 and not g.has_edge(first, first):
            continue
        cycle = [u for u, _ in nx.find_cycle(g.subgraph(component), source=first)]
        path_zh = "→".join(zh(x) for x in [*cycle, cycle[0]])
        path_en = " → ".join(en(x) for x in [*cycle, cycle[0]])
        f(subject(cycle[0]), "chain_cycle", "error",
          f"环节构成循环（自身的上游）：{path_zh}；请删去其中一条上游关系",
          f"the links form a cycle (a link upstream of itself): {path_en}; remove one of these upstream entries")

    for link in chain.links:
        for u in link.upstream:
            up = by_id.get(u)
            if up is not None and STAGE_ORDER[up.stage] > STAGE_ORDER[link.stage]:
                f(subject(link.id), "chain_stage_order", "warning",
                  f"上游环节{zh(u)}（{_stage(up.stage, 'zh')}）处于下游环节{zh(link.id)}（{_stage(link.stage, 'zh')}）"
                  "之后的阶段；请核对两者的 stage 或上游关系",
                  f"upstream link {en(u)} ({_stage(up.stage, 'en')}) is at a later stage than its downstream link "
                  f"{en(link.id)} ({_stage(link.stage, 'en')}); check their stage or the upstream entry")

    ends = {link.id for link in chain.links if link.stage in END_STAGES}
    if not any(link.stage == ChainStage.final for link in chain.links):
        f(chain.id, "chain_no_final_link", "warning", "没有整机/终端（final）阶段的环节；请补上本链的最终产品环节",
          "no link at the final-products stage; add the chain's final product")
    isolated = {n for n in g if g.degree(n) == 0} if len(chain.links) > 1 else set()
    reaches_end = set(ends)
    for e in ends:
        reaches_end |= nx.ancestors(g, e)
    for link in chain.links:
        if link.id in isolated:
            f(subject(link.id), "chain_isolated_link", "warning",
              f"环节{zh(link.id)}既无上游也无下游；请写明它与本链其他环节的关系",
              f"link {en(link.id)} has neither upstream nor downstream links; state how it joins the chain")
        elif ends and link.id not in reaches_end:
            f(subject(link.id), "chain_no_final_path", "warning",
              f"环节{zh(link.id)}没有通向最终产品或服务环节的路径；请补上它的下游环节",
              f"link {en(link.id)} has no path to a final-product or services link; add its downstream link")
        missing = [w for w, v in (("section", link.section), ("quote", link.quote)) if not (v or "").strip()]
        if missing:
            f(subject(link.id), "chain_citation", "info",
              f"环节{zh(link.id)}未注明{'、'.join('出处（section）' if m == 'section' else '规划原文（quote）' for m in missing)}",
              f"link {en(link.id)} cites no {' and no '.join('section' if m == 'section' else 'quote' for m in missing)} "
              "of the plan")
    return out


def _industry_class(link: ChainLink, f, subject, zh, en) -> None:
    code = link.industry_class
    if code is None:
        return
    if not CODE_FORM.match(code):
        f(subject(link.id), "chain_industry_class", "error",
          f"环节{zh(link.id)}的行业代码“{code}”格式不对：应为 GB/T 4754-2017 制造业的 2—4 位数字代码（如 36、361、3612）",
          f"link {en(link.id)}: industry class '{code}' is malformed: use a 2–4 digit GB/T 4754-2017 manufacturing "
          "code (e.g. 36, 361, 3612)")
    elif not is_industry_code(code):
        f(subject(link.id), "chain_industry_class", "error",
          f"环节{zh(link.id)}的行业代码“{code}”不是 GB/T 4754-2017 制造业的大类、中类或小类；请核对代码或删去",
          f"link {en(link.id)}: industry class '{code}' is not a GB/T 4754-2017 manufacturing division, group or "
          "class; check the code or leave it out")
