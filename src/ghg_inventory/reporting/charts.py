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

from ghg_inventory import i18n
from ghg_inventory.i18n.formatting import format_number

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def shorten(label: str, limit: int = 40) -> str:
    """``label`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


#: Colours of stacked parts: facility reports green, provincial aggregates amber.
_COLOURS = ("#2e7d32", "#f9a825", "#1565c0", "#8e24aa")


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


def stacked(fig: Figure, labels: list[str], parts: dict[str, np.ndarray], lang: str, *,
            vertical: bool = False) -> None:
    """Bars of two or more parts stacked (t CO2e), one colour per part, the legend above
    the axes (never over the bars); horizontal by default (the first label on top)."""
    ax = fig.add_subplot()
    values = list(parts.values())
    if not len(labels) or not any(np.any(v != 0) for v in values):
        _no_data(ax, lang)
        return
    positions = np.arange(len(labels))
    base = np.zeros(len(labels))
    for (name, part), colour in zip(parts.items(), _COLOURS, strict=False):
        part = np.asarray(part, dtype=float)
        if vertical:
            ax.bar(positions, part, bottom=base, color=colour, label=name)
        else:
            ax.barh(positions, part, left=base, color=colour, label=name)
        base = base + part
    if vertical:
        ax.set_xticks(positions, labels, fontsize=7 if len(labels) > 10 else 8)
        ax.set_ylabel(i18n.label("report.axis_co2e", lang))
        _number_axis(ax.yaxis, lang)
        ax.grid(axis="y", alpha=0.3)
        ax.axhline(0, color="#444", linewidth=0.6)
    else:
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.set_xlabel(i18n.label("report.axis_co2e", lang))
        _number_axis(ax.xaxis, lang)
        ax.grid(axis="x", alpha=0.3)
        ax.axvline(0, color="#444", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.legend(loc="outside upper center", ncols=len(parts), frameon=False, fontsize=8)


def wrap(label: str, width: int = 38, lines: int = 2) -> str:
    """``label`` on at most ``lines`` lines of about ``width`` characters (cut with an
    ellipsis only past them), for a chart's axis."""
    import textwrap

    wrapped = textwrap.wrap(label, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = shorten(wrapped[-1] + " …", width)
    return "\n".join(wrapped)


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
