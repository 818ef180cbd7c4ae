"""Key category analysis (IPCC 2006 Vol 1 Ch 4): Approach 1 level and trend assessments,
and Approach 2 weighted by uncertainty.

Categories are IPCC codes at a chosen level of the tree (default 3: ``1.A.2``) by gas, as
Table 4.1 suggests. Emissions are direct CO2e (biogenic CO2 and indirect rows excluded);
removals, when land-use methods produce them, enter with their absolute value in the
level assessment. "Without LULUCF" leaves out category 3.B (land).

References
----------
.. [1] IPCC 2006 Guidelines, Vol 1, Ch 4, Eq. 4.1 (level), 4.2 (trend), 4.3 and 4.4
   (Approach 2), section 4.3.1 (95% and 90% thresholds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.i18n.messages import msg

if TYPE_CHECKING:
    from ghg_inventory.inventory import Inventory

LEVEL_THRESHOLD = 95.0       # Approach 1, cumulative % (Vol 1 Ch 4, section 4.3.1)
APPROACH_2_THRESHOLD = 90.0  # Approach 2, cumulative % of uncertainty-weighted contributions
LULUCF = "3.B"


def level_assessment(emissions: pd.Series, uncertainty_pct: pd.Series | None = None
                     ) -> pd.DataFrame:
    r"""Level assessment of one year (Eq. 4.1; with uncertainty, Eq. 4.3).

    .. math:: L_{x,t} = \frac{|E_{x,t}|}{\sum_y |E_{y,t}|}

    Parameters
    ----------
    emissions : pandas.Series
        CO2e of each category (index: category, gas) in the year. [any mass]
    uncertainty_pct : pandas.Series, optional
        Each category's uncertainty (%), for Approach 2: ``LU = L x U``, normalised.

    Returns
    -------
    pandas.DataFrame
        Sorted by contribution: ``emissions``, ``level`` (fraction), ``cumulative_pct`` and
        ``key`` (within the 95% threshold; 90% for Approach 2).
    """
    absolute = emissions.abs()
    if absolute.sum() == 0:
        raise GHGInventoryError(msg("analysis.key_categories.no_emissions"))
    share = absolute / absolute.sum()
    out = pd.DataFrame({"emissions": emissions, "level": share})
    threshold = LEVEL_THRESHOLD
    if uncertainty_pct is not None:
        weighted = share * uncertainty_pct.reindex(share.index)
        out["uncertainty_pct"] = uncertainty_pct.reindex(share.index)
        out["level"] = weighted / weighted.sum()
        threshold = APPROACH_2_THRESHOLD
    return _cumulate(out, "level", threshold)


def trend_assessment(base: pd.Series, current: pd.Series,
                     uncertainty_pct: pd.Series | None = None) -> pd.DataFrame:
    r"""Trend assessment between a base year and year t (Eq. 4.2; with uncertainty, Eq. 4.4).

    .. math:: T_{x,t} = \frac{|E_{x,0}|}{\sum_y |E_{y,0}|} \cdot
              \left| \frac{E_{x,t} - E_{x,0}}{|E_{x,0}|}
              - \frac{\sum_y E_{y,t} - \sum_y E_{y,0}}{|\sum_y E_{y,0}|} \right|

    Categories absent in the base year have no trend term (E_x,0 = 0); they are reported
    with ``trend`` NaN and can be key only through the level assessment.

    Returns
    -------
    pandas.DataFrame
        Sorted by contribution: ``base``, ``current``, ``trend`` (T), ``contribution``
        (T / sum T), ``cumulative_pct`` and ``key``.
    """
    index = base.index.union(current.index)
    e0, et = base.reindex(index).fillna(0.0), current.reindex(index).fillna(0.0)
    total0, total_t = e0.sum(), et.sum()
    if total0 == 0:
        raise GHGInventoryError(msg("analysis.key_categories.no_base_emissions"))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (e0.abs() / e0.abs().sum()) * ((et - e0) / e0.abs()
                                           - (total_t - total0) / abs(total0)).abs()
    t = t.where(e0 != 0)
    out = pd.DataFrame({"base": e0, "current": et, "trend": t})
    threshold = LEVEL_THRESHOLD
    weights = t.fillna(0.0)
    if uncertainty_pct is not None:
        out["uncertainty_pct"] = uncertainty_pct.reindex(index)
        weights = weights * out["uncertainty_pct"]
        threshold = APPROACH_2_THRESHOLD
    out["contribution"] = weights / weights.sum()
    return _cumulate(out, "contribution", threshold)


def _cumulate(frame: pd.DataFrame, column: str, threshold: float) -> pd.DataFrame:
    frame = frame.sort_values(column, ascending=False, kind="stable")
    cumulative = 100 * frame[column].fillna(0.0).cumsum()
    frame["cumulative_pct"] = cumulative
    # a category is key while the cumulative total *before* it is below the threshold
    before = cumulative - 100 * frame[column].fillna(0.0)
    frame["key"] = (before < threshold) & (frame[column].fillna(0.0) > 0)
    return frame


def key_categories(inventory: Inventory, year: int, base_year: int | None = None, *,
                   level: int = 3, lulucf: bool = True, approach: int = 1,
                   **uncertainty_options: object) -> pd.DataFrame:
    """Key categories of an inventory: level (and, with ``base_year``, trend) assessment.

    Parameters
    ----------
    inventory : Inventory
    year, base_year : int
    level : int
        Category tree level (3: ``1.A.2``).
    lulucf : bool
        Include land (3.B) categories; run both to report "with and without LULUCF".
    approach : {1, 2}
        2 weights by each category's Approach 1 uncertainty (needs the uncertainty inputs,
        see :func:`ghg_inventory.analysis.uncertainty.prepare`).

    Returns
    -------
    pandas.DataFrame
        Per category and gas: level columns (``level``, ``level_cumulative_pct``,
        ``level_key``), trend columns when a base year is given, and ``key`` (either).
    """
    table = inventory.rollup(by=["year", "category", "gas"], level=level)
    if not lulucf:
        table = table[~table["category"].astype(str).str.startswith(LULUCF)]
    series = table.set_index(["year", "category", "gas"])["co2e_kg"]
    if year not in series.index.get_level_values(0):
        raise GHGInventoryError(msg("analysis.key_categories.no_emissions_year", year=year))
    uncertainty = None
    if approach == 2:
        from ghg_inventory.analysis.uncertainty import error_propagation

        u = error_propagation(inventory, by=["year", "category", "gas"], level=level,
                              **uncertainty_options)
        uncertainty = u.set_index(["year", "category", "gas"])["uncertainty_pct"]
    elif approach != 1:
        raise GHGInventoryError(msg("analysis.key_categories.approach"))
    pick = (lambda s, y: s.xs(y, level="year") if s is not None else None)  # noqa: E731
    lev = level_assessment(series.xs(year, level="year"), pick(uncertainty, year))
    out = lev.rename(columns={"emissions": "co2e_kg", "cumulative_pct": "level_cumulative_pct",
                              "key": "level_key"})
    out["key"] = out["level_key"]
    if base_year is not None:
        trend = trend_assessment(series.xs(base_year, level="year"),
                                 series.xs(year, level="year"), pick(uncertainty, year))
        trend = trend.rename(columns={"cumulative_pct": "trend_cumulative_pct",
                                      "key": "trend_key", "base": "base_co2e_kg"})
        out = out.join(trend[["base_co2e_kg", "trend", "contribution", "trend_cumulative_pct",
                              "trend_key"]], how="outer")
        out["level_key"] = out["level_key"].fillna(False).astype(bool)
        out["trend_key"] = out["trend_key"].fillna(False).astype(bool)
        out["key"] = out["level_key"] | out["trend_key"]
    out.attrs.update({"year": year, "base_year": base_year, "approach": approach,
                      "lulucf": lulucf, "category_level": level})
    return out.reset_index()
