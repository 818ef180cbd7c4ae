"""Domestic and industrial wastewater (4.D): CH4 and N2O, IPCC 2006 Vol 5 Ch 6.

CH4 and N2O of wastewater are non-fossil.

Activity rows
-------------
* **Domestic wastewater, 4.D.1**: ``activity`` = ``domestic_wastewater``, ``amount`` = people
  served by one ``treatment_pathway`` of Table 6.3 (one row per pathway: population x
  share); ``region`` of Table 6.4 BOD (default ``asia_middle_east_latin_america``) or the
  row's ``bod_per_capita`` [g/person/day]; I of Eq. 6.3 from the pathway (sewers
  and the plants they feed: collected, I = 1.25; septic systems and latrines: uncollected,
  I = 1.00; ``collected`` yes/no must agree, and decides for sea, river and lake discharge)
  or the row's ``i_factor``; ``sludge_removed`` [kg BOD/yr], ``methane_recovered`` [t]; N2O
  of the effluent (Eq. 6.7, 6.8) from ``protein`` [kg/person/yr]; without it, the FAO
  protein supply of the row's ``country`` (default the run's, VN) for the latest year up to
  the row's year (``vn_protein_fao.csv``; the record used is named in the results'
  ``auxiliary_factor_ids``; a year before every record is refused),
  ``garbage_disposals`` (F_NON-CON 1.4 with, 1.1 without),
  ``sludge_nitrogen`` [kg N/yr].
* **Industrial wastewater, 4.D.2**: ``activity`` = an industry of Table 6.9 (or
  ``industrial_wastewater``), ``amount`` = production [t], ``wastewater_generation``
  [m3/t] and ``cod_concentration`` [kg COD/m3] (Table 6.9 where verified), the
  ``treatment_pathway`` of Table 6.8, ``sludge_removed`` [kg COD/yr],
  ``methane_recovered`` [t] (Eq. 6.4-6.6).

References
----------
.. [1] IPCC 2006 Guidelines, Vol 5, Ch 6 (Eq. 6.1-6.9, Tables 6.2-6.4, 6.8, 6.9, 6.11).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._constants import N2O_PER_N2O_N
from ghg_inventory.sectors._inputs import (
    NO,
    YES,
    as_tier,
    choice,
    factor_activities,
    failing,
    given,
    lookup,
    number,
    text_column,
)
from ghg_inventory.sectors._livestock import joined_ids, lacking, record_ids
from ghg_inventory.units import Q_


def wastewater_ch4(organics: pint.Quantity, bo: pint.Quantity, mcf: np.ndarray | float,
                   sludge: pint.Quantity | None = None,
                   recovered: pint.Quantity | None = None) -> pint.Quantity:
    r"""CH4 from wastewater of one treatment or discharge pathway (IPCC 2006 Vol 5 Eq. 6.1,
    6.2, 6.4, 6.5).

    .. math:: CH_4 = (TOW - S) \cdot B_o \cdot MCF - R

    Parameters
    ----------
    organics : pint.Quantity
        TOW, organics in the wastewater (BOD for domestic, COD for industrial). [kg]
    bo : pint.Quantity
        Maximum CH4 producing capacity (Table 6.2). [kg CH4/kg BOD or COD]
    mcf : float or numpy.ndarray
        Methane correction factor of the pathway (Tables 6.3, 6.8). [dimensionless]
    sludge : pint.Quantity, optional
        S, organics removed as sludge. [kg]
    recovered : pint.Quantity, optional
        R, CH4 recovered. [kg]

    Returns
    -------
    pint.Quantity
        [kg]
    """
    net = organics - sludge if sludge is not None else organics
    ch4 = (net * bo * np.asarray(mcf)).to("kg")
    return ch4 - recovered.to("kg") if recovered is not None else ch4


def domestic_organics(population: pint.Quantity, bod: pint.Quantity,
                      correction: np.ndarray | float = 1.0) -> pint.Quantity:
    r"""Total organics in domestic wastewater in a year (IPCC 2006 Vol 5 Eq. 6.3).

    .. math:: TOW = P \cdot BOD \cdot 0.001 \cdot I \cdot 365

    Parameters
    ----------
    population : pint.Quantity
        P. [person]
    bod : pint.Quantity
        BOD generated per person (Table 6.4). [g/person/day]
    correction : float or numpy.ndarray
        I, for industrial BOD co-discharged into sewers. [dimensionless]

    Returns
    -------
    pint.Quantity
        [kg BOD/yr]
    """
    return (population * bod * np.asarray(correction) * Q_(365.0, "day/year")).to("kg/year")


def effluent_nitrogen(population: pint.Quantity, protein: pint.Quantity, *,
                      frac_npr: np.ndarray | float, f_non_con: np.ndarray | float,
                      f_ind_com: np.ndarray | float,
                      sludge_nitrogen: pint.Quantity | None = None) -> pint.Quantity:
    r"""Nitrogen in the effluent of domestic wastewater (IPCC 2006 Vol 5 Eq. 6.8).

    .. math:: N_{EFFLUENT} = P \cdot Protein \cdot F_{NPR} \cdot F_{NON-CON} \cdot
              F_{IND-COM} - N_{SLUDGE}

    Parameters
    ----------
    population : pint.Quantity
        P. [person]
    protein : pint.Quantity
        Annual per capita protein consumption. [kg/person/yr]
    frac_npr, f_non_con, f_ind_com : float or numpy.ndarray
        N in protein, non-consumed protein, co-discharged industrial protein. [-]
    sludge_nitrogen : pint.Quantity, optional
        N removed with sludge. [kg/yr]

    Returns
    -------
    pint.Quantity
        [kg N/yr]
    """
    n = (population * protein * np.asarray(frac_npr) * np.asarray(f_non_con)
         * np.asarray(f_ind_com)).to("kg/year")
    return n - sludge_nitrogen.to("kg/year") if sludge_nitrogen is not None else n


#: Default BOD region of Table 6.4 (the row that covers Viet Nam).
BOD_REGION = "asia_middle_east_latin_america"


def _pathways(ctx: Context, category: str) -> set[str]:
    return factor_activities(ctx.factors, "mcf", category)


def _parameter(table: pd.DataFrame, ctx: Context, failures: list[Failure], parameter: str,
               unit: str, low: float | None, high: float | None, what: str,
               needed: np.ndarray, ids: dict[str, np.ndarray] | None = None,
               used: np.ndarray | None = None, **keys: Any) -> np.ndarray:
    """A parameter from the row, else its default record; refused where neither exists.

    ``ids``, when given, receives per row the id of the record used where ``needed`` (or
    ``used``, where the value enters an equation on more rows than those that must have
    it) and the row gives no value of its own (for ``auxiliary_factor_ids``)."""
    key, ans = lookup(table, ctx, parameter, unit, **keys)
    if ids is not None:
        ids[parameter] = record_ids(key, ans, (needed if used is None else used)
                                    & ~given(table, parameter))
    value, more = number(table, parameter, ans["value"].to_numpy()[key], low, high, what)
    failures += more
    failures += lacking(np.isnan(value) & needed, parameter,
                        msg("sectors.wastewater.no_default", what=what, parameter=parameter),
                        (key, ans))
    return value


#: How the wastewater of each treatment or discharge pathway of Table 6.3 reaches it (IPCC
#: 2006 Vol 5 Ch 6, Figure 6.1 and Table 6.5): through sewers (collected: the sewer carries
#: industrial BOD too, I = 1.25 in Eq. 6.3) or on site (uncollected: septic systems and
#: latrines, I = 1.00). Sea, river and lake discharge may come by sewer or straight from the
#: houses, so the row must say which; so must a pathway not listed here.
SEWERED = frozenset({"stagnant_sewer", "flowing_sewer", "centralized_aerobic",
                     "centralized_aerobic_well_managed",
                     "centralized_aerobic_not_well_managed", "anaerobic_digester_sludge",
                     "anaerobic_reactor", "anaerobic_lagoon_shallow", "anaerobic_lagoon_deep"})
ON_SITE = frozenset({"septic_system", "septic_system_land_dispersal",
                     "latrine_dry_climate_small_family",
                     "latrine_dry_climate_communal", "latrine_wet_climate",
                     "latrine_sediment_removal"})


def _collection(table: pd.DataFrame, pathway: pd.Series, domestic: np.ndarray,
                known: set[str]) -> tuple[np.ndarray, list[Failure]]:
    """Whether each domestic row's wastewater is collected in sewers (Eq. 6.3's I).

    The pathway decides (:data:`SEWERED`, :data:`ON_SITE`); a ``collected`` cell must agree
    with it, and decides where the pathway may be either (sea, river and lake discharge).
    Returns the collected flag per row and the failures.
    """
    failures: list[Failure] = []
    said = text_column(table, "collected").str.lower()
    yes = said.isin(YES - {""}).to_numpy()
    no = said.isin(NO - {""}).to_numpy()
    blank = (said == "").to_numpy()
    failures += failing(~(yes | no | blank), "collected", msg("sectors.wastewater.yes_or_no"))
    sewered = pathway.isin(SEWERED).to_numpy()
    on_site = pathway.isin(ON_SITE).to_numpy()
    failures += failing(domestic & sewered & no, "collected",
                        msg("sectors.wastewater.sewered_not_collected"))
    failures += failing(domestic & on_site & yes, "collected",
                        msg("sectors.wastewater.on_site_collected"))
    # an unknown pathway is refused on its own column; only known ones need the answer
    either = domestic & ~sewered & ~on_site & pathway.isin(known).to_numpy()
    failures += failing(either & blank & ~given(table, "i_factor"), "collected",
                        msg("sectors.wastewater.say_collected"))
    return sewered | (either & yes), failures


#: Default region of the 2019 Refinement's Table 6.10A (FPC, F_NON-CON): Viet Nam is listed
#: under South and Southeast Asia (IPCC 2019 Vol 5 Ch 6, Table 6A.6).
PROTEIN_REGION = "south_southeast_asia"

#: Discharge pathways of the 2019 Refinement's Table 6.3 (Updated): the wastewater of a
#: row on one of them reaches an aquatic environment, treated (``upstream_treatment``:
#: Table 6.6B / 6.10C row) or untreated (``untreated``).
DISCHARGE_2019 = frozenset({"discharge_aquatic", "discharge_aquatic_other",
                            "discharge_reservoir_lake_estuary"})

#: Septic systems, whose organics removed as sludge default to Eq. 6.3C (2019).
SEPTIC = frozenset({"septic_system", "septic_system_land_dispersal"})

#: Eq. 6.3C: fraction of organics removed in sludge where a septic tank is managed as its
#: sludge-removal instructions say (printed in the equation).
SEPTIC_SLUDGE_FRACTION = 0.5


def septic_sludge(organics: pint.Quantity, compliance: np.ndarray | float) -> pint.Quantity:
    r"""Organics removed as sludge from septic systems (IPCC 2019 Refinement Vol 5 Eq. 6.3C).

    .. math:: S_{septic} = TOW_{septic} \cdot F \cdot 0.5

    Parameters
    ----------
    organics : pint.Quantity
        TOW of the septic systems. [kg BOD/yr]
    compliance : float or numpy.ndarray
        F, fraction of the population emptying their septic tank as instructed. [-]

    Returns
    -------
    pint.Quantity
        [kg BOD/yr]
    """
    return organics * np.asarray(compliance) * SEPTIC_SLUDGE_FRACTION


def domestic_nitrogen(population: pint.Quantity, protein: pint.Quantity, *,
                      frac_npr: np.ndarray | float, n_hh: np.ndarray | float,
                      f_non_con: np.ndarray | float,
                      f_ind_com: np.ndarray | float) -> pint.Quantity:
    r"""Total nitrogen in domestic wastewater of one treatment pathway (IPCC 2019
    Refinement Vol 5 Eq. 6.10).

    .. math:: TN_{DOM,j} = P_{treatment,j} \cdot Protein \cdot F_{NPR} \cdot N_{HH}
              \cdot F_{NON-CON} \cdot F_{IND-COM}

    Parameters
    ----------
    population : pint.Quantity
        P of the pathway. [person]
    protein : pint.Quantity
        Protein consumed (Eq. 6.10A: supply x FPC). [kg/person/yr]
    frac_npr, n_hh, f_non_con, f_ind_com : float or numpy.ndarray
        N in protein, household products, non-consumed protein, industrial and
        commercial co-discharge. [-]

    Returns
    -------
    pint.Quantity
        [kg N/yr]
    """
    return (population * protein * np.asarray(frac_npr) * np.asarray(n_hh)
            * np.asarray(f_non_con) * np.asarray(f_ind_com)).to("kg/year")


def _domestic_2019(table: pd.DataFrame, ctx: Context, domestic: np.ndarray,
                   pathway: pd.Series, collected: np.ndarray, tow: np.ndarray,
                   sludge: np.ndarray, recovered: np.ndarray, bo: np.ndarray,
                   mcf: np.ndarray, protein: np.ndarray, own_protein: np.ndarray,
                   frac_npr: np.ndarray, f_non_con: np.ndarray, f_ind_com: np.ndarray,
                   region: pd.Series) -> tuple[dict[str, Any], list[Failure]]:
    """Domestic wastewater by the 2019 Refinement (Vol 5 Ch 6, treatment and discharge
    separated): each row is one treatment system or discharge pathway j with the people it
    serves (Eq. 6.3A with U x T given as that population).

    * CH4 (Eq. 6.1, 6.2 (Updated)): (TOW_j - S_j) x Bo x MCF_j - R_j; on a discharge row
      TOW_j is the effluent of its ``upstream_treatment`` (Eq. 6.3D, TOW_REM of Table 6.6B;
      ``untreated``: Eq. 6.3), with no sludge and no recovery; on a septic row S defaults
      to Eq. 6.3C (F of the row, else the default 0.5).
    * N2O: TN_j of Eq. 6.10 (protein consumed = FAO supply x FPC, Eq. 6.10A, when the row
      gives none); plants (Eq. 6.9): TN_j x EF_PLANTS_j x 44/28 (Table 6.8A; sewers have no
      factor and no N2O); discharge (Eq. 6.8, 6.7): TN_j x (1 - N_REM) x EF_EFFLUENT x 44/28.
    """
    failures: list[Failure] = []
    d = pd.Series("domestic", index=table.index)
    discharge = domestic & pathway.isin(DISCHARGE_2019).to_numpy()
    septic = domestic & pathway.isin(SEPTIC).to_numpy()
    upstream = text_column(table, "upstream_treatment")
    failures += failing(discharge & (upstream == "").to_numpy(), "upstream_treatment",
                        msg("sectors.wastewater.say_upstream"))
    failures += failing(domestic & ~discharge & given(table, "upstream_treatment"),
                        "upstream_treatment",
                        msg("sectors.wastewater.upstream_discharge_only",
                            pathways=", ".join(sorted(DISCHARGE_2019))))
    for column in ("sludge_removed", "methane_recovered"):
        failures += failing(discharge & given(table, column), column,
                            msg("sectors.wastewater.discharge_no_removal"))
    failures += failing(domestic & given(table, "sludge_nitrogen"), "sludge_nitrogen",
                        msg("sectors.wastewater.sludge_nitrogen_2019"))
    up = upstream.where(discharge, "")
    ids: dict[str, np.ndarray] = {}
    tow_rem = _parameter(table, ctx, failures, "tow_rem", "dimensionless", 0.0, 1.0,
                         msg("sectors.wastewater.what_tow_rem"), discharge & (up != "").to_numpy(),
                         ids, activity=up)
    n_rem = _parameter(table, ctx, failures, "n_rem", "dimensionless", 0.0, 1.0,
                       msg("sectors.wastewater.what_n_rem"), discharge & (up != "").to_numpy(),
                       ids, activity=up)
    compliance = _parameter(table, ctx, failures, "septic_compliance", "dimensionless",
                            0.0, 1.0, msg("sectors.wastewater.what_septic_compliance"),
                            septic & ~given(table, "sludge_removed"), ids, activity=d)
    organics = np.where(discharge, tow * (1.0 - tow_rem), tow)
    with np.errstate(invalid="ignore"):
        s = np.where(septic & ~given(table, "sludge_removed"),
                     septic_sludge(Q_(tow, "kg/year"), compliance).m_as("kg/year"), sludge)
        gross = (organics - s) * bo * mcf
    over = np.flatnonzero(domestic & (recovered * 1000 > gross * (1 + 1e-9)))
    if len(over):
        failures.append(Failure(over, "methane_recovered",
                                msg("sectors.wastewater.recovered_over_2019")))
    # N2O: plants (Eq. 6.9) and effluent (Eq. 6.7, 6.8)
    ef_key, ef_ans = lookup(table, ctx, "ef_plants", "kg/kg", gas="N2O", activity=pathway)
    ef_plants = ef_ans["value"].to_numpy(dtype=float)[ef_key]
    if "ef_plants" in table:
        ef_plants, more = number(table, "ef_plants", ef_plants, 0.0, 1.0, "EF_PLANTS")
        failures += more
    plants = domestic & ~discharge & ~np.isnan(ef_plants)
    needs_n = discharge | (plants & (ef_plants > 0))
    fpc = _parameter(table, ctx, failures, "fpc", "dimensionless", 0.0, 1.0,
                     msg("sectors.wastewater.what_fpc"),
                     needs_n & ~own_protein, ids, activity=region)
    n_hh = _parameter(table, ctx, failures, "n_hh", "dimensionless", 1.0, None,
                      msg("sectors.wastewater.what_n_hh"), needs_n, ids, activity=d)
    failures += failing(needs_n & np.isnan(f_ind_com) & ~collected, "f_ind_com",
                        msg("sectors.wastewater.f_ind_com_uncollected"))
    failures += failing(needs_n & np.isnan(f_ind_com) & collected, "f_ind_com",
                        msg("sectors.wastewater.no_f_ind_com"))
    consumed = np.where(own_protein, protein, protein * fpc)
    with np.errstate(invalid="ignore"):
        tn = domestic_nitrogen(Q_(table["amount"].to_numpy(dtype=float), "person"),
                               Q_(consumed, "kg/person/year"), frac_npr=frac_npr,
                               n_hh=n_hh, f_non_con=f_non_con,
                               f_ind_com=f_ind_com).m_as("kg/year")
        n2o_plants = np.where(ef_plants == 0, 0.0, tn * ef_plants) * N2O_PER_N2O_N
        ef_eff_key, ef_eff_ans = lookup(table, ctx, "ef_effluent", "kg/kg", gas="N2O",
                                        activity=d)
        ef_eff = ef_eff_ans["value"].to_numpy(dtype=float)[ef_eff_key]
        n2o_effluent = tn * (1.0 - n_rem) * ef_eff * N2O_PER_N2O_N
    return {"ch4_gross": gross, "discharge": discharge, "plants": plants,
            "n2o_plants": n2o_plants, "n2o_effluent": n2o_effluent,
            "ef_plants": (ef_key, ef_ans), "needs_n": needs_n,
            # the records each gas's equation takes: CH4 TOW_REM (Eq. 6.3D) and F (Eq.
            # 6.3C); N2O FPC and N_HH (Eq. 6.10, 6.10A), the effluent's also N_REM (Eq. 6.8)
            "ch4_ids": [ids["tow_rem"], ids["septic_compliance"]],
            "plants_ids": [ids["fpc"], ids["n_hh"]],
            "effluent_ids": [ids["fpc"], ids["n_hh"], ids["n_rem"]],
            }, failures


def _wastewater_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        n = len(table)
        every = np.ones(n, dtype=bool)
        # the records each gas's equation takes beside its factor (auxiliary ids, the
        # uncertainty's factor chain): CH4 Bo, BOD, I (Eq. 6.1-6.3) or W, COD (Eq. 6.6);
        # N2O F_NPR, F_NON-CON, F_IND-COM (Eq. 6.8, 6.10)
        ids: dict[str, np.ndarray] = {}
        domestic = table["category"].astype(str).str.startswith("4.D.1").to_numpy()
        allowed = _pathways(ctx, "4.D.1") | _pathways(ctx, "4.D.2")
        pathway, more = choice(table, "treatment_pathway", allowed, required=True,
                               what=msg("sectors.wastewater.what_pathway"))
        failures += more
        mcf_key, mcf_ans = lookup(table, ctx, "mcf", "dimensionless", activity=pathway)
        mcf, more = number(table, "mcf", mcf_ans["value"].to_numpy()[mcf_key], 0.0, 1.0,
                           "MCF")
        failures += more
        failures += lacking(np.isnan(mcf) & (pathway != "").to_numpy(), "treatment_pathway",
                            msg("sectors.wastewater.no_mcf"), (mcf_key, mcf_ans))
        basis = pd.Series(np.where(domestic, "bod", "cod"), index=table.index)
        bo = _parameter(table, ctx, failures, "bo", "kg/kg", 0.0, None,
                        msg("sectors.wastewater.what_bo"),
                        every, ids, activity=pd.Series(np.where(domestic, "domestic",
                                                           "industrial"), index=table.index),
                        variant=basis, required=("variant",))
        activity = table["activity"].astype(str)
        kind = (table["amount_kind"].astype(str).to_numpy() if "amount_kind" in table
                else np.where(domestic, "person", "mass"))
        wrong = np.flatnonzero(domestic & ((activity != "domestic_wastewater").to_numpy()
                                           | (kind != "person")))
        if len(wrong):
            failures.append(Failure(wrong, "activity",
                                    msg("sectors.wastewater.domestic_rows")))
        wrong = np.flatnonzero(~domestic & ((activity == "domestic_wastewater").to_numpy()
                                            | (kind != "mass")))
        if len(wrong):
            failures.append(Failure(wrong, "activity",
                                    msg("sectors.wastewater.industrial_rows")))
        # domestic: TOW from population (Eq. 6.3)
        region = text_column(table, "region", BOD_REGION)
        d = pd.Series("domestic", index=table.index)
        bod = _parameter(table, ctx, failures, "bod_per_capita", "g/person/day", 0.0, None,
                         msg("sectors.wastewater.what_bod"), domestic, ids, activity=d,
                         variant=region, required=("variant",))
        collected, more = _collection(table, pathway, domestic, allowed)
        failures += more
        i_factor = _parameter(table, ctx, failures, "i_factor", "dimensionless", 1.0, None,
                              msg("sectors.wastewater.what_i_factor"), domestic, ids,
                              activity=d,
                              variant=pd.Series(np.where(collected, "collected",
                                                         "uncollected"), index=table.index),
                              required=("variant",))
        protein, more = number(table, "protein", np.nan, 0.0, None,
                               msg("sectors.wastewater.what_protein"))
        failures += more
        own_protein = given(table, "protein")
        protein_key, protein_ans, more = _protein_default(table, ctx,
                                                          domestic & ~own_protein)
        failures += more
        # FAO prints g/capita/day; a year of Eq. 6.3 and 6.8 is 365 days (pint's year is
        # 365.25), so the day is converted here, not by the unit registry
        per_day = Q_(protein_ans["value"].to_numpy()[protein_key], "g/person/day")
        protein = np.where(own_protein, protein,
                           (per_day * Q_(365.0, "day/year")).m_as("kg/person/year"))
        frac_npr = _parameter(table, ctx, failures, "frac_npr", "dimensionless", 0.0, 1.0,
                              "F_NPR", domestic, ids, activity=d)
        disposals = text_column(table, "garbage_disposals", "no").str.lower()
        bad = np.flatnonzero(~disposals.isin(YES | NO).to_numpy())
        if len(bad):
            failures.append(Failure(bad, "garbage_disposals",
                                    msg("sectors.wastewater.yes_or_no")))
        refined = ctx.guidelines == "2019"
        protein_region = text_column(table, "protein_region", PROTEIN_REGION)
        f_non_con = _parameter(table, ctx, failures, "f_non_con", "dimensionless", 1.0,
                               None, "F_NON-CON", domestic, ids,
                               activity=(protein_region.where(disposals.isin(YES), "domestic")
                                         if refined else d),
                               variant=pd.Series(np.where(disposals.isin(YES),
                                                          "garbage_disposals",
                                                          "no_garbage_disposals"),
                                                 index=table.index), required=("variant",))
        # 2019: F_IND-COM 1.25 for centralised (collected) wastewater only (Table 6.11
        # (Updated)); needed where the N2O of a row depends on it (see _domestic_2019)
        f_ind_com = _parameter(
            table, ctx, failures, "f_ind_com", "dimensionless", 1.0, None, "F_IND-COM",
            domestic & ~refined, ids, domestic, activity=d,
            variant=(pd.Series(np.where(collected, "collected", "uncollected"),
                               index=table.index) if refined else None))
        ef_key, ef_ans = lookup(table, ctx, "ef_effluent", "kg/kg", gas="N2O", activity=d)
        failures += lacking(ef_ans["factor_id"].isna().to_numpy()[ef_key] & domestic,
                            "activity", msg("sectors.wastewater.no_ef_effluent"), (ef_key, ef_ans))
        n_sludge, more = number(table, "sludge_nitrogen", 0.0, 0.0, None,
                                msg("sectors.wastewater.what_sludge_nitrogen"))
        failures += more
        # industrial: TOW = P x W x COD (Eq. 6.6)
        w = _parameter(table, ctx, failures, "wastewater_generation", "m**3/t", 0.0, None,
                       msg("sectors.wastewater.what_generation"), ~domestic, ids)
        cod = _parameter(table, ctx, failures, "cod_concentration", "kg/m**3", 0.0, None,
                         msg("sectors.wastewater.what_cod"), ~domestic, ids)
        amount = table["amount"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            tow = np.where(domestic, domestic_organics(Q_(amount, "person"),
                                                       Q_(bod, "g/person/day"),
                                                       i_factor).m_as("kg/year"),
                           amount / 1000.0 * w * cod)
        sludge, more = number(table, "sludge_removed", 0.0, 0.0, None,
                               msg("sectors.wastewater.what_sludge"))
        failures += more
        over = np.flatnonzero(sludge > tow)
        if len(over):
            failures.append(Failure(over, "sludge_removed",
                                    msg("sectors.wastewater.sludge_over")))
        recovered, more = number(table, "methane_recovered", 0.0, 0.0, None,
                                 msg("sectors.wastewater.what_recovered"))
        failures += more
        with np.errstate(invalid="ignore"):
            generated = (tow - sludge) * bo * mcf
        over = np.flatnonzero((recovered * 1000 > generated * (1 + 1e-9))
                              & ~(domestic & refined))
        if len(over):
            failures.append(Failure(over, "methane_recovered",
                                    msg("sectors.wastewater.recovered_over")))
        with np.errstate(invalid="ignore"):
            n_effluent = effluent_nitrogen(
                Q_(amount, "person"), Q_(protein, "kg/person/year"), frac_npr=frac_npr,
                f_non_con=f_non_con, f_ind_com=f_ind_com,
                sludge_nitrogen=Q_(n_sludge, "kg/year")).m_as("kg/year")
        negative = np.flatnonzero(domestic & (n_effluent < 0))
        if len(negative):
            failures.append(Failure(negative, "sludge_nitrogen",
                                    msg("sectors.wastewater.sludge_nitrogen_over")))
        refined_out: dict[str, Any] = {}
        if refined:
            refined_out, more = _domestic_2019(
                table, ctx, domestic, pathway, collected, tow, sludge, recovered, bo, mcf,
                protein, own_protein, frac_npr, f_non_con, f_ind_com, protein_region)
            failures += more
            generated = np.where(domestic, refined_out["ch4_gross"], generated)
        else:
            failures += failing(domestic & given(table, "upstream_treatment"),
                                "upstream_treatment",
                                msg("sectors.wastewater.upstream_2019_only"))
        n_used = domestic & (refined_out["needs_n"] if refined else True)
        used = n_used & ~own_protein
        protein_ids = np.where(used, protein_ans["factor_id"].fillna("").astype(str)
                               .to_numpy(dtype=object)[protein_key], "")
        return {"failures": failures, "domestic": domestic, "ch4": generated
                - recovered * 1000, "mcf": (mcf_key, mcf_ans), "n": n_effluent,
                "ef": (ef_key, ef_ans), "protein_ids": protein_ids, "refined": refined_out,
                "ch4_ids": [ids[k] for k in ("bo", "bod_per_capita", "i_factor",
                                             "wastewater_generation", "cod_concentration")],
                "n_ids": [np.where(n_used, ids[k], "") for k in ("frac_npr", "f_non_con",
                                                                 "f_ind_com")]}
    return ctx.remember("wastewater.inputs", table, make)  # type: ignore[return-value]


def _protein_default(table: pd.DataFrame, ctx: Context, needed: np.ndarray
                     ) -> tuple[np.ndarray, pd.DataFrame, list[Failure]]:
    """The protein record of each domestic row that gives no ``protein`` of its own.

    Protein supply (FAO food balances, ``emission_factors/vn_protein_fao.csv`` or a user's
    record) is published per country and year. A row takes the record of its country
    (the row's ``country``, else the run's) for the latest year up to the row's year:
    FAO publishes with a lag of years, so a 2024 inventory takes 2021, and the row's
    emissions name the record used (``auxiliary_factor_ids``), so the year borrowed is
    never silent. A row earlier than every year held is refused, naming the years held;
    a record without a year serves every year.

    Returns
    -------
    key, answer
        As :func:`ghg_inventory.sectors._inputs.lookup`.
    failures
        Rows in ``needed`` without a record.
    """
    country = text_column(table, "country", ctx.country)
    year = pd.to_numeric(table["year"], errors="coerce").to_numpy(dtype=float)
    t = ctx.factors.table
    records = t[(t["parameter"] == "protein") & (t["activity"] == "domestic")]
    dated = records[records["year"].notna()]
    chosen = np.full(len(table), np.nan)
    held: dict[str, np.ndarray] = {}
    for name in pd.unique(country[needed]) if needed.any() else []:
        mine = dated[dated["country"].isna() | (dated["country"].astype(object) == name)]
        years = np.unique(pd.to_numeric(mine["year"], errors="coerce").dropna()
                          .to_numpy(dtype=float))
        held[name] = years
        rows = needed & (country == name).to_numpy()
        at = np.searchsorted(years, year[rows], side="right") - 1
        chosen[rows] = np.where(at >= 0, years[np.maximum(at, 0)] if len(years) else np.nan,
                                np.nan)
    keys = pd.DataFrame({"category": table["category"].astype(str),
                         "activity": "domestic", "country": country,
                         "year": pd.Series(chosen, index=table.index)})
    if "facility_id" in table:
        keys["facility_id"] = table["facility_id"]
    key, answer = lookup(keys, ctx, "protein", "g/person/day",
                         activity=pd.Series("domestic", index=table.index))
    failures: list[Failure] = []
    none = needed & answer["factor_id"].isna().to_numpy()[key]
    for name in pd.unique(country[none]):
        years = held.get(name, np.zeros(0))
        if len(years) > 2 and np.all(np.diff(years) == 1):
            span: str = msg("sectors.wastewater.years_span", first=int(years[0]),
                            last=int(years[-1]))
        elif len(years):
            span = ", ".join(str(int(y)) for y in years)
        else:
            span = msg("sectors.wastewater.no_year")
        failures += failing(none & (country == name).to_numpy(), "protein",
                            msg("sectors.wastewater.no_protein", country=name, span=span))
    return key, answer, failures


def _wastewater_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _wastewater_inputs(table, ctx)
    mcf_key, mcf_ans = p["mcf"]
    r = p["refined"]
    # each gas names the records its own equation took (auxiliary ids, the uncertainty's
    # factor chain): the protein record (FAO, by country and year) goes with the N2O only
    results = [GasResult("CH4", p["ch4"], mcf_key, as_tier(mcf_ans, 1),
                         auxiliary=joined_ids(*p["ch4_ids"], *(r["ch4_ids"] if r else [])))]
    rows = np.flatnonzero(p["domestic"])
    if r:
        for n2o, mask, (key, ans), more in (
                (r["n2o_effluent"], r["discharge"], p["ef"], r["effluent_ids"]),
                (r["n2o_plants"], r["plants"], r["ef_plants"], r["plants_ids"])):
            sub = np.flatnonzero(mask)
            if len(sub):
                results.append(GasResult("N2O", n2o[sub], key[sub], as_tier(ans, 1),
                                         rows=sub,
                                         auxiliary=joined_ids(p["protein_ids"], *p["n_ids"],
                                                              *more)))
    elif len(rows):
        ef_key, ef_ans = p["ef"]
        # Eq. 6.7: N2O = N_EFFLUENT x EF_EFFLUENT x 44/28
        n2o = p["n"] * ef_ans["value"].to_numpy()[ef_key] * N2O_PER_N2O_N
        results.append(GasResult("N2O", n2o[rows], ef_key[rows], as_tier(ef_ans, 1),
                                 rows=rows,
                                 auxiliary=joined_ids(p["protein_ids"], *p["n_ids"])))
    return gas_results(results)


WASTEWATER = Method(
    name="wastewater",
    categories=("4.D",),
    activities=lambda factors: ({"domestic_wastewater", "industrial_wastewater"}
                                | factor_activities(factors, "wastewater_generation", "4.D.2")),
    amount_kinds=("person", "mass"),
    compute=_wastewater_compute,
    check=lambda t, c: _wastewater_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"treatment_pathway": str, "mcf": float, "bo": float, "region": str,
                "bod_per_capita": float, "collected": str, "i_factor": float,
                "protein": float, "frac_npr": float, "f_non_con": float, "f_ind_com": float,
                "garbage_disposals": str, "upstream_treatment": str,
                "protein_region": str, "septic_compliance": float, "fpc": float,
                "n_hh": float, "tow_rem": float, "n_rem": float, "ef_plants": float,
                "sludge_nitrogen": float, "wastewater_generation": float,
                "cod_concentration": float, "sludge_removed": float,
                "methane_recovered": float},
    description="Domestic (4.D.1: CH4 Eq. 6.1-6.3, N2O of effluent Eq. 6.7-6.8) and "
                "industrial (4.D.2: CH4 Eq. 6.4-6.6) wastewater, IPCC 2006 Vol 5 Ch 6",
)
