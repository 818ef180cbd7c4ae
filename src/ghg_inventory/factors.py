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

import contextlib
import hashlib
import math
import os
import pickle
import sys
import tempfile
from collections import OrderedDict
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ghg_inventory.caches import cache_dir
from ghg_inventory.categories import ancestors, category_table
from ghg_inventory.editions import superseded_by_2019, superseded_reasons
from ghg_inventory.errors import (
    ActivityValidationError,
    FactorTableError,
    GHGInventoryError,
    UnknownKeyError,
)
from ghg_inventory.grouping import factorize_codes
from ghg_inventory.i18n.messages import Message, joined, msg
from ghg_inventory.numbers import (
    PLAIN,
    NumberFormat,
    NumberFormatSpec,
    as_number_format,
    read_numbers,
)
from ghg_inventory.textfiles import read_csv_text
from ghg_inventory.units import Q_, ambiguous, ureg

if TYPE_CHECKING:
    from pydantic import BaseModel

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


@cache
def _record_model() -> type[BaseModel]:
    """The pydantic model of one record (:class:`EmissionFactor`), built on first use.

    Tables are validated column-wise (:func:`_validated_columns`); the model is what the
    records that fail those checks are run through, for its precise messages, and the
    public description of a record. Importing pydantic costs a tenth of a second, which
    a process using the shipped tables (read from their cache) never pays.
    """
    from typing import Literal

    from pydantic import (
        BaseModel,
        ConfigDict,
        Field,
        field_validator,
        model_validator,
    )

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
                raise ValueError(msg("core.factors.not_finite"))
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
                raise ValueError(msg("core.factors.not_a_unit", unit=v)) from exc
            return v

        @field_validator("category")
        @classmethod
        def _category(cls, v: str) -> str:
            known = category_table().index
            if ancestors(v)[-1] not in known or not any(a in known for a in ancestors(v)):
                raise ValueError(msg("core.factors.not_a_category", code=v))
            return v

        @model_validator(mode="after")
        def _range(self) -> EmissionFactor:
            if self.parameter == "ef" and not self.gas:
                raise ValueError(msg("core.factors.ef_needs_gas"))
            if self.lower is not None and self.lower > self.value:
                raise ValueError(msg("core.factors.lower_above", lower=self.lower,
                                     value=self.value))
            if self.upper is not None and self.upper < self.value:
                raise ValueError(msg("core.factors.upper_below", upper=self.upper,
                                     value=self.value))
            return self

    return EmissionFactor


def __getattr__(name: str) -> Any:
    # ``ghg_inventory.EmissionFactor``: the model, built when first asked for
    if name == "EmissionFactor":
        return _record_model()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: A column's distinct values: a code per cell (-1 where missing or blank) and the values.
_Distinct = tuple[np.ndarray, np.ndarray]


def _clean(frame: pd.DataFrame) -> tuple[dict[str, np.ndarray], dict[str, _Distinct]]:
    """Each column as an object array, missing cells and blank text as None; and for the
    columns of text, their distinct values (:data:`_Distinct`), which the checks of
    :func:`_validated_columns` then look at once each."""
    columns: dict[str, np.ndarray] = {}
    distinct: dict[str, _Distinct] = {}
    for name in frame.columns:
        column = frame[name]
        if _all_text(column):
            # made from its distinct values: texts that differ are distinct values (no
            # 1 == 1.0 == True for pandas to merge), and each is looked at once, not per cell
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
            texts = np.asarray(uniques, dtype=object)
            blank = np.array([not v.strip() for v in texts] + [True], dtype=bool)
            codes = np.where(blank[codes], -1, codes)
            columns[str(name)] = np.concatenate([texts, np.array([None])])[codes]
            distinct[str(name)] = (codes, texts)
            continue
        values = column.astype(object).to_numpy(dtype=object).copy()
        values[pd.isna(values)] = None
        if column.dtype.kind not in "biufcmM":  # (numbers, flags or dates hold no text)
            values[_per_distinct(values, lambda v: isinstance(v, str) and not v.strip(),
                                 bool)] = None
        columns[str(name)] = values
    return columns, distinct


def _all_text(column: pd.Series) -> bool:
    """Whether every cell of ``column`` is text or missing (and one at least is text)."""
    if isinstance(column.dtype, pd.StringDtype):
        return True
    return (column.dtype == object
            and pd.api.types.infer_dtype(column, skipna=True) == "string")


def _per_distinct(values: np.ndarray, function: Any, dtype: Any = object) -> np.ndarray:
    """``function`` of every value of an object array, called once per distinct value
    (None: passed over, its result None or False)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    empty = False if dtype is bool else None
    results = np.array([function(u) for u in uniques] + [empty], dtype=dtype)
    return results[codes]


#: Text fields of a record that must hold text; those that may be empty.
_TEXT_REQUIRED = ("factor_id", "parameter", "category", "activity", "unit", "source",
                  "reference")
_TEXT_OPTIONAL = ("gas", "notes", "country", "facility_id", "variant")
#: Fields with a default that applies only where the column is absent (an empty cell is an
#: error, as pydantic says), and the values they may take (None: any text).
_DEFAULTED = {"region": ("global", None), "guidelines": ("2006", GUIDELINES),
              "verification": ("user", VERIFICATION)}
_DISTRIBUTIONS = ("normal", "lognormal", "triangular", "uniform")
#: The record's fields in the order of the model (the columns of a validated table).
FIELDS = ("factor_id", "parameter", "category", "activity", "gas", "value", "unit", "lower",
          "upper", "tier", "region", "guidelines", "fossil", "source", "reference", "notes",
          "verification", "country", "facility_id", "year", "variant", "distribution")


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_))


#: What :func:`pandas.api.types.infer_dtype` says of an object array whose values, missing
#: ones passed over, are all numbers (no bool, no text): the column needs no look per cell.
_NUMBER_KINDS = frozenset({"floating", "integer", "mixed-integer-float", "empty"})


def _numbers(values: np.ndarray) -> np.ndarray:
    """Per value of an object array, whether :func:`_is_number` takes it (a missing cell:
    no, except a NaN float, which the callers refuse or pass over as missing all the
    same); column-wise where the column holds numbers and missing cells only."""
    if pd.api.types.infer_dtype(values, skipna=True) in _NUMBER_KINDS:
        return ~pd.isna(values)
    return np.array([_is_number(v) for v in values], dtype=bool)


def _floats(values: np.ndarray, take: np.ndarray) -> np.ndarray:
    """The values at ``take`` (numbers) as floats, NaN elsewhere."""
    out = np.full(len(values), np.nan)
    out[take] = values[take].astype(float)
    return out


def _validated_columns(columns: dict[str, np.ndarray], n: int,
                       distinct: dict[str, _Distinct] | None = None,
                       ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The record fields of a table, checked and converted column by column.

    Returns the fields (one array per field of :data:`FIELDS`, of objects but ``value``'s
    floats) and a mask of the records
    these checks could not pass, which the caller runs through the record model
    (:func:`_record_model`) for its verdict and messages. The checks accept only what the
    model accepts and convert it as the model does (a tier ``"2"`` is 2, a fossil
    ``"TRUE"`` True, a year 2023.0 is 2023); anything less plain is left to the model.
    Work on a value that repeats (a unit, a category) is done once per distinct value
    (those of ``distinct`` where :func:`_clean` found them).
    """
    known = distinct or {}
    bad = np.zeros(n, dtype=bool)
    out: dict[str, np.ndarray] = {}

    def column(name: str, default: object = None) -> np.ndarray:
        if name in columns:
            return columns[name]
        return np.full(n, default, dtype=object)

    def distinct_ok(name: str, test: Any, default: object = None) -> np.ndarray:
        if name not in columns:  # every record has the default (None: not ok)
            return np.full(n, default is not None and bool(test(default)))
        if name in known:
            codes, uniques = known[name]
        else:
            codes, uniques = pd.factorize(column(name), use_na_sentinel=True)
        verdict = np.array([bool(test(u)) for u in uniques] + [False], dtype=bool)
        return verdict[codes]

    def absent(name: str) -> np.ndarray:
        if name not in columns:
            return np.ones(n, dtype=bool)
        return known[name][0] < 0 if name in known else pd.isna(column(name))

    # a column _clean found all text holds only text that is not blank, or None; one
    # not given, None (nothing to look at)
    for name in _TEXT_REQUIRED:
        bad |= (known[name][0] < 0 if name in known
                else ~distinct_ok(name, lambda v: isinstance(v, str) and len(v) > 0))
        out[name] = column(name).copy()
    for name in _TEXT_OPTIONAL:
        if name not in known and name in columns:
            bad |= ~(absent(name) | distinct_ok(name, lambda v: isinstance(v, str)))
        out[name] = column(name).copy()
    for name, (default, allowed) in _DEFAULTED.items():
        bad |= ~distinct_ok(name, lambda v, a=allowed: isinstance(v, str)
                            and (a is None or v in a), default)
        out[name] = column(name, default).copy()
    if "distribution" in columns:
        bad |= ~(absent("distribution") | distinct_ok("distribution",
                                                      lambda v: v in _DISTRIBUTIONS))
    out["distribution"] = column("distribution").copy()

    number = _numbers(column("value"))
    value = _floats(column("value"), number)
    bad |= ~number | ~np.isfinite(value)
    out["value"] = value
    for name in ("lower", "upper"):
        if name not in columns:
            out[name] = column(name)
            continue
        raw = column(name)
        empty = pd.isna(raw)
        ok = empty | _numbers(raw)
        bad |= ~ok
        given = ok & ~empty
        bound = _floats(raw, given)
        with np.errstate(invalid="ignore"):
            bad |= (bound > value) if name == "lower" else (bound < value)
        kept = bound.astype(object)
        kept[~given] = None
        out[name] = kept

    def whole(v: object, low: int, high: int) -> int | None:
        """``v`` as the integer the model makes of it, when plainly one in [low, high]."""
        if isinstance(v, str):
            return int(v) if v.isascii() and v.isdigit() and low <= int(v) <= high else None
        if not _is_number(v):
            return None
        number = float(v)  # type: ignore[arg-type]
        if not math.isfinite(number) or number != int(number):
            return None
        whole_number = int(v) if isinstance(v, (int, np.integer)) else int(number)
        return whole_number if low <= whole_number <= high else None

    tier = _per_distinct(column("tier"), lambda v: whole(v, 1, 3))
    bad |= pd.isna(tier)
    out["tier"] = tier
    year_raw = column("year")
    if "year" in columns:
        year = _per_distinct(year_raw, lambda v: whole(v, -(2**62), 2**62))
        bad |= pd.isna(year) & ~pd.isna(year_raw)
        out["year"] = year
    else:
        out["year"] = year_raw

    flags = {"true": True, "false": False}

    def flag(v: object) -> bool | None:
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        return flags.get(v.lower()) if isinstance(v, str) else None

    fossil_raw = column("fossil")
    if "fossil" in columns:
        fossil = _per_distinct(fossil_raw, flag)
        bad |= pd.isna(fossil) & ~pd.isna(fossil_raw)
        out["fossil"] = fossil
    else:
        out["fossil"] = fossil_raw

    # what the model's validators check, once per distinct unit and category
    bad |= ~distinct_ok("unit", _unit_ok)
    bad |= ~distinct_ok("category", _category_ok)
    bad |= (column("parameter") == "ef") & absent("gas")
    return {name: out[name] for name in FIELDS}, bad


@lru_cache(maxsize=4096)
def _unit_ok(text: object) -> bool:
    """Whether the record model takes ``text`` as a unit (not ambiguous, pint reads it)."""
    if not isinstance(text, str) or not text or ambiguous(text) is not None:
        return False
    try:
        ureg.parse_units(text)
    except Exception:  # noqa: BLE001 - any pint failure means the same thing
        return False
    return True


def _category_ok(code: object) -> bool:
    if not isinstance(code, str) or not code:
        return False
    known = category_table().index
    return ancestors(code)[-1] in known and any(a in known for a in ancestors(code))


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
    label, lines, fields = _validated_records(path, label, number_format)
    table = pd.DataFrame({name: values.tolist() for name, values in fields.items()},
                         columns=list(FIELDS))
    table["table"] = label
    wrong = _fossil_contradictions(table)
    if len(wrong):
        raise _contradicted(label, lines, wrong)
    # the line of each record (what the refusals name), for checks made later
    # against the records it is added to (FactorDB.with_overrides); set last, as pandas
    # copies attrs into every frame derived from this one
    table.attrs["lines"] = tuple(lines.tolist())  # a tuple: pandas compares attrs on concat
    return table


def _validated_records(path: str | Path | pd.DataFrame, label: str | None,
                       number_format: NumberFormatSpec
                       ) -> tuple[str, np.ndarray, dict[str, np.ndarray]]:
    """What :func:`read_factor_table` reads and checks before its records become a frame:
    the table's label, each record's line and the fields (:data:`FIELDS`) of records that
    all validated (else the same refusals)."""
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
        except GHGInventoryError as exc:  # its message as it is (said in either language)
            raise FactorTableError(*exc.args) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    optional = ("notes", "lower", "upper", "fossil", "region", "gas", "verification")
    missing = [c for c in COLUMNS if c not in frame.columns and c not in optional]
    if missing:
        raise FactorTableError(msg("core.factors.missing_columns", label=label,
                                   columns=", ".join(missing)))
    unknown = [c for c in frame.columns if c not in COLUMNS + OVERRIDE_COLUMNS]
    if unknown:
        raise FactorTableError(msg("core.factors.unknown_columns", label=label,
                                   columns=", ".join(unknown)))
    frame = _numbers_read(frame, lines, label, fmt)
    columns, distinct = _clean(frame)
    fields, suspect = _validated_columns(columns, len(frame), distinct)
    problems = []
    if suspect.any():
        # the records the column checks could not pass, through the record model: its
        # verdict, its conversions and its messages (table, line, column)
        from pydantic import ValidationError

        model = _record_model()
        for position in np.flatnonzero(suspect):
            record = {name: values[position] for name, values in columns.items()}
            try:
                dumped = model.model_validate(record).model_dump()
            except ValidationError as exc:
                for err in exc.errors():
                    column = ".".join(str(p) for p in err["loc"]) or "record"
                    problems.append(msg("core.factors.line", line=lines[position],
                                        column=column, message=_said(err)))
                continue
            for name in FIELDS:
                fields[name][position] = dumped[name]
    if problems:
        raise FactorTableError(msg("core.factors.problems", label=label, count=len(problems),
                                   lines=joined(problems)))
    return label, lines, fields


def _contradicted(label: str, lines: np.ndarray, wrong: pd.Series) -> FactorTableError:
    """The refusal of records whose ``fossil`` contradicts their fuel (messages of
    :func:`_fossil_contradictions`), naming table, line and column."""
    return FactorTableError(msg("core.factors.problems", label=label, count=len(wrong),
                                lines=joined(msg("core.factors.line", line=lines[position],
                                                 column="fossil", message=message)
                                             for position, message in wrong.items())))


def _said(err: Any) -> str:
    """What the record model said of a field: the package's own message where a validator
    of the model raised one (said in the user's language), pydantic's English otherwise."""
    reason = (err.get("ctx") or {}).get("error")
    if isinstance(reason, ValueError) and reason.args and isinstance(reason.args[0], Message):
        return msg("core.factors.value_error", message=reason.args[0])
    return str(err["msg"])


#: Columns of a factor table that hold numbers.
NUMBER_COLUMNS = ("value", "lower", "upper", "year")


def _numbers_read(frame: pd.DataFrame, lines: np.ndarray, label: str,
                  fmt: NumberFormat | None) -> pd.DataFrame:
    """The numeric columns read under ``fmt`` (text that is no number stays, for the
    record validation to name); ambiguous or misfit numbers refused with their lines."""
    numbers = [c for c in NUMBER_COLUMNS if c in frame.columns]
    # only these columns, with the file and line of every record, go to read_numbers
    where = frame[numbers].assign(_file=label, _line=lines)
    try:
        read = read_numbers(where, numbers, fmt, file_col="_file", row_col="_line")
    except ActivityValidationError as exc:
        raise FactorTableError(msg(
            "core.factors.problems", label=label, count=len(exc.problems),
            lines=joined(msg("core.factors.line_value", line=p.row, column=p.column,
                             value=p.value, message=p.message) for p in exc.problems))
        ) from None
    if read is where:  # (numbers already: nothing read)
        return frame
    frame = frame.copy(deep=False)
    for column in numbers:
        frame[column] = read[column]  # (the same index: no alignment)
    return frame


def _fuel_nature(activity: pd.Series | np.ndarray) -> np.ndarray:
    """Per record (its activity), whether its activity is a fossil fuel (True), a biomass
    fuel (False) or not a fuel of ``fuels.csv`` (None): the nature of the carbon it burns."""
    codes, distinct = pd.factorize(np.asarray(activity, dtype=object), use_na_sentinel=True)
    fossil = _fossil_fuels()
    return np.array([fossil.get(a) if isinstance(a, str) else None for a in distinct]
                    + [None], dtype=object)[codes]


@cache
def _fossil_fuels() -> dict[str, bool]:
    """Per fuel of ``fuels.csv``, whether it is fossil (not biomass)."""
    return {str(fuel): not biomass for fuel, biomass in _fuels()["biomass"].items()}


def _fossil_contradictions(table: pd.DataFrame) -> pd.Series:
    """Messages for the records whose ``fossil`` contradicts their fuel (by position)."""
    return _contradictions(table["activity"].to_numpy(dtype=object),
                           table["fossil"].astype(object).to_numpy(),
                           _fuel_nature(table["activity"]))


def _contradictions(activity: np.ndarray, given: np.ndarray, nature: np.ndarray
                    ) -> pd.Series:
    """:func:`_fossil_contradictions` of records given as arrays: their activity, their
    ``fossil`` and their fuel's nature (:func:`_fuel_nature`)."""
    known = pd.notna(given)
    if not known.any():  # (no record says: none contradicts)
        return pd.Series([], dtype=object)
    known &= pd.notna(nature)
    wrong = np.flatnonzero(known)[given[known] != nature[known]]
    return pd.Series([
        msg("core.factors.contradicts_fossil", given=str(bool(given[i])).lower(),
            activity=activity[i]) if nature[i] else
        msg("core.factors.contradicts_biomass", given=str(bool(given[i])).lower(),
            activity=activity[i])
        for i in wrong], index=wrong, dtype=object)


def _default_folder() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "emission_factors", here.parent.parent / "emission_factors"):
        if candidate.is_dir():
            return candidate
    raise FactorTableError(msg("core.factors.no_folder"))


class FactorDB:
    """A set of validated factor records and the lookup that picks one per activity row.

    Parameters
    ----------
    table : pandas.DataFrame
        Validated records (see :func:`read_factor_table`).
    """

    def __init__(self, table: pd.DataFrame, *, _checked: bool = False,
                 _natured: bool = False):
        if not _checked:  # a table read back from the cache of the shipped records
            dupes = table["factor_id"][table["factor_id"].duplicated()]
            if len(dupes):
                raise FactorTableError(msg("core.factors.duplicate_ids",
                                           ids=", ".join(sorted(set(dupes)))))
            table = table.reset_index(drop=True)
            if not _natured:  # (with_overrides gives each record its nature beforehand)
                table = _with_fuel_nature(table)
        self.table = table
        # The database never changes after construction (overrides make a new one), so
        # answers can be kept: validation and computation ask the same questions. For a
        # few frames of keys only (KEYS_KEPT): a long-running process asks many.
        self._uses: dict[str, bool] = {}
        self._by_category: dict[str, dict[str, frozenset[str]]] = {}
        self._records: _Records | None = None
        self._units: pd.DataFrame | None = None
        self._keyed: OrderedDict[int, _Keyed] = OrderedDict()
        self._with: OrderedDict[tuple[object, ...], FactorDB] = OrderedDict()

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
        # the same tables (same content, same files unchanged) give the same database:
        # validated once, its answers kept (a session computing again with its overrides)
        key = _overrides_key(tables, number_format)
        # threads (Dask's threaded scheduler) share a database: another may drop a kept
        # entry between any two steps, so each step stands alone
        kept = self._with.get(key) if key is not None else None
        if key is not None and kept is not None:
            with contextlib.suppress(KeyError):
                self._with.move_to_end(key)
            return kept
        extra = []
        for source in tables:
            # the records as read_factor_table reads and refuses them, kept as columns: a
            # frame of them would be cast to objects and back to be stacked
            label, lines, fields = _validated_records(source, None, number_format)
            # a record's nature is its own (its fuel's): this database's records have
            # theirs, the new ones take theirs here
            records = _override_columns(label, lines, fields)
            wrong = self._reciprocal_units(records["parameter"], records["unit"])
            if len(wrong):
                raise FactorTableError(msg(
                    "core.factors.problems", label=label, count=len(wrong),
                    lines=joined(msg("core.factors.line", line=lines[position], column="unit",
                                     message=message)
                                 for position, message in wrong.items())))
            extra.append(records)
        db = FactorDB(_stacked(self.table, extra), _natured=True)
        if key is not None:
            self._with[key] = db
            while len(self._with) > OVERRIDES_KEPT:
                with contextlib.suppress(KeyError):
                    self._with.popitem(last=False)
        return db

    def _reciprocal_units(self, parameters: np.ndarray, units: np.ndarray) -> pd.Series:
        """Messages for records (their ``parameters`` and ``units``) whose unit is the
        reciprocal of the units this database's records of the same parameter use (by
        position), known before any lookup asks for a unit."""
        pairs = dict.fromkeys(zip(parameters.tolist(), units.tolist(), strict=True))
        if self._units is None:  # the database's own pairs: the same for every override
            self._units = self.table[["parameter", "unit"]].drop_duplicates()
        known = self._units
        wrong: dict[tuple[str, str], Message] = {}
        for parameter, unit in pairs:
            if parameter in RECIPROCAL_PARAMETERS:
                continue
            dims = {u: _dimensionality(u)
                    for u in known.loc[known["parameter"] == parameter, "unit"]}
            if _dimensionality(unit) in dims.values():
                continue
            inverse = [u for u, d in dims.items() if d == _dimensionality(unit, inverse=True)]
            if inverse:
                wrong[(parameter, unit)] = msg(
                    "core.factors.reciprocal_unit", unit=unit, parameter=parameter,
                    units=", ".join(inverse), first=inverse[0])
        if not wrong:
            return pd.Series([], dtype=object)
        keys = list(zip(parameters.tolist(), units.tolist(), strict=True))
        positions = [i for i, k in enumerate(keys) if k in wrong]
        return pd.Series([wrong[keys[i]] for i in positions], index=positions, dtype=object)

    def _coded(self) -> _Records:
        """The records as codes (:class:`_Records`), made when first asked."""
        if self._records is None:
            self._records = _Records(self.table)
        return self._records

    def uses(self, column: str) -> bool:
        """Whether any record is specific to a ``facility_id``, ``country`` or ``year``."""
        if column not in self._uses:
            self._uses[column] = bool(self.table[column].notna().any())
        return self._uses[column]

    def specific(self, column: str, activity: pd.Series, values: pd.Series) -> np.ndarray:
        """For each row, whether some record of the row's activity is specific to the
        row's value of ``column`` (``facility_id``, ``country`` or ``year``).

        Where none is, the value cannot change the row's answer (a specific record matches
        only its own value, for its own activity), so a look-up key may leave it out: a
        facility with its own NCV for one fuel keys only that fuel's rows on the facility.
        """
        rec = self._coded()
        mine = rec.given[column]
        kept = np.zeros(len(values), dtype=bool)
        if not mine.any() or not len(values):
            return kept
        a_codes, a_labels = _row_codes(activity)
        ra = rec.positions("activity", a_labels)[mine]
        if not (ra >= 0).any():  # no such record for any activity of the rows
            return kept
        if column == "year":  # matched numerically, as the look-up matches years
            v_codes, v_labels = _row_codes(pd.to_numeric(values, errors="coerce"))
            v_labels = pd.Index(pd.to_numeric(pd.Series(v_labels), errors="coerce"))
            rv = v_labels.get_indexer(rec.year[mine])
        else:
            v_codes, v_labels = _row_codes(values)
            rv = rec.positions(column, v_labels)[mine]
        ok = (ra >= 0) & (rv >= 0)
        if not ok.any():
            return kept
        width = len(v_labels)
        pairs = np.unique(ra[ok].astype(np.int64) * width + rv[ok])
        given = (a_codes >= 0) & (v_codes >= 0)
        every = bool(given.all())
        row_pairs = (a_codes.astype(np.int64) * width + v_codes if every
                     else a_codes[given].astype(np.int64) * width + v_codes[given])
        if len(a_labels) * width <= 4 * len(values) + 65_536:
            # a flag per (activity, value) pair, read per row: no search per row
            flags = np.zeros(len(a_labels) * width, dtype=bool)
            flags[pairs] = True
            found = flags[row_pairs]
        else:
            found = np.isin(row_pairs, pairs)
        if every:
            return found
        kept[given] = found
        return kept

    def fuels(self) -> pd.DataFrame:
        """The fuel properties table (``emission_factors/fuels.csv``)."""
        return _fuels()

    def activities(self, parameter: str = "ef") -> set[str]:
        """Activity keys that have at least one record of ``parameter``."""
        return set().union(*self.activities_by_category(parameter).values())

    def activities_by_category(self, parameter: str) -> dict[str, frozenset[str]]:
        """For each category, the activity keys with a record of ``parameter`` there
        (worked out once per database and parameter: every run's validation asks)."""
        if parameter not in self._by_category:
            rec = self._coded()
            rows = np.flatnonzero(rec.equal("parameter", parameter))
            (category, categories), (activity, activities) = (rec.codes("category"),
                                                              rec.codes("activity"))
            category, activity = category[rows], activity[rows]
            if (category < 0).any() or (activity < 0).any():  # (a table not validated here)
                pairs = list(dict.fromkeys(zip(self.table["category"].to_numpy()[rows],
                                               self.table["activity"].to_numpy()[rows],
                                               strict=True)))
            else:  # each pair once, in the order of the records (the categories' order)
                _, first = np.unique(category.astype(np.int64) * len(activities) + activity,
                                     return_index=True)
                first.sort()
                pairs = list(zip(categories[category[first]], activities[activity[first]],
                                 strict=True))
            held: dict[str, set[str]] = {}
            for c, a in pairs:
                held.setdefault(c, set()).add(str(a))
            self._by_category[parameter] = {c: frozenset(a) for c, a in held.items()}
        return self._by_category[parameter]

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
            raise UnknownKeyError(msg("core.factors.unknown_guidelines", guidelines=guidelines,
                                      known=GUIDELINES))
        held = self._keyed.get(id(keys))
        if held is None or held.keys is not keys or not held.copy.equals(keys):
            # the keys coded once, for every question asked about them (a method's check
            # and its computation ask for density, NCV and each gas's factor)
            held = _Keyed(keys, _KeyCodes(keys.reset_index(drop=True)))
            self._keyed[id(keys)] = held
            while len(self._keyed) > KEYS_KEPT:
                with contextlib.suppress(KeyError):  # threads: another may have popped it
                    self._keyed.popitem(last=False)
        else:
            try:
                self._keyed.move_to_end(id(keys))
            except KeyError:  # another thread's keys pushed these out meanwhile: keep them
                self._keyed[id(keys)] = held
        question = (parameter, unit, gas, guidelines, tuple(required))
        if question not in held.answers:
            held.answers[question] = self._lookup(held.codes, parameter, unit, gas,
                                                  guidelines, tuple(required))
        # pandas >= 3 copies on write: a shallow copy keeps the caller's changes its own
        answer = held.answers[question].copy(deep=not _COPY_ON_WRITE)
        answer.index = keys.index
        return answer

    def _lookup(self, codes: _KeyCodes, parameter: str, unit: str, gas: str | None,
                guidelines: str, required: tuple[str, ...]) -> pd.DataFrame:
        """The answer of :meth:`lookup` (on a fresh RangeIndex) for keys coded as ``codes``.

        Every candidate record of a key differs from the others in what it is specific
        to (facility, country, year, variant: a *pattern*) and in which ancestor of the
        key's category it is for. So the look-up is one vectorized pass per pattern
        present among the records and per ancestor level: each key's codes (category at
        that level, activity and the pattern's columns) combined into one integer, found
        by binary search among the records' integers; a record found replaces the key's
        best one when it scores higher. No Python work per key.
        """
        rec = self._coded()
        chosen = rec.select(parameter, gas, guidelines, required, codes.vocabulary["activity"])
        held = rec.superseded[chosen] if guidelines == "2019" else np.zeros(len(chosen), bool)
        best = _winners(codes, rec, chosen[~held], guidelines)
        refused = np.full(codes.n, -1, dtype=np.int64)
        if held.any():
            refused = _winners(codes, rec, chosen[held], guidelines)
            refused[best >= 0] = -1
        table = self.table
        value = np.full(codes.n, np.nan)
        found = best >= 0
        if found.any():
            used = np.unique(best[found])
            value[found] = rec.in_unit(used, unit, parameter)[
                np.searchsorted(used, best[found])]
        columns: dict[str, Any] = {"factor_id": rec.taken("factor_id", best),
                                   "value": pd.Series(value)}
        for col in ("tier", "fossil", "guidelines", "source", "reference", "table",
                    "verification"):
            columns[col] = rec.taken(col, best)
        reasons = np.full(codes.n, np.nan, dtype=object)
        if (refused >= 0).any():
            which = np.unique(refused[refused >= 0])
            records = table.iloc[which].rename(columns={"category": "_anc"})
            said = np.array(superseded_reasons(records), dtype=object)
            reasons[refused >= 0] = said[np.searchsorted(which, refused[refused >= 0])]
        columns["superseded"] = pd.Series(reasons, dtype=object)
        return pd.DataFrame(columns, index=pd.RangeIndex(codes.n), copy=False)


_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3

#: How many databases with overrides a database keeps (the least recently asked dropped
#: first), each under the content of its override tables (:func:`_overrides_key`).
OVERRIDES_KEPT = 4


def _overrides_key(tables: tuple[str | Path | pd.DataFrame, ...],
                   number_format: NumberFormatSpec) -> tuple[object, ...] | None:
    """What identifies override tables: a DataFrame by a digest of its columns, dtypes and
    every value; a file by its path and a digest of its bytes; None (nothing kept) when a
    table cannot be told this way."""
    parts: list[object] = [repr(number_format)]
    try:
        for source in tables:
            if isinstance(source, pd.DataFrame):
                digest = hashlib.sha256(repr((list(source.columns),
                                              [str(d) for d in source.dtypes])).encode())
                for position in range(source.shape[1]):
                    digest.update(_column_bytes(source.iloc[:, position]))
                parts.append(("frame", len(source), digest.hexdigest()))
            else:
                path = Path(source).resolve()
                parts.append(("file", str(path),
                              hashlib.sha256(path.read_bytes()).hexdigest()))
    except Exception:  # noqa: BLE001 - an unhashable cell, a missing file: not kept
        return None
    return tuple(parts)


def _column_bytes(column: pd.Series) -> bytes:
    """Bytes that tell a column's values (its dtype told apart): those that hold them where
    numpy or Arrow does (for text: which are missing, where each starts, the text), a
    hash per value otherwise. Equal bytes, equal values; equal values laid out otherwise
    in memory may give other bytes (the table is then validated again, nothing worse)."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biufcmM":
        return np.ascontiguousarray(column.to_numpy()).tobytes()
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        text = column.array.__arrow_array__().combine_chunks()
        _, offsets, data = text.buffers()
        kind = str(text.type)  # string (int32 offsets) or large_string (int64)
        starts = np.frombuffer(offsets, dtype=np.int64 if kind.startswith("large")
                               else np.int32)[text.offset:text.offset + len(text) + 1]
        first, last = int(starts[0]), int(starts[-1])
        return b"|".join([kind.encode(),
                          text.is_null().to_numpy(zero_copy_only=False).tobytes(),
                          (starts - first).astype(np.int64).tobytes(),
                          memoryview(data)[first:last].tobytes()])
    return pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes()


#: How many frames of keys a database keeps the codes and answers of (the least recently
#: asked about dropped first): bounded, for long-running processes.
KEYS_KEPT = 16


class _Keyed:
    """A frame of keys asked about: the frame, a copy of it (a frame changed in place
    after it was asked about is coded afresh), its codes and the answers given."""

    def __init__(self, keys: pd.DataFrame, codes: _KeyCodes):
        self.keys = keys
        self.copy = keys.copy()
        self.codes = codes
        self.answers: dict[tuple[object, ...], pd.DataFrame] = {}


#: Columns a record may be specific to, as the look-up matches them (year numerically).
_SPECIFIC = ("facility_id", "country", "year", "variant")
#: What each kind of specificity weighs: a facility's record beats a country's beats an
#: IPCC default whatever else; then a year's, then a variant's; then the category depth
#: (x4), the edition asked for (2) and a user's record (1), as the module says.
_WEIGHT = {"facility_id": 10_000, "country": 1_000, "year": 100, "variant": 50}


class _Records:
    """The records of a database as integer codes, made once per database."""

    def __init__(self, table: pd.DataFrame):
        self.n = len(table)
        self.parameter = table["parameter"].astype(object).to_numpy()
        self.gas = table["gas"].astype(object).to_numpy()
        self.guidelines = table["guidelines"].astype(str).to_numpy()
        self.activity = table["activity"].astype(object).to_numpy()
        self.category = table["category"].astype(object).to_numpy()
        self.override = (table["override"].astype(bool).to_numpy()
                         if "override" in table else np.zeros(self.n, dtype=bool))
        self.specific = {c: (table[c].astype(object).to_numpy() if c in table
                             else np.full(self.n, None, dtype=object)) for c in _SPECIFIC}
        self.year = pd.to_numeric(pd.Series(self.specific["year"]), errors="coerce"
                                  ).to_numpy(dtype=float)
        self.given = {c: ~pd.isna(v) for c, v in self.specific.items()}
        self.table = table
        self._columns: dict[str, pd.Series] = {}
        self._superseded: np.ndarray | None = None
        self._coded: dict[str, tuple[np.ndarray, pd.Index]] = {}
        self._in_units: tuple[np.ndarray, np.ndarray] | None = None

    def codes(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """The records' ``column`` (text) as a code per record (-1: none) and the distinct
        values, made when first asked (a database answers many frames of keys)."""
        if column not in self._coded:
            values = (self.specific[column] if column in self.specific
                      else getattr(self, column))
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            self._coded[column] = (codes, pd.Index(uniques, dtype=object))
        return self._coded[column]

    def positions(self, column: str, vocabulary: pd.Index) -> np.ndarray:
        """Per record, the position of its ``column`` in ``vocabulary`` (-1: not there or
        none given): ``vocabulary.get_indexer`` of the column, asked of its distinct
        values only."""
        codes, uniques = self.codes(column)
        return np.append(vocabulary.get_indexer(uniques), -1)[codes]

    def equal(self, column: str, value: str) -> np.ndarray:
        """Per record, whether its ``column`` is ``value``."""
        codes, uniques = self.codes(column)
        at = uniques.get_indexer([value])[0]
        return codes == at if at >= 0 else np.zeros(self.n, dtype=bool)

    def in_unit(self, rows: np.ndarray, to_unit: str, parameter: str) -> np.ndarray:
        """The values of the records at ``rows`` in ``to_unit`` (:func:`_in_unit`)."""
        if self._in_units is None:
            self._in_units = (self.table["value"].to_numpy(dtype=float),
                              self.table["unit"].astype(str).to_numpy())
        values, units = self._in_units
        table = self.table
        return _in_unit(values[rows], units[rows],
                        lambda at: zip(table["factor_id"].to_numpy()[rows[at]],
                                       table["table"].to_numpy()[rows[at]], strict=True),
                        to_unit, parameter)

    @property
    def superseded(self) -> np.ndarray:
        """Which records a computation under the 2019 Refinement does not use
        (:func:`superseded_by_2019`), worked out when first asked."""
        if self._superseded is None:
            self._superseded = (superseded_by_2019(self.table) if self.n
                                else np.zeros(0, dtype=bool))
        return self._superseded

    def taken(self, column: str, rows: np.ndarray) -> pd.Series:
        """The records' ``column`` at ``rows`` (positions; -1: none), as ``reindex``
        gives it: NaN where none (a column of integers then as floats, of booleans as
        objects)."""
        if column not in self._columns:
            self._columns[column] = self.table[column]
        source = self._columns[column]
        values = source.to_numpy()
        none = rows < 0
        if not none.any():
            return pd.Series(values.take(rows), dtype=source.dtype)
        if values.dtype.kind in "iuf":
            values = values.astype(float)
        elif values.dtype != object:
            values = values.astype(object)
        out = (values.take(np.where(none, 0, rows)) if len(values)
               else np.empty(len(rows), dtype=values.dtype))
        out[none] = np.nan
        return pd.Series(out, dtype=out.dtype)

    def select(self, parameter: str, gas: str | None, guidelines: str,
               required: tuple[str, ...], activities: pd.Index) -> np.ndarray:
        """Positions of the records that may answer: of ``parameter`` (and ``gas``), of
        the 2006 Guidelines unless 2019 is asked for, specific to every column of
        ``required``, for one of ``activities``."""
        mask = self.equal("parameter", parameter)
        if gas is not None:
            mask &= self.equal("gas", gas)
        if guidelines == "2006":
            mask &= self.guidelines == "2006"
        for column in required:
            mask &= self.given[column]
        mask &= self.positions("activity", activities) >= 0
        return np.flatnonzero(mask)


class _KeyCodes:
    """A frame of keys as integer codes, made once per frame: each column on the
    vocabulary of its own values (0: empty), the category's ancestors on the vocabulary
    of every ancestor of the keys' categories. Records are coded on these vocabularies
    when a question is asked (:meth:`record_codes`)."""

    def __init__(self, keys: pd.DataFrame):
        n = len(keys)
        self.n = n

        def column(name: str) -> np.ndarray:
            if name in keys:
                return keys[name].astype(object).to_numpy()
            return np.full(n, None, dtype=object)

        self.codes: dict[str, np.ndarray] = {}
        self.vocabulary: dict[str, pd.Index] = {}
        #: The records of a database coded on these vocabularies (:meth:`record_codes`),
        #: shared with the subsets of these keys (:meth:`subset`).
        self._coded_records: dict[int, tuple[_Records, dict[str, np.ndarray]]] = {}
        for name in ("activity", "facility_id", "country", "variant", "year"):
            if name == "year":
                values: Any = pd.to_numeric(pd.Series(column(name)), errors="coerce"
                                            ).to_numpy(dtype=float)
            elif name in keys and not isinstance(keys[name].dtype, pd.CategoricalDtype):
                values = keys[name]  # text kept as pandas holds it (no object copy)
            else:
                values = column(name)
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            self.codes[name] = codes.astype(np.int64) + 1
            self.vocabulary[name] = pd.Index(uniques)
        # the key's category and its ancestors, most specific first
        key_codes, key_cats = pd.factorize(column("category"), use_na_sentinel=True)
        self.category = key_codes.astype(np.int64)
        lineage = [ancestors(c) if isinstance(c, str) else [] for c in key_cats]
        self.categories = pd.Index(sorted({a for line in lineage for a in line}))
        self.levels = max((len(a) for a in lineage), default=0)
        self.ancestor: list[np.ndarray] = []
        self.depth: list[np.ndarray] = []
        for level in range(self.levels):
            named = [line[level] if level < len(line) else None for line in lineage]
            code = np.append(self.categories.get_indexer(named) + 1, 0).astype(np.int64)
            code[:-1][[a is None for a in named]] = 0
            depth = np.array([len(a.split(".")) if a is not None else 0 for a in named]
                             + [0], dtype=np.int64)
            self.ancestor.append(code[key_codes])
            self.depth.append(depth[key_codes])

    def record_codes(self, rec: _Records, records: np.ndarray) -> dict[str, np.ndarray]:
        """The codes of ``records`` on the keys' vocabularies (0: no key has that value,
        or the record has none)."""
        held = self._coded_records.get(id(rec))
        if held is None or held[0] is not rec:
            # every record coded once per frame of keys: each question (density, NCV,
            # each gas's factor) takes its records from these
            out = {"category": rec.positions("category", self.categories) + 1}
            for name in ("activity", "facility_id", "country", "variant"):
                out[name] = rec.positions(name, self.vocabulary[name]) + 1
            out["year"] = self.vocabulary["year"].get_indexer(rec.year) + 1
            held = (rec, {k: np.asarray(v, dtype=np.int64) for k, v in out.items()})
            self._coded_records.clear()  # (one database's records, whichever asks)
            self._coded_records[id(rec)] = held
        return {k: v[records] for k, v in held[1].items()}

    def size(self, name: str) -> int:
        return len(self.categories if name == "category" else self.vocabulary[name]) + 1

    def subset(self, rows: np.ndarray) -> _KeyCodes:
        """The keys at ``rows`` (positions), on the same vocabularies."""
        out = object.__new__(_KeyCodes)
        out.n = len(rows)
        out.codes = {k: v[rows] for k, v in self.codes.items()}
        out.vocabulary = self.vocabulary
        out.category = self.category[rows]
        out.categories = self.categories
        out.levels = self.levels
        out.ancestor = [a[rows] for a in self.ancestor]
        out.depth = [d[rows] for d in self.depth]
        out._coded_records = self._coded_records
        return out

    def distinct(self, columns: Iterable[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """The keys told apart by their category, activity and ``columns`` only: (group of
        each key, first key of each group); None when that tells every key apart."""
        inverse = self.category
        for c in ("activity", *columns):  # pairwise: the combined integers stay small
            inverse, first = factorize_codes([inverse, self.codes[c]])
        return None if len(first) == self.n else (inverse, first)


def _combine(parts: list[tuple[np.ndarray, np.ndarray, int]]) -> tuple[np.ndarray, np.ndarray]:
    """One integer per key and per record from several (key codes, record codes, size):
    equal integers exactly where every code is equal."""
    key, record, size = parts[0]
    key, record = key.copy(), record.copy()
    for k, r, width in parts[1:]:
        if size * width >= 2**62:  # renumber what is combined so far, then go on
            codes, uniques = pd.factorize(np.concatenate([key, record]))
            key, record, size = codes[:len(key)].astype(np.int64), \
                codes[len(key):].astype(np.int64), len(uniques)
        key = key * width + k
        record = record * width + r
        size *= width
    return key, record


def _winners(codes: _KeyCodes, rec: _Records, records: np.ndarray,
             guidelines: str) -> np.ndarray:
    """For each key, the position (in the database) of its best record among
    ``records`` (-1: none matches)."""
    best = np.full(codes.n, -1, dtype=np.int64)
    score = np.full(codes.n, -1, dtype=np.int64)
    if not len(records) or not codes.n:
        return best
    # Keys that differ only in columns no candidate record is specific to (the facility
    # of a key, when only NCVs are facility-specific and the density is asked) have the
    # same winner: found once per distinct key of the columns that matter.
    unused = [c for c in _SPECIFIC if codes.size(c) > 1 and not rec.given[c][records].any()]
    if unused:
        groups = codes.distinct([c for c in _SPECIFIC if c not in unused])
        if groups is not None:
            inverse, first = groups
            return _winners(codes.subset(first), rec, records, guidelines)[inverse]
    coded = codes.record_codes(rec, records)
    # a record whose activity or category no key has cannot match
    usable = (coded["activity"] > 0) & (coded["category"] > 0)
    records = records[usable]
    coded = {k: v[usable] for k, v in coded.items()}
    bonus = ((rec.guidelines[records] == guidelines).astype(np.int64) * 2
             + rec.override[records].astype(np.int64))
    pattern = np.zeros(len(records), dtype=np.int64)
    for bit, column in enumerate(_SPECIFIC):
        pattern |= rec.given[column][records].astype(np.int64) << bit
    for p in np.unique(pattern):
        mine = np.flatnonzero(pattern == p)
        columns = [c for bit, c in enumerate(_SPECIFIC) if p >> bit & 1]
        # a specific record whose value no key has cannot match either
        ok = np.ones(len(mine), dtype=bool)
        for c in columns:
            ok &= coded[c][mine] > 0
        mine = mine[ok]
        if not len(mine):
            continue
        weight = sum(_WEIGHT[c] for c in columns)
        key_ok = codes.codes["activity"] > 0
        for c in columns:  # an empty key value never matches a specific record
            key_ok &= codes.codes[c] > 0
        for level in range(codes.levels):
            parts = [(codes.ancestor[level], coded["category"][mine], codes.size("category"))]
            parts += [(codes.codes[c], coded[c][mine], codes.size(c))
                      for c in ("activity", *columns)]
            key_int, record_int = _combine(parts)
            # per distinct integer the record that wins among equals: the edition asked
            # for, then a user's record, then the first in the table
            order = np.lexsort((records[mine], -bonus[mine], record_int))
            sorted_int = record_int[order]
            first = np.r_[True, sorted_int[1:] != sorted_int[:-1]]
            unique_int, winner = sorted_int[first], mine[order[first]]
            at = np.searchsorted(unique_int, key_int)
            at[at == len(unique_int)] = 0
            hit = (unique_int[at] == key_int) & (codes.ancestor[level] > 0) & key_ok
            candidate = weight + codes.depth[level] * 4 + bonus[winner[at]]
            better = hit & (candidate > score)
            best[better] = records[winner[at[better]]]
            score[better] = candidate[better]
    return best


def _row_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """A column as (code per row, -1 where empty; the distinct values): a categorical's own
    codes, else factorized."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.cat.codes), values.cat.categories
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, pd.Index(uniques)


def _override_columns(label: str, lines: np.ndarray, fields: dict[str, np.ndarray]
                      ) -> dict[str, np.ndarray]:
    """The validated records of an override table (:func:`_validated_records`) as the
    columns a database stacks: what :func:`_concat` makes of the frame
    :func:`read_factor_table` returns, each record that names a gas and no ``fossil``
    taking its fuel's nature (:func:`_with_fuel_nature`).

    Raises
    ------
    FactorTableError
        A ``fossil`` that contradicts the record's fuel, as :func:`read_factor_table`
        refuses it.
    """
    columns: dict[str, np.ndarray] = {}
    for name in FIELDS:
        values = fields[name]
        if name in ("value", "lower", "upper"):
            columns[name] = values.astype(float)  # (None: NaN)
        elif name == "tier":
            columns[name] = values.astype(int)
        else:
            columns[name] = _object_column(values)
    activity = columns["activity"]
    nature = _fuel_nature(activity)
    fossil = np.array(columns["fossil"], dtype=object)
    wrong = _contradictions(activity, fossil, nature)
    if len(wrong):
        raise _contradicted(label, lines, wrong)
    fill = pd.isna(fossil) & ~pd.isna(columns["gas"])
    fossil[fill] = nature[fill]
    columns["fossil"] = fossil
    columns["table"] = np.full(len(activity), label, dtype=object)
    columns["override"] = np.ones(len(activity), dtype=bool)
    return columns


def _object_column(values: np.ndarray) -> np.ndarray:
    """``values`` (objects) as a frame's column made of their list holds them once cast to
    objects: as they are where every one is text or none is given; else as pandas reads
    the list (it makes the gaps of a column of text NaN, and whole numbers with gaps
    floats)."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values
    listed = values.tolist()
    if listed.count(None) == len(listed):
        return values
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    gaps = codes < 0
    if gaps.sum() != listed.count(None):  # (a gap that is no None: read as pandas reads it)
        return np.array(pd.Series(listed).astype(object), dtype=object)
    # pandas reads a list by the kinds of value in it: its distinct values are read alike
    kinds = distinct.tolist() + ([None] if gaps.any() else [])
    return np.array(pd.Series(kinds).astype(object), dtype=object)[codes]


#: The columns :func:`_concat` makes of validated tables, and their dtypes.
_STACKED = {**dict.fromkeys((*FIELDS, "table"), np.dtype(object)),
            "value": np.dtype(float), "lower": np.dtype(float), "upper": np.dtype(float),
            "tier": np.dtype(int), "override": np.dtype(bool)}


def _stacked(base: pd.DataFrame, extra: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """``base``'s records followed by those of ``extra`` (:func:`_override_columns`), as
    :func:`_concat` stacks them. Where ``base`` is what :func:`_concat` makes (a default
    database, one with overrides) its columns are taken as they are, not cast to objects
    and back."""
    if base.dtypes.to_dict() != _STACKED or list(base.columns) != list(_STACKED):
        return _concat([base, *(pd.DataFrame({name: pd.Series(values, dtype=values.dtype)
                                              for name, values in records.items()})
                                for records in extra)])
    return pd.DataFrame({name: pd.Series(np.concatenate([base[name].to_numpy(),
                                                         *(e[name] for e in extra)]),
                                         dtype=dtype, copy=False)
                         for name, dtype in _STACKED.items()}, copy=False)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack validated tables; columns keep one dtype whatever each table left empty."""
    table = pd.concat([f.astype(object) for f in frames], ignore_index=True)
    table["override"] = (table["override"].astype("boolean").fillna(False).astype(bool)
                         if "override" in table else False)
    for column in ("value", "lower", "upper"):
        table[column] = pd.to_numeric(table[column]).astype(float)
    table["tier"] = table["tier"].astype(int)
    return table


@lru_cache(maxsize=1024)
def _dimensionality(unit: str, inverse: bool = False) -> object:
    """The dimensionality of ``unit`` (or of its reciprocal), once per unit string."""
    given = Q_(1.0, unit)
    return (1.0 / given).dimensionality if inverse else given.dimensionality


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


def _in_unit(values: np.ndarray, units: np.ndarray, named: Any, to_unit: str,
             parameter: str) -> np.ndarray:
    """Records' ``values`` (in their ``units``) in ``to_unit``, one conversion per
    distinct unit; ``named(mask)`` gives the (factor_id, table) of the records of a mask,
    for the messages.

    Raises
    ------
    FactorTableError
        A record whose unit is the reciprocal of ``to_unit`` (unless ``parameter`` is in
        :data:`RECIPROCAL_PARAMETERS`) or of another dimension, naming the record, its
        table and both units.
    """
    out = np.full(len(values), np.nan)
    problems = []
    for from_unit in pd.unique(units):
        rows = units == from_unit
        scale, how = _conversion(from_unit, to_unit)
        if how == "direct":
            out[rows] = values[rows] * scale
        elif how == "reciprocal" and parameter in RECIPROCAL_PARAMETERS:
            zero = rows & (values == 0)
            problems += [msg("core.factors.zero_reciprocal", table=table, factor_id=fid,
                             parameter=parameter, from_unit=from_unit, to_unit=to_unit)
                         for fid, table in named(zero)]
            with np.errstate(divide="ignore"):
                out[rows] = scale / values[rows]
        else:
            what = (msg("core.factors.reciprocal_of") if how == "reciprocal"
                    else msg("core.factors.not_convertible"))
            problems += [msg("core.factors.wrong_unit_record", table=table, factor_id=fid,
                             parameter=parameter, from_unit=from_unit, what=what,
                             to_unit=to_unit)
                         for fid, table in named(rows)]
    if problems:
        raise FactorTableError(msg("core.factors.wrong_units", count=len(problems),
                                   to_unit=to_unit, lines=joined(problems)))
    return out


def _with_fuel_nature(table: pd.DataFrame) -> pd.DataFrame:
    """Records of a gas whose ``fossil`` is empty take their fuel's nature (fuels.csv:
    wood is biomass, its CO2 biogenic); a flag that contradicts the fuel is refused (also
    for tables that did not come through :func:`read_factor_table`)."""
    wrong = _fossil_contradictions(table)
    if len(wrong):
        raise FactorTableError(msg("core.factors.contradictions", count=len(wrong),
                                   lines=joined(msg("core.factors.record_fossil",
                                                    table=table["table"].iloc[i],
                                                    factor_id=table["factor_id"].iloc[i],
                                                    message=m)
                                                for i, m in wrong.items())))
    fill = (table["fossil"].isna() & table["gas"].notna()).to_numpy(dtype=bool)
    if fill.any():
        nature = _fuel_nature(table["activity"])
        table = table.copy()
        fossil = np.array(table["fossil"], dtype=object)
        fossil[fill] = nature[fill]
        table["fossil"] = fossil
    return table


@cache
def _default_db() -> FactorDB:
    """The shipped records, validated once per content of the tables (a cache file)."""
    folder = _default_folder()
    key = _content_key(folder)
    cached = _read_cache(key)
    if cached is not None:
        return FactorDB(cached, _checked=True)
    db = _validated_default_db(folder)
    _write_cache(key, db.table)
    return db


def _validated_default_db(folder: Path) -> FactorDB:
    tables = [p for p in sorted(folder.glob("*.csv")) if _is_factor_table(p)]
    # a shipped value says how it was checked; "user" would hide a default as the user's
    unsaid = [p.name for p in tables if "verification" not in _header(p)]
    if unsaid:
        raise FactorTableError(msg("core.factors.no_verification", tables=", ".join(unsaid)))
    # the shipped tables are written as Python writes numbers (decimal point, no grouping)
    db = FactorDB.load(tables, number_format=PLAIN)
    user = db.table[db.table["verification"] == "user"]
    if len(user):
        raise FactorTableError(msg("core.factors.shipped_user",
                                   ids=", ".join(user["factor_id"].head(10))))
    return db


#: Bump when what the cache holds changes shape (the code's own text is hashed as well).
CACHE_FORMAT = 1


def _content_key(folder: Path) -> str:
    """A digest of everything the validated records depend on: the CSV files of the
    folder (names and bytes), the category tree, the code that reads and checks them,
    where the folder is (records name their table by path) and the versions that shape
    the pickle."""
    from ghg_inventory import categories, numbers, textfiles, units

    digest = hashlib.sha256(f"{CACHE_FORMAT}|{folder}|{sys.version}|{pd.__version__}|"
                            f"{np.__version__}".encode())
    files = sorted(folder.glob("*.csv"))
    files += [Path(__file__), Path(units.__file__), Path(categories.__file__),
              Path(numbers.__file__), Path(textfiles.__file__),
              Path(categories.__file__).parent / "data" / "categories.csv"]
    for path in files:
        digest.update(f"|{path.name}|".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:40]


def _cache_file(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"factors-{key}.pickle"


def _read_cache(key: str) -> pd.DataFrame | None:
    """The validated records kept under ``key``, or None (no cache, another content, a
    file that cannot be read or is damaged: then the tables are validated again)."""
    path = _cache_file(key)
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            held = pickle.load(handle)  # noqa: S301 - our own file, in the user's cache
        if (isinstance(held, dict) and held.get("key") == key
                and isinstance(held.get("table"), pd.DataFrame)):
            return held["table"]  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - any failure to read it back means: rebuild
        return None
    return None


def _write_cache(key: str, table: pd.DataFrame) -> None:
    """Keep the validated records for the next process (atomically: a reader sees the
    old file or the new one). A cache directory that cannot be written is passed over;
    files of other contents are removed."""
    path = _cache_file(key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=".factors-",
                                             suffix=".tmp", delete=False)
        try:
            with handle:
                pickle.dump({"key": key, "table": table}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, path)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        for other in path.parent.glob("factors-*.pickle"):
            if other != path:
                other.unlink(missing_ok=True)
    except OSError:
        return


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
