"""Search the plan's text: indicators, industries, products, technologies, platforms, tasks."""
from __future__ import annotations

import pandas as pd

from zhizao.plan.spec import Plan


def plan_items(plan: Plan) -> pd.DataFrame:
    """Every citable piece of the plan as one row: kind, id, section, title, text."""
    rows = []
    for i in plan.indicators:
        rows.append(("indicator", i.id, i.section, i.name, " ".join([i.definition or "", *i.notes])))
    for x in plan.industries:
        products = "；".join(f"{g.name}：{'、'.join(g.products)}" for g in x.key_products)
        rows.append(("industry", x.id, x.section, x.name, f"{x.text} {'、'.join(x.sub_industries)} {products}"))
    for c in plan.clusters:
        rows.append(("cluster", c.id, c.section, c.target_text + c.name, ""))
    for kind in ("technologies", "platforms", "tasks", "safeguards"):
        for t in getattr(plan, kind):
            rows.append((kind.rstrip("s") if kind != "technologies" else "technology", t.id, t.section, t.title, t.text))
    return pd.DataFrame(rows, columns=["kind", "id", "section", "title", "text"])


def search_plan(plan: Plan, query: str) -> pd.DataFrame:
    """Items whose title or text contains every word of `query` (space-separated), with a snippet."""
    items = plan_items(plan)
    words = [w for w in query.split() if w]
    hay = items["title"] + " " + items["text"]
    mask = pd.Series(True, index=items.index)
    for w in words:
        mask &= hay.str.contains(w, regex=False)
    hits = items[mask].copy()

    def snippet(text: str) -> str:
        pos = text.find(words[0]) if words else 0
        start = max(0, pos - 20)
        return ("…" if start else "") + text[start:pos + 40] + "…"

    hits["snippet"] = hits["text"].map(snippet)
    return hits[["kind", "id", "section", "title", "snippet"]].reset_index(drop=True)
