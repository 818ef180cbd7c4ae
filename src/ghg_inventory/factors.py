"""Emission-factor database: the shipped IPCC defaults plus user overrides (Tier 2/3).

Records live in ``emission_factors/*.csv`` (one schema for all tables, described in
``docs/factor_tables.md``). They are validated with pydantic once, when a table is loaded,
never per activity row. Looking factors up for an activity table is a join on the distinct
keys of that table, then a ``take`` back to its rows.

Which record wins when several match
------------------------------------
1. a record for the row's facility (``facility_id``) beats one for its country
   (``country``), which beats an IPCC default (neither set);
2. then a record for the row's year beats one for any year, and one for the row's variant
   (technology, engine) one for any variant;
3. then the most specific category wins (``1.A.2.f`` beats ``1.A.2`` beats ``1.A``);
4. then, when computing with ``guidelines="2019"``, a 2019 Refinement record beats a 2006
   one. Records of the 2006 Guidelines stay in force under the 2019 Refinement where it
   did not refine them; an IPCC 2006 default of a table the Refinement revised
   (``data/refined_2019.csv``) is not in force under 2019: a row it alone would serve is
   refused, saying so (``superseded`` in the answer). Each result row says which
   guidelines its factor came from;
5. then a user's override record beats a shipped one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ghg_inventory.categories import ancestors, category_table
from ghg_inventory.editions import superseded_by_2019, superseded_reasons
from ghg_inventory.errors import (
    ActivityValidationError,
    FactorTableError,
    GHGInventoryError,
    UnknownKeyError,
)
from ghg_inventory.numbers import (
    PLAIN,
    NumberFormat,
    NumberFormatSpec,
    as_number_format,
    read_numbers,
)
from ghg_inventory.textfiles import read_csv_text
from ghg_inventory.units import Q_, ambiguous, ureg

COLUMNS = (
    "factor_id", "parameter", "category", "activity", "gas", "value", "unit", "lower",
    "upper", "tier", "region", "guidelines", "fossil", "source", "reference", "notes",
    "verification",
)
OVERRIDE_COLUMNS = ("country", "facility_id", "year", "variant", "distribution")
GUIDELINES = ("2006", "2019")
#: How a record's value was checked: against two independent copies of the printed table
#: that agree, against one machine-readable copy that cites the table (edition confirmed),
#: or not at all because it is the user's own (the default for an override table).
VERIFICATION = ("two_sources", "single_source", "user")


class EmissionFactor(BaseModel):
    """One record of the factor database, as validated at load time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    factor_id: str = Field(min_length=1)
    parameter: str = Field(min_length=1)
    category: str = Field(min_length=1)
    activity: str = Field(min_length=1)
    gas: str | None = None
    value: float
    unit: str = Field(min_length=1)
    lower: float | None = None
    upper: float | None = None
    tier: int = Field(ge=1, le=3)
    region: str = "global"
    guidelines: Literal["2006", "2019"] = "2006"
    fossil: bool | None = None
    source: str = Field(min_length=1)
    reference: str = Field(min_length=1)
    notes: str | None = None
    #: ``two_sources``, ``single_source`` or ``user`` (:data:`VERIFICATION`); a user's
    #: table that says nothing is ``user``. Shipped tables say it on every row.
    verification: Literal["two_sources", "single_source", "user"] = "user"
    country: str | None = None
    facility_id: str | None = None
    year: int | None = None
    #: A method-specific qualifier the record is for: a road vehicle technology
    #: (``oxidation_catalyst``), an off-road engine and sector (``diesel_agriculture``), a
    #: vehicle type for distance-based factors ...
    variant: str | None = None
    #: How the value is distributed, for Monte Carlo (default: normal for a symmetric
    #: range, lognormal for an asymmetric one).
    distribution: Literal["normal", "lognormal", "triangular", "uniform"] | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str) -> str:
        refusal = ambiguous(v)  # pint alone reads 'mt' as millitonne, 'MT' as megatesla
        if refusal is not None:
            raise ValueError(refusal)
        try:
            ureg.parse_units(v)
        except Exception as exc:  # noqa: BLE001 - any pint failure means the same thing
            raise ValueError(f"{v!r} is not a unit pint understands") from exc
        return v

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        known = category_table().index
        if ancestors(v)[-1] not in known or not any(a in known for a in ancestors(v)):
            raise ValueError(f"{v!r} is not an IPCC 2006 category code")
        return v

    @model_validator(mode="after")
    def _range(self) -> EmissionFactor:
        if self.parameter == "ef" and not self.gas:
            raise ValueError("an 'ef' record needs a gas")
        if self.lower is not None and self.lower > self.value:
            raise ValueError(f"lower {self.lower} is above value {self.value}")
        if self.upper is not None and self.upper < self.value:
            raise ValueError(f"upper {self.upper} is below value {self.value}")
        return self


def _clean(frame: pd.DataFrame) -> list[dict[str, Any]]:
    frame = frame.astype(object).where(frame.notna(), None)
    records: list[dict[str, Any]] = [{str(k): v for k, v in r.items()}
                                     for r in frame.to_dict("records")]
    for record in records:
        for key, value in list(record.items()):
            if isinstance(value, str) and not value.strip():
                record[key] = None
    return records


def read_factor_table(
    path: str | Path | pd.DataFrame, *, label: str | None = None,
    number_format: NumberFormatSpec = None,
) -> pd.DataFrame:
    """Read and validate one factor table (a CSV path or a DataFrame).

    Parameters
    ----------
    path : path or DataFrame
        A CSV table in the schema of ``docs/factor_tables.md`` (lines starting with ``#``
        are comments), or the same as a DataFrame.
    label : str, optional
        How messages name the table (default: its path).
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text (``value``, ``lower``, ``upper``, ``year``) are read
        (:func:`ghg_inventory.numbers.as_number_format`); without it a value that reads
        two ways (``56.100``) is refused unless its column settles the convention.

    Raises
    ------
    FactorTableError
        Naming the file, the line (as an editor numbers it, comment lines counted) and the
        column of every record that does not validate.
    """
    fmt = as_number_format(number_format)
    if isinstance(path, pd.DataFrame):
        frame, label = path.copy(), label or "<DataFrame>"
        lines = np.arange(len(frame))
    else:
        label = label or str(path)
        try:
            frame, lines = read_csv_text(Path(path), label)
        except FactorTableError:
            raise
        except GHGInventoryError as exc:
            raise FactorTableError(str(exc)) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    optional = ("notes", "lower", "upper", "fossil", "region", "gas", "verification")
    missing = [c for c in COLUMNS if c not in frame.columns and c not in optional]
    if missing:
        raise FactorTableError(f"{label}: missing column(s) {', '.join(missing)}")
    unknown = [c for c in frame.columns if c not in COLUMNS + OVERRIDE_COLUMNS]
    if unknown:
        raise FactorTableError(f"{label}: unknown column(s) {', '.join(unknown)}")
    frame = _numbers_read(frame, lines, label, fmt)
    problems = []
    records = []
    for position, record in enumerate(_clean(frame)):
        try:
            records.append(EmissionFactor.model_validate(record))
        except ValidationError as exc:
            for err in exc.errors():
                column = ".".join(str(p) for p in err["loc"]) or "record"
                problems.append(f"  line {lines[position]}: {column}: {err['msg']}")
    if problems:
        raise FactorTableError(f"{label}: {len(problems)} problem(s)\n" + "\n".join(problems))
    table = pd.DataFrame([r.model_dump() for r in records],
                         columns=list(EmissionFactor.model_fields))
    table["table"] = label
    # the line of each record (what the messages above say), for checks made later
    # against the records it is added to (FactorDB.with_overrides)
    table.attrs["lines"] = tuple(lines.tolist())  # a tuple: pandas compares attrs on concat
    wrong = _fossil_contradictions(table)
    if len(wrong):
        raise FactorTableError(f"{label}: {len(wrong)} problem(s)\n" + "\n".join(
            f"  line {lines[position]}: fossil: {message}"
            for position, message in wrong.items()))
    return table


#: Columns of a factor table that hold numbers.
NUMBER_COLUMNS = ("value", "lower", "upper", "year")


def _numbers_read(frame: pd.DataFrame, lines: np.ndarray, label: str,
                  fmt: NumberFormat | None) -> pd.DataFrame:
    """The numeric columns read under ``fmt`` (text that is no number stays, for the
    record validation to name); ambiguous or misfit numbers refused with their lines."""
    where = frame.assign(_file=label, _line=lines)
    try:
        read = read_numbers(where, NUMBER_COLUMNS, fmt, file_col="_file", row_col="_line")
    except ActivityValidationError as exc:
        raise FactorTableError(f"{label}: {len(exc.problems)} problem(s)\n" + "\n".join(
            f"  line {p.row}: {p.column}: {p.value!r} {p.message}" for p in exc.problems)
        ) from None
    return read.drop(columns=["_file", "_line"])


def _fuel_fossil(table: pd.DataFrame) -> pd.Series:
    """Per record, whether its activity is a fossil fuel (True), a biomass fuel (False)
    or not a fuel of ``fuels.csv`` (NA): the nature of the carbon it burns."""
    biomass = table["activity"].map(_fuels()["biomass"])
    return (~biomass.astype("boolean")).astype(object).where(biomass.notna(), None)


def _fossil_contradictions(table: pd.DataFrame) -> pd.Series:
    """Messages for the records whose ``fossil`` contradicts their fuel (by position)."""
    nature = _fuel_fossil(table).to_numpy(dtype=object)
    given = table["fossil"].astype(object).to_numpy()
    known = pd.notna(nature) & pd.notna(given)
    wrong = np.flatnonzero(known)[given[known] != nature[known]]
    activity = table["activity"].to_numpy(dtype=object)
    return pd.Series([
        f"{str(bool(given[i])).lower()} contradicts fuels.csv: {activity[i]} is a "
        + ("fossil fuel; its CO2 counts in the total" if nature[i] else
           "biomass fuel; its CO2 is biogenic, a memo item outside the total")
        + "; leave 'fossil' empty (the fuel decides) or correct it"
        for i in wrong], index=wrong, dtype=object)


def _default_folder() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "emission_factors", here.parent.parent / "emission_factors"):
        if candidate.is_dir():
            return candidate
    raise FactorTableError("emission_factors/ folder not found next to the package")


class FactorDB:
    """A set of validated factor records and the lookup that picks one per activity row.

    Parameters
    ----------
    table : pandas.DataFrame
        Validated records (see :func:`read_factor_table`).
    """

    def __init__(self, table: pd.DataFrame):
        dupes = table["factor_id"][table["factor_id"].duplicated()]
        if len(dupes):
            raise FactorTableError(f"duplicate factor_id(s): {', '.join(sorted(set(dupes)))}")
        self.table = _with_fuel_nature(table.reset_index(drop=True))
        # The database never changes after construction (overrides make a new one), so
        # answers can be kept: validation and computation ask the same questions.
        self._answers: dict[tuple[object, ...], pd.DataFrame] = {}

    @classmethod
    def default(cls) -> FactorDB:
        """The shipped IPCC default records (loaded once per process)."""
        return _default_db()

    @classmethod
    def load(cls, paths: Iterable[str | Path], *,
             number_format: NumberFormatSpec = None) -> FactorDB:
        """Records from the given CSV tables (numbers in text read under
        ``number_format``, see :func:`read_factor_table`)."""
        return cls(_concat([read_factor_table(p, number_format=number_format)
                            for p in paths]))

    def with_overrides(self, *tables: str | Path | pd.DataFrame,
                       number_format: NumberFormatSpec = None) -> FactorDB:
        """A new database with user records added (Tier 2/3, country or facility specific).

        ``number_format`` says how numbers written as text in the tables are read
        (``"vi"``: ``56.100`` is 56100; see :func:`read_factor_table`); without it a value
        that reads two ways is refused unless its column settles the convention.

        Raises
        ------
        FactorTableError
            Naming table, line and column of a record that does not validate, whose
            ``fossil`` contradicts its fuel, or whose unit is the reciprocal of the unit
            this database's records of the same parameter are in (``TJ/kg`` for an
            ``ef`` in kg/TJ; :data:`RECIPROCAL_PARAMETERS` excepted).
        """
        extra = []
        for source in tables:
            table = read_factor_table(source, number_format=number_format)
            wrong = self._reciprocal_units(table)
            if len(wrong):
                lines = table.attrs["lines"]
                raise FactorTableError(
                    f"{table['table'].iloc[0]}: {len(wrong)} problem(s)\n" + "\n".join(
                        f"  line {lines[position]}: unit: {message}"
                        for position, message in wrong.items()))
            extra.append(table.assign(override=True))
        return FactorDB(_concat([self.table, *extra]))

    def _reciprocal_units(self, table: pd.DataFrame) -> pd.Series:
        """Messages for records of ``table`` whose unit is the reciprocal of the units this
        database's records of the same parameter use (by position), known before any
        lookup asks for a unit."""
        pairs = table[["parameter", "unit"]].drop_duplicates()
        known = self.table[["parameter", "unit"]].drop_duplicates()
        wrong: dict[tuple[str, str], str] = {}
        for parameter, unit in pairs.itertuples(index=False):
            if parameter in RECIPROCAL_PARAMETERS:
                continue
            units = known.loc[known["parameter"] == parameter, "unit"]
            dims = {u: Q_(1.0, u).dimensionality for u in units}
            given = Q_(1.0, unit)
            if given.dimensionality in dims.values():
                continue
            inverse = [u for u, d in dims.items() if d == (1.0 / given).dimensionality]
            if inverse:
                wrong[(parameter, unit)] = (
                    f"{unit!r} is the reciprocal of the unit of {parameter!r} records "
                    f"({', '.join(inverse)}); write the value in {inverse[0]!r} "
                    "(1 divided by the value given, if that is what it is)")
        keys = list(zip(table["parameter"], table["unit"], strict=True))
        positions = [i for i, k in enumerate(keys) if k in wrong]
        return pd.Series([wrong[keys[i]] for i in positions], index=positions, dtype=object)

    def uses(self, column: str) -> bool:
        """Whether any record is specific to a ``facility_id``, ``country`` or ``year``."""
        return bool(self.table[column].notna().any())

    def fuels(self) -> pd.DataFrame:
        """The fuel properties table (``emission_factors/fuels.csv``)."""
        return _fuels()

    def activities(self, parameter: str = "ef") -> set[str]:
        """Activity keys that have at least one record of ``parameter``."""
        return set(self.table.loc[self.table.parameter == parameter, "activity"])

    def select(self, *, activity: str | None = None, category: str | None = None) -> pd.DataFrame:
        """Records for an activity and/or category (including the category's ancestors)."""
        rows = self.table
        if activity:
            rows = rows[rows.activity == activity]
        if category:
            rows = rows[rows.category.isin(ancestors(category))]
        return rows

    def lookup(
        self,
        keys: pd.DataFrame,
        parameter: str,
        unit: str,
        *,
        gas: str | None = None,
        guidelines: str = "2006",
        required: tuple[str, ...] = (),
    ) -> pd.DataFrame:
        """The winning record for each row of ``keys``, its value converted to ``unit``.

        Parameters
        ----------
        keys : pandas.DataFrame
            Distinct keys with columns ``category``, ``activity`` and optionally
            ``facility_id``, ``country``, ``year``. Pass distinct keys, not activity rows:
            the engine expands the answer back to rows with ``take``.
        parameter : str
            ``ef``, ``ncv``, ``density`` ...
        unit : str
            The unit the caller wants the value in (e.g. ``kg/TJ``).
        gas : str, optional
            For ``ef`` records.
        guidelines : {"2006", "2019"}
        required : tuple of str
            Of ``variant``, ``year``, ``country``, ``facility_id``: only records specific
            to the key's value count, no fall-back to a record for any value (road-vehicle
            CH4 by technology; a grid factor for exactly the row's year).

        Returns
        -------
        pandas.DataFrame
            Aligned with ``keys`` (same index): ``factor_id`` (NA where nothing matched),
            ``value`` (NaN there), ``tier``, ``fossil``, ``guidelines``, ``source``,
            ``reference``, and ``superseded``: where nothing matched because, under
            ``guidelines="2019"``, the only record is a 2006 default the Refinement revised
            (:func:`superseded_by_2019`), the reason and what to do (else NA).
        """
        if guidelines not in GUIDELINES:
            raise UnknownKeyError(f"unknown guidelines {guidelines!r}; use one of {GUIDELINES}")
        question = (parameter, unit, gas, guidelines, required, tuple(keys.columns),
                    tuple(map(tuple, keys.itertuples(index=False))))
        if question not in self._answers:
            self._answers[question] = self._lookup(keys, parameter, unit, gas, guidelines,
                                                   required)
        answer = self._answers[question].copy()
        answer.index = keys.index
        return answer

    def _lookup(self, keys: pd.DataFrame, parameter: str, unit: str, gas: str | None,
                guidelines: str, required: tuple[str, ...]) -> pd.DataFrame:
        records = self.table[self.table.parameter == parameter]
        if gas is not None:
            records = records[records.gas == gas]
        if guidelines == "2006":
            records = records[records.guidelines == "2006"]
        # only the activities asked about: the merge below then stays small
        records = records[records["activity"].isin(pd.unique(keys["activity"].astype(object)))]
        # under 2019, a 2006 IPCC default that the Refinement revised is not in force: it
        # takes part in the match only to say why a key has no record (``superseded``)
        records = records.assign(_superseded=(superseded_by_2019(records)
                                              if guidelines == "2019" else False))
        keys = keys.reset_index(drop=True).copy()
        keys["_key"] = np.arange(len(keys))
        for col in ("facility_id", "country", "year", "variant"):
            if col not in keys:
                keys[col] = None
        cats = pd.unique(keys["category"].astype(str))
        anc = pd.DataFrame(
            [(c, a, len(a.split("."))) for c in cats for a in ancestors(c)],
            columns=["category", "_anc", "_depth"],
        )
        cand = keys.merge(anc, on="category").merge(
            records.rename(columns={
                "category": "_anc", "facility_id": "_fac", "country": "_cty", "year": "_yr",
                "variant": "_var",
            }),
            on=["_anc", "activity"],
        )
        def same(mine: str, theirs: str) -> pd.Series:
            return cand[mine].isna() | (cand[mine].astype(object) == cand[theirs].astype(object))

        fac_ok, cty_ok, var_ok = (same("_fac", "facility_id"), same("_cty", "country"),
                                  same("_var", "variant"))
        record_column = {"variant": "_var", "year": "_yr", "country": "_cty",
                         "facility_id": "_fac"}
        specific = pd.Series(True, index=cand.index)
        for column in required:
            specific &= cand[record_column[column]].notna()
        yr_ok = cand["_yr"].isna() | (pd.to_numeric(cand["_yr"], errors="coerce")
                                      == pd.to_numeric(cand["year"], errors="coerce"))
        cand = cand[fac_ok & cty_ok & yr_ok & var_ok & specific]
        score = (
            cand["_fac"].notna().astype(int) * 10_000
            + cand["_cty"].notna().astype(int) * 1_000
            + cand["_yr"].notna().astype(int) * 100
            + cand["_var"].notna().astype(int) * 50
            + cand["_depth"] * 4
            + (cand["guidelines"] == guidelines).astype(int) * 2
            # at equal specificity a user's record beats a shipped one
            + cand["override"].astype(bool).astype(int)
        )
        ranked = cand.assign(_score=score).sort_values("_score", ascending=False,
                                                       kind="stable")
        held = ranked["_superseded"].to_numpy(dtype=bool)
        best = ranked[~held].drop_duplicates("_key").set_index("_key")
        # keys that only a superseded record would serve: no record, and the reason
        refused = ranked[held].drop_duplicates("_key").set_index("_key")
        refused = refused[~refused.index.isin(best.index)]
        converted = _convert(best, unit, parameter)
        out = pd.DataFrame(index=keys["_key"])
        out["factor_id"] = best["factor_id"].reindex(out.index)
        out["value"] = converted.reindex(out.index).astype(float)
        for col in ("tier", "fossil", "guidelines", "source", "reference", "table",
                    "verification"):
            out[col] = best[col].reindex(out.index)
        out["superseded"] = pd.Series(superseded_reasons(refused), index=refused.index,
                                      dtype=object).reindex(out.index)
        out.index = keys.index
        return out


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack validated tables; columns keep one dtype whatever each table left empty."""
    table = pd.concat([f.astype(object) for f in frames], ignore_index=True)
    table["override"] = (table["override"].astype("boolean").fillna(False).astype(bool)
                         if "override" in table else False)
    for column in ("value", "lower", "upper"):
        table[column] = pd.to_numeric(table[column]).astype(float)
    table["tier"] = table["tier"].astype(int)
    return table


#: Parameters customarily printed either way round, whose records may be given in the
#: reciprocal of the unit a method asks for (and are then inverted). Only ``density``: the
#: shipped ``fuel_densities.csv`` keeps the UN Statistics Division's litres per metric ton
#: (``L/t``) as printed, while users' laboratory sheets give kg/m3. For every other
#: parameter a reciprocal unit (``TJ/kg`` where kg/TJ is meant) is a mistake and refused.
RECIPROCAL_PARAMETERS: frozenset[str] = frozenset({"density"})


@lru_cache(maxsize=1024)
def _conversion(from_unit: str, to_unit: str) -> tuple[float, str]:
    """How a value in ``from_unit`` becomes one in ``to_unit``: ``(scale, how)`` with
    ``how`` ``"direct"`` (value x scale), ``"reciprocal"`` (scale / value) or
    ``"incompatible"``. Worked out once per distinct pair of units."""
    given, wanted = Q_(1.0, from_unit), Q_(1.0, to_unit)
    if given.check(wanted.dimensionality):
        return float(given.to(to_unit).magnitude), "direct"
    if (1.0 / given).check(wanted.dimensionality):
        return float((1.0 / given).to(to_unit).magnitude), "reciprocal"
    return float("nan"), "incompatible"


def _convert(records: pd.DataFrame, to_unit: str, parameter: str) -> pd.Series:
    """The ``value`` of each record (rows with ``value``, ``unit``, ``factor_id``,
    ``table``) in ``to_unit``, one conversion per distinct unit.

    Raises
    ------
    FactorTableError
        A record whose unit is the reciprocal of ``to_unit`` (unless ``parameter`` is in
        :data:`RECIPROCAL_PARAMETERS`) or of another dimension, naming the record, its
        table and both units.
    """
    values = records["value"].to_numpy(dtype=float)
    units = records["unit"].astype(str).to_numpy()
    out = np.full(len(values), np.nan)
    problems = []
    for from_unit in pd.unique(units):
        rows = units == from_unit
        scale, how = _conversion(from_unit, to_unit)
        if how == "direct":
            out[rows] = values[rows] * scale
        elif how == "reciprocal" and parameter in RECIPROCAL_PARAMETERS:
            zero = rows & (values == 0)
            problems += [f"  {table}: factor {fid}: {parameter!r} of 0 {from_unit} has no "
                         f"reciprocal in {to_unit!r}"
                         for fid, table in zip(records["factor_id"][zero],
                                               records["table"][zero], strict=True)]
            with np.errstate(divide="ignore"):
                out[rows] = scale / values[rows]
        else:
            what = ("the reciprocal of" if how == "reciprocal" else "not convertible to")
            problems += [f"  {table}: factor {fid}: {parameter!r} given in {from_unit!r}, "
                         f"{what} the {to_unit!r} expected"
                         for fid, table in zip(records["factor_id"][rows],
                                               records["table"][rows], strict=True)]
    if problems:
        raise FactorTableError(f"{len(problems)} factor record(s) in the wrong unit; write "
                               f"the value in {to_unit!r} (or a unit of its dimension)\n"
                               + "\n".join(problems))
    return pd.Series(out, index=records.index, dtype=float)


def _with_fuel_nature(table: pd.DataFrame) -> pd.DataFrame:
    """Records of a gas whose ``fossil`` is empty take their fuel's nature (fuels.csv:
    wood is biomass, its CO2 biogenic); a flag that contradicts the fuel is refused (also
    for tables that did not come through :func:`read_factor_table`)."""
    wrong = _fossil_contradictions(table)
    if len(wrong):
        raise FactorTableError(f"{len(wrong)} factor record(s) contradict fuels.csv\n"
                               + "\n".join(f"  {table['table'].iloc[i]}: factor "
                                            f"{table['factor_id'].iloc[i]}: fossil: {m}"
                                            for i, m in wrong.items()))
    fill = (table["fossil"].isna() & table["gas"].notna()).to_numpy(dtype=bool)
    if fill.any():
        nature = _fuel_fossil(table)
        table = table.copy()
        fossil = np.array(table["fossil"], dtype=object)
        fossil[fill] = nature.to_numpy(dtype=object)[fill]
        table["fossil"] = fossil
    return table


@cache
def _default_db() -> FactorDB:
    folder = _default_folder()
    tables = [p for p in sorted(folder.glob("*.csv")) if _is_factor_table(p)]
    # a shipped value says how it was checked; "user" would hide a default as the user's
    unsaid = [p.name for p in tables if "verification" not in _header(p)]
    if unsaid:
        raise FactorTableError(f"shipped factor table(s) without a 'verification' column: "
                               f"{', '.join(unsaid)}")
    # the shipped tables are written as Python writes numbers (decimal point, no grouping)
    db = FactorDB.load(tables, number_format=PLAIN)
    user = db.table[db.table["verification"] == "user"]
    if len(user):
        raise FactorTableError("shipped factor record(s) marked 'user': "
                               + ", ".join(user["factor_id"].head(10)))
    return db


def _header(path: Path) -> list[str]:
    """The column names of a CSV table whose comment lines start with ``#``."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                return [c.strip() for c in line.strip().split(",")]
    return []


def _is_factor_table(path: Path) -> bool:
    """Factor tables have a ``factor_id`` column; other tables in the folder (fuel
    properties, refrigerant blends) are reference data read by their own modules."""
    return "factor_id" in _header(path)


@cache
def _fuels() -> pd.DataFrame:
    path = _default_folder() / "fuels.csv"
    table = pd.read_csv(path, dtype=str, comment="#", keep_default_na=False).set_index("activity")
    table["biomass"] = table["biomass"].str.lower() == "true"
    return table
