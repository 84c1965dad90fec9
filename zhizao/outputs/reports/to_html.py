"""HTML: one self-contained offline file (inline CSS, charts as base64 PNG, no scripts, no fetches).

The only addresses in the file are the sources' own, as links in the data-sources appendix.
"""
from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from zhizao.outputs.reports.model import Bullets, Cell, Figure, Heading, Para, Report, Table
from zhizao.outputs.reports.style import HEADER_FILL, STATUS_FILL
from zhizao.outputs.reports.text import t

# Local font names only: the file must not fetch anything.
CSS = """
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif;
       max-width: 62rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.6; color: #222; }
h1, h2, h3, .title, nav, th, figcaption { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", SimHei, sans-serif; }
.title { font-size: 1.8rem; text-align: center; margin-top: 2rem; }
.subtitle { text-align: center; color: #444; margin: 0.2rem 0; }
h1 { border-bottom: 2px solid #1F4E79; padding-bottom: 0.2rem; margin-top: 2.5rem; font-size: 1.5rem; }
h2 { font-size: 1.25rem; margin-top: 1.8rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
nav { background: #F5F7FA; padding: 0.6rem 1.2rem; border: 1px solid #DDD; }
nav ul { list-style: none; padding-left: 1rem; margin: 0.1rem 0; }
nav > ul { padding-left: 0; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; width: 100%; font-size: 0.9rem; }
table.small { font-size: 0.78rem; }
th, td { border: 1px solid #999; padding: 0.2rem 0.4rem; vertical-align: top; }
th { background: #__HEADER__; }
td.r { text-align: right; white-space: nowrap; } td.c { text-align: center; }
td a { word-break: break-all; }
figure { margin: 0.8rem 0; text-align: center; } figure img { max-width: 100%; }
figcaption { font-size: 0.85rem; color: #444; }
p.note { font-size: 0.85rem; color: #595959; } p.lead { font-weight: bold; }
p.alert { font-weight: bold; color: #C00000; }
p.caption { text-align: center; font-size: 0.9rem; margin-bottom: 0.2rem; }
__STATUS__
"""


def _css() -> str:
    status = "\n".join(f"td.s-{k} {{ background: #{v}; }}" for k, v in STATUS_FILL.items())
    return CSS.replace("__HEADER__", HEADER_FILL).replace("__STATUS__", status)


def _cell(c: Cell) -> str:
    cls = [{"right": "r", "center": "c"}.get(c.align, "")]
    if c.status:
        cls.append(f"s-{c.status}")
    attr = f' class="{" ".join(x for x in cls if x)}"' if any(cls) else ""
    if c.href and c.href in c.text:
        head = c.text[: c.text.index(c.href)].strip()
        body = (escape(head) + " " if head else "") + f'<a href="{escape(c.href, quote=True)}">{escape(c.href)}</a>'
    else:
        body = escape(c.text)
    return f"<td{attr}>{body}</td>"


def _table(b: Table) -> str:
    cls = ' class="small"' if b.small else ""
    cols = ""
    if b.widths:
        total = sum(b.widths)
        cols = "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in b.widths) + "</colgroup>"
    head = "".join(f"<th>{escape(h)}</th>" for h in b.header)
    rows = "\n".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in b.rows)
    return f'<table id="tbl-{escape(b.key)}"{cls}>{cols}<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>'


def _nav(headings: list[Heading], lang: str) -> str:
    """Contents: chapters with their level-2 sections."""
    groups: list[tuple[Heading, list[Heading]]] = []
    for h in headings:
        if h.level == 1:
            groups.append((h, []))
        elif h.level == 2 and groups:
            groups[-1][1].append(h)
    link = lambda h: f'<a href="#{escape(h.anchor)}">{escape(h.text)}</a>'  # noqa: E731
    items = []
    for h, subs in groups:
        sub = "<ul>" + "".join(f"<li>{link(x)}</li>" for x in subs) + "</ul>" if subs else ""
        items.append(f"<li>{link(h)}{sub}</li>")
    return f'<nav><strong>{escape(t("toc", lang))}</strong><ul>{"".join(items)}</ul></nav>'


def render_html(report: Report, path: Path) -> Path:
    lang = report.lang
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{_css()}</style>",
        "</head>",
        "<body>",
        f'<div class="title">{"<br>".join(escape(x) for x in report.title_lines or [report.title])}</div>',
        *[f'<p class="subtitle">{escape(line)}</p>' for line in report.subtitle],
        _nav([b for b in report.blocks if isinstance(b, Heading)], lang),
    ]
    open_section = False
    for b in report.blocks:
        if isinstance(b, Heading):
            if b.level == 1:
                if open_section:
                    parts.append("</section>")
                parts.append(f'<section id="sec-{escape(b.anchor)}">')
                open_section = True
            parts.append(f'<h{b.level} id="{escape(b.anchor)}">{escape(b.text)}</h{b.level}>')
        elif isinstance(b, Para):
            cls = f' class="{b.style}"' if b.style != "body" else ""
            parts.append(f"<p{cls}>{escape(b.text)}</p>")
        elif isinstance(b, Bullets):
            parts.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            parts.append(_table(b))
        elif isinstance(b, Figure):
            data = base64.b64encode(b.png).decode("ascii")
            parts.append(f'<figure id="{escape(b.key)}"><img alt="{escape(b.caption)}" '
                         f'src="data:image/png;base64,{data}"><figcaption>{escape(b.caption)}</figcaption></figure>')
    if open_section:
        parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    path = Path(path)
    path.write_text("\n".join(parts), encoding="utf-8", newline="\n")
    return path
