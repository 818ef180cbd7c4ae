"""The content of a Form 06, independent of its form: the emission sources (II.3), the factor
records used and the GWP values (III.1), the activity rows (III.2), the totals per year and
scope (III.3), the uncertainty and QA/QC results (III.4)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ghg_inventory.categories import name as category_name
from ghg_inventory.errors import UnknownKeyError
from ghg_inventory.i18n.messages import msg
from ghg_inventory.inventory import Inventory
from ghg_inventory.province.form06.fields import UNCERTAINTY_OPTIONS, text

_GAS_ORDER = {"CO2": 0, "CH4": 1, "N2O": 2}


@dataclass
class YearTotals:
    """III.3 for one year: per gas (gas, t, t CO2e) and total, by scope; biogenic CO2."""

    direct: list[tuple[str, float, float]]    # gas, t, t CO2e
    direct_total: float
    indirect: list[tuple[str, float, float]]
    indirect_total: float
    biogenic: float                           # t CO2
    ods: list[tuple[str, float, float]]


@dataclass
class Content:
    """Everything the form shows, computed before any cell is written."""

    facility_id: str
    years: tuple[int, int]
    meta: dict[str, Any]
    version: str
    sources: pd.DataFrame
    factors: pd.DataFrame
    gwp: pd.DataFrame
    activity: pd.DataFrame
    totals: dict[int, YearTotals]
    detail: dict[str, pd.DataFrame]
    uncertainty: tuple[pd.DataFrame, pd.DataFrame] | None
    qaqc: pd.DataFrame

    @classmethod
    def build(cls, inventory: Inventory, period: Inventory, facility_id: str,
              years: tuple[int, int], uncertainty: Mapping[str, object] | None, lang: str,
              version: str) -> Content:
        from ghg_inventory.analysis import qaqc as qaqc

        words = text(lang)
        return cls(
            facility_id=facility_id, years=years, meta=dict(period.meta), version=version,
            sources=_sources(period, lang), factors=_factors(period, words),
            gwp=_gwp_table(period, words), activity=_activity_rows(inventory, years, lang),
            totals={y: _year_totals(period, y) for y in years},
            detail={s: _detail(period, s, lang) for s in ("direct", "indirect")},
            uncertainty=_uncertainty(period, uncertainty),
            qaqc=qaqc.check(period),
        )


def gas_key(gas: str) -> tuple[int, str]:
    """Gases in the order CO2, CH4, N2O, then the others alphabetically."""
    return (_GAS_ORDER.get(gas, 3), gas)


def _activity_names(keys: pd.Series, lang: str) -> pd.Series:
    from ghg_inventory.factors import FactorDB

    fuels = FactorDB.default().fuels()[f"name_{lang}"]
    return keys.map(fuels).fillna("")


def named_categories(codes: pd.Series, lang: str) -> pd.Series:
    """The names of IPCC category codes in ``lang``."""
    distinct = {c: category_name(c, lang) for c in pd.unique(codes)}
    return codes.map(distinct)


def _sources(period: Inventory, lang: str) -> pd.DataFrame:
    """II.3: one row per emission source (category, activity, scope) of the period."""
    words = text(lang)
    em = period.emissions
    frame = pd.DataFrame({
        "scope": em["scope"].astype(str).to_numpy(),
        "category": em["category"].astype(str).to_numpy(),
        "activity": em["activity"].astype(str).to_numpy(),
        "gas": em["gas"].astype(str).to_numpy(),
        "year": em["year"].astype(int).to_numpy(),
        "biogenic": em["biogenic"].astype(bool).to_numpy(),
    })
    if frame.empty:
        return frame
    scope_order = {"direct": 0, "indirect": 1, "ods": 2}
    rows = []
    for (scope, category, activity), group in frame.groupby(["scope", "category", "activity"]):
        gases = ", ".join(sorted(set(group["gas"]), key=gas_key))
        if group["biogenic"].any():
            gases += f" ({words['biogenic_note']})"
        rows.append({"scope": scope, "category": category, "activity": activity,
                     "gases": gases,
                     "years": ", ".join(map(str, sorted(set(group["year"]))))})
    out = pd.DataFrame(rows)
    out["category_name"] = named_categories(out["category"], lang)
    out["activity_name"] = _activity_names(out["activity"], lang)
    out["scope_label"] = out["scope"].map(lambda s: words.get(s, s))
    out["_order"] = out["scope"].map(scope_order).fillna(3)
    return out.sort_values(["_order", "category", "activity"]).reset_index(drop=True)


def _factors(period: Inventory, words: Mapping[str, str]) -> pd.DataFrame:
    """III.1: every factor record used in the period, per category, activity and gas."""
    from ghg_inventory.factors import FactorDB
    from ghg_inventory.methods import USER_SUPPLIED

    em = period.emissions
    base = pd.DataFrame({
        "category": em["category"].astype(str).to_numpy(),
        "activity": em["activity"].astype(str).to_numpy(),
        "year": em["year"].astype(int).to_numpy(),
    })
    direct = base.assign(gas=em["gas"].astype(str).to_numpy(),
                         factor_id=em["factor_id"].astype(str).to_numpy(),
                         tier=pd.to_numeric(em["tier"], errors="coerce").to_numpy(),
                         guidelines=em["guidelines"].astype(str).to_numpy())
    aux = base.assign(factor_id=em["auxiliary_factor_ids"].astype(str).to_numpy())
    aux = aux.drop_duplicates()
    aux = aux.assign(factor_id=aux["factor_id"].str.split(";")).explode("factor_id")
    aux = aux[aux["factor_id"].notna() & (aux["factor_id"].str.strip() != "")
              & (aux["factor_id"] != "nan")]
    aux = aux.assign(gas="", tier=np.nan, guidelines="")
    used = pd.concat([direct, aux], ignore_index=True)
    keys = ["category", "activity", "gas", "factor_id"]
    grouped = used.groupby(keys, sort=False).agg(
        tier=("tier", "first"), guidelines=("guidelines", "first"),
        years=("year", lambda y: ", ".join(map(str, sorted(set(y)))))).reset_index()
    db = FactorDB.default() if period.factors is None else period.factors
    records = db.table.drop_duplicates("factor_id").set_index("factor_id")
    known = grouped["factor_id"].isin(records.index)
    columns = ("parameter", "value", "unit", "source", "reference", "tier", "guidelines")
    looked = records.reindex(grouped["factor_id"])[list(columns)].reset_index(drop=True)
    out = grouped.copy()
    out["parameter"] = looked["parameter"].where(known.to_numpy(), "ef")
    out["value"] = pd.to_numeric(looked["value"], errors="coerce")
    out["unit"] = looked["unit"].fillna("")
    out["source"] = looked["source"].where(known.to_numpy(), words["user_supplied"])
    out.loc[out["factor_id"] == USER_SUPPLIED, "source"] = words["user_supplied"]
    out["source"] = out["source"].fillna("")
    out["reference"] = looked["reference"].fillna("")
    out["tier"] = out["tier"].fillna(pd.to_numeric(looked["tier"], errors="coerce"))
    out["guidelines"] = out["guidelines"].where(out["guidelines"] != "", looked["guidelines"])
    out["guidelines"] = out["guidelines"].fillna("")
    out["parameter_label"] = out["parameter"].map(
        lambda p: words.get(f"parameter_{p}", str(p)))
    order = {"ef": 0, "ncv": 1, "density": 2}
    out["_p"] = out["parameter"].map(order).fillna(3)
    out["_g"] = out["gas"].map(lambda g: gas_key(g)[0] if g else 9)
    return out.sort_values(["category", "activity", "_p", "_g", "gas", "factor_id"]) \
        .reset_index(drop=True)


def _gwp_table(period: Inventory, words: Mapping[str, str]) -> pd.DataFrame:
    from ghg_inventory.gwp import gwp_value

    gwp = period.gwp
    results = period.results
    pairs = results[["gas", "fossil"]].astype({"gas": str}).drop_duplicates()
    rows: list[dict[str, Any]] = []
    ar6_ch4 = gwp == "AR6"
    for gas, fossil in sorted(pairs.itertuples(index=False, name=None),
                              key=lambda p: (gas_key(p[0]), not bool(p[1]))):
        note = ""
        if gas == "CH4" and ar6_ch4:
            note = words["fossil"] if bool(fossil) else words["non_fossil"]
        elif any(r["gas"] == gas for r in rows):
            continue
        rows.append({"gas": gas, "gwp": gwp_value(gas, gwp, fossil=bool(fossil)),
                     "note": note})
    return pd.DataFrame(rows, columns=["gas", "gwp", "note"])


def _activity_rows(inventory: Inventory, years: tuple[int, int], lang: str) -> pd.DataFrame:
    """III.2: the activity rows behind the period's emissions, amounts as reported.

    Those are the rows of the two years and, where emissions of the period come from
    earlier years (a landfill's deposits, first-order decay), the earlier rows of the same
    category and activity up to the period. Rows the engine derived for another category or
    year are no data of their own and are left out.
    """
    from ghg_inventory.units import parse_unit

    table = inventory.activities
    year = table["year"].to_numpy()
    keep = np.isin(year, years)
    if "_source_pos" in table:
        source = table["_source_pos"].to_numpy()
        original = source < 0
        # the engine links an emission year to one row of the deposit history: take the
        # whole history of that category and activity before the period
        linked = source[keep & ~original]
        earlier = linked[year[linked] < years[0]]
        if earlier.size:
            keys = pd.MultiIndex.from_arrays([table["category"].astype(str),
                                              table["activity"].astype(str)])
            history = keys.isin(set(keys[earlier])) & (year < years[0])
            keep |= np.asarray(history)
        keep &= original
    table = table[keep]
    codes, units = pd.factorize(table["unit"].astype(str))
    to_canonical = np.array([parse_unit(u).to_canonical for u in units] + [np.nan])
    factor = to_canonical[codes]
    out = pd.DataFrame({
        "year": table["year"].astype(int).to_numpy(),
        "category": table["category"].astype(str).to_numpy(),
        "activity": table["activity"].astype(str).to_numpy(),
        "amount": table["amount"].to_numpy(dtype=float) / factor,
        "unit": np.asarray(units, dtype=object)[codes],
        "energy_tj": table["energy_tj"].to_numpy(dtype=float) if "energy_tj" in table
        else np.nan,
        "source_file": table["source_file"].astype(str).to_numpy() if "source_file" in table
        else "",
        "source_row": table["source_row"].to_numpy() if "source_row" in table else None,
    })
    out["category_name"] = named_categories(out["category"], lang)
    return out.sort_values(["year", "category", "activity"], kind="stable") \
        .reset_index(drop=True)


def _by_gas(period: Inventory, scope: str, year: int) -> list[tuple[str, float, float]]:
    frame = period.rollup(by=["year", "gas"], scope=scope)
    frame = frame[frame["year"] == year]
    rows = []
    for record in frame.to_dict("records"):
        gas = str(record["gas"])
        mass = float(record.get(f"{gas}_kg", 0.0)) / 1000.0
        rows.append((gas, mass, float(record["co2e_kg"]) / 1000.0))
    return sorted(rows, key=lambda r: gas_key(r[0]))


def _year_total(period: Inventory, scope: str, year: int, column: str = "co2e_kg") -> float:
    frame = period.rollup(by="year", scope=scope)
    values = frame.loc[frame["year"] == year, column]
    return float(values.sum()) / 1000.0


def _year_totals(period: Inventory, year: int) -> YearTotals:
    return YearTotals(
        direct=_by_gas(period, "direct", year),
        direct_total=_year_total(period, "direct", year),
        indirect=_by_gas(period, "indirect", year),
        indirect_total=_year_total(period, "indirect", year),
        biogenic=_year_total(period, "direct", year, "biogenic_CO2_kg"),
        ods=_by_gas(period, "ods", year),
    )


def _detail(period: Inventory, scope: str, lang: str) -> pd.DataFrame:
    """III.3 detail: one row per year, category and activity of one scope."""
    return period.rollup(by=["year", "category", "activity"], scope=scope, lang=lang)


def _uncertainty(period: Inventory, options: Mapping[str, object] | None
                 ) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    if options is None:
        return None
    unknown = sorted(set(options) - set(UNCERTAINTY_OPTIONS))
    if unknown:
        raise UnknownKeyError(msg("province.form06.unknown_uncertainty",
                                  options=", ".join(map(repr, unknown)),
                                  known=", ".join(UNCERTAINTY_OPTIONS)))
    from ghg_inventory.analysis.uncertainty import error_propagation

    given: dict[str, Any] = dict(options)
    by_year = error_propagation(period, by="year", **given)
    by_category = error_propagation(period, by=["year", "category"], **given)
    return by_year, by_category

