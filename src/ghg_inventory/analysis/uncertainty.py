"""Uncertainty of an inventory: Approach 1 (error propagation) and Approach 2 (Monte Carlo).

Inputs
------
* **Factor uncertainty** comes from each factor record's ``lower``/``upper`` (the IPCC
  default 95% range where the source gives one). A record without a range needs a value
  from the caller (``factor_uncertainty``: by factor id, or by gas as a fallback); a record
  that has neither is an error naming it: nothing is assumed certain silently.
* **Activity-data uncertainty** is a column ``activity_uncertainty`` of the activity table
  (% half-width of the 95% interval), else a default per category (longest matching prefix)
  given by the caller, else the default the IPCC Guidelines print for that kind of activity
  data (``emission_factors/ipcc2006_activity_uncertainty.csv``, :func:`shipped_activity_defaults`;
  ``activity_defaults=False`` turns them off); a row with none of them is an error.

What came from where is part of the answer: each result's ``attrs["defaults_used"]`` names
the factor records whose range is the shipped record's and those whose range the caller
gave, and the activity rows whose uncertainty is a shipped default (with its table and
reference); :func:`uncertainty_sources` lists every input with its origin.

All uncertainties are relative half-widths of the 95% confidence interval, in percent.
An emission row's factor chain is its emission factor times the other records its gas's
equation went through (``auxiliary_factor_ids``: NCV and density of a fuel; VS, mass and Bo of
a manure CH4, the N excretion and Frac_GasMS of its N2O; the protein of a wastewater N2O ...),
named per gas by the method, so a gas never carries the ranges of another gas's inputs; their
uncertainties combine as a product (Eq. 3.1).

Correlation
-----------
Approach 1 follows Table 3.2: one line per category and gas, the lines independent of each
other. Within a line the activity data of different rows are independent, so their
uncertainties add in quadrature (Eq. 3.2), and each factor record is one uncertain quantity,
its uncertainty applying to the whole of the line's emissions that go through it (fully
correlated, also between rows whose chains differ elsewhere: the rice baseline EF_c under two
water regimes); for rows sharing one chain this is Eq. 3.1 applied to their sum. A record
used by two lines (a fuel's NCV in its CO2, CH4 and N2O) counts as independent in each, as
Table 3.2 treats its lines. Approach 2 draws one
value per factor *record* per iteration, shared by every row that uses it, so correlation
through a common factor is kept exactly, also across categories.

References
----------
.. [1] IPCC 2006 Guidelines, Vol 1, Ch 3, section 3.2.3 (Eq. 3.1, 3.2; Table 3.2; Approach 2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ghg_inventory.categories import ancestors
from ghg_inventory.errors import FactorTableError, GHGInventoryError, UnknownKeyError
from ghg_inventory.grouping import factorize_codes
from ghg_inventory.i18n.messages import listing, msg

if TYPE_CHECKING:
    from ghg_inventory.factors import FactorDB
    from ghg_inventory.inventory import Inventory

#: z of the two-sided 95% interval of a normal distribution.
Z95 = 1.959963984540054
DISTRIBUTIONS = ("normal", "lognormal", "triangular", "uniform")


def product_uncertainty(*relative: np.ndarray | float) -> np.ndarray:
    r"""Uncertainty of a product of independent quantities (IPCC 2006 Vol 1 Eq. 3.1).

    .. math:: U_{total} = \sqrt{U_1^2 + U_2^2 + \dots + U_n^2}

    Parameters
    ----------
    *relative : array_like
        Percentage uncertainties (half-width of the 95% interval) of each factor. [%]

    Returns
    -------
    numpy.ndarray
        Percentage uncertainty of the product. [%]
    """
    return np.sqrt(sum(np.square(np.asarray(u, dtype=float)) for u in relative))


def sum_uncertainty(values: np.ndarray, relative: np.ndarray) -> float:
    r"""Uncertainty of a sum of independent quantities (IPCC 2006 Vol 1 Eq. 3.2).

    .. math:: U_{total} = \frac{\sqrt{(U_1 x_1)^2 + \dots + (U_n x_n)^2}}
                              {|x_1 + \dots + x_n|}

    Parameters
    ----------
    values : numpy.ndarray
        The quantities added (emissions). [any unit]
    relative : numpy.ndarray
        Their percentage uncertainties. [%]

    Returns
    -------
    float
        Percentage uncertainty of the sum. [%] (NaN if the sum is 0.)
    """
    values = np.asarray(values, dtype=float)
    total = abs(values.sum())
    if total == 0:
        return float("nan")
    return float(np.sqrt(np.sum(np.square(np.asarray(relative) * values))) / total)


# --- inputs -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Inputs:
    """Everything both approaches need, per emission row (only rows in totals)."""

    rows: np.ndarray            # positions in the inventory's results
    co2e: np.ndarray            # kg CO2e of each row
    activity_row: np.ndarray    # activity row of each emission row
    activity_u: np.ndarray      # % per activity row (indexed by activity_row)
    chain: list[tuple[str, ...]]  # factor ids of each distinct chain
    chain_of_row: np.ndarray    # chain number of each row
    factor_ids: list[str]       # distinct factor records used
    factor_u_low: np.ndarray    # % below the value, per factor record
    factor_u_high: np.ndarray   # % above the value, per factor record
    factor_distribution: list[str]
    chain_members: list[np.ndarray]  # factor numbers of each chain
    factor_origin: list[str]    # "record" (the shipped/override record's range) or "caller"
    activity_origin: np.ndarray  # per activity row: ROW, CALLER, DEFAULT or -1 (none)
    activity_default: np.ndarray  # per activity row: row of defaults_table or -1
    defaults_table: pd.DataFrame  # the default activity-data uncertainties consulted


def _fallback(record: pd.Series, given: Mapping[str, float]) -> float | None:
    """A caller's default for a record without a range: by gas, then by parameter."""
    for key in (f"gas:{record['gas']}", f"parameter:{record['parameter']}"):
        if key in given:
            return float(given[key])
    return None


def _factor_ranges(db: FactorDB, ids: list[str], given: Mapping[str, float]
                   ) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    table = db.table.set_index("factor_id")
    low, high, missing, dists, origin = [], [], [], [], []
    for fid in ids:
        stated = table.at[fid, "distribution"] if fid in table.index else None
        dists.append(str(stated) if isinstance(stated, str) else "")
        if fid in given:
            low.append(float(given[fid]))
            high.append(float(given[fid]))
            origin.append("caller")
            continue
        record = table.loc[fid] if fid in table.index else None
        if record is not None and pd.notna(record["lower"]) and pd.notna(record["upper"]):
            value = float(record["value"])
            # a factor of 0 gives emissions of 0, whatever their relative uncertainty: the
            # rows using it add nothing to a total or its variance (Eq. 3.1-3.2 weigh by
            # the emission), so its relative range is taken as 0 instead of dividing by 0
            low.append(100.0 * (value - float(record["lower"])) / value if value else 0.0)
            high.append(100.0 * (float(record["upper"]) - value) / value if value else 0.0)
            origin.append("record")
        elif record is not None and _fallback(record, given) is not None:
            u = float(_fallback(record, given))  # type: ignore[arg-type]
            low.append(u)
            high.append(u)
            origin.append("caller")
        else:
            origin.append("")
            missing.append(fid)
            low.append(np.nan)
            high.append(np.nan)
    if missing:
        from ghg_inventory.methods import USER_SUPPLIED
        named: list[object] = list(missing)
        if USER_SUPPLIED in missing:
            named[missing.index(USER_SUPPLIED)] = msg(
                "analysis.uncertainty.user_supplied_range", id=USER_SUPPLIED)
        raise GHGInventoryError(msg(
            "analysis.uncertainty.no_factor_range", count=len(missing),
            shown=listing(named[:20]), more=" ..." if len(missing) > 20 else ""))
    return np.array(low), np.array(high), dists, origin


#: Where an activity row's uncertainty came from (:attr:`Inputs.activity_origin`).
ROW, CALLER, DEFAULT = 0, 1, 2
ORIGINS = {ROW: "row", CALLER: "caller", DEFAULT: "default"}

#: The shipped default activity-data uncertainties (in ``emission_factors/``; no
#: ``factor_id`` column, so the factor database does not read it as a factor table).
ACTIVITY_DEFAULTS_TABLE = "ipcc2006_activity_uncertainty.csv"
ACTIVITY_DEFAULT_COLUMNS = ("category", "activity", "source_type", "data", "condition",
                            "default", "printed", "uncertainty_pct", "lower_pct", "upper_pct",
                            "guidelines", "source", "reference", "notes", "verification")


def _factor_folder() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "emission_factors", here.parent.parent / "emission_factors"):
        if candidate.is_dir():
            return candidate
    raise FactorTableError(msg("analysis.uncertainty.no_factor_folder"))


def read_activity_defaults(path: str | Path) -> pd.DataFrame:
    """Read and check a table of default activity-data uncertainties.

    One row per kind of activity data and condition: ``category`` (an IPCC code; the row
    applies to its sub-categories), ``activity`` (a key, several separated by ``;``, or
    empty for every activity of the category), ``source_type`` (``stationary``,
    ``off_road`` ...; empty for any), ``condition`` (the circumstance the Guidelines print
    the value for, e.g. ``less_developed.surveys``; empty where they print one value),
    ``default`` (``true`` on the row used when the caller names no condition),
    ``printed`` (the value as printed), ``uncertainty_pct`` (half-width of the 95%
    interval, in %; ``lower_pct``/``upper_pct`` where the range printed is asymmetric,
    the larger half-width is then used, as Approach 1 does for factors), ``guidelines``
    (the edition that printed it), ``source``, ``reference``, ``verification``
    (``two_sources`` or ``single_source``).

    Raises
    ------
    FactorTableError
        Naming the file, the line and the column of every cell that does not fit.
    """
    from ghg_inventory.categories import category_table
    from ghg_inventory.textfiles import read_csv_text

    path = Path(path)
    try:
        frame, lines = read_csv_text(path, path.name)
    except FactorTableError:
        raise
    except GHGInventoryError as exc:  # its message as it is (a catalogue message stays one)
        raise FactorTableError(*exc.args) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in ("category", "uncertainty_pct", "guidelines", "source", "reference",
                           "verification") if c not in frame.columns]
    if missing:
        raise FactorTableError(msg("analysis.uncertainty.table_columns_missing",
                                   file=path.name, columns=", ".join(missing)))
    for column in ACTIVITY_DEFAULT_COLUMNS:
        if column not in frame:
            frame[column] = ""
    frame = frame[list(ACTIVITY_DEFAULT_COLUMNS)].astype(object)
    frame = frame.apply(lambda c: c.astype(str).str.strip())
    known = category_table().index
    problems = []
    numbers = {}
    for column in ("uncertainty_pct", "lower_pct", "upper_pct"):
        numbers[column] = pd.to_numeric(frame[column].replace("", np.nan), errors="coerce")
        bad = frame[column].ne("") & ~(numbers[column] > 0)
        problems += [msg("analysis.uncertainty.not_a_percentage", line=lines[i], column=column,
                         value=frame[column].iat[i]) for i in np.flatnonzero(bad.to_numpy())]
    checks = {
        "category": lambda v: v in known or any(a in known for a in ancestors(v)[:-1]),
        "guidelines": lambda v: v in ("2006", "2019"),
        "verification": lambda v: v in ("two_sources", "single_source"),
        "default": lambda v: v.lower() in ("", "true", "false"),
        "source": bool, "reference": bool,
    }
    for column, ok in checks.items():
        problems += [msg("analysis.uncertainty.not_allowed", line=lines[i], column=column,
                         value=v) for i, v in enumerate(frame[column]) if not ok(v)]
    empty = frame["uncertainty_pct"].eq("").to_numpy()
    problems += [msg("analysis.uncertainty.empty_pct", line=lines[i])
                 for i in np.flatnonzero(empty)]
    if problems:
        raise FactorTableError(msg("analysis.uncertainty.table_problems", file=path.name,
                                   count=len(problems), problems=listing(problems, "\n")))
    out = frame.assign(**{c: numbers[c].astype(float) for c in numbers})
    out["default"] = frame["default"].str.lower().eq("true")
    # two default rows for the same data would make the choice depend on the file's order
    keys = out.loc[out["default"], ["category", "activity", "source_type", "guidelines"]]
    twice = keys.duplicated(keep=False).to_numpy()
    if twice.any():
        where = np.flatnonzero(out["default"].to_numpy())[twice]
        raise FactorTableError(msg(
            "analysis.uncertainty.table_problems", file=path.name, count=len(where),
            problems=listing([msg("analysis.uncertainty.default_twice", line=lines[i],
                                  category=out.at[i, "category"],
                                  activity=out.at[i, "activity"]
                                  or msg("analysis.uncertainty.any_activity"))
                              for i in where], "\n")))
    # the half-width used by both approaches: the larger one of an asymmetric range
    out["used_pct"] = np.fmax(out["uncertainty_pct"], np.fmax(out["lower_pct"],
                                                              out["upper_pct"]))
    out["table"] = path.name
    out["line"] = lines
    return out.reset_index(drop=True)


@cache
def shipped_activity_defaults() -> pd.DataFrame:
    """The shipped default activity-data uncertainties (see :func:`read_activity_defaults`),
    an empty table where none is shipped."""
    path = _factor_folder() / ACTIVITY_DEFAULTS_TABLE
    if not path.exists():
        return pd.DataFrame(columns=[*ACTIVITY_DEFAULT_COLUMNS, "used_pct", "table", "line"])
    return read_activity_defaults(path)


def _wanted(condition: str | Mapping[str, str] | None, category: str) -> str | None:
    """The condition the caller chose for ``category`` (a mapping by longest prefix)."""
    if condition is None or isinstance(condition, str):
        return condition
    return next((condition[a] for a in ancestors(category) if a in condition), None)


def _default_rows(keys: pd.DataFrame, table: pd.DataFrame, guidelines: str,
                  condition: str | Mapping[str, str] | None = None) -> np.ndarray:
    """Per row of ``keys`` (distinct ``category``, ``activity``, ``source_type``): the row of
    ``table`` that applies, or -1.

    Among the rows for the condition the caller chose (else those marked ``default`` or
    printed for no particular condition): the one for the most specific category, then
    for the activity named (over a row for any activity), then of the computation's
    edition. (``max`` keeps the first of equal rows: the table refuses two defaults for
    the same data.)
    """
    out = np.full(len(keys), -1)
    if table.empty:
        return out
    editions = ("2006", "2019") if guidelines == "2019" else ("2006",)
    by_category: dict[str, list[int]] = {}
    for i, c, g in zip(table.index, table["category"], table["guidelines"], strict=True):
        if g in editions:
            by_category.setdefault(str(c), []).append(int(i))
    own = [frozenset(p for p in str(a).split(";") if p) for a in table["activity"]]
    kind = table["source_type"].to_numpy(dtype=object)
    edition = table["guidelines"].to_numpy(dtype=object)
    named = table["condition"].to_numpy(dtype=object)
    marked = table["default"].to_numpy(dtype=bool)
    for k, (category, activity, source_type) in enumerate(
            keys[["category", "activity", "source_type"]].itertuples(index=False)):
        scored = [((len(code.split(".")), int(bool(own[i])), int(edition[i] == guidelines)), i)
                  for code in ancestors(str(category)) for i in by_category.get(code, [])
                  if (not own[i] or activity in own[i])
                  and (not kind[i] or kind[i] == source_type)]
        chosen = _wanted(condition, str(category))
        # the condition the caller named, else a row marked default or printed for no
        # particular condition; the most specific of those
        eligible = ([(score, i) for score, i in scored if named[i] == chosen] if chosen
                    else []) or [(score, i) for score, i in scored
                                 if marked[i] or not named[i]]
        if eligible:
            out[k] = max(eligible, key=lambda pair: pair[0])[1]
    return out


def _defaults_table(which: bool | str | Path) -> pd.DataFrame:
    if which is True:
        return shipped_activity_defaults()
    if which is False or which is None:
        return shipped_activity_defaults().iloc[:0]
    return read_activity_defaults(which)


def _activity_uncertainty(inventory: Inventory, defaults: Mapping[str, float] | None,
                          printed: pd.DataFrame,
                          condition: str | Mapping[str, str] | None = None
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per activity row: the uncertainty (%), where it came from (ROW, CALLER, DEFAULT, -1)
    and the row of ``printed`` (the default table) it came from (-1 where none)."""
    table = inventory.activities
    given = (pd.to_numeric(table["activity_uncertainty"], errors="coerce").to_numpy(float)
             if "activity_uncertainty" in table else np.full(len(table), np.nan))
    origin = np.where(np.isnan(given), -1, ROW)
    from_table = np.full(len(table), -1)
    categories = table["category"].astype("category")
    codes = categories.cat.codes.to_numpy()
    if defaults:
        per_code = np.array([next((float(defaults[a]) for a in ancestors(str(c))
                                   if a in defaults), np.nan)
                             for c in categories.cat.categories] + [np.nan])
        fill = np.isnan(given) & ~np.isnan(per_code[codes])
        given = np.where(fill, per_code[codes], given)
        origin = np.where(fill, CALLER, origin)
    lacking = np.isnan(given)
    if len(printed) and lacking.any():
        # one choice per distinct (category, activity, source type), spread to the rows
        columns = {"category": categories, "activity": table["activity"].astype("category"),
                   "source_type": (table["source_type"].astype("string").fillna("")
                                   .str.strip().replace("", "stationary")
                                   if "source_type" in table
                                   else pd.Series("stationary", index=table.index))
                   .astype("category")}
        coded = {k: (v.cat.codes.to_numpy(),
                     np.append(np.asarray(v.cat.categories, dtype=object), ""))
                 for k, v in columns.items()}
        pair, first = factorize_codes([c for c, _ in coded.values()])
        keys = pd.DataFrame({k: names[c[first]] for k, (c, names) in coded.items()})
        chosen = _default_rows(keys, printed, str(inventory.meta.get("guidelines", "2006")),
                               condition)
        row_of = chosen[pair]
        fill = lacking & (row_of >= 0)
        used = printed["used_pct"].to_numpy(float)
        given = np.where(fill, used[np.maximum(row_of, 0)], given)
        origin = np.where(fill, DEFAULT, origin)
        from_table = np.where(fill, row_of, -1)
    return given, origin, from_table


def prepare(inventory: Inventory, *, factor_uncertainty: Mapping[str, float] | None = None,
            activity_uncertainty: Mapping[str, float] | None = None,
            distributions: Mapping[str, str] | None = None, scope: str = "direct",
            activity_defaults: bool | str | Path = True,
            activity_condition: str | Mapping[str, str] | None = None) -> Inputs:
    """Resolve the uncertainty of every input of the rows counted in the totals.

    Parameters
    ----------
    inventory : Inventory
    factor_uncertainty : mapping, optional
        ``{factor_id: %}`` for records without a range (or to replace one), and defaults
        for records without a range by gas (``"gas:CH4"``) or by parameter
        (``"parameter:density"``, ``"parameter:ncv"``).
    activity_uncertainty : mapping, optional
        ``{category prefix: %}`` for rows without an ``activity_uncertainty`` column value.
    distributions : mapping, optional
        ``{factor_id: "normal" | "lognormal" | "triangular" | "uniform"}`` for Approach 2;
        by default symmetric ranges are normal and asymmetric ones lognormal.
    scope : {"direct", "indirect"}
    activity_defaults : bool or path
        Whether rows that have no uncertainty of their own nor one from
        ``activity_uncertainty`` take the default the IPCC Guidelines print for their kind
        of activity data (True, the default: :func:`shipped_activity_defaults`; False:
        none), or the path of another table of the same columns
        (:func:`read_activity_defaults`).
    activity_condition : str or mapping, optional
        Where the Guidelines print the default for several circumstances (IPCC 2006 Vol 2
        Table 2.15: ``well_developed.surveys``, ``less_developed.extrapolation`` ...;
        Vol 5 Table 3.5: ``weighing`` ...), the one that describes the data, for every
        category (a string) or by category prefix (``{"1.A": "well_developed.surveys"}``);
        without it, the row the table marks ``default``.
    """
    from ghg_inventory.factors import FactorDB

    results = inventory.results
    counted = ((results["scope"] == scope).to_numpy() & ~results["biogenic"].to_numpy())
    rows = np.flatnonzero(counted)
    co2e = inventory.co2e()[rows]
    activity_row = results["_pos"].to_numpy()[rows]
    if "_source_pos" in inventory.activities:
        # a derived row (another category or year of the same activity) shares its
        # source row's activity data, hence its draw
        source = inventory.activities["_source_pos"].to_numpy()[activity_row]
        activity_row = np.where(source >= 0, source, activity_row)
    printed = _defaults_table(activity_defaults)
    ad, ad_origin, ad_default = _activity_uncertainty(inventory, activity_uncertainty,
                                                      printed, activity_condition)
    lacking = np.isnan(ad[activity_row])
    if lacking.any():
        table = inventory.activities.iloc[np.unique(activity_row[lacking])]
        cats = sorted(set(table["category"].astype(str)))
        raise GHGInventoryError(msg(
            "analysis.uncertainty.no_activity_uncertainty", count=len(table),
            categories=", ".join(cats),
            why=msg("analysis.uncertainty.no_shipped_default") if len(printed)
            else msg("analysis.uncertainty.defaults_not_used")))
    ef_ids = results["factor_id"].astype(str).to_numpy()[rows]
    aux = results["auxiliary_factor_ids"].astype(str).to_numpy()[rows]
    labels = np.char.add(np.char.add(ef_ids.astype(str), "|"), aux.astype(str))
    chain_of_row, chain_labels = pd.factorize(labels)
    chains = [tuple(sorted({p for part in label.split("|") for p in part.split(";") if p}))
              for label in chain_labels]
    factor_ids = sorted({f for c in chains for f in c})
    number = {f: i for i, f in enumerate(factor_ids)}
    db = FactorDB.default() if inventory.factors is None else inventory.factors
    low, high, dists, origin = _factor_ranges(db, factor_ids, factor_uncertainty or {})
    for fid, dist in (distributions or {}).items():
        if dist not in DISTRIBUTIONS:
            raise UnknownKeyError(msg("analysis.uncertainty.unknown_distribution", name=dist,
                                      choices=DISTRIBUTIONS))
        if fid in number:
            dists[number[fid]] = dist
    # the caller's choice, else the record's, else by the shape of the range
    dists = [d or ("normal" if np.isclose(lo, hi) else "lognormal")
             for d, lo, hi in zip(dists, low, high, strict=True)]
    return Inputs(rows=rows, co2e=co2e, activity_row=activity_row, activity_u=ad,
                  chain=chains, chain_of_row=chain_of_row.astype(np.int64),
                  factor_ids=factor_ids, factor_u_low=low, factor_u_high=high,
                  factor_distribution=dists,
                  chain_members=[np.array([number[f] for f in c], dtype=np.int64)
                                 for c in chains],
                  factor_origin=origin, activity_origin=ad_origin,
                  activity_default=ad_default, defaults_table=printed)


def _defaults_used(inventory: Inventory, inputs: Inputs) -> dict[str, tuple[str, ...]]:
    """What :attr:`DataFrame.attrs` ``["defaults_used"]`` says: factor ids whose range is
    their record's and those whose range the caller gave, and the shipped activity-data
    defaults used (``"<category> <activity>: <%> % (<table> line <n>: <reference>)"``)."""
    ids = np.asarray(inputs.factor_ids, dtype=object)
    origin = np.asarray(inputs.factor_origin, dtype=object)
    rows = np.unique(inputs.activity_row)
    used = np.unique(inputs.activity_default[rows][inputs.activity_origin[rows] == DEFAULT])
    printed = inputs.defaults_table
    described = tuple(msg(
        "analysis.uncertainty.default_used", category=printed.at[i, "category"],
        activity=printed.at[i, "activity"] or msg("analysis.uncertainty.any_activity"),
        condition=f" [{printed.at[i, 'condition']}]" if printed.at[i, "condition"] else "",
        pct=float(printed.at[i, "used_pct"]), table=printed.at[i, "table"],
        line=printed.at[i, "line"], source=printed.at[i, "source"],
        reference=printed.at[i, "reference"], verification=printed.at[i, "verification"])
        for i in used)
    counts = np.bincount(inputs.activity_origin[rows] + 1, minlength=4)
    return {"factor_ranges_from_records": tuple(ids[origin == "record"]),
            "factor_ranges_from_caller": tuple(ids[origin == "caller"]),
            "activity_defaults": described,
            "activity_rows_by_origin": (
                msg("analysis.uncertainty.rows_row", count=int(counts[ROW + 1])),
                msg("analysis.uncertainty.rows_caller", count=int(counts[CALLER + 1])),
                msg("analysis.uncertainty.rows_default", count=int(counts[DEFAULT + 1])))}


def uncertainty_sources(inventory: Inventory, **options: object) -> pd.DataFrame:
    """Every input of the uncertainty analysis and where its uncertainty came from.

    Parameters
    ----------
    inventory : Inventory
    **options
        As for :func:`prepare` (``factor_uncertainty``, ``activity_uncertainty``,
        ``scope``, ``activity_defaults``).

    Returns
    -------
    pandas.DataFrame
        One row per factor record used (``input`` ``factor``, ``factor_id``,
        ``low_pct``/``high_pct``, ``origin`` ``record`` or ``caller``, ``verification``,
        ``reference``) and per kind of activity row (``input`` ``activity``, ``category``,
        ``activity``, ``rows``, ``low_pct``/``high_pct``, ``origin`` ``row``, ``caller``
        or ``default``, and for a default its ``condition``, ``table``, ``reference`` and
        ``verification``).
    """
    from ghg_inventory.factors import FactorDB

    inputs = prepare(inventory, **options)  # type: ignore[arg-type]
    db = FactorDB.default() if inventory.factors is None else inventory.factors
    records = db.table.set_index("factor_id")
    ids = pd.Index(inputs.factor_ids)
    known = ids.isin(records.index)
    factor = pd.DataFrame({
        "input": "factor", "factor_id": inputs.factor_ids, "category": "", "activity": "",
        "rows": np.nan, "low_pct": inputs.factor_u_low, "high_pct": inputs.factor_u_high,
        "origin": inputs.factor_origin,
        "verification": np.where(known, records["verification"].reindex(ids).to_numpy(
            dtype=object), "user"), "condition": "",
        "table": [Path(t).name for t in records["table"].reindex(ids).fillna("")],
        "reference": records["reference"].reindex(ids).fillna("").to_numpy(dtype=object)})
    rows = np.unique(inputs.activity_row)
    table = inventory.activities
    frame = pd.DataFrame({
        "category": table["category"].astype(str).to_numpy()[rows],
        "activity": table["activity"].astype(str).to_numpy()[rows],
        "pct": inputs.activity_u[rows], "origin_code": inputs.activity_origin[rows],
        "default": inputs.activity_default[rows]})
    grouped = frame.groupby(["category", "activity", "pct", "origin_code", "default"],
                            sort=True).size().rename("rows").reset_index()
    printed = inputs.defaults_table

    def of_default(column: str) -> np.ndarray:
        if printed.empty:
            return np.full(len(grouped), "", dtype=object)
        values = printed[column].to_numpy(dtype=object)
        where = grouped["default"].to_numpy()
        return np.where(where >= 0, values[np.maximum(where, 0)], "")

    activity = pd.DataFrame({
        "input": "activity", "factor_id": "", "category": grouped["category"],
        "activity": grouped["activity"], "rows": grouped["rows"].astype(float),
        "low_pct": grouped["pct"], "high_pct": grouped["pct"],
        "origin": grouped["origin_code"].map(ORIGINS),
        "verification": np.where(grouped["default"] >= 0, of_default("verification"),
                                 "user"),
        "condition": of_default("condition"),
        "table": of_default("table"), "reference": of_default("reference")})
    return pd.concat([factor, activity], ignore_index=True)


# --- Approach 1 ---------------------------------------------------------------------------

def _group_codes(inventory: Inventory, keys: list[str], inputs: Inputs,
                 level: int | None) -> tuple[np.ndarray, pd.DataFrame]:
    group, labels = inventory.groups(keys, level)
    return group[inputs.rows], labels


def error_propagation(inventory: Inventory, by: str | Sequence[str] = (), *,
                      level: int | None = None, **options: object) -> pd.DataFrame:
    """Approach 1: uncertainty of each roll-up group and of the total (Eq. 3.1, 3.2).

    Returns
    -------
    pandas.DataFrame
        Per group: ``co2e_kg``, ``activity_uncertainty_pct``, ``factor_uncertainty_pct``,
        ``uncertainty_pct`` (half-width of the 95% interval), ``lower_kg``, ``upper_kg``.
    """
    keys = [by] if isinstance(by, str) else list(by)
    inputs = prepare(inventory, **options)  # type: ignore[arg-type]
    group, labels = _group_codes(inventory, keys, inputs, level)
    ad_u = inputs.activity_u[inputs.activity_row]
    # the lines of Table 3.2: one per category and gas
    line = inventory.groups(["category", "gas"], None)[0][inputs.rows]
    # cells: rows of one group and line sharing one factor chain
    cell, first = factorize_codes([group, line, inputs.chain_of_row])
    e = inputs.co2e
    cell_e = np.bincount(cell, weights=e, minlength=len(first))
    cell_ad_var = np.bincount(cell, weights=np.square(ad_u * e), minlength=len(first))
    cell_group = group[first]
    n = len(labels)
    total = np.bincount(cell_group, weights=cell_e, minlength=n)
    ad_var = np.bincount(cell_group, weights=cell_ad_var, minlength=n)
    # Within a line of Table 3.2 a factor record is one uncertain quantity: its error moves
    # every row of the line that uses it together (fully correlated), also rows whose
    # chains differ in another record, so its share is U_f times the line's emissions that
    # go through it; records, and lines, are independent of each other (Approach 1's
    # assumption; Approach 2 correlates a record across lines too). For one chain this is
    # Eq. 3.1 times the line's sum.
    record_u = np.maximum(inputs.factor_u_low, inputs.factor_u_high)
    chain_of_cell = inputs.chain_of_row[first]
    sizes = np.array([len(inputs.chain_members[c]) for c in chain_of_cell], dtype=np.int64)
    cell_of_use = np.repeat(np.arange(len(first)), sizes)
    record_of_use = (np.concatenate([inputs.chain_members[c] for c in chain_of_cell])
                     if len(first) else np.zeros(0, dtype=np.int64))
    use, first_use = factorize_codes([cell_group[cell_of_use], line[first][cell_of_use],
                                      record_of_use])
    through = np.bincount(use, weights=cell_e[cell_of_use], minlength=len(first_use))
    f_var = np.bincount(cell_group[cell_of_use][first_use],
                        weights=np.square(record_u[record_of_use[first_use]] * through),
                        minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ad_pct = np.sqrt(ad_var) / np.abs(total)
        f_pct = np.sqrt(f_var) / np.abs(total)
        pct = np.sqrt(ad_var + f_var) / np.abs(total)
    out = pd.concat([labels.reset_index(drop=True), pd.DataFrame({
        "co2e_kg": total, "activity_uncertainty_pct": ad_pct,
        "factor_uncertainty_pct": f_pct, "uncertainty_pct": pct,
        "lower_kg": total * (1 - pct / 100), "upper_kg": total * (1 + pct / 100)})], axis=1)
    used = np.bincount(group, minlength=n) > 0
    result = out[used].reset_index(drop=True)
    result.attrs["defaults_used"] = _defaults_used(inventory, inputs)
    return result


# --- Approach 2 ---------------------------------------------------------------------------

def _multipliers(rng: np.random.Generator, size: tuple[int, int], low: np.ndarray,
                 high: np.ndarray, dists: Sequence[str]) -> np.ndarray:
    """Relative multipliers (mean 1 for normal/lognormal) of inputs with 95% ranges
    ``-low %`` / ``+high %``, one column per input."""
    out = np.empty(size)
    lo, hi = low / 100.0, high / 100.0
    # sorted: a set of strings iterates in an order that changes with each process
    # (hash randomisation), which would change the draws of the same seed
    for dist in sorted(set(dists)):
        cols = np.flatnonzero(np.asarray(dists) == dist)
        shape = (size[0], len(cols))
        if dist == "normal":
            sd = np.maximum(lo[cols], hi[cols]) / Z95
            out[:, cols] = 1.0 + rng.standard_normal(shape) * sd
        elif dist == "lognormal":
            # sigma from the 95% range of the ratio; mean of the multiplier is 1
            sigma = np.log((1 + hi[cols]) / np.maximum(1 - lo[cols], 1e-12)) / (2 * Z95)
            out[:, cols] = np.exp(rng.standard_normal(shape) * sigma - sigma**2 / 2)
        elif dist == "triangular":
            out[:, cols] = rng.triangular(1 - lo[cols], 1.0, 1 + hi[cols], size=shape)
        else:
            out[:, cols] = rng.uniform(1 - lo[cols], 1 + hi[cols], size=shape)
    return out


def _chunk_sums(child: np.random.SeedSequence, m: int, act_u: np.ndarray,
                act_of_row: np.ndarray, inputs: Inputs, chain_of_row: np.ndarray,
                co2e: np.ndarray, starts: np.ndarray, present: np.ndarray, n: int
                ) -> np.ndarray:
    """Group sums of ``m`` iterations drawn from the seed ``child`` (rows in group order)."""
    rng = np.random.default_rng(child)
    ad = _multipliers(rng, (m, len(act_u)), act_u, act_u, ["normal"] * len(act_u))
    f = _multipliers(rng, (m, len(inputs.factor_ids)), inputs.factor_u_low,
                     inputs.factor_u_high, inputs.factor_distribution)
    chain_m = np.ones((m, len(inputs.chain)))
    for c, members in enumerate(inputs.chain_members):
        for j in members:
            chain_m[:, c] *= f[:, j]
    draws = co2e * ad[:, act_of_row] * chain_m[:, chain_of_row]
    sums = np.zeros((m, n))
    sums[:, present] = np.add.reduceat(draws, starts, axis=1)
    return sums


def monte_carlo(inventory: Inventory, by: str | Sequence[str] = (), *,
                iterations: int = 10_000, seed: int | None = None, chunk: int = 1_000,
                level: int | None = None, use_dask: bool = False,
                **options: object) -> pd.DataFrame:
    """Approach 2: Monte Carlo simulation of every input, one draw per factor record.

    Draws are made in chunks of ``chunk`` iterations, so memory stays flat in the number
    of iterations; chunk ``k`` uses the ``k``-th child of ``numpy.random.SeedSequence(seed)``,
    so the same seed and chunk size give the same result however the chunks are run.
    With ``use_dask=True`` the chunks are Dask tasks (on the current scheduler: threads, or
    a ``dask.distributed.Client`` cluster), combined in chunk order: the same result as
    without Dask, whatever the number of workers.

    Returns
    -------
    pandas.DataFrame
        Per group: ``co2e_kg`` (the inventory's own estimate), ``mean_kg``, ``median_kg``,
        ``p2_5_kg``, ``p97_5_kg`` and ``uncertainty_low_pct`` / ``uncertainty_high_pct``
        (the interval's distance below and above the mean, in %).
    """
    if iterations < 1 or chunk < 1:
        raise GHGInventoryError(msg("analysis.uncertainty.iterations_positive"))
    keys = [by] if isinstance(by, str) else list(by)
    inputs = prepare(inventory, **options)  # type: ignore[arg-type]
    group, labels = _group_codes(inventory, keys, inputs, level)
    n = len(labels)
    if not len(inputs.rows):  # nothing in this scope: no group to simulate
        empty = pd.concat([labels.iloc[:0].reset_index(drop=True), pd.DataFrame(columns=[
            "co2e_kg", "mean_kg", "median_kg", "p2_5_kg", "p97_5_kg", "uncertainty_low_pct",
            "uncertainty_high_pct"], dtype=float)], axis=1)
        empty.attrs.update({"iterations": iterations, "seed": seed, "chunk": chunk,
                            "defaults_used": _defaults_used(inventory, inputs)})
        return empty
    # activity rows used, renumbered densely
    act, act_index = np.unique(inputs.activity_row, return_inverse=True)
    act_u = inputs.activity_u[act]
    chain_rows = inputs.chain_of_row
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    present = group[order][starts]
    totals = np.empty((iterations, n))
    children = np.random.SeedSequence(seed).spawn((iterations + chunk - 1) // chunk)
    sizes = [min(chunk, iterations - k * chunk) for k in range(len(children))]
    shared = (act_u, act_index[order], inputs, chain_rows[order], inputs.co2e[order], starts,
              present, n)
    if use_dask:
        # each chunk a task; results stacked in chunk order, so the number of workers
        # (or their speed) cannot change them
        import dask
        parts = dask.compute(*[dask.delayed(_chunk_sums)(child, m, *shared)
                               for child, m in zip(children, sizes, strict=True)])
    else:
        parts = tuple(_chunk_sums(child, m, *shared)
                      for child, m in zip(children, sizes, strict=True))
    for k, sums in enumerate(parts):
        totals[k * chunk:k * chunk + sizes[k]] = sums
    estimate = np.bincount(group, weights=inputs.co2e, minlength=n)
    mean = totals.mean(axis=0)
    lo, med, hi = np.percentile(totals, [2.5, 50, 97.5], axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.concat([labels.reset_index(drop=True), pd.DataFrame({
            "co2e_kg": estimate, "mean_kg": mean, "median_kg": med, "p2_5_kg": lo,
            "p97_5_kg": hi, "uncertainty_low_pct": 100 * (mean - lo) / np.abs(mean),
            "uncertainty_high_pct": 100 * (hi - mean) / np.abs(mean)})], axis=1)
    used = np.bincount(group, minlength=n) > 0
    result = out[used].reset_index(drop=True)
    result.attrs.update({"iterations": iterations, "seed": seed, "chunk": chunk,
                         "defaults_used": _defaults_used(inventory, inputs)})
    return result


# --- trend uncertainty (Table 3.2) --------------------------------------------------------

def trend_uncertainty(inventory: Inventory, base_year: int, year: int, *,
                      level: int | None = 3, **options: object) -> pd.DataFrame:
    """Approach 1 uncertainty of the year's total and of the trend since the base year.

    The IPCC Table 3.2 calculation per category (at ``level`` of the tree) and gas:
    base-year emissions C, year-t emissions D, activity-data uncertainty E and factor
    uncertainty F (%), combined G, contribution to variance H, Type A and B sensitivities
    I and J, trend uncertainty from the factor K = I x F (factors correlated between
    years) and from activity data L = J x E x sqrt(2) (uncorrelated), and M = K^2 + L^2.

    Returns
    -------
    pandas.DataFrame
        One row per category and gas with columns C..M, and ``attrs`` holding the totals:
        ``uncertainty_pct`` (sqrt of the sum of H) and ``trend_uncertainty_pct`` (sqrt of
        the sum of M), ``trend_pct`` (the total's change).
    """
    table = error_propagation(inventory, by=["year", "category", "gas"], level=level,
                              **options)
    c = table[table["year"] == base_year].set_index(["category", "gas"])
    d = table[table["year"] == year].set_index(["category", "gas"])
    if c.empty or d.empty:
        raise GHGInventoryError(msg("analysis.uncertainty.no_emissions_year",
                                    year=base_year if c.empty else year))
    index = c.index.union(d.index)
    c, d = c.reindex(index), d.reindex(index)
    out = pd.DataFrame(index=index)
    out["C_base_kg"] = c["co2e_kg"].fillna(0.0)
    out["D_year_kg"] = d["co2e_kg"].fillna(0.0)
    # uncertainties of the year t (those of the base year where the category has stopped)
    out["E_activity_pct"] = d["activity_uncertainty_pct"].fillna(c["activity_uncertainty_pct"])
    out["F_factor_pct"] = d["factor_uncertainty_pct"].fillna(c["factor_uncertainty_pct"])
    out["G_combined_pct"] = np.sqrt(out["E_activity_pct"] ** 2 + out["F_factor_pct"] ** 2)
    sum_c, sum_d = out["C_base_kg"].sum(), out["D_year_kg"].sum()
    out["H_variance_contribution"] = (out["G_combined_pct"] * out["D_year_kg"]) ** 2 / sum_d**2
    out["I_type_a_sensitivity_pct"] = (
        (0.01 * out["D_year_kg"] + sum_d) / (0.01 * out["C_base_kg"] + sum_c) - 1) * 100 \
        - (sum_d / sum_c - 1) * 100
    out["J_type_b_sensitivity_pct"] = out["D_year_kg"] / sum_c
    out["K_trend_from_factor_pct"] = out["I_type_a_sensitivity_pct"] * out["F_factor_pct"]
    out["L_trend_from_activity_pct"] = (out["J_type_b_sensitivity_pct"] * out["E_activity_pct"]
                                        * np.sqrt(2))
    out["M_trend_variance"] = out["K_trend_from_factor_pct"] ** 2 \
        + out["L_trend_from_activity_pct"] ** 2
    out = out.reset_index()
    out.attrs.update({
        "defaults_used": table.attrs.get("defaults_used", {}),
        "base_year": base_year, "year": year,
        "uncertainty_pct": float(np.sqrt(out["H_variance_contribution"].sum())),
        "trend_pct": float(100 * (sum_d - sum_c) / sum_c),
        "trend_uncertainty_pct": float(np.sqrt(out["M_trend_variance"].sum())),
    })
    return out
