"""The report's charts: matplotlib figures drawn on an Agg canvas (no display, no pyplot
state) and returned as base64 PNG, so the HTML page embeds them as ``data:`` URIs.

Bars are one green; axes carry numbers written the way the report's language writes them.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ghg_inventory import i18n
from ghg_inventory.i18n.formatting import format_number

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def shorten(label: str, limit: int = 40) -> str:
    """``label`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number_axis(axis: Any, lang: str) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, lang, 0)))


def _no_data(ax: Axes, lang: str) -> None:
    ax.text(0.5, 0.5, i18n.label("report.no_data", lang), ha="center", va="center",
            transform=ax.transAxes)
    ax.set_axis_off()


def bars(fig: Figure, labels: list[str], values: np.ndarray, lang: str, *,
         horizontal: bool) -> None:
    """One bar per label, in t CO2e, horizontal (largest on top) or vertical."""
    ax = fig.add_subplot()
    if not len(values):
        _no_data(ax, lang)
        return
    positions = np.arange(len(values))
    if horizontal:
        ax.barh(positions, values, color="#2e7d32")
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()  # the largest on top
        ax.set_xlabel(i18n.label("report.axis_co2e", lang))
        _number_axis(ax.xaxis, lang)
        ax.grid(axis="x", alpha=0.3)
    else:
        ax.bar(positions, values, color="#2e7d32")
        rotate = len(labels) > 6 or max(len(s) for s in labels) > 14
        ax.set_xticks(positions, labels, rotation=45 if rotate else 0,
                      ha="right" if rotate else "center")
        ax.set_ylabel(i18n.label("report.axis_co2e", lang))
        _number_axis(ax.yaxis, lang)
        ax.grid(axis="y", alpha=0.3)
    # removals (negative values, e.g. forestry) read against a visible zero line
    if horizontal:
        ax.axvline(0, color="#444", linewidth=0.6)
    else:
        ax.axhline(0, color="#444", linewidth=0.6)
    ax.set_axisbelow(True)


def indicator_bars(fig: Figure, frame: pd.DataFrame, lang: str) -> None:
    """One panel per indicator (their units differ): observed and target side by side."""
    text = i18n.labels(lang, "report.")
    names = list(dict.fromkeys(frame["indicator"]))
    if not names:
        _no_data(fig.add_subplot(), lang)
        return
    cols = min(len(names), 3)
    rows = -(-len(names) // cols)
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.flat[len(names):]:
        ax.set_axis_off()
    for ax, name in zip(axes.flat, names, strict=False):
        rows_of = frame[frame["indicator"] == name].sort_values("year")
        x = np.arange(len(rows_of))
        ax.bar(x - 0.2, rows_of["observed"], width=0.4, label=text["observed"],
               color="#2e7d32")
        ax.bar(x + 0.2, rows_of["target"].fillna(0.0), width=0.4, label=text["target"],
               color="#bdbdbd", edgecolor="#616161")
        ax.set_xticks(x, [str(y) for y in rows_of["year"]])
        ax.set_title(shorten(name, 45), fontsize=9)
        units = "; ".join(u for u in dict.fromkeys(rows_of["unit"]) if u)
        ax.set_ylabel(units)
        _number_axis(ax.yaxis, lang)
        ax.legend(fontsize=7)


def png(draw: Callable[[Figure], None], height: float) -> str:
    """A chart as base64 PNG, drawn on an Agg canvas (no pyplot, no display).

    ``draw`` fills the figure (8 in wide, ``height`` in high, 100 dpi).
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # data text such as "$" in a facility name is text, not mathtext
    with matplotlib.rc_context({"text.parse_math": False, "font.size": 9}):
        fig = Figure(figsize=(8.0, height), dpi=100, layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")
