"""Editions of the IPCC Guidelines: which 2006 defaults the 2019 Refinement revised.

A run under ``guidelines="2019"`` must not use a 2006 default of a table the Refinement
revised (``data/refined_2019.csv``, each revision with its source and evidence): the factor
look-up (:meth:`ghg_inventory.factors.FactorDB.lookup`) leaves such records out and says
why, so that an inventory never mixes editions without a word (docs/editions.md).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from ghg_inventory.i18n.messages import Message, msg


def superseded_by_2019(records: pd.DataFrame) -> np.ndarray:
    """Which records are IPCC 2006 defaults that the 2019 Refinement revised
    (``data/refined_2019.csv``), and so not in force under ``guidelines="2019"``.

    Only IPCC defaults: a record specific to a country or facility is national data,
    whatever edition it cites, and stays in force.
    """
    refined = refined_2019()
    out = np.zeros(len(records), dtype=bool)
    if not len(records):
        return out
    default = (records["guidelines"].astype(str) == "2006").to_numpy() & \
        records["country"].isna().to_numpy() & records["facility_id"].isna().to_numpy()
    category = records["category"].astype(str)
    for row in refined.itertuples(index=False):  # a dozen table revisions, not rows
        match = default & (records["parameter"] == row.parameter).to_numpy()
        match &= ((category == row.category)
                  | category.str.startswith(row.category + ".")).to_numpy()
        if row.activity != "*":
            match &= (records["activity"] == row.activity).to_numpy()
        if row.table_2006 != "*":
            match &= (records["reference"] == row.table_2006).to_numpy()
        out |= match
    return out


def superseded_reasons(records: pd.DataFrame) -> list[Message]:
    """For superseded records, why they are not used and what to do instead (messages:
    the revision's source and change are quoted from ``data/refined_2019.csv`` as written)."""
    refined = refined_2019()
    reasons = []
    for factor_id, parameter, category, activity, reference in zip(
            records["factor_id"], records["parameter"], records["_anc"], records["activity"],
            records["reference"], strict=True):  # one per distinct key without a record
        rows = refined[(refined["parameter"] == parameter)
                       & refined["table_2006"].isin((reference, "*"))
                       & refined["activity"].isin((activity, "*"))
                       & refined["category"].map(lambda c, k=str(category): k == c
                                                 or k.startswith(c + "."))]
        revision = rows.iloc[0] if len(rows) else None
        where = (f"{revision['source']}: {revision['change']}" if revision is not None
                 else msg("core.editions.refinement"))
        reasons.append(msg("core.editions.revised", factor_id=factor_id, reference=reference,
                           where=where))
    return reasons


@cache
def refined_2019() -> pd.DataFrame:
    """The 2006 tables the 2019 Refinement revised (``data/refined_2019.csv``): columns
    ``parameter``, ``category``, ``activity`` (``*``: all), ``table_2006`` (the reference
    the 2006 records cite, ``*``: all), ``source`` (the 2019 table), ``change``, ``evidence``."""
    path = resources.files("ghg_inventory") / "data" / "refined_2019.csv"
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, comment="#", keep_default_na=False)
