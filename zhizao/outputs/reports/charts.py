"""Charts, drawn once as PNG and embedded unchanged in DOCX, HTML and (through the DOCX) PDF.

matplotlib's object API (no pyplot): no global figure state, so building reports in one process
never leaks between charts. The CJK font is loaded by file path (fonts.find_cjk_fonts) so Chinese
never renders as boxes; PNG metadata is dropped so the same inputs give the same bytes.
"""
from __future__ import annotations

import io
from contextlib import contextmanager

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from zhizao.outputs.reports.fonts import SANS, find_cjk_fonts
from zhizao.outputs.reports.style import STATUS_COLOR
from zhizao.outputs.reports.text import (actual_text, growth, ind_name, num, pct, required_growth, status_text,
                                         t)

DPI = 150
_registered: set[str] = set()

QUAL_MARKER = {"exact": "o", "more_than": "^", "at_least": "^", "nearly": "v", "at_most": "v",
               "less_than": "v", "about": "D"}
QUAL_LEGEND = {"o": "c_actual", "^": "c_qualified_up", "v": "c_qualified_down", "D": "c_qualified_about"}
ACTUAL = "#1F4E79"
PATH = "#7F7F7F"
EVIDENCE = "#A6A6A6"
TARGET = "#C00000"


@contextmanager
def _cjk_style():
    """matplotlib settings for one chart: the Noto Sans CJK face, loaded by file path."""
    fonts = find_cjk_fonts()  # raises FontMissing: no silent fallback to boxes
    path = str(fonts.sans)
    if path not in _registered:
        font_manager.fontManager.addfont(path)  # a .ttc: every face, SC among them
        _registered.add(path)
    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": [SANS],
        "axes.unicode_minus": False,
        "svg.hashsalt": "zhizao",  # fixed ids should anyone render SVG
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(rc):
        yield


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _hex(c: str) -> str:
    return "#" + c


def indicator_chart(ind: dict, lang: str, final: dict | None = None) -> bytes:
    """Actual values (marker by qualifier), planned path, target, projection and required path.

    With `final` (ind["final"] of a final evaluation) the title shows the final status and the
    projection is the final one, with its interval; the mid-term pace lines are left out."""
    with _cjk_style():
        fig = Figure(figsize=(7.2, 3.7))
        ax = fig.add_subplot(1, 1, 1)
        handles: dict[str, object] = {}
        years: list[int] = []

        path = ind.get("path") or []
        if path:
            xs, ys = [p["year"] for p in path], [p["planned"] for p in path]
            (h,) = ax.plot(xs, ys, color=PATH, linestyle="--", linewidth=1.2)
            handles[t("c_path", lang)] = h
            years += xs
        tg = ind["target"] or {}
        if tg.get("year") is not None:  # tracked or undated: no target point to draw
            (h,) = ax.plot([tg["year"]], [tg["value"]], marker="*", markersize=13, color=TARGET, linestyle="none")
            handles[f"{t('c_target', lang)} {tg.get('display') or tg.get('text') or num(tg['value'])}"] = h
            ax.annotate(tg.get("display") or tg.get("text") or num(tg["value"]), (tg["year"], tg["value"]), xytext=(6, 4),
                        textcoords="offset points", color=TARGET, fontsize=8)
            years.append(tg["year"])

        for ev in ind.get("other_evidence") or []:
            if ev.get("value") is None or ev.get("year") is None or (ev.get("unit") not in (None, ind["unit"])):
                continue
            (h,) = ax.plot([ev["year"]], [ev["value"]], marker="d", color=EVIDENCE, markersize=6, linestyle="none")
            handles[t("c_evidence", lang)] = h
            years.append(ev["year"])

        for row in ind.get("history") or []:
            if row.get("value") is None:
                continue
            years.append(row["year"])
            if not row.get("chosen"):
                (h,) = ax.plot([row["year"]], [row["value"]], marker="x", color=PATH, markersize=5, linestyle="none")
                handles[t("c_other_values", lang)] = h
                continue
            marker = QUAL_MARKER.get(row.get("qualifier") or "exact", "o")
            deciding = row.get("deciding", True)
            (h,) = ax.plot([row["year"]], [row["value"]], marker=marker, markersize=7, linestyle="none",
                           color=ACTUAL, markerfacecolor=ACTUAL if deciding else "white")
            handles[t(QUAL_LEGEND[marker] if deciding else "c_actual_d", lang)] = h

        status = ind["status"]
        color = _hex(STATUS_COLOR[final["status"] if final else status])
        if ind.get("actual") is not None and ind.get("data_year") is not None:
            x0, y0 = ind["data_year"], ind["actual"]
            ax.annotate(actual_text(y0, ind.get("qualifier"), lang), (x0, y0), xytext=(-6, 8),
                        textcoords="offset points", ha="right", color=ACTUAL, fontsize=8)
            proj = (final or {}).get("projection")
            if proj and proj.get("value") is not None:
                lo, hi = proj.get("low", proj["value"]), proj.get("high", proj["value"])
                h = ax.errorbar([proj["year"]], [proj["value"]], yerr=[[proj["value"] - lo], [hi - proj["value"]]],
                                fmt="s", color=color, markersize=6, capsize=4, linewidth=1.2)
                ax.plot([x0, proj["year"]], [y0, proj["value"]], color=color, linestyle=":", linewidth=1.4)
                handles[f"{t('c_projection_final', lang)} {num(proj['value'])}（{num(lo)}～{num(hi)}）" if lang != "en" else
                        f"{t('c_projection_final', lang)} {num(proj['value'])} ({num(lo)} to {num(hi)})"] = h
                years.append(proj["year"])
            if final is not None:
                pass  # the mid-term projection and required path do not apply once the period has ended
            elif ind.get("projected") is not None and tg.get("year") is not None and x0 < tg["year"]:
                (h,) = ax.plot([x0, tg["year"]], [y0, ind["projected"]], color=color, linestyle=":", linewidth=1.8)
                handles[f"{t('c_projection', lang)} {num(ind['projected'])}"] = h
                ax.annotate(num(ind["projected"]), (tg["year"], ind["projected"]), xytext=(6, -10),
                            textcoords="offset points", color=color, fontsize=8)
            if final is None and required_growth(ind) is not None and tg.get("year") is not None and x0 < tg["year"] and status != "achieved":
                (h,) = ax.plot([x0, tg["year"]], [y0, tg["value"]], color="black", linestyle="-.", linewidth=1)
                handles[f"{t('c_required', lang)}（{growth(ind, required_growth(ind), lang)}）"
                        if lang != "en" else
                        f"{t('c_required', lang)} ({growth(ind, required_growth(ind), lang)})"] = h

        if years:
            lo, hi = min(years), max(years)
            ax.set_xlim(lo - 0.5, hi + 0.8)
            ax.set_xticks(list(range(lo, hi + 1)))
        ax.set_title(f"{ind_name(ind, lang)}（{ind['unit']}）" if lang != "en" else
                     f"{ind_name(ind, lang)} ({ind['unit']})", loc="left", fontsize=10)
        ax.set_title(final.get("label") or "" if final else status_text(ind, lang), loc="right", fontsize=10,
                     color=color)
        ax.grid(axis="y", color="#E0E0E0", linewidth=0.6)
        ax.legend(list(handles.values()), list(handles.keys()), loc="upper center", bbox_to_anchor=(0.5, -0.1),
                  ncol=3, fontsize=7.5, frameon=False)
        fig.tight_layout()
        return _png(fig)


def clusters_chart(clusters: list[dict], names: dict[str, str], lang: str, heading: str | None = None) -> bytes:
    """Each cluster's latest scale against its scale target (horizontal bars)."""
    with _cjk_style():
        fig = Figure(figsize=(7.2, 3.4))
        ax = fig.add_subplot(1, 1, 1)
        labels = [names.get(c["id"], c["name"]) for c in clusters][::-1]
        rows = clusters[::-1]
        ys = list(range(len(rows)))
        ax.barh(ys, [c["target"] for c in rows], color="#E7E6E6", label=t("c_cluster_target", lang))
        actual = [c["actual"] if c.get("actual") is not None else 0 for c in rows]
        bars = ax.barh(ys, actual, height=0.5, color=ACTUAL, label=t("c_cluster_actual", lang))
        for b, c in zip(bars, rows):
            if c.get("comparability") not in (None, "comparable"):
                b.set_hatch("///")
                b.set_facecolor("#9DC3E6")
        xmax = max(c["target"] for c in rows) if rows else 1
        for y, c in zip(ys, rows):
            if c.get("actual") is None:
                txt = f"{t('c_no_data', lang)} / {num(c['target'])}"
            else:
                txt = (f"{actual_text(c['actual'], c.get('qualifier'), lang)} / {num(c['target'])}"
                       f"（{pct(c.get('share_of_target'))}，{c.get('year')}）" if lang != "en" else
                       f"{actual_text(c['actual'], c.get('qualifier'), lang)} / {num(c['target'])}"
                       f" ({pct(c.get('share_of_target'))}, {c.get('year')})")
            ax.text(c["target"] + xmax * 0.01, y, txt, va="center", fontsize=8)
        ax.set_yticks(ys)
        ax.set_yticklabels(labels)
        ax.set_xlim(0, xmax * 1.55)
        ax.set_xlabel(clusters[0]["unit"] if clusters else "")
        heading = heading or ("the clusters" if lang == "en" else "产业集群")  # the plan's cluster_heading
        ax.set_title(t("c_clusters_title", lang).format(heading[:1].upper() + heading[1:]), loc="left", fontsize=10)
        handles, labels_ = ax.get_legend_handles_labels()
        if any(c.get("comparability") not in (None, "comparable") for c in rows):
            handles.append(Patch(facecolor="#9DC3E6", hatch="///", edgecolor="black", linewidth=0))
            labels_.append(t("c_cluster_proxy", lang))
        ax.legend(handles, labels_, loc="lower right", fontsize=7.5, frameon=False)
        fig.tight_layout()
        return _png(fig)


def final_counts_chart(rows: list[tuple[str, str, int]], lang: str) -> bytes:
    """How many indicators in each final status: (status, label, n), bars coloured by status."""
    with _cjk_style():
        fig = Figure(figsize=(7.2, 0.42 * max(len(rows), 3) + 0.8))
        ax = fig.add_subplot(1, 1, 1)
        rows = rows[::-1]
        ys = list(range(len(rows)))
        ax.barh(ys, [n for _, _, n in rows], color=[_hex(STATUS_COLOR.get(s, "7F7F7F")) for s, _, _ in rows], height=0.6)
        for y, (_, _, n) in zip(ys, rows):
            ax.text(n + 0.1, y, str(n), va="center", fontsize=9)
        ax.set_yticks(ys)
        ax.set_yticklabels([label for _, label, _ in rows])
        ax.set_xlim(0, max([n for _, _, n in rows] + [1]) * 1.15 + 0.5)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        fig.tight_layout()
        return _png(fig)
