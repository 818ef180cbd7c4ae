"""Inventory: the long emissions table with its provenance, roll-ups, totals and exports.

Totals follow the reporting rules of the IPCC 2006 Guidelines (Vol 1 Ch 8): CO2 from
biomass is a memo item, never in totals; indirect (scope 2) rows are kept and reported
apart, never added to direct emissions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pint

from .categories import at_level, attribute
from .errors import GHGInventoryError, UnknownKeyError
from .gwp import check_gwp_set, gwp_column
from .units import Q_

#: Groupings that are derived from the category code rather than stored.
DERIVED = {
    "sector": "sector",
    "plan_area": "plan_area",
    "category_name_en": "name_en",
    "category_name_vi": "name_vi",
}
SCOPES = ("direct", "indirect")


class Inventory:
    """Emissions of an activity table, per activity row and gas, with provenance.

    Attributes
    ----------
    emissions : pandas.DataFrame
        The long table of DESIGN.md: ``facility_id``, ``year``, ``category``, ``activity``,
        ``gas``, ``emissions_kg``, ``co2e_kg``, ``scope``, ``biogenic``, ``factor_id`` ...
    meta : dict
        How it was computed: GWP set, guidelines, factor tables, number of input rows.
    """

    def __init__(self, emissions: pd.DataFrame, meta: dict[str, Any]):
        self.emissions = emissions
        self.meta = dict(meta)

    def __repr__(self) -> str:
        return (f"<Inventory: {len(self.emissions)} emission rows from {self.meta.get('rows')} "
                f"activity rows, GWP {self.gwp}, total {self.total():.6g~P}>")

    @property
    def gwp(self) -> str:
        """The GWP set of ``co2e_kg``."""
        return str(self.meta["gwp"])

    def with_gwp(self, gwp: str) -> Inventory:
        """The same inventory with CO2e under another GWP set."""
        check_gwp_set(gwp)
        if gwp == self.gwp:
            return self
        emissions = self.emissions.copy()
        emissions["co2e_kg"] = emissions["emissions_kg"].to_numpy() * gwp_column(
            emissions["gas"], emissions["fossil"], gwp)
        return Inventory(emissions, {**self.meta, "gwp": gwp})

    def _rows(self, scope: str, gwp: str | None) -> pd.DataFrame:
        if scope not in SCOPES:
            raise UnknownKeyError(f"unknown scope {scope!r}; use one of {SCOPES}")
        inv = self.with_gwp(gwp) if gwp else self
        table = inv.emissions
        return table[(table["scope"] == scope).to_numpy()]

    def rollup(
        self,
        by: str | Sequence[str] = (),
        gwp: str | None = None,
        *,
        level: int | None = None,
        scope: str = "direct",
    ) -> pd.DataFrame:
        """Sum emissions by groups: one row per group, ``co2e_kg`` and ``<gas>_kg`` per gas.

        Parameters
        ----------
        by : str or sequence of str
            Any of ``facility_id``, ``commune``, ``district``, ``year``, ``gas``,
            ``category``, ``activity``, ``sector`` (1-4), ``plan_area``, or any column of
            the emissions table.
        gwp : str, optional
            Another GWP set for ``co2e_kg`` than the one computed with.
        level : int, optional
            Truncate ``category`` to this level of the tree first (1 = sector, 2 = ``1.A``,
            3 = ``1.A.2`` ...).
        scope : {"direct", "indirect"}
            Direct emissions (default) or indirect (scope 2); never both added.

        Returns
        -------
        pandas.DataFrame
            Groups as columns, then ``co2e_kg`` and ``<gas>_kg``; biogenic CO2 is not in
            ``co2e_kg`` nor in ``CO2_kg``, and is shown as the memo ``biogenic_CO2_kg``.
        """
        keys = [by] if isinstance(by, str) else list(by)
        rows = self._rows(scope, gwp)
        frame = pd.DataFrame(index=rows.index)
        for key in keys:
            if key in DERIVED:
                frame[key] = attribute(rows["category"], DERIVED[key]).to_numpy()
            elif key == "category" and level:
                frame[key] = at_level(rows["category"], level).to_numpy()
            elif key in rows:
                frame[key] = rows[key]
            else:
                raise UnknownKeyError(f"cannot group by {key!r}; columns: {', '.join(rows.columns)}"
                                      f", or derived: {', '.join(DERIVED)}")
        biogenic = rows["biogenic"].to_numpy()
        frame["_gas"] = rows["gas"].astype(str).to_numpy()
        frame["_kg"] = np.where(biogenic, 0.0, rows["emissions_kg"].to_numpy())
        frame["_co2e"] = np.where(biogenic, 0.0, rows["co2e_kg"].to_numpy())
        frame["_bio"] = np.where(biogenic, rows["emissions_kg"].to_numpy(), 0.0)
        group = keys or (lambda _: 0)
        grouped = frame.groupby(group, observed=True, sort=True, dropna=False)
        result = grouped[["_co2e"]].sum().rename(columns={"_co2e": "co2e_kg"})
        per_gas = frame.pivot_table(index=keys or (lambda _: 0), columns="_gas", values="_kg",
                                    aggfunc="sum", observed=True, fill_value=0.0, dropna=False) \
            if len(frame) else pd.DataFrame(index=result.index)
        for gas in sorted(per_gas.columns, key=_gas_order):
            result[f"{gas}_kg"] = per_gas[gas].reindex(result.index).fillna(0.0)
        result["biogenic_CO2_kg"] = grouped["_bio"].sum()
        return result.reset_index(drop=not keys)

    def total(self, gwp: str | None = None, *, scope: str = "direct") -> pint.Quantity:
        """Total emissions in t CO2e (biogenic CO2 excluded; direct or indirect, never both)."""
        rows = self._rows(scope, gwp)
        kg = float(rows["co2e_kg"].to_numpy()[~rows["biogenic"].to_numpy()].sum())
        return Q_(kg / 1000.0, "t * CO2e")

    def biogenic_co2(self) -> pint.Quantity:
        """Memo item: CO2 from biomass combustion, in t CO2 (never in totals)."""
        rows = self.emissions
        kg = float(rows["emissions_kg"].to_numpy()[rows["biogenic"].to_numpy()].sum())
        return Q_(kg / 1000.0, "t * CO2")

    def export(self, path: str | Path) -> Path:
        """Write the emissions table as CSV, Parquet or Excel, by the file's extension.

        The computation's metadata (GWP set, guidelines, factor tables) goes with it, in
        ``<path>.meta.json`` beside the file (and an ``about`` sheet in Excel). The file is
        written under a temporary name and renamed when complete.
        """
        import json

        path = Path(path)
        suffix = path.suffix.lower()
        tmp = path.with_name(path.name + ".partial")
        table = self.emissions
        if suffix == ".csv":
            table.to_csv(tmp, index=False)
        elif suffix in (".parquet", ".pq"):
            table.to_parquet(tmp, index=False)
        elif suffix == ".xlsx":
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                table.to_excel(writer, sheet_name="emissions", index=False)
                pd.DataFrame(sorted((k, str(v)) for k, v in self.meta.items()),
                             columns=["key", "value"]).to_excel(writer, sheet_name="about",
                                                               index=False)
        else:
            raise GHGInventoryError(f"{path}: unknown output type {suffix!r}; "
                                    "use .csv, .parquet or .xlsx")
        tmp.replace(path)  # never leave a partial file under the final name
        path.with_name(path.name + ".meta.json").write_text(
            json.dumps(self.meta, indent=2, default=str), encoding="utf-8")
        return path


_ORDER = {"CO2": 0, "CH4": 1, "N2O": 2}


def _gas_order(gas: str) -> tuple[int, str]:
    return (_ORDER.get(gas, 3), gas)
