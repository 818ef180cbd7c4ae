"""Burning of crop residues in the field (3.C.1), IPCC 2006 Vol 4 Ch 2.

CH4 and N2O are non-fossil; CO2 from burning crop residues is a biogenic memo item.

Activity rows
-------------
* **Burning crop residues, 3.C.1**: ``activity`` = ``rice_straw``, ``maize_residue`` ...,
  ``amount`` = area burnt [ha] (Eq. 2.27). With ``fuel_available`` M_B [t DM/ha] in the row,
  the dry matter burnt is M_B x C_f (``combustion_factor``, the row's or Table 2.6's).
  Without it, the IPCC 2006 default is Table 2.4's fuel *consumed* per hectare, the product
  M_B x C_f itself (wheat, maize, rice and sugarcane residues), and no C_f is applied (a row
  giving ``combustion_factor`` but no ``fuel_available`` is refused). The 2019 Refinement's
  Table 2.4 (Updated) drops those per-crop values (M_B = AGR(T) x Frac_Burnt(T), Vol 4
  Eq. 11.6), so under ``guidelines="2019"`` ``fuel_available`` is needed.

References
----------
.. [1] IPCC 2006 Guidelines, Vol 4, Ch 2 (Eq. 2.27, Tables 2.4-2.6).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import (
    activities_with,
    failing,
    given,
    lookup,
    missing,
    number,
)
from ghg_inventory.sectors._livestock import joined_ids, lacking, record_ids
from ghg_inventory.units import Q_


def biomass_burning(area: pint.Quantity, fuel_available: pint.Quantity,
                    combustion_factor: np.ndarray | float,
                    emission_factor: pint.Quantity) -> pint.Quantity:
    r"""Emissions of a gas from burning biomass in the field (IPCC 2006 Vol 4 Eq. 2.27).

    .. math:: L = A \cdot M_B \cdot C_f \cdot G_{ef} \cdot 10^{-3}

    Parameters
    ----------
    area : pint.Quantity
        Area burnt. [ha]
    fuel_available : pint.Quantity
        M_B, mass of fuel available for combustion; or Table 2.4's fuel consumed
        (M_B x C_f) with ``combustion_factor`` = 1. [t dry matter/ha]
    combustion_factor : float or numpy.ndarray
        C_f (Table 2.6); 1 with a Table 2.4 value. [dimensionless]
    emission_factor : pint.Quantity
        G_ef (Table 2.5). [g/kg dry matter burnt]

    Returns
    -------
    pint.Quantity
        [kg]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 2, Eq. 2.27, Tables 2.4-2.6.
    """
    burnt = area * fuel_available * np.asarray(combustion_factor)
    return (burnt * emission_factor).to("kg")


def _burning_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        mb_key, mb = lookup(table, ctx, "fuel_available", "t/ha")
        fuel, more = number(table, "fuel_available", mb["value"].to_numpy()[mb_key], 0.0,
                            None, msg("sectors.biomass_burning.what_fuel_available"))
        failures += more
        cf_key, cf = lookup(table, ctx, "combustion_factor", "dimensionless")
        comb, more = number(table, "combustion_factor", cf["value"].to_numpy()[cf_key], 0.0,
                            1.0, msg("sectors.biomass_burning.what_combustion_factor"))
        failures += more
        # Table 2.4: fuel consumed per ha (M_B x C_f), the default where M_B is not known
        fc_key, fc = lookup(table, ctx, "fuel_consumption", "t/ha")
        consumed = fc["value"].to_numpy(dtype=float)[fc_key]
        with_mb = ~np.isnan(fuel)
        from_table = ~with_mb & ~np.isnan(consumed)
        failures += lacking(~with_mb & np.isnan(consumed), "fuel_available",
                            msg("sectors.biomass_burning.no_fuel_consumption"),
                            (fc_key, fc))
        failures += failing(from_table & given(table, "combustion_factor"),
                            "combustion_factor",
                            msg("sectors.biomass_burning.consumption_with_factor"))
        failures += failing(with_mb & np.isnan(comb), "combustion_factor",
                            msg("sectors.biomass_burning.no_combustion_factor"))
        burnt = np.where(with_mb, fuel * comb, consumed)
        residues = pd.Series("agricultural_residues", index=table.index)
        gases = {gas: lookup(table, ctx, "ef", "g/kg", gas=gas, activity=residues)
                 for gas in ("CO2", "CH4", "N2O")}
        for gas, (key, ans) in gases.items():
            failures += missing(key, ans, np.ones(len(table), dtype=bool), "activity",
                                msg("sectors.biomass_burning.no_factor", gas=gas))
        # the Table 2.4 or 2.6 record (and M_B's, from an override table) each row used
        auxiliary = joined_ids(
            record_ids(mb_key, mb, with_mb & ~given(table, "fuel_available")),
            record_ids(cf_key, cf, with_mb & ~given(table, "combustion_factor")),
            record_ids(fc_key, fc, from_table))
        return {"failures": failures, "burnt": burnt, "gases": gases,
                "auxiliary": auxiliary}
    return ctx.remember("burning.inputs", table, make)  # type: ignore[return-value]


def _burning_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _burning_inputs(table, ctx)
    area = Q_(table["amount"].to_numpy(dtype=float), "ha")
    results = []
    for gas, (key, ans) in p["gases"].items():  # type: ignore[attr-defined]
        # M_B x C_f as one product (Table 2.4 prints it so): C_f = 1 in Eq. 2.27
        kg = biomass_burning(area, Q_(p["burnt"], "t/ha"), 1.0,  # type: ignore[arg-type]
                             Q_(ans["value"].to_numpy()[key], "g/kg")).m_as("kg")
        # biomass carbon: CO2 is a memo (non-fossil), CH4 and N2O non-fossil
        results.append(GasResult(gas, kg, key, ans.assign(fossil=False)))
    return gas_results(results, p["auxiliary"])  # type: ignore[arg-type]


BURNING = Method(
    name="cropland_burning",
    categories=("3.C.1",),
    activities=lambda factors: activities_with("combustion_factor", "3.C.1")(factors),
    amount_kinds=("area",),
    compute=_burning_compute,
    check=lambda t, c: _burning_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"fuel_available": float, "combustion_factor": float},
    description="Burning of crop residues in the field, IPCC 2006 Vol 4 Ch 2 Eq. 2.27, "
                "Tables 2.4-2.6 (fuel consumed per ha of Table 2.4 by default; CO2 "
                "biogenic memo)",
)
