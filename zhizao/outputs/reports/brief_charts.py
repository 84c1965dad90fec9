"""Charts of the monthly brief (PNG, embedded in DOCX and HTML): the city's YTD growth path against
the target, and pulls (拉动) as horizontal bars. Same conventions as charts.py: matplotlib's object
API, the Noto CJK face loaded by file, no PNG metadata, nothing random."""
from __future__ import annotations

from matplotlib.figure import Figure

from zhizao import formatting
from zhizao.outputs.reports.charts import ACTUAL, PATH, TARGET, _cjk_style, _png

POSITIVE, NEGATIVE = "#2E75B6", "#C00000"


def growth_path_chart(this_year: list[tuple[str, float | None]], last_year: list[tuple[str, float | None]],
                      target: float, labels: dict[str, str]) -> bytes:
    """YTD growth (%) by reporting period, this year and last, with the annual target as a line."""
    with _cjk_style():
        fig = Figure(figsize=(7.2, 3.2))
        ax = fig.add_subplot(1, 1, 1)
        for series, colour, style, name in ((last_year, PATH, "--", labels["last"]), (this_year, ACTUAL, "-", labels["this"])):
            pts = [(x, y) for x, y in series if y is not None]
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], color=colour, linestyle=style, marker="o",
                        markersize=4, linewidth=1.8, label=name)
        ax.axhline(target, color=TARGET, linestyle="-.", linewidth=1.2, label=labels["target"])
        xs = [x for x, _ in (this_year or last_year)]
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels(xs)
        ax.set_ylabel("%")
        ax.set_title(labels["title"], loc="left", fontsize=10)
        ax.grid(axis="y", color="#E0E0E0", linewidth=0.6)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=7.5, frameon=False)
        fig.tight_layout()
        return _png(fig)


def pull_chart(rows: list[tuple[str, float]], title: str, xlabel: str) -> bytes:
    """Horizontal bars of pulls (percentage points), largest at the top; drags in red."""
    with _cjk_style():
        height = max(2.2, 0.6 + 0.22 * len(rows))
        fig = Figure(figsize=(7.2, height))
        ax = fig.add_subplot(1, 1, 1)
        names = [r[0] for r in rows][::-1]
        vals = [r[1] for r in rows][::-1]
        ys = list(range(len(rows)))
        ax.barh(ys, vals, color=[POSITIVE if v >= 0 else NEGATIVE for v in vals], height=0.65)
        for y, v in zip(ys, vals):
            ax.text(v, y, f" {formatting.number(v, 2)} ", va="center", ha="left" if v >= 0 else "right",
                    fontsize=7)
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_yticks(ys)
        ax.set_yticklabels(names, fontsize=7.5)
        lo, hi = min(vals + [0.0]), max(vals + [0.0])
        pad = (hi - lo) * 0.18 or 0.1
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left", fontsize=10)
        ax.grid(axis="x", color="#E0E0E0", linewidth=0.6)
        fig.tight_layout()
        return _png(fig)
