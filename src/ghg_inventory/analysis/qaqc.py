"""QA/QC checks of a computed inventory: a report to read, not an error.

Checks (IPCC 2006 Vol 1 Ch 6, Table 6.1 general and category-specific QC):

* ``implied_factor_outside_range``: a row's implied emission factor (emissions / energy)
  outside the IPCC default range (lower-upper) of its category, fuel and gas, as happens
  when a facility's own factor (Tier 2/3) departs from the default;
* ``year_on_year_jump``: a facility's emissions of a category and gas changing by more
  than ``jump_pct`` from one reported year to the next;
* ``activity_without_emissions`` / ``zero_activity``: rows with an amount but no emissions
  (in any year: a deposit's decay in later years is its emissions), and rows reporting an
  amount of 0;
* ``suspicious_unit``: a row whose amount, converted, is 1,000 times (or more) above or
  below the median of the same category and activity, in a unit different from the one
  most facilities use (kg where the others write t).

Beside the findings, :func:`verification_shares` says how much of the total rests on
factor records checked against one copy of the printed table only (``single_source``) and
on the user's own values (``user``), naming the records; :func:`check` carries it in its
``attrs["verification_shares"]``.

The checks of amounts look at the rows as reported (:attr:`Inventory.is_source`): the engine's
derived copies of a row (decay years, indirect N2O, soil carbon) repeat its amount.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ghg_inventory.i18n.messages import Message, msg

if TYPE_CHECKING:
    from ghg_inventory.inventory import Inventory

COLUMNS = ["check", "facility_id", "year", "category", "activity", "gas", "value", "message",
           "source_file", "source_row"]


def _rows(table: pd.DataFrame, positions: np.ndarray, check: str, gas: object,
          values: np.ndarray, messages: list[Message]) -> pd.DataFrame:
    picked = table.iloc[positions]
    return pd.DataFrame({
        "check": check,
        "facility_id": picked["facility_id"].astype(str).to_numpy(),
        "year": picked["year"].to_numpy(),
        "category": picked["category"].astype(str).to_numpy(),
        "activity": picked["activity"].astype(str).to_numpy(),
        "gas": gas, "value": values,
        # object, so that each message keeps its key (pandas would make plain str of it)
        "message": pd.Series(messages, dtype=object),
        "source_file": picked["source_file"].astype(str).to_numpy()
        if "source_file" in picked else "",
        "source_row": picked["source_row"].to_numpy() if "source_row" in picked else -1,
    })


def implied_factors(inventory: Inventory) -> pd.DataFrame:
    """Rows whose implied emission factor lies outside the IPCC default range."""
    from ghg_inventory.factors import FactorDB

    results, table = inventory.results, inventory.activities
    pos = results["_pos"].to_numpy()
    energy = table["energy_tj"].to_numpy(dtype=float)[pos] if "energy_tj" in table \
        else np.full(len(results), np.nan)
    # reported rows only (a derived copy has no energy of its own)
    direct = (results["scope"] == "direct").to_numpy() & (energy > 0) \
        & inventory.is_source[pos]
    implied = np.where(direct, results["emissions_kg"].to_numpy() / np.where(
        energy > 0, energy, 1.0), np.nan)
    db = FactorDB.default()
    ipcc = db.table[(db.table["parameter"] == "ef") & db.table["lower"].notna()
                    & db.table["upper"].notna() & (db.table["tier"] == 1)]
    keys = pd.DataFrame({"category": table["category"].astype(object).to_numpy()[pos],
                         "activity": table["activity"].astype(object).to_numpy()[pos],
                         "gas": results["gas"].astype(str).to_numpy()})
    # only fuel-combustion rows have an energy basis to compare kg/TJ ranges against
    keys = keys[direct]
    frames = []
    for gas, idx in keys.groupby("gas").groups.items():
        sub = keys.loc[idx, ["category", "activity"]].drop_duplicates()
        if ipcc.empty:
            break
        ranges = db.lookup(sub, "ef", "kg/TJ", gas=str(gas))
        ranges["lower"] = ranges["factor_id"].map(ipcc.set_index("factor_id")["lower"])
        ranges["upper"] = ranges["factor_id"].map(ipcc.set_index("factor_id")["upper"])
        merged = keys.loc[idx].reset_index().merge(
            pd.concat([sub.reset_index(drop=True), ranges[["lower", "upper"]]
                       .reset_index(drop=True)], axis=1), on=["category", "activity"])
        rows = merged["index"].to_numpy()
        value = implied[rows]
        out = (value < merged["lower"].to_numpy()) | (value > merged["upper"].to_numpy())
        out &= ~np.isnan(value)
        if out.any():
            hit = rows[out]
            frames.append(_rows(table, pos[hit], "implied_factor_outside_range", gas,
                                value[out], [msg("analysis.qaqc.implied_outside",
                                                 value=float(v), lower=float(lo),
                                                 upper=float(hi)) for v, lo, hi in zip(
                                                 value[out], merged["lower"].to_numpy()[out],
                                                 merged["upper"].to_numpy()[out],
                                                 strict=True)]))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def year_on_year(inventory: Inventory, jump_pct: float = 50.0) -> pd.DataFrame:
    """Facility-category-gas series changing by more than ``jump_pct`` between years."""
    series = inventory.rollup(by=["facility_id", "category", "gas", "year"])
    series = series.sort_values(["facility_id", "category", "gas", "year"])
    previous = series.groupby(["facility_id", "category", "gas"])["co2e_kg"].shift()
    change = 100 * (series["co2e_kg"] - previous) / previous.abs()
    jumps = series[change.abs() > jump_pct].assign(value=change[change.abs() > jump_pct])
    return pd.DataFrame({
        "check": "year_on_year_jump", "facility_id": jumps["facility_id"].astype(str),
        "year": jumps["year"], "category": jumps["category"].astype(str), "activity": "",
        "gas": jumps["gas"].astype(str), "value": jumps["value"],
        "message": pd.Series([msg("analysis.qaqc.jump", change=float(v),
                                  threshold=float(jump_pct)) for v in jumps["value"]],
                             index=jumps.index, dtype=object),
        "source_file": "", "source_row": -1,
    }).reset_index(drop=True)


def activity_and_emissions(inventory: Inventory) -> pd.DataFrame:
    """Rows with activity but no emissions, and rows reporting no activity."""
    table, results = inventory.activities, inventory.results
    emitted = np.bincount(results["_pos"].to_numpy(),
                          weights=np.abs(results["emissions_kg"].to_numpy()),
                          minlength=len(table))
    # each reported row once: a copy repeats its source row's amount
    source = inventory.is_source
    if not source.all():
        # the engine carries emissions into later years (or 3.C.5/3.C.6) on copies of one
        # row of a series: a landfill's decay sits on one row of its deposit history, and
        # a deposit emits nothing in its own year. Those are the emissions of every
        # reported row of the same facility, category and activity.
        copies = np.flatnonzero(~source)
        group, labels = inventory.activity_groups(["facility_id", "category", "activity"])
        carried = np.bincount(group[table["_source_pos"].to_numpy()[copies]],
                              weights=emitted[copies], minlength=len(labels))
        emitted = emitted + carried[group]
    amount = table["amount"].to_numpy(dtype=float)
    without = np.flatnonzero(source & (amount > 0) & (emitted == 0))
    zero = np.flatnonzero(source & (amount == 0))
    return pd.concat([
        _rows(table, without, "activity_without_emissions", "", amount[without],
              [msg("analysis.qaqc.no_emissions")] * len(without)),
        _rows(table, zero, "zero_activity", "", amount[zero],
              [msg("analysis.qaqc.zero_amount")] * len(zero)),
    ], ignore_index=True)


def suspicious_units(inventory: Inventory, ratio: float = 1_000.0) -> pd.DataFrame:
    """Rows far from the median of their category and activity, in a minority unit."""
    table = inventory.activities
    if "unit" not in table:
        return pd.DataFrame(columns=COLUMNS)
    # the statistics of the reported rows: a derived copy repeats its source row's amount
    # (a deposit once per year of decay) and would weigh it many times in the median
    source = np.flatnonzero(inventory.is_source)
    table = table.iloc[source]
    unit = table["unit"].astype("string").str.strip()
    frame = pd.DataFrame({"category": table["category"].astype(str),
                          "activity": table["activity"].astype(str),
                          "kind": table["amount_kind"].astype(str), "unit": unit,
                          "amount": table["amount"].to_numpy(dtype=float)})
    groups = frame.groupby(["category", "activity", "kind"])
    median = groups["amount"].transform("median")
    common = groups["unit"].transform(lambda u: u.mode().iat[0] if len(u.mode()) else "")
    size = groups["amount"].transform("size")
    far = (frame["amount"] > 0) & (median > 0) & (
        (frame["amount"] / median >= ratio) | (median / frame["amount"] >= ratio))
    hit = np.flatnonzero((far & (frame["unit"] != common) & (size >= 3)).to_numpy())
    messages = [
        msg("analysis.qaqc.suspicious_unit", unit=u, common=c, ratio=float(r))
        for u, c, r in zip(frame["unit"].to_numpy()[hit], common.to_numpy()[hit],
                           (frame["amount"] / median).to_numpy()[hit], strict=True)]
    return _rows(inventory.activities, source[hit], "suspicious_unit", "",
                 frame["amount"].to_numpy()[hit], messages)


#: Verification statuses, weakest first (:meth:`Inventory.verification`).
STATUSES = ("user", "single_source", "two_sources")
SHARE_COLUMNS = ["factor_verification", "co2e_kg", "share_pct", "rows", "factor_ids"]


def verification_shares(inventory: Inventory, *, scope: str = "direct") -> pd.DataFrame:
    """How much of the total CO2e rests on factor records of each verification status.

    Each emission row counted in the total (biogenic CO2 left out) is put under the
    weakest status of its factor chain (:meth:`~ghg_inventory.inventory.Inventory.
    verification`): a row whose CO2 factor was checked against two copies of the printed
    table but whose fuel density against one rests on a ``single_source`` default.

    Parameters
    ----------
    inventory : Inventory
    scope : {"direct", "indirect"}

    Returns
    -------
    pandas.DataFrame
        One row per status (``user``, ``single_source``, ``two_sources``, and ``none`` for
        rows without any factor record): ``co2e_kg``, ``share_pct`` of the total,
        ``rows`` (emission rows) and ``factor_ids``, the records of that status in those
        rows' chains (``;``-separated, sorted; for ``user``, ids no shipped table holds
        too, such as ``user-supplied``).
    """
    from ghg_inventory.factors import FactorDB

    results = inventory.results
    counted = ((results["scope"] == scope).to_numpy() & ~results["biogenic"].to_numpy())
    status = inventory.verification()
    codes = status.cat.codes.to_numpy()  # -1: no factor record
    co2e = inventory.co2e()
    weights = np.where(counted, co2e, 0.0)
    kg = np.bincount(codes + 1, weights=weights, minlength=len(STATUSES) + 1)
    rows = np.bincount(codes + 1, weights=counted.astype(float), minlength=len(STATUSES) + 1)
    total = float(weights.sum())
    db = FactorDB.default() if inventory.factors is None else inventory.factors
    own = dict(zip(db.table["factor_id"], db.table["verification"], strict=True))
    # the ids of each status, from the distinct (factor_id, auxiliary_factor_ids) pairs
    pairs = pd.DataFrame({"factor_id": results["factor_id"].astype(object).to_numpy(),
                          "aux": results["auxiliary_factor_ids"].astype(object).to_numpy(),
                          "code": codes})[counted].drop_duplicates()
    ids: dict[int, set[str]] = {k: set() for k in range(len(STATUSES))}
    for fid, aux, code in pairs.itertuples(index=False):
        if code < 0:
            continue
        chain = ([fid] if isinstance(fid, str) and fid else []) + (
            [p for p in aux.split(";") if p] if isinstance(aux, str) else [])
        ids[int(code)].update(i for i in chain
                              if own.get(i, "user") == STATUSES[int(code)])
    names = ["none", *STATUSES]
    frame = pd.DataFrame({
        "factor_verification": names, "co2e_kg": kg,
        "share_pct": 100.0 * kg / total if total else np.zeros(len(names)),
        "rows": rows.astype(int),
        "factor_ids": [""] + [";".join(sorted(ids[k])) for k in range(len(STATUSES))]})
    frame = frame[frame["rows"] > 0].reset_index(drop=True)
    frame.attrs.update({"scope": scope, "total_co2e_kg": total})
    return frame


def check(inventory: Inventory, *, jump_pct: float = 50.0) -> pd.DataFrame:
    """All QA/QC checks as one report (empty when nothing was found).

    Its ``attrs["verification_shares"]`` says, per verification status of the factor
    records, the share of the direct total (%) resting on it and the records
    (:func:`verification_shares`): ``{status: (share_pct, co2e_kg, "id;id...")}``.
    """
    parts = [implied_factors(inventory), year_on_year(inventory, jump_pct),
             activity_and_emissions(inventory), suspicious_units(inventory)]
    parts = [p for p in parts if len(p)]
    report = (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS))
    shares = verification_shares(inventory)
    report.attrs["verification_shares"] = {
        str(r.factor_verification): (float(r.share_pct), float(r.co2e_kg), str(r.factor_ids))
        for r in shares.itertuples(index=False)}
    return report
