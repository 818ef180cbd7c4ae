"""Fluorinated gases: refrigeration and air conditioning (2.F.1) and SF6 in electrical
equipment (2.G.1), IPCC 2006 Vol 3 Ch 7 and Ch 8.

Refrigeration and air conditioning, Tier 2a by application (Vol 3 Ch 7, Eq. 7.10-7.14)
-------------------------------------------------------------------------------------
One row per facility, year, application (``activity``: ``chillers``,
``residential_commercial_ac``, ``mobile_ac`` ...) and refrigerant (``refrigerant``:
``R-410A``, ``HFC-134a``, ``R-22`` ...), with ``amount`` = the refrigerant bank, i.e. the
charge of the equipment in operation that year [kg]. Optional columns: ``new_charge``
(refrigerant charged into new equipment that year, kg), ``retired_charge`` (initial charge
of the equipment retired that year, kg), and the application's factors where the facility
knows its own (``installation_ef`` [%], ``operation_ef`` [%/year], ``remaining_at_eol``
[%], ``recovery_efficiency`` [%]). Table 7.9 prints ranges, not point values; the text
beside it (Section 7.5.2.2, p. 7.51) assigns the lower end of the emission-factor ranges to
developed and the upper end to developing countries, so the shipped k and x are the printed
upper ends (Viet Nam) with the range as lower/upper. For the end-of-life factors p and
eta_rec the text gives no such rule (the compiler chooses from the range according to
country-specific conditions), so they are not shipped: a row that retires equipment
(``retired_charge`` > 0) gives its own ``remaining_at_eol`` and ``recovery_efficiency``
(the printed ranges are in the header of ``ipcc2006_refrigeration.csv``). Then

    installation = new_charge x k                        (Eq. 7.12)
    operation    = bank x x                              (Eq. 7.13)
    end of life  = retired_charge x p x (1 - eta_rec)    (Eq. 7.14)

and the refrigerant emitted is split into its component gases by the mass fractions of
``emission_factors/refrigerant_blends.csv`` (a pure refrigerant is its own component), so
CO2e follows the chosen GWP set. Ozone-depleting components (HCFCs) are kept in rows of
scope ``ods``: reported in their own table, never in the Kyoto-basket totals.

SF6 in electrical equipment, Tier 1 (Vol 3 Ch 8)
-------------------------------------------------
One row per facility, year and equipment type (``sf6_sealed_pressure``,
``sf6_closed_pressure``, ``sf6_gas_insulated_transformer``) with ``amount`` = the SF6
nameplate capacity in use [kg]; optional ``installed_capacity`` and ``retired_capacity``
(kg) for the installation and disposal stages. The IPCC Tier 1 defaults (Tables 8.2 sealed,
8.3 closed, 8.4 GIT) are printed for Europe and Japan: the row names the one it takes in
``sf6_region`` (the factor's ``variant`` is then ``stage.region``, e.g. ``use.europe``);
without it, a record whose ``variant`` is the stage alone (a utility's own rate) is used.
Disposal multiplies the retired nameplate capacity by the printed fraction of the charge
remaining at retirement (no recovery assumed).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pint

from ghg_inventory.factors import FactorDB, _default_folder
from ghg_inventory.gwp import GWP_SETS, gwp_value
from ghg_inventory.i18n.messages import Message, msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import factor_keys, number
from ghg_inventory.units import Q_

ODS_PREFIXES = ("HCFC", "CFC", "Halon")
STAGES_REFRIGERATION = ("installation", "operation", "end_of_life")


def refrigerant_emissions(bank: pint.Quantity, new_charge: pint.Quantity,
                          retired_charge: pint.Quantity, installation_ef: np.ndarray,
                          operation_ef: np.ndarray, remaining_at_eol: np.ndarray,
                          recovery_efficiency: np.ndarray) -> pint.Quantity:
    r"""Refrigerant emitted in a year by equipment of one application (Tier 2a).

    .. math:: E = M_{new} \cdot k + B \cdot x + M_{retired} \cdot p \cdot (1 - \eta_{rec})

    Parameters
    ----------
    bank : pint.Quantity
        Refrigerant in equipment in operation. [kg]
    new_charge : pint.Quantity
        Refrigerant charged into new equipment in the year. [kg]
    retired_charge : pint.Quantity
        Initial charge of the equipment retired in the year. [kg]
    installation_ef : numpy.ndarray
        k, share of the initial charge lost at installation. [fraction]
    operation_ef : numpy.ndarray
        x, share of the bank lost per year in operation. [fraction per year]
    remaining_at_eol : numpy.ndarray
        p, share of the initial charge left at end of life. [fraction]
    recovery_efficiency : numpy.ndarray
        eta_rec, share of what is left that is recovered. [fraction]

    Returns
    -------
    pint.Quantity
        Refrigerant emitted. [kg]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 3, Ch 7, Eq. 7.10-7.14, Table 7.9.
    """
    emitted = (new_charge * installation_ef + bank * operation_ef
               + retired_charge * remaining_at_eol * (1 - recovery_efficiency))
    return emitted.to("kg")


@cache
def blends() -> pd.DataFrame:
    """Refrigerant blends: mass fraction of each component, with source."""
    path = _default_folder() / "refrigerant_blends.csv"
    table = pd.read_csv(path, comment="#")
    sums = table.groupby("blend")["mass_fraction"].sum()
    bad = sums[(sums - 1).abs() > 1e-6]
    if len(bad):
        raise RuntimeError("refrigerant_blends.csv: fractions do not sum to 1 for "
                           f"{list(bad.index)}")
    return table


def _gas_name(name: str) -> str:
    """``R-134a`` -> ``HFC-134a`` for pure refrigerants numbered like HFCs/HCFCs."""
    text = name.strip()
    if text.upper().startswith("R-") and text[2:3].isdigit():
        number = text[2:]
        for family in ("HFC", "HCFC"):
            gas = f"{family}-{number}"
            try:
                gwp_value(gas, "AR5")
                return gas
            except KeyError:
                continue
    return text


def composition(refrigerant: str) -> list[tuple[str, float]]:
    """Component gases of a refrigerant and their mass fractions.

    Raises
    ------
    KeyError
        If the refrigerant is neither a blend of the table nor a single gas with a GWP.
    """
    table = blends()
    rows = table[table["blend"].str.upper() == refrigerant.strip().upper()]
    if len(rows):
        return [(_gas_name(str(c)), float(f))
                for c, f in zip(rows["component"], rows["mass_fraction"], strict=True)]
    gas = _gas_name(refrigerant)
    gwp_value(gas, "AR5")  # raises if not a known gas
    return [(gas, 1.0)]


def _known_everywhere(gas: str) -> bool:
    try:
        for gwp in GWP_SETS:
            gwp_value(gas, gwp)
    except KeyError:
        return False
    return True


def _refrigerants(table: pd.DataFrame) -> tuple[pd.Series, list[Failure]]:
    values = (table["refrigerant"].astype("string").str.strip().fillna("")
              if "refrigerant" in table else pd.Series("", index=table.index))
    failures = []
    empty = np.flatnonzero((values == "").to_numpy())
    if len(empty):
        failures.append(Failure(empty, "refrigerant", msg("sectors.fgases.no_refrigerant")))
    for name in pd.unique(values[values != ""]):
        try:
            parts = composition(str(name))
            unknown = [g for g, _ in parts if not _known_everywhere(g)]
            problem = msg("sectors.fgases.no_gwp", components=", ".join(unknown),
                          name=name) if unknown else ""
        except KeyError:
            problem = msg("sectors.fgases.unknown_refrigerant",
                          blends=", ".join(sorted(blends()["blend"].unique())))
        if problem:
            failures.append(Failure(np.flatnonzero((values == name).to_numpy()),
                                    "refrigerant", problem))
    return values, failures


# column -> (factor parameter, unit the user gives it in, the stage's base column): a stage's
# factor is only needed where its base is non-zero, so a site that retired nothing this year
# needs no end-of-life factors (Table 7.9 gives no point value for those, see the data file).
PARAMETERS = {
    "installation_ef": ("installation_ef", "percent", "new_charge"),
    "operation_ef": ("operation_ef", "percent/year", "amount"),
    "remaining_at_eol": ("remaining_at_eol", "percent", "retired_charge"),
    "recovery_efficiency": ("recovery_efficiency", "percent", "retired_charge"),
}


def _refrigeration_inputs(table: pd.DataFrame, ctx: Context
                          ) -> tuple[np.ndarray, pd.DataFrame, dict[str, np.ndarray],
                                     list[Failure]]:
    key, keys = factor_keys(table, ctx, "refrigeration")
    failures: list[Failure] = []
    shares: dict[str, np.ndarray] = {"amount": table["amount"].to_numpy(dtype=float)}
    for column in ("new_charge", "retired_charge"):
        values, more = number(table, column, 0.0, 0.0, None, f"{column} [kg]")
        failures += more
        shares[column] = values
    for column, (parameter, unit, base) in PARAMETERS.items():
        answer = ctx.factors.lookup(keys, parameter, unit, guidelines=ctx.guidelines)
        values, more = number(table, column, answer["value"].to_numpy()[key], 0.0, 100.0,
                              f"{column} [{unit}]")
        failures += more
        needed = np.nan_to_num(shares[base]) > 0
        missing = np.flatnonzero(np.isnan(values) & needed)
        if len(missing):
            failures.append(Failure(missing, column,
                                    msg("sectors.fgases.no_refrigeration_default",
                                        column=column, unit=unit, base=base)))
        shares[column] = np.where(needed, values, 0.0) / 100.0
    # provenance: the operation factor (the stage present in every row)
    operation = ctx.factors.lookup(keys, "operation_ef", "percent/year",
                                   guidelines=ctx.guidelines)
    return key, operation, shares, failures


def _refrigeration_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    _, failures = _refrigerants(table)
    return failures + _refrigeration_inputs(table, ctx)[3]


def _refrigeration_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    refrigerant, _ = _refrigerants(table)
    key, factors, p, _ = _refrigeration_inputs(table, ctx)
    emitted = refrigerant_emissions(
        Q_(table["amount"].to_numpy(dtype=float), "kg"), Q_(p["new_charge"], "kg"),
        Q_(p["retired_charge"], "kg"), p["installation_ef"], p["operation_ef"],
        p["remaining_at_eol"], p["recovery_efficiency"]).m_as("kg")
    # split each row's refrigerant into its gases: one result per gas over its rows
    per_gas: dict[str, list[tuple[np.ndarray, float]]] = {}
    for name in pd.unique(refrigerant):
        rows = np.flatnonzero((refrigerant == name).to_numpy())
        for gas, share in composition(str(name)):
            per_gas.setdefault(gas, []).append((rows, share))
    results = []
    for gas, parts in per_gas.items():
        rows = np.concatenate([r for r, _ in parts])
        fraction = np.concatenate([np.full(len(r), f) for r, f in parts])
        order = np.argsort(rows, kind="stable")
        rows, fraction = rows[order], fraction[order]
        scope = "ods" if gas.startswith(ODS_PREFIXES) else "direct"
        results.append(GasResult(gas, emitted[rows] * fraction, key[rows], factors,
                                 scope=scope, rows=rows))
    return gas_results(results)


def _applications(factors: FactorDB) -> set[str]:
    t = factors.table
    return set(t.loc[t["parameter"] == "operation_ef", "activity"])


def _refrigerant_as_activity(name: str) -> Message | None:
    """A refrigerant (``R-410A``, ``HFC-134a``) written as the activity: where it goes."""
    try:
        composition(name)
    except KeyError:  # UnknownKeyError too: neither a blend nor a gas with a GWP
        return None
    return msg("sectors.fgases.refrigerant_as_activity", name=name)


REFRIGERATION = Method(
    name="refrigeration_ac",
    categories=("2.F.1",),
    activities=_applications,
    amount_kinds=("mass",),
    compute=_refrigeration_compute,
    check=_refrigeration_check,
    misplaced=_refrigerant_as_activity,
    parameters={"refrigerant": str, "new_charge": float, "retired_charge": float,
                **{c: float for c in PARAMETERS}},
    description="Refrigeration and air conditioning, Tier 2a by application, IPCC 2006 "
                "Vol 3 Ch 7 Eq. 7.10-7.14, Table 7.9; blends split into component gases",
)


# --- SF6 in electrical equipment ---------------------------------------------------------------

SF6_STAGES = {"use": None, "installation": "installed_capacity", "disposal": "retired_capacity"}


def _sf6_variant(table: pd.DataFrame, stage: str) -> pd.Series:
    """The variant a row's factor is looked up under: ``stage`` alone, or ``stage.region``
    where the row names the region of Tables 8.2-8.4 (``sf6_region``: europe, japan)."""
    if "sf6_region" not in table:
        return pd.Series(stage, index=table.index, dtype="category")
    region = table["sf6_region"].astype("string").str.strip().str.lower().fillna("")
    return pd.Series(np.where(region != "", stage + "." + region.astype(str), stage),
                     index=table.index, dtype="category")


def _sf6_lookup(table: pd.DataFrame, ctx: Context, stage: str) -> tuple[np.ndarray,
                                                                         pd.DataFrame]:
    key, keys = factor_keys(table, ctx, f"sf6.{stage}", variant=_sf6_variant(table, stage))
    unit = "1/year" if stage == "use" else "dimensionless"
    return key, ctx.factors.lookup(keys, "ef", unit, gas="SF6", guidelines=ctx.guidelines,
                                   required=("variant",))


def _sf6_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    failures: list[Failure] = []
    for stage, column in SF6_STAGES.items():
        values, more = (number(table, column, 0.0, 0.0, None, f"{column} [kg]")
                        if column else (table["amount"].to_numpy(dtype=float), []))
        failures += more
        key, answer = _sf6_lookup(table, ctx, stage)
        missing = np.flatnonzero(answer["factor_id"].isna().to_numpy()[key] & (values > 0))
        if len(missing):
            with_region = _sf6_variant(table, stage).astype(str).str.contains(".", regex=False)
            said: list[str] = [msg("sectors.fgases.no_sf6_shipped", stage=stage) if regional
                               else msg("sectors.fgases.no_sf6_region", stage=stage)
                               for regional in with_region.to_numpy()[missing]]
            failures.append(Failure(missing, column or "activity", said))
    return failures


def _sf6_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    total = np.zeros(len(table))
    last_key, last_answer = None, None
    for stage, column in SF6_STAGES.items():
        base = (number(table, column, 0.0, 0.0, None, column)[0] if column
                else table["amount"].to_numpy(dtype=float))
        key, answer = _sf6_lookup(table, ctx, stage)
        factor = np.nan_to_num(answer["value"].to_numpy()[key])
        total += base * factor
        if stage == "use":
            last_key, last_answer = key, answer
    assert last_key is not None and last_answer is not None
    return gas_results([GasResult("SF6", total, last_key, last_answer)])


SF6 = Method(
    name="sf6_electrical_equipment",
    categories=("2.G.1",),
    activities=lambda factors: set(factors.table.loc[factors.table["gas"] == "SF6", "activity"]),
    amount_kinds=("mass",),
    compute=_sf6_compute,
    check=_sf6_check,
    parameters={"installed_capacity": float, "retired_capacity": float, "sf6_region": str},
    description="SF6 from electrical equipment, Tier 1 by nameplate capacity, IPCC 2006 "
                "Vol 3 Ch 8",
)
