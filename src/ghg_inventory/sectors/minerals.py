"""Construction materials and other mineral industry: cement, lime, glass, bricks and other
process uses of carbonates (IPCC 2006 Vol 3 Ch 2). Process CO2 only: the fuel burned in the
kilns is reported under 1.A.2.f by the energy methods.

Methods and how the defaults combine
------------------------------------
* **Cement, Tier 1** (``activity = cement``, t of cement; Eq. 2.1):
  ``CO2 = (M_cement x C_cl - Im + Ex) x EF_clc``, with the row's ``clinker_fraction`` (or
  the default of its ``cement_type``: 0.95 for ``portland``, else the overall 0.75 of
  Section 2.2.1.2 for cement of unknown type), clinker imports ``clinker_imports`` and exports
  ``clinker_exports`` (t, default 0), and the Tier 1 clinker factor EF_clc, which already
  includes the default kiln-dust correction.
* **Cement, Tier 2** (``activity = clinker``, t of clinker; Eq. 2.2):
  ``CO2 = M_cl x EF_cl x CF_ckd``, with the default EF_cl and CF_ckd, or the row's
  ``ckd_correction``.
* **Carbonate inputs, Tier 3 of cement and lime, and 2.A.4** (``activity`` = a carbonate
  of Table 2.1, t of carbonate; Eq. 2.3 first term and Eq. 2.14):
  ``CO2 = M_carbonate x EF_carbonate x F``, with the row's ``calcination_fraction`` F
  (default 1, full calcination, as Eq. 2.14's Tier 1 assumes).
* **Bricks and ceramics, 2.A.4.a** (``activity = clay``, t of clay fired; Eq. 2.14 on the
  clay's carbonates): ``CO2 = M_clay x f_carbonate x EF_carbonate x F`` with the row's
  ``carbonate_fraction`` of the clay (default 0.10, the "default carbonate content of 10
  percent" for clays under Eq. 2.14, Section 2.5.1.2; its record's id is given in
  ``auxiliary_factor_ids`` where used) and ``carbonate`` type (default ``calcite``).
* **Lime** (``activity`` = lime type, t of lime; Eq. 2.6, 2.8):
  ``CO2 = M_lime x EF_lime x CF_lkd``; ``lime_unknown_type`` uses Eq. 2.8's mix of the
  high-calcium and dolomitic factors; ``lkd_correction`` (>= 1) where the user gives it.
* **Glass, Tier 1** (``activity = glass``, t of glass; Eq. 2.10):
  ``CO2 = M_glass x EF x (1 - CR)`` with the row's ``cullet_ratio`` or the default.
  **Tier 2** by type (``activity = glass_float``, ``glass_container_flint`` ... Table 2.6;
  Eq. 2.11): the same with the type's factor and the row's own ``cullet_ratio`` (Table 2.6
  prints only a typical range of it).

References
----------
.. [1] IPCC 2006 Guidelines, Vol 3, Ch 2, Eq. 2.1-2.3, 2.6, 2.8, 2.10, 2.14; Tables 2.1,
   2.4, 2.6.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import (
    activities_with,
    factor_activities,
    factor_keys,
    number,
)
from ghg_inventory.units import Q_


def process_emissions(mass: pint.Quantity, emission_factor: pint.Quantity,
                      fraction: float | np.ndarray = 1.0) -> pint.Quantity:
    r"""CO2 released by calcining a material: mass x factor x fraction.

    .. math:: CO_2 = M \cdot EF \cdot F

    Parameters
    ----------
    mass : pint.Quantity
        Mass of the material (clinker, lime, carbonate, glass ...). [t]
    emission_factor : pint.Quantity
        CO2 per mass of the material. [t CO2 / t]
    fraction : float or numpy.ndarray
        Calcination fraction, correction factor or (1 - cullet ratio). [dimensionless]

    Returns
    -------
    pint.Quantity
        CO2 emitted. [kg]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 3, Ch 2, Eq. 2.2, 2.6, 2.10, 2.14.
    """
    return (mass * emission_factor * fraction).to("kg")


def clinker_in_cement(cement: pint.Quantity, clinker_fraction: np.ndarray,
                      imports: pint.Quantity, exports: pint.Quantity) -> pint.Quantity:
    r"""Clinker attributable to the cement a plant produced (IPCC 2006 Vol 3 Eq. 2.1).

    .. math:: M_{cl} = \sum_i (M_{c,i} \cdot C_{cl,i}) - Im + Ex

    Parameters
    ----------
    cement : pint.Quantity
        Cement produced. [t]
    clinker_fraction : numpy.ndarray
        Clinker fraction of that cement. [dimensionless]
    imports, exports : pint.Quantity
        Clinker imported for, and exported from, the plant. [t]

    Returns
    -------
    pint.Quantity
        Clinker on which the Tier 1 factor applies. [t]
    """
    return (cement * clinker_fraction - imports + exports).to("t")


def _lookup(ctx: Context, keys: pd.DataFrame, parameter: str, unit: str,
            gas: str | None = None) -> pd.DataFrame:
    return ctx.factors.lookup(keys, parameter, unit, gas=gas, guidelines=ctx.guidelines)


def _missing(table: pd.DataFrame, key: np.ndarray, answer: pd.DataFrame, column: str,
             what: str) -> list[Failure]:
    rows = np.flatnonzero(answer["factor_id"].isna().to_numpy()[key])
    if not len(rows):
        return []
    names = table["activity"].iloc[rows].astype(str).to_numpy()
    return [Failure(rows, column, [msg("sectors.minerals.no_default", what=what, activity=a)
                                   for a in names])]


# --- process CO2 from a product or a carbonate: one kernel -------------------------------

#: What a method's plan resolves for every row: the key of its factor record, the records
#: (one per key), the mass the factor applies to [kg] (the row's amount, or the clinker of
#: Eq. 2.1 for Tier 1 cement), the fraction on it, and the rows it cannot compute.
Plan = tuple[np.ndarray, pd.DataFrame, np.ndarray, np.ndarray, list[Failure]]


def _amount_kg(table: pd.DataFrame) -> np.ndarray:
    return table["amount"].to_numpy(dtype=float)


def _single_co2(table: pd.DataFrame, ctx: Context, plan: Callable[[pd.DataFrame, Context], Plan],
                auxiliary: Callable[[pd.DataFrame, Context], pd.Categorical] | None = None
                ) -> pd.DataFrame:
    """CO2 of ``mass x EF x fraction`` where ``plan`` resolves mass, EF per key and fraction
    (``auxiliary``: per row, the ids of the other default records the fraction used).

    The carbon calcined is mineral (carbonates), so its CO2 is fossil and counted, whatever
    a record leaves empty; a record saying otherwise is refused by the check."""
    key, factors, mass, fraction, _ = plan(table, ctx)
    ef = Q_(factors["value"].to_numpy()[key], "t/t")
    emitted = process_emissions(Q_(mass, "kg"), ef, fraction).m_as("kg")
    return gas_results([GasResult("CO2", emitted, key, factors.assign(fossil=True))],
                       None if auxiliary is None else auxiliary(table, ctx))


def _non_fossil(key: np.ndarray, factors: pd.DataFrame) -> list[Failure]:
    """Rows whose record says the CO2 of a carbonate is not fossil."""
    said = factors["fossil"].astype(object).to_numpy()
    rows = np.flatnonzero((said == False)[key])  # noqa: E712 - None (not said) is fine
    if not len(rows):
        return []
    ids = factors["factor_id"].astype(str).to_numpy()[key[rows]]
    return [Failure(rows, "activity", [
        msg("sectors.minerals.not_fossil", record=i) for i in ids])]


def _check(plan: Callable[[pd.DataFrame, Context], Plan]
           ) -> Callable[[pd.DataFrame, Context], list[Failure]]:
    def check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
        key, factors, _, _, failures = plan(table, ctx)
        return (failures + _missing(table, key, factors, "activity",
                                    msg("sectors.minerals.what_ef"))
                + _non_fossil(key, factors))
    return check


def _carbonate_plan(table: pd.DataFrame, ctx: Context) -> Plan:
    key, keys = factor_keys(table, ctx, "carbonates")
    factors = _lookup(ctx, keys, "ef", "t/t", gas="CO2")
    fraction, failures = number(table, "calcination_fraction", 1.0, 0.0, 1.0,
                                msg("sectors.minerals.what_calcination"))
    return key, factors, _amount_kg(table), fraction, failures


CARBONATES = Method(
    name="carbonate_inputs",
    categories=("2.A.1", "2.A.2", "2.A.3", "2.A.4"),
    activities=activities_with("ef", "2.A.4", below=True, above=True),
    amount_kinds=("mass",),
    compute=lambda t, c: _single_co2(t, c, _carbonate_plan),
    check=_check(_carbonate_plan),
    parameters={"calcination_fraction": float},
    description="Carbonates calcined (cement/lime Tier 3, other uses 2.A.4), IPCC 2006 "
                "Vol 3 Eq. 2.3, 2.14, Table 2.1",
)


def _clay_default(table: pd.DataFrame, ctx: Context) -> tuple[np.ndarray, pd.DataFrame]:
    """The default carbonate content of the clay (Section 2.5.1.2) for each row."""
    key, keys = factor_keys(table, ctx, "clay_carbonate")
    return key, _lookup(ctx, keys, "carbonate_fraction", "dimensionless")


def _clay_auxiliary(table: pd.DataFrame, ctx: Context) -> pd.Categorical:
    """Per row, the id of the default carbonate-content record where the row used it."""
    key, answer = _clay_default(table, ctx)
    ids = answer["factor_id"].fillna("").astype(str).to_numpy(dtype=object)[key]
    own, _ = number(table, "carbonate_fraction", np.nan, 0.0, 1.0,
                    msg("sectors.minerals.what_carbonate"))
    used = np.where(np.isnan(own), ids, "").astype(object)
    codes, categories = pd.factorize(used)
    return pd.Categorical.from_codes(codes.astype(np.int32), categories=categories)


def _clay_plan(table: pd.DataFrame, ctx: Context) -> Plan:
    carbonate = table["carbonate"].astype("string").str.strip().fillna("calcite").replace(
        "", "calcite") if "carbonate" in table else pd.Series("calcite", index=table.index)
    carbonate = carbonate.astype("category")
    key, keys = factor_keys(table, ctx, "clay", activity=carbonate)
    keys["category"] = "2.A.4"
    factors = _lookup(ctx, keys, "ef", "t/t", gas="CO2")
    dkey, default = _clay_default(table, ctx)
    share, failures = number(table, "carbonate_fraction",
                             default["value"].to_numpy(dtype=float)[dkey], 0.0, 1.0,
                             msg("sectors.minerals.what_clay_carbonate"))
    missing = np.flatnonzero(np.isnan(share))
    if len(missing):
        failures.append(Failure(missing, "carbonate_fraction",
                                msg("sectors.minerals.no_clay_carbonate")))
    calcined, more = number(table, "calcination_fraction", 1.0, 0.0, 1.0,
                            msg("sectors.minerals.what_calcination"))
    return key, factors, _amount_kg(table), share * calcined, failures + more


CLAY = Method(
    name="clay_firing",
    categories=("2.A.4.a",),
    activities=lambda factors: {"clay"},
    amount_kinds=("mass",),
    compute=lambda t, c: _single_co2(t, c, _clay_plan, _clay_auxiliary),
    check=_check(_clay_plan),
    parameters={"carbonate_fraction": float, "carbonate": str, "calcination_fraction": float},
    description="Bricks and ceramics: carbonates in the clay, IPCC 2006 Vol 3 Eq. 2.14",
)


def _lime_plan(table: pd.DataFrame, ctx: Context) -> Plan:
    key, keys = factor_keys(table, ctx, "lime")
    factors = _lookup(ctx, keys, "ef", "t/t", gas="CO2")
    correction, failures = number(table, "lkd_correction", 1.0, 1.0, None,
                                  msg("sectors.minerals.what_lkd"))
    return key, factors, _amount_kg(table), correction, failures


LIME = Method(
    name="lime",
    categories=("2.A.2",),
    activities=lambda factors: (
        factor_activities(factors, "ef", "2.A.2", below=True, above=True)
        - factor_activities(factors, "ef", "2.A.4", below=True, above=True)),
    amount_kinds=("mass",),
    compute=lambda t, c: _single_co2(t, c, _lime_plan),
    check=_check(_lime_plan),
    parameters={"lkd_correction": float},
    description="Lime production by type, IPCC 2006 Vol 3 Eq. 2.6, 2.8, Table 2.4",
)


def _glass_plan(table: pd.DataFrame, ctx: Context) -> Plan:
    key, keys = factor_keys(table, ctx, "glass")
    factors = _lookup(ctx, keys, "ef", "t/t", gas="CO2")
    default = _lookup(ctx, keys, "cullet_ratio", "dimensionless")["value"].to_numpy()[key]
    cullet, failures = number(table, "cullet_ratio", default, 0.0, 1.0,
                              msg("sectors.minerals.what_cullet"))
    missing = np.flatnonzero(np.isnan(cullet))
    if len(missing):
        failures.append(Failure(missing, "cullet_ratio",
                                msg("sectors.minerals.no_cullet")))
    return key, factors, _amount_kg(table), 1.0 - cullet, failures


GLASS = Method(
    name="glass",
    categories=("2.A.3",),
    activities=lambda factors: factor_activities(factors, "ef", "2.A.3"),
    amount_kinds=("mass",),
    compute=lambda t, c: _single_co2(t, c, _glass_plan),
    check=_check(_glass_plan),
    parameters={"cullet_ratio": float},
    description="Glass production, Tier 1, IPCC 2006 Vol 3 Eq. 2.10",
)


# --- cement ---------------------------------------------------------------------------------

def _cement_plan(table: pd.DataFrame, ctx: Context) -> Plan:
    """Tier 1 (cement) and Tier 2 (clinker) rows: EF and the factor on the mass."""
    key, keys = factor_keys(table, ctx, "cement")
    factors = _lookup(ctx, keys, "ef", "t/t", gas="CO2")
    is_cement = (table["activity"] == "cement").to_numpy()
    failures: list[Failure] = []
    # Tier 2: CKD correction (row, else default)
    ckd_default = _lookup(ctx, keys, "ckd_correction", "dimensionless")["value"].to_numpy()[key]
    ckd, more = number(table, "ckd_correction", ckd_default, 1.0, None,
                       msg("sectors.minerals.what_ckd"))
    failures += [f for f in more]
    no_ckd = np.flatnonzero(~is_cement & np.isnan(ckd))
    if len(no_ckd):
        failures.append(Failure(no_ckd, "ckd_correction", msg("sectors.minerals.no_ckd")))
    # Tier 1: clinker fraction (row, else default of the cement type)
    if "cement_type" in table:
        kind = table["cement_type"].astype("string").str.strip().fillna("")
    else:
        kind = pd.Series("", index=table.index, dtype="string")
    typed = pd.Series(np.where(kind != "", "cement_" + kind.astype(str), "cement"),
                      index=table.index, dtype="category")
    tkey, tkeys = factor_keys(table, ctx, "cement_type", activity=typed)
    cl_default = _lookup(ctx, tkeys, "clinker_fraction", "dimensionless")["value"].to_numpy()[
        tkey]
    clinker, more = number(table, "clinker_fraction", cl_default, 0.0, 1.0,
                           msg("sectors.minerals.what_clinker"))
    failures += more
    # a cell already refused is not reported again as missing or as a trade imbalance
    refused = np.zeros(len(table), dtype=bool)
    for failure in more:
        refused[failure.positions] = True
    mass_t = Q_(_amount_kg(table), "kg").m_as("t")
    # no cement produced: M_c x C_cl is 0 whatever the fraction, which is then not needed
    # (a plant that only exported clinker still emits its CO2, Eq. 2.1's + Ex)
    clinker = np.where(is_cement & (mass_t == 0) & np.isnan(clinker), 0.0, clinker)
    no_fraction = np.flatnonzero(is_cement & np.isnan(clinker) & ~refused)
    if len(no_fraction):
        failures.append(Failure(no_fraction, "clinker_fraction",
                                msg("sectors.minerals.no_clinker")))
    imports, more = number(table, "clinker_imports", 0.0, 0.0, None,
                           msg("sectors.minerals.what_imports"))
    failures += more
    for failure in more:
        refused[failure.positions] = True
    exports, more = number(table, "clinker_exports", 0.0, 0.0, None,
                           msg("sectors.minerals.what_exports"))
    failures += more
    for failure in more:
        refused[failure.positions] = True
    # Eq. 2.1 applies EF_clc to (M_c x C_cl - Im + Ex), not to the cement: the kernel gets
    # that clinker as the mass, so exports count even with no cement produced
    clinker_t = clinker_in_cement(Q_(mass_t, "t"), clinker, Q_(imports, "t"),
                                  Q_(exports, "t")).m_as("t")
    negative = np.flatnonzero(is_cement & (clinker_t < 0) & ~refused)
    if len(negative):
        failures.append(Failure(negative, "clinker_imports",
                                msg("sectors.minerals.imports_over")))
    mass = np.where(is_cement, Q_(clinker_t, "t").m_as("kg"), _amount_kg(table))
    fraction = np.where(is_cement, 1.0, ckd)
    return key, factors, mass, fraction, failures


def _cement_auxiliary(table: pd.DataFrame, ctx: Context) -> pd.Categorical:
    """Per row, the ids of the default records Eq. 2.1 or 2.2 took beside the factor where
    the row gave no value of its own: the clinker fraction of the cement type (Tier 1, where
    cement was produced) or the CKD correction (Tier 2)."""
    key, keys = factor_keys(table, ctx, "cement")
    is_cement = (table["activity"] == "cement").to_numpy()
    kind = (table["cement_type"].astype("string").str.strip().fillna("")
            if "cement_type" in table else pd.Series("", index=table.index, dtype="string"))
    typed = pd.Series(np.where(kind != "", "cement_" + kind.astype(str), "cement"),
                      index=table.index, dtype="category")
    tkey, tkeys = factor_keys(table, ctx, "cement_type", activity=typed)
    clinker = _lookup(ctx, tkeys, "clinker_fraction", "dimensionless")
    ckd = _lookup(ctx, keys, "ckd_correction", "dimensionless")
    produced = _amount_kg(table) > 0
    own_clinker, _ = number(table, "clinker_fraction", np.nan, 0.0, 1.0,
                            msg("sectors.minerals.what_clinker"))
    own_ckd, _ = number(table, "ckd_correction", np.nan, 1.0, None,
                        msg("sectors.minerals.what_ckd"))
    ids = np.where(
        is_cement,
        np.where(produced & np.isnan(own_clinker),
                 clinker["factor_id"].fillna("").astype(str).to_numpy(dtype=object)[tkey], ""),
        np.where(np.isnan(own_ckd),
                 ckd["factor_id"].fillna("").astype(str).to_numpy(dtype=object)[key], ""))
    codes, categories = pd.factorize(ids.astype(object))
    return pd.Categorical.from_codes(codes.astype(np.int32), categories=categories)


CEMENT = Method(
    name="cement",
    categories=("2.A.1",),
    activities=lambda factors: {"cement", "clinker"},
    amount_kinds=("mass",),
    compute=lambda t, c: _single_co2(t, c, _cement_plan, _cement_auxiliary),
    check=_check(_cement_plan),
    parameters={"clinker_fraction": float, "cement_type": str, "clinker_imports": float,
                "clinker_exports": float, "ckd_correction": float},
    description="Cement, Tier 1 (cement and clinker fraction, Eq. 2.1) and Tier 2 (clinker "
                "with CKD correction, Eq. 2.2), IPCC 2006 Vol 3 Ch 2",
)
