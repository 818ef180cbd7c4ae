"""Method declarations: what each calculation method serves, accepts and computes.

The engine, the validator, the CLI's listings and the documentation all read the same
declarations, so adding a method is one :class:`Method` in a sector module plus its
factor table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ghg_inventory.errors import FactorTableError
from ghg_inventory.i18n.messages import joined, msg

if TYPE_CHECKING:
    from ghg_inventory.factors import FactorDB


@dataclass(frozen=True)
class Context:
    """What a method needs besides the rows: the factors and the choices of the run."""

    factors: FactorDB
    guidelines: str = "2006"
    country: str = "VN"
    #: The methods of the run by name (None: the package's, ``ghg_inventory.METHODS``).
    methods: Mapping[str, Method] | None = None
    #: Work a method's check and its computation share within one run (e.g. the distinct
    #: factor keys of a table), keyed by ``(what, id(table))``; entries hold the table
    #: itself so that an id cannot be reused while cached.
    memo: dict[tuple[str, int], tuple[object, ...]] = field(default_factory=dict)

    def remember(self, what: str, table: pd.DataFrame, make: Callable[[], object]) -> object:
        """``make()`` once per table and purpose within a run."""
        key = (what, id(table))
        if key not in self.memo:
            self.memo[key] = (table, make())
        return self.memo[key][1]

    def rows(self, method: str, table: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
        """The rows of ``table`` at ``positions`` (index reset) that ``method`` works on,
        taken once per run: its check and its computation get the same frame (a copy of
        every column, which costs as much as a method on a table of millions of rows).
        The rows keep their classes (:meth:`classes`)."""
        if len(positions) == len(table):
            return table
        key = (f"rows of {method}", id(table))
        held = self.memo.get(key)
        if held is None or not np.array_equal(held[1][0], positions):  # type: ignore[index]
            held = (table, (positions, table.iloc[positions].reset_index(drop=True)))
            self.memo[key] = held
            classes = self.classes(table)
            if classes is not None:  # the classes of these rows, numbered among themselves
                codes, labels = classes[0][positions], classes[1]
                present = np.flatnonzero(np.bincount(codes, minlength=len(labels)))
                if len(present) < len(labels):
                    renumbered = np.full(len(labels), -1, dtype=codes.dtype)
                    renumbered[present] = np.arange(len(present))
                    codes = renumbered[codes]
                    labels = labels.iloc[present].reset_index(drop=True)
                sub = held[1][1]  # type: ignore[index]
                self.memo[("classes", id(sub))] = (sub, (codes, labels))
        return held[1][1]  # type: ignore[index,no-any-return]

    def classes(self, table: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame] | None:
        """The classes of the rows of a table validated in this run, or of a method's rows
        of it: rows of one class share category, ``source_type``, unit, activity,
        ``amount_kind`` and method, so what depends on these alone is worked out once per
        class. Returns the class of every row and, per class, a row of those labels
        (columns named as in the table); None for a table validation did not see."""
        held = self.memo.get(("classes", id(table)))
        return None if held is None else held[1]  # type: ignore[return-value]


@dataclass(frozen=True)
class Failure:
    """Rows (positions in the table the method was given) that fail one method check."""

    positions: np.ndarray
    column: str
    message: str | list[str]  # one for all rows, or one per position


@dataclass(frozen=True)
class Method:
    """A calculation method as the engine sees it.

    Attributes
    ----------
    name : str
        Stable key, e.g. ``stationary_combustion``.
    categories : tuple of str
        Category codes served, each with its sub-codes.
    exclude : tuple of str
        Sub-codes of ``categories`` that this method must not take (served elsewhere).
    activities : callable
        Returns the activity keys this method knows, given the factor database.
    amount_kinds : tuple of str
        Kinds of amount accepted (``mass``, ``energy``, ``volume`` ... see ``units.KINDS``).
    parameters : dict
        Optional parameter columns the method reads, with their type.
    compute : callable
        ``compute(table, ctx) -> DataFrame`` with columns ``_pos``, ``gas``, ``emissions_kg``,
        ``scope``, ``biogenic``, ``fossil``, ``factor_id``, ``tier``, ``guidelines``,
        ``auxiliary_factor_ids``. Works on whole columns.
    check : callable
        ``check(table, ctx) -> list[Failure]``: problems only this method can see
        (a volume of a solid fuel, a missing density ...). Runs before anything is computed.
    removals : tuple of str
        Gases whose emissions may be negative (removals, e.g. ``("CO2",)`` for forest
        growth). Every other emission must be >= 0, and every emission finite.
    misplaced : callable
        ``misplaced(name) -> message or None``: for a name written as the activity that
        belongs in another column of this method (a refrigerant where the kind of equipment
        goes), the message saying where to write it; None for any other name.
    """

    name: str
    categories: tuple[str, ...]
    activities: Callable[[FactorDB], set[str]]
    amount_kinds: tuple[str, ...]
    compute: Callable[[pd.DataFrame, Context], pd.DataFrame]
    check: Callable[[pd.DataFrame, Context], list[Failure]] = lambda table, ctx: []
    exclude: tuple[str, ...] = ()
    parameters: dict[str, type] = field(default_factory=dict)
    description: str = ""
    #: Which rows of its categories the method takes, by their ``source_type`` column
    #: (``stationary`` where the column is empty or absent; ``off_road`` for machinery).
    source_type: str = "stationary"
    #: Gases whose emissions may be negative: removals by sinks (CO2 taken up by growing
    #: forests). The engine refuses a negative emission of any other gas as a bug.
    removals: tuple[str, ...] = ()
    misplaced: Callable[[str], str | None] = lambda name: None


@dataclass(frozen=True)
class GasResult:
    """One gas's emissions for the rows a method was given (or a subset, ``rows``).

    ``factors`` is a lookup answer (:meth:`FactorDB.lookup`: one record per key) and
    ``key`` the key of each row, so provenance is stored once per key and spread by codes.
    """

    gas: str
    emissions_kg: np.ndarray
    key: np.ndarray
    factors: pd.DataFrame
    scope: str = "direct"
    #: positions (in the method's table) of the rows these emissions are for; all rows
    #: when None
    rows: np.ndarray | None = None
    #: per row of the method's table, the ids of the other records THIS gas's emissions
    #: went through (joined with ``;``), where the gases of a row take different inputs
    #: (manure CH4: VS, Bo; its N2O: N excretion, Frac_GasMS); None: the ``auxiliary``
    #: given to :func:`gas_results`, the same for every gas
    auxiliary: pd.Categorical | None = None


def gas_results(results: list[GasResult],
                auxiliary: pd.Categorical | None = None) -> pd.DataFrame:
    """Stack per-gas results into the rows a method returns to the engine.

    Parameters
    ----------
    results : list of GasResult
        One per gas (and scope), each over all ``n`` rows of the method's table or over
        the subset it names.
    auxiliary : pandas.Categorical, optional
        Per row of the table, the ids of other records used (NCV, density ...), the same
        for every gas; a result's own ``GasResult.auxiliary`` replaces it for that result.
        They are the records the row's emissions went through besides ``factor_id``: the
        uncertainty analysis multiplies their ranges into the row's factor chain.

    Returns
    -------
    pandas.DataFrame
        One row per result row: ``_pos`` (the row), ``gas``, ``emissions_kg``, ``scope``,
        ``biogenic`` (CO2 from non-fossil carbon), ``fossil``, ``factor_id``, ``tier``,
        ``guidelines``, ``auxiliary_factor_ids``; strings as categoricals.
    """
    n = max((len(r.key) if r.rows is None else int(r.rows.max(initial=-1)) + 1
             for r in results), default=0)
    if auxiliary is not None:
        n = max(n, len(auxiliary))
    pos_dtype = np.int32 if n < 2**31 else np.int64
    every = np.arange(n, dtype=pos_dtype)  # shared by the results over all rows
    positions = [every[:len(r.key)] if r.rows is None else np.asarray(r.rows, dtype=pos_dtype)
                 for r in results]
    count = sum(len(p) for p in positions)
    out_pos = np.empty(count, dtype=pos_dtype)
    stacked = _stacked([r.emissions_kg for r in results]) if count == n * len(results) else None
    emissions = np.empty(count) if stacked is None else stacked
    fossil = np.empty(count, dtype=bool)
    tier = np.empty(count, dtype=np.int8)
    # per result: a code per key and the labels of the codes (few), so that no string
    # is handled per key
    labels = [_coded(r.factors["factor_id"], ids=True) for r in results]
    guide_labels = [_coded(r.factors["guidelines"]) for r in results]
    ids = pd.Index(sorted(set().union(*(set(u) for _, u in labels))), dtype=_TEXT)
    guide = pd.Index(sorted(set().union(*(set(u) for _, u in guide_labels))), dtype=_TEXT)
    gases = pd.Index(list(dict.fromkeys(r.gas for r in results)))
    id_dtype = np.int16 if len(ids) < 2**15 else np.int32
    id_codes = np.empty(count, dtype=id_dtype)
    guide_codes = np.empty(count, dtype=np.int8)
    gas_codes = np.empty(count, dtype=np.int8)
    scope_codes = np.empty(count, dtype=np.int8)
    biogenic = np.zeros(count, dtype=bool)
    done: dict[tuple[int, bytes], np.ndarray] = {}  # gathers made, for spread
    start = 0
    for r, where, id_labels, guide_label in zip(results, positions, labels, guide_labels,
                                                strict=True):
        rows = slice(start, start + len(where))
        start += len(where)
        flags = _fossil_flags(r)
        out_pos[rows] = where
        if stacked is None:
            emissions[rows] = r.emissions_kg
        spread(flags, r.key, fossil[rows], done)
        # keys no row of this result uses may have no record (tier NaN): 0, never read
        spread(pd.to_numeric(r.factors["tier"]).fillna(0).to_numpy(dtype=np.int8), r.key,
                tier[rows])
        spread(ids.get_indexer(id_labels[1]).astype(id_dtype)[id_labels[0]], r.key,
                id_codes[rows])
        # a key without an edition (a value of the row's own) has none: code -1
        spread(np.append(guide.get_indexer(guide_label[1]), -1).astype(np.int8)[guide_label[0]],
                r.key, guide_codes[rows])
        gas_codes[rows] = gases.get_loc(r.gas)
        scope_codes[rows] = SCOPES.index(r.scope)
        # CO2 of non-fossil carbon is the biogenic memo
        np.logical_not(fossil[rows], out=biogenic[rows], where=r.gas == "CO2")
    frame = pd.DataFrame({
        "_pos": out_pos,
        "gas": pd.Categorical.from_codes(gas_codes, categories=gases, validate=False),
        "emissions_kg": emissions,
        "scope": pd.Categorical.from_codes(scope_codes, categories=list(SCOPES),
                                            validate=False),
        "biogenic": biogenic,
        "fossil": fossil,
        "factor_id": pd.Categorical.from_codes(id_codes, categories=ids, validate=False),
        "tier": tier,
        "guidelines": pd.Categorical.from_codes(guide_codes, categories=guide,
                                                 validate=False),
    }, copy=False)  # no consolidation copy of the arrays just made; codes made valid here
    if auxiliary is None:
        auxiliary = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[""])
    if all(r.auxiliary is None for r in results):
        codes = np.asarray(auxiliary.codes)
        if len(codes) == n and all(r.rows is None and len(r.key) == n for r in results):
            # every result over all rows, in order: the row codes repeated per result
            codes = np.tile(codes, len(results))
        else:
            codes = codes[out_pos]
        frame["auxiliary_factor_ids"] = pd.Categorical.from_codes(codes, dtype=auxiliary.dtype)
        return frame
    # per result its own ids (or the shared ones), on one set of categories
    own = [auxiliary if r.auxiliary is None else r.auxiliary for r in results]
    categories = pd.Index(pd.unique(np.concatenate(
        [np.asarray(a.categories, dtype=object) for a in own])), dtype=_TEXT)
    aux_codes = np.empty(count, dtype=np.int32)
    start = 0
    for a, where in zip(own, positions, strict=True):
        recode = categories.get_indexer(a.categories).astype(np.int32)
        aux_codes[start:start + len(where)] = recode[np.asarray(a.codes)[where]]
        start += len(where)
    frame["auxiliary_factor_ids"] = pd.Categorical.from_codes(aux_codes, categories=categories)
    return frame


def spread(values: np.ndarray, key: np.ndarray, out: np.ndarray,
           done: dict[tuple[int, bytes], np.ndarray] | None = None) -> None:
    """``out[i] = values[key[i]]`` (a key of -1 takes the last value, as indexing does):
    gathered straight into ``out`` (``wrap``: unbuffered), or filled where every key has
    the same value (one tier, one edition: no pass through the keys), or copied from an
    output of ``done`` spread from the same values by the same keys (each gas of a fuel
    takes the fuel's fossil flags)."""
    if len(values) and (values == values[0]).all():
        out[...] = values[0]
        return
    seen = (id(key), values.dtype.str.encode() + values.tobytes())
    if done is not None and seen in done and len(done[seen]) == len(out):
        out[...] = done[seen]
        return
    np.take(values, key, out=out, mode="wrap")
    if done is not None:
        done[seen] = out


def _stacked(arrays: list[np.ndarray]) -> np.ndarray | None:
    """The arrays as one, without a copy, where they are the rows, in order, of one
    C-ordered float block (a method that wrote every gas's emissions into one block);
    else None."""
    if not arrays:
        return None
    block = arrays[0].base
    if (not isinstance(block, np.ndarray) or block.ndim != 2 or block.dtype != np.float64
            or not block.flags.c_contiguous or block.shape[0] != len(arrays)):
        return None
    start = block.__array_interface__["data"][0]
    for number, array in enumerate(arrays):
        if (array.base is not block or array.shape != block.shape[1:]
                or array.__array_interface__["data"][0] != start + number * block.strides[0]):
            return None
    return block.reshape(-1)


#: Gases whose accounting depends on whether their carbon is fossil: CO2 of non-fossil
#: carbon is a memo item outside the totals, and AR6 gives fossil and non-fossil CH4
#: different GWPs.
FOSSIL_DEPENDENT = ("CO2", "CH4")


def _fossil_flags(result: GasResult) -> np.ndarray:
    """Whether the carbon of each key's record is fossil (and a last entry, True, for the
    code -1 of a key without a record).

    Fuel records take their fuel's nature when the database is built (``fuels.csv``) and
    methods that know the nature of their carbon (carbonates, biological CH4) set it, so an
    empty flag is left only where nobody knows: for CO2 and CH4 it is refused, never read
    as fossil.

    Raises
    ------
    FactorTableError
        A record used by some row, for a gas in :data:`FOSSIL_DEPENDENT`, without
        ``fossil``, naming the record and its table.
    """
    given = result.factors["fossil"].astype(object).to_numpy()
    unknown = pd.isna(given)
    if result.gas in FOSSIL_DEPENDENT and unknown.any():
        used = np.zeros(len(given) + 1, dtype=bool)
        used[result.key] = True
        missing = np.flatnonzero(unknown & used[:-1])
        if len(missing):
            ids = _ids(result.factors)
            tables = (result.factors["table"].astype(object).to_numpy()
                      if "table" in result.factors else [None] * len(given))
            raise FactorTableError(joined(
                msg("core.methods.fossil_unknown", table=tables[i] or msg("core.methods.table"),
                    factor_id=ids[i], gas=result.gas)
                for i in missing))
    return np.append(np.where(unknown, True, given == True), True).astype(bool)  # noqa: E712


#: The provenance of a result computed from values the activity row gave itself (Tier 2/3
#: parameters such as a measured growth rate) rather than from a factor record.
USER_SUPPLIED = "user-supplied"


#: The dtype pandas gives an index of text (``str`` from pandas 3), also when it is empty:
#: categoricals of the parts of a result are stacked, and their categories must agree.
_TEXT = pd.Index(["text"]).dtype


def _ids(factors: pd.DataFrame) -> np.ndarray:
    """The factor id of each key (:data:`USER_SUPPLIED` where it is no text)."""
    codes, labels = _coded(factors["factor_id"], ids=True)
    return labels[codes]


def _coded(column: pd.Series, *, ids: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A column of few distinct values as (code per row, text label per code): each
    value as text (missing values: code -1), or with ``ids`` as a factor id
    (:data:`USER_SUPPLIED` where it is no text). Worked out once per distinct value."""
    codes, uniques = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=not ids)
    if ids:
        labels = [u if isinstance(u, str) else USER_SUPPLIED for u in uniques]
    else:
        labels = [str(u) for u in uniques]
    return codes, np.array(labels, dtype=object)


#: ``ods``: ozone-depleting substances (HCFCs), reported in their own table, outside the
#: Kyoto-basket totals, as direct and indirect rows never add up.
SCOPES = ("direct", "indirect", "ods")
def method_for(methods: Iterable[Method], category: str, *, source_type: str = "stationary",
               kind: str | None = None, activity: str | None = None,
               factors: FactorDB | None = None) -> Method | None:
    """The method of ``methods`` for a row: the most specific declared category prefix wins
    among the methods of the row's source type; where several serve it, the one that knows
    the row's activity (cement vs carbonate inputs of a kiln), then the one that takes the
    row's kind of amount (fuel-based vs distance-based road transport), then the first
    listed."""
    best: list[Method] = []
    depth = -1
    for method in methods:
        if method.source_type != source_type:
            continue
        if any(_under(category, ex) for ex in method.exclude):
            continue
        for served in method.categories:
            if not _under(category, served):
                continue
            if served.count(".") > depth:
                best, depth = [method], served.count(".")
            elif served.count(".") == depth and method not in best:
                best.append(method)
    if activity is not None and factors is not None and len(best) > 1:
        knowing = [m for m in best if activity in m.activities(factors)]
        best = knowing or best
    for method in best:
        if kind in method.amount_kinds:
            return method
    return best[0] if best else None


def _under(code: str, prefix: str) -> bool:
    return code == prefix or code.startswith(prefix + ".")


def served_categories(methods: Iterable[Method]) -> list[str]:
    """Every category code some method of ``methods`` serves, sorted."""
    return sorted({c for m in methods for c in m.categories})
