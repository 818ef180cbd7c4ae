"""Biological treatment of solid waste (4.B): composting and anaerobic digestion, IPCC
2006 Vol 5 Ch 4.

CH4 and N2O of waste are non-fossil.

Activity rows
-------------
* **Biological treatment, 4.B**: ``activity`` = ``composting`` or ``anaerobic_digestion``,
  ``amount`` = waste treated [t], ``basis`` = ``wet`` (default) or ``dry``,
  ``methane_recovered`` [t CH4] for digesters (Eq. 4.1, 4.2, Table 4.1).

References
----------
.. [1] IPCC 2006 Guidelines, Vol 5, Ch 4 (Eq. 4.1, 4.2, Table 4.1).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import (
    choice,
    factor_activities,
    lookup,
    missing,
    number,
)
from ghg_inventory.units import Q_


def biological_treatment(waste: pint.Quantity, emission_factor: pint.Quantity,
                         recovered: pint.Quantity | None = None) -> pint.Quantity:
    r"""CH4 or N2O of composting or anaerobic digestion (IPCC 2006 Vol 5 Eq. 4.1, 4.2).

    .. math:: E = M \cdot EF \cdot 10^{-3} - R

    Parameters
    ----------
    waste : pint.Quantity
        M, waste treated, on the basis (wet or dry) of the factor. [t]
    emission_factor : pint.Quantity
        EF of Table 4.1. [g/kg waste treated]
    recovered : pint.Quantity, optional
        R, CH4 recovered (flared or used); only for CH4. [t]

    Returns
    -------
    pint.Quantity
        [kg]
    """
    out = (waste * emission_factor).to("kg")
    return out - recovered.to("kg") if recovered is not None else out


def _biological_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        basis, more = choice(table, "basis", ("wet", "dry"), default="wet",
                             what=msg("sectors.biological.what_basis"))
        failures += more
        gases = {gas: lookup(table, ctx, "ef", "g/kg", gas=gas, variant=basis,
                             required=("variant",)) for gas in ("CH4", "N2O")}
        every = np.ones(len(table), dtype=bool)
        for gas, (key, ans) in gases.items():
            failures += missing(key, ans, every, "activity",
                                msg("sectors.biological.no_factor", gas=gas))
        recovered, more = number(table, "methane_recovered", 0.0, 0.0, None,
                                 msg("sectors.biological.what_recovered"))
        failures += more
        key, ans = gases["CH4"]
        generated = table["amount"].to_numpy(dtype=float) * ans["value"].to_numpy()[key] / 1000
        over = np.flatnonzero(recovered * 1000 > generated * (1 + 1e-9))
        if len(over):
            failures.append(Failure(over, "methane_recovered",
                                    msg("sectors.biological.recovered_over")))
        return {"failures": failures, "gases": gases, "recovered": recovered}
    return ctx.remember("biological.inputs", table, make)  # type: ignore[return-value]


def _biological_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _biological_inputs(table, ctx)
    waste = Q_(table["amount"].to_numpy(dtype=float), "kg")
    results = []
    for gas, (key, ans) in p["gases"].items():
        recovered = Q_(p["recovered"], "t") if gas == "CH4" else None
        kg = biological_treatment(waste, Q_(ans["value"].to_numpy()[key], "g/kg"),
                                  recovered).m_as("kg")
        results.append(GasResult(gas, kg, key, ans.assign(fossil=False)))
    return gas_results(results)


BIOLOGICAL = Method(
    name="biological_treatment",
    categories=("4.B",),
    activities=lambda factors: factor_activities(factors, "ef", "4.B"),
    amount_kinds=("mass",),
    compute=_biological_compute,
    check=lambda t, c: _biological_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"basis": str, "methane_recovered": float},
    description="Composting and anaerobic digestion CH4 and N2O, IPCC 2006 Vol 5 Ch 4 "
                "Eq. 4.1, 4.2, Table 4.1",
)
