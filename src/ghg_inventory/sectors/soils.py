"""Managed soils: direct N2O (3.C.4) and indirect N2O (3.C.5), urea application (3.C.3)
and liming (3.C.2), IPCC 2006 Vol 4 Ch 11 and the 2019 Refinement where it changed a
default (``guidelines="2019"``).

N2O of soils is non-fossil (biological), which matters under AR6; CO2 from urea and lime is
mineral carbon and counted.

Activity rows
-------------
* **Managed soils, 3.C.4**: ``activity`` = ``synthetic_fertilizer``, ``organic_n``,
  ``urine_dung_pasture``, ``som_mineralisation`` (``amount`` = kg N) or
  ``crop_residue_rice`` / ``crop_residue_maize`` (``amount`` = area harvested [ha] with
  ``crop_yield`` [t fresh/ha], ``frac_remove`` (default 0: IPCC's "assume no removal") and
  ``area_burnt`` [ha]); direct N2O (Eq. 11.1) and indirect N2O (Eq. 11.9, 11.10)
  reported under 3.C.5. ``climate`` (``wet``/``dry``) selects the 2019 disaggregated
  factors; ``leaching`` defaults to ``yes``: IPCC applies Frac_LEACH only where rainfall in
  the rainy season exceeds evapotranspiration or the land is irrigated, so give ``no`` for
  dry uplands. One organic N input per row (several amendments are several rows).
* **Urea, 3.C.3** (``urea``, t) and **liming, 3.C.2** (``limestone``, ``dolomite``, t).

References
----------
.. [1] IPCC 2006 Guidelines, Vol 4, Ch 11 (Eq. 11.1-11.13, Tables 11.1-11.3).
.. [2] IPCC 2019 Refinement, Vol 4, Ch 11.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._constants import CO2_PER_C, N2O_PER_N2O_N
from ghg_inventory.sectors._inputs import (
    activities_with,
    choice,
    failing,
    given,
    lookup,
    lookup_first,
    missing,
    number,
    stacked,
    text_column,
)
from ghg_inventory.sectors._livestock import joined_ids, record_ids
from ghg_inventory.units import Q_

N_INPUTS = ("synthetic_fertilizer", "organic_n", "urine_dung_pasture", "som_mineralisation")
RESIDUES = {"crop_residue_rice": "rice", "crop_residue_maize": "maize"}
ANIMAL_GROUPS = ("cattle_poultry_pigs", "sheep_other")
CLIMATES = ("wet", "dry")


def crop_residue_nitrogen(area: pint.Quantity, crop_yield: pint.Quantity, *,
                          dry_matter_fraction: np.ndarray | float,
                          ag_slope: np.ndarray | float, ag_intercept: pint.Quantity,
                          n_ag: np.ndarray | float, r_bg_bio: np.ndarray | float,
                          n_bg: np.ndarray | float, frac_remove: np.ndarray | float = 0.0,
                          area_burnt: pint.Quantity | None = None,
                          combustion_factor: np.ndarray | float = 0.0) -> pint.Quantity:
    r"""N in crop residues returned to soils (IPCC 2006 Vol 4 Eq. 11.6, 11.7, Table 11.2).

    .. math::

        Crop = Yield_{fresh} \cdot DRY                                          \quad (11.7)

        AG_{DM} = Crop \cdot slope + intercept                       \quad \text{(Table 11.2)}

        F_{CR} = (A - A_{burnt} \cdot C_f) \cdot [AG_{DM} \cdot N_{AG} \cdot (1 - Frac_{Remove})
                 + R_{BG-BIO} \cdot (AG_{DM} + Crop) \cdot N_{BG}]              \quad (11.6)

    with Crop and AG_DM in t dry matter per ha (Eq. 11.6 writes the terms with
    R_AG = AG_DM / Crop and R_BG = R_BG-BIO (AG_DM + Crop) / Crop, which cancel here);
    Frac_Renew = 1 for annual crops.

    Parameters
    ----------
    area : pint.Quantity
        Area harvested. [ha]
    crop_yield : pint.Quantity
        Harvested fresh yield. [t/ha]
    dry_matter_fraction, ag_slope, n_ag, r_bg_bio, n_bg : float or numpy.ndarray
        DRY, slope, N_AG, R_BG-BIO and N_BG of Table 11.2. [dimensionless, kg N/kg DM]
    ag_intercept : pint.Quantity
        Intercept of Table 11.2. [t/ha]
    frac_remove : float or numpy.ndarray
        Share of above-ground residues removed (feed, bedding, fuel). [dimensionless]
    area_burnt : pint.Quantity, optional
        Area whose residues were burnt in the field. [ha]
    combustion_factor : float or numpy.ndarray
        C_f of the burnt residues (Vol 4 Table 2.6). [dimensionless]

    Returns
    -------
    pint.Quantity
        F_CR. [kg N]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 11, Eq. 11.6, 11.7, Table 11.2.
    """
    crop = crop_yield.m_as("t/ha") * np.asarray(dry_matter_fraction)
    ag = crop * np.asarray(ag_slope) + ag_intercept.m_as("t/ha")
    per_ha = (ag * np.asarray(n_ag) * (1 - np.asarray(frac_remove))
              + np.asarray(r_bg_bio) * (ag + crop) * np.asarray(n_bg))  # t N/ha
    burnt = area_burnt.m_as("ha") if area_burnt is not None else 0.0
    effective = area.m_as("ha") - burnt * np.asarray(combustion_factor)
    return Q_(effective * per_ha * 1000.0, "kg")


def _soils_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        activity = table["activity"].astype(str)
        residue = activity.isin(list(RESIDUES)).to_numpy()
        pasture = (activity == "urine_dung_pasture").to_numpy()
        synthetic = (activity == "synthetic_fertilizer").to_numpy()
        organic = (activity == "organic_n").to_numpy()
        yes = {"yes", "true", "1", "có", "co"}
        flooded = text_column(table, "flooded_rice").str.lower().isin(yes).to_numpy()
        climate, more = choice(table, "climate", CLIMATES,
                               what=msg("sectors.soils.what_climate"))
        failures += more
        group, more = choice(table, "animal_group", ANIMAL_GROUPS,
                             what=msg("sectors.soils.what_animal_group"))
        failures += more
        no_group = np.flatnonzero(pasture & (group == "").to_numpy())
        if len(no_group):
            failures.append(Failure(no_group, "animal_group",
                                    msg("sectors.soils.no_animal_group")))
        leach_text = text_column(table, "leaching", "yes").str.lower()
        leaching = leach_text.isin(yes).to_numpy()
        bad = np.flatnonzero(~leaching & ~leach_text.isin({"no", "false", "0",
                                                           "không"}).to_numpy())
        if len(bad):
            failures.append(Failure(bad, "leaching", msg("sectors.soils.yes_or_no")))
        kind = table["amount_kind"].astype(str).to_numpy() if "amount_kind" in table \
            else np.where(residue, "area", "mass")
        wrong = np.flatnonzero(residue & (kind != "area"))
        if len(wrong):
            failures.append(Failure(wrong, "unit", msg("sectors.soils.residue_area")))
        wrong = np.flatnonzero(~residue & (kind != "mass"))
        if len(wrong):
            failures.append(Failure(wrong, "unit", msg("sectors.soils.n_mass")))
        # amount of N [kg] of every row (crop residues: Eq. 11.6)
        amount = table["amount"].to_numpy(dtype=float)
        nitrogen = np.where(residue, 0.0, amount)
        crop = activity.map(RESIDUES).fillna("")
        res_rows = np.flatnonzero(residue)
        if len(res_rows):
            sub = table.iloc[res_rows].reset_index(drop=True)
            sub_crop = crop.iloc[res_rows].reset_index(drop=True)
            values = {}
            for parameter, unit in (("dry_matter_fraction", "dimensionless"),
                                    ("ag_slope", "dimensionless"), ("ag_intercept", "t/ha"),
                                    ("n_ag", "kg/kg"), ("r_bg_bio", "dimensionless"),
                                    ("n_bg", "kg/kg")):
                key, ans = lookup(sub, ctx, parameter, unit, activity=sub_crop)
                # the row's own value (Tier 2, or a value Table 11.2 leaves blank)
                value, more = number(sub, parameter, ans["value"].to_numpy()[key], 0.0, None,
                                     msg("sectors.soils.what_residue_parameter",
                                         parameter=parameter))
                more += failing(np.isnan(value), parameter,
                                msg("sectors.soils.no_residue_parameter",
                                    parameter=parameter))
                failures += [Failure(res_rows[f.positions], f.column, f.message)
                             for f in more]
                values[parameter] = value
            yield_, more = number(sub, "crop_yield", np.nan, 0.0, None,
                                  msg("sectors.soils.what_yield"), low_open=True)
            more += [Failure(np.flatnonzero(np.isnan(yield_) & ~given(sub, "crop_yield")),
                             "crop_yield", msg("sectors.soils.no_yield"))]
            # Eq. 11.6: "if data for FracRemove are not available, assume no removal"
            remove, extra = number(sub, "frac_remove", 0.0, 0.0, 1.0,
                                   msg("sectors.soils.what_frac_remove"))
            more += extra
            burnt, extra = number(sub, "area_burnt", 0.0, 0.0, None,
                                  msg("sectors.soils.what_area_burnt"))
            more += extra
            over = np.flatnonzero(burnt > sub["amount"].to_numpy(dtype=float))
            more += [Failure(over, "area_burnt", msg("sectors.soils.burnt_over"))]
            cf_key, cf = lookup(sub, ctx, "combustion_factor", "dimensionless",
                                category="3.C.1", activity=sub_crop.map(
                                    {"rice": "rice_straw", "maize": "maize_residue"}))
            cf_values = cf["value"].to_numpy()[cf_key]
            more += missing(cf_key, cf, burnt > 0, "area_burnt",
                            msg("sectors.soils.no_combustion_factor"))
            failures += [Failure(res_rows[f.positions], f.column, f.message)
                         for f in more if len(f.positions)]
            with np.errstate(invalid="ignore"):
                nitrogen[res_rows] = crop_residue_nitrogen(
                    Q_(sub["amount"].to_numpy(dtype=float), "ha"), Q_(yield_, "t/ha"),
                    dry_matter_fraction=values["dry_matter_fraction"],
                    ag_slope=values["ag_slope"], ag_intercept=Q_(values["ag_intercept"],
                                                                 "t/ha"),
                    n_ag=values["n_ag"], r_bg_bio=values["r_bg_bio"], n_bg=values["n_bg"],
                    frac_remove=remove, area_burnt=Q_(burnt, "ha"),
                    combustion_factor=np.nan_to_num(cf_values)).m_as("kg")
        inputs = pd.Series("n_inputs", index=table.index)
        clim = climate.astype(str)
        ef1_variant = pd.Series(np.where(flooded, "flooded_rice", np.where(
            clim == "wet", np.where(synthetic, "wet_synthetic", "wet_other"),
            np.where(clim == "dry", "dry", ""))), index=table.index)
        ef1_key, ef1 = lookup_first(table, ctx, "ef1", "kg/kg", [ef1_variant,
                                                                 pd.Series("", index=table.index)],
                                    gas="N2O", activity=inputs, category="3.C.4")
        prp_variant = pd.Series([f"{g}_{c}" if c else g for g, c in zip(group, clim,
                                                                         strict=True)],
                                index=table.index)
        prp_key, prp = lookup_first(table, ctx, "ef3_prp", "kg/kg", [prp_variant, group],
                                    gas="N2O", activity=inputs, category="3.C.4")
        failures += missing(ef1_key, ef1, ~pasture, "activity",
                            msg("sectors.soils.no_record", name="EF1"))
        failures += missing(prp_key, prp, pasture & (group != "").to_numpy(),
                            "animal_group", msg("sectors.soils.no_ef3prp"))
        clim_variant = pd.Series(clim, index=table.index)
        ef4_key, ef4 = lookup_first(table, ctx, "ef4", "kg/kg", [clim_variant,
                                                                 pd.Series("", index=table.index)],
                                    gas="N2O", activity=inputs, category="3.C.5")
        ef5_key, ef5 = lookup(table, ctx, "ef5", "kg/kg", gas="N2O", activity=inputs,
                              category="3.C.5")
        fert = text_column(table, "fertilizer_type")
        gasf_key, gasf = lookup_first(table, ctx, "frac_gasf", "dimensionless",
                                      [pd.Series(fert, index=table.index),
                                       pd.Series("", index=table.index)],
                                      activity=inputs, category="3.C.5")
        gasm_key, gasm = lookup(table, ctx, "frac_gasm", "dimensionless", activity=inputs,
                                category="3.C.5")
        leach_key, leach = lookup(table, ctx, "frac_leach", "dimensionless", activity=inputs,
                                  category="3.C.5")
        failures += missing(ef4_key, ef4, synthetic | organic | pasture, "activity",
                            msg("sectors.soils.no_record", name="EF4"))
        failures += missing(ef5_key, ef5, leaching, "activity",
                            msg("sectors.soils.no_record", name="EF5"))
        failures += missing(leach_key, leach, leaching, "activity",
                            msg("sectors.soils.no_record", name="Frac_LEACH"))
        failures += missing(gasf_key, gasf, synthetic, "activity",
                            msg("sectors.soils.no_record", name="Frac_GASF"))
        failures += missing(gasm_key, gasm, organic | pasture, "activity",
                            msg("sectors.soils.no_record", name="Frac_GASM"))
        frac_gas = np.where(synthetic, gasf["value"].to_numpy()[gasf_key],
                            np.where(organic | pasture, gasm["value"].to_numpy()[gasm_key],
                                     0.0))
        # the fractions Eq. 11.9 and 11.10 take beside EF4 and EF5 (auxiliary ids, the
        # uncertainty's factor chain of each indirect N2O): Frac_GASF or Frac_GASM, Frac_LEACH
        gas_ids = np.where(synthetic, record_ids(gasf_key, gasf, synthetic),
                           record_ids(gasm_key, gasm, organic | pasture))
        return {"failures": failures, "nitrogen": nitrogen, "pasture": pasture,
                "gas_ids": joined_ids(gas_ids),
                "leach_ids": joined_ids(record_ids(leach_key, leach, leaching)),
                "ef1": (ef1_key, ef1), "prp": (prp_key, prp), "ef4": (ef4_key, ef4),
                "ef5": (ef5_key, ef5), "leach": (leach_key, leach), "frac_gas": frac_gas,
                "leaching": leaching, "volatile": synthetic | organic | pasture}
    return ctx.remember("soils.inputs", table, make)  # type: ignore[return-value]


def _soils_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _soils_inputs(table, ctx)
    n: np.ndarray = p["nitrogen"]  # type: ignore[assignment]
    pasture: np.ndarray = p["pasture"]  # type: ignore[assignment]
    own = []
    for use, (key, ans) in ((~pasture, p["ef1"]), (pasture, p["prp"])):  # type: ignore
        rows = np.flatnonzero(use)
        if len(rows):
            # Eq. 11.1 (direct N2O-N) x 44/28
            own.append(GasResult("N2O", n[rows] * ans["value"].to_numpy()[key[rows]]
                                 * N2O_PER_N2O_N, key[rows], ans, rows=rows))
    moved = []
    rows = np.flatnonzero(p["volatile"])  # type: ignore[arg-type]
    if len(rows):
        key, ans = p["ef4"]  # type: ignore[misc]
        # Eq. 11.9: N volatilised x EF4 x 44/28
        moved.append(GasResult("N2O", (n * p["frac_gas"] * ans["value"].to_numpy()[key]  # type: ignore
                                       * N2O_PER_N2O_N)[rows], key[rows], ans, rows=rows,
                               auxiliary=p["gas_ids"]))  # type: ignore[arg-type]
    rows = np.flatnonzero(p["leaching"])  # type: ignore[arg-type]
    if len(rows):
        key, ans = p["ef5"]  # type: ignore[misc]
        lkey, lans = p["leach"]  # type: ignore[misc]
        # Eq. 11.10: N x Frac_LEACH x EF5 x 44/28
        moved.append(GasResult("N2O", (n * lans["value"].to_numpy()[lkey]
                                       * ans["value"].to_numpy()[key] * N2O_PER_N2O_N)[rows],
                               key[rows], ans, rows=rows,
                               auxiliary=p["leach_ids"]))  # type: ignore[arg-type]
    return stacked(own, moved, "3.C.5")


SOILS = Method(
    name="managed_soils",
    categories=("3.C.4",),
    activities=lambda factors: set(N_INPUTS) | set(RESIDUES),
    amount_kinds=("mass", "area"),
    compute=_soils_compute,
    check=lambda t, c: _soils_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"flooded_rice": str, "climate": str, "animal_group": str, "leaching": str,
                "fertilizer_type": str, "crop_yield": float, "frac_remove": float,
                "area_burnt": float, "dry_matter_fraction": float, "ag_slope": float,
                "ag_intercept": float, "n_ag": float, "r_bg_bio": float, "n_bg": float},
    description="Managed soils N2O: direct (Eq. 11.1, Table 11.1) and indirect under 3.C.5 "
                "(Eq. 11.9, 11.10, Table 11.3); crop residue N (Eq. 11.6, 11.7, Table 11.2)",
)


# --- urea (3.C.3) and liming (3.C.2) --------------------------------------------------------

def carbonate_co2(mass: pint.Quantity, carbon_factor: np.ndarray | float) -> pint.Quantity:
    r"""CO2 from urea or lime applied to soils (IPCC 2006 Vol 4 Eq. 11.12, 11.13).

    .. math:: CO_2 = M \cdot EF \cdot \frac{44}{12}

    Parameters
    ----------
    mass : pint.Quantity
        Urea, limestone or dolomite applied. [t]
    carbon_factor : float or numpy.ndarray
        Carbon released per mass applied (urea 0.20, limestone 0.12, dolomite 0.13 in
        the 2006 defaults). [t C/t]

    Returns
    -------
    pint.Quantity
        CO2. [kg]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 11, Eq. 11.12, 11.13.
    """
    return Q_(mass.m_as("kg") * np.asarray(carbon_factor) * CO2_PER_C, "kg")


def _carbon_answer(table: pd.DataFrame, ctx: Context) -> tuple[np.ndarray, pd.DataFrame]:
    return lookup(table, ctx, "carbon_ef", "t/t")


def _carbon_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    key, answer = _carbon_answer(table, ctx)
    answer = answer.assign(fossil=True)  # mineral carbon: counted CO2, not a memo
    co2 = carbonate_co2(Q_(table["amount"].to_numpy(dtype=float), "kg"),
                        answer["value"].to_numpy()[key]).m_as("kg")
    return gas_results([GasResult("CO2", co2, key, answer)])


def _carbon_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    key, answer = _carbon_answer(table, ctx)
    return missing(key, answer, np.ones(len(table), dtype=bool), "activity",
                   msg("sectors.soils.no_carbon_ef"))


def _carbon_method(name: str, code: str, what: str) -> Method:
    return Method(
        name=name, categories=(code,), activities=activities_with("carbon_ef", code),
        amount_kinds=("mass",), compute=_carbon_compute, check=_carbon_check,
        description=f"{what}, IPCC 2006 Vol 4 Ch 11 (CO2 counted, mineral carbon)")


UREA = _carbon_method("urea_application", "3.C.3", "Urea application, Eq. 11.13")
LIMING = _carbon_method("liming", "3.C.2", "Liming, Eq. 11.12")
