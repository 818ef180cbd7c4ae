"""Inventory: the long emissions table with its provenance, roll-ups, totals and exports.

Totals follow the reporting rules of the IPCC 2006 Guidelines (Vol 1 Ch 8): CO2 from
biomass is a memo item, never in totals; indirect (scope 2) rows are kept and reported
apart, never added to direct emissions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.categories import at_level, attribute, label
from ghg_inventory.errors import GHGInventoryError, UnknownKeyError
from ghg_inventory.grouping import factorize_codes, narrowest, offset_codes
from ghg_inventory.gwp import check_gwp_set, gwp_column, gwp_value
from ghg_inventory.i18n.messages import msg
from ghg_inventory.units import Q_

if TYPE_CHECKING:
    from ghg_inventory.factors import FactorDB

#: Groupings that are derived from the category code rather than stored.
DERIVED = {
    "sector": "sector",
    "plan_area": "plan_area",
    "category_name_en": "name_en",
    "category_name_vi": "name_vi",
}
SCOPES = ("direct", "indirect", "ods")


#: Per-emission-row columns the methods produce (beside ``_pos``, the activity row).
RESULT_COLUMNS = ("gas", "emissions_kg", "scope", "biogenic", "fossil", "factor_id", "tier",
                  "guidelines", "auxiliary_factor_ids")
#: The long table's columns, in order (DESIGN.md vocabulary first); passed-through activity
#: columns follow, then ``source_file`` and ``source_row``.
EMISSION_COLUMNS = ["facility_id", "year", "category", "activity", "gas", "emissions_kg",
                    "co2e_kg", "scope", "biogenic", "factor_id", "tier", "guidelines",
                    "auxiliary_factor_ids", "fossil"]
_NOT_PASSED = {"amount", "unit", "amount_kind", "method"}
_PROVENANCE = ("source_file", "source_row")


class Inventory:
    """Emissions of an activity table, per activity row and gas, with provenance.

    Built by :func:`ghg_inventory.compute`. It keeps the validated activity rows and the
    methods' per-gas results side by side, and materialises the long table
    (:attr:`emissions`) when first asked for it; roll-ups and totals work on the compact
    form, so a roll-up of ten million rows never builds thirty million.

    Parameters
    ----------
    emissions : pandas.DataFrame, optional
        A ready long table (e.g. a subset of another inventory's :attr:`emissions`).
    meta : dict
        How it was computed: GWP set, guidelines, factor tables, number of input rows.
    activities, results : pandas.DataFrame, optional
        The compact form (what ``compute`` passes): validated activity rows, and per
        emission row the columns of :data:`RESULT_COLUMNS` plus ``_pos``.
    """

    def __init__(self, emissions: pd.DataFrame | None = None, meta: dict[str, Any] | None = None,
                 *, activities: pd.DataFrame | None = None,
                 results: pd.DataFrame | None = None, factors: FactorDB | None = None):
        self.meta = dict(meta or {})
        #: The factor database the inventory was computed with (None: the defaults).
        self.factors = factors
        self.meta.setdefault("gwp", "AR5")
        check_gwp_set(self.meta["gwp"])
        self._emissions: pd.DataFrame | None = None
        self._co2e_by_gwp: dict[str, np.ndarray] = {}
        if emissions is not None:
            # each row of a ready long table is its own activity row
            results = emissions[list(RESULT_COLUMNS)].assign(_pos=np.arange(len(emissions)))
            activities = emissions.drop(columns=list(RESULT_COLUMNS) + ["co2e_kg"],
                                        errors="ignore")
            self._emissions = emissions
        if activities is None or results is None:
            raise GHGInventoryError(msg("core.inventory.needs_table"))
        self._activities = activities
        self._results = results
        self._pos = results["_pos"].to_numpy()

    def __repr__(self) -> str:
        return (f"<Inventory: {len(self._results)} emission rows from {len(self._activities)} "
                f"activity rows, direct total {self.total().m_as('t * CO2e'):,.6g} t CO2e "
                f"({self.gwp})>")

    @property
    def gwp(self) -> str:
        """The GWP set of ``co2e_kg``."""
        return str(self.meta["gwp"])

    @property
    def emissions(self) -> pd.DataFrame:
        """The long table: one row per activity row and gas (built on first access)."""
        if self._emissions is None:
            self._emissions = self._materialize()
            self._emissions.attrs.update(self._about())
        return self._emissions

    def _about(self, gwp: str | None = None) -> dict[str, Any]:
        """What a result table carries in ``DataFrame.attrs``: how it was computed."""
        return {**self.meta, "gwp": gwp or self.gwp}

    def with_gwp(self, gwp: str) -> Inventory:
        """The same inventory with CO2e under another GWP set."""
        check_gwp_set(gwp)
        if gwp == self.gwp:
            return self
        return Inventory(meta={**self.meta, "gwp": gwp}, activities=self._activities,
                         results=self._results, factors=self.factors)

    def _co2e(self, gwp: str | None = None) -> np.ndarray:
        gwp = gwp or self.gwp
        if gwp not in self._co2e_by_gwp:
            check_gwp_set(gwp)
            self._co2e_by_gwp[gwp] = self._results["emissions_kg"].to_numpy() * gwp_column(
                self._results["gas"], self._results["fossil"], gwp)
        return self._co2e_by_gwp[gwp]

    def _in_scope(self, scope: str) -> np.ndarray:
        if scope not in SCOPES:
            raise UnknownKeyError(msg("core.inventory.unknown_scope", scope=scope, scopes=SCOPES))
        return (self._results["scope"] == scope).to_numpy()

    def _key(self, key: str, level: int | None) -> tuple[bool, np.ndarray, np.ndarray]:
        """How to group by one key: (per activity row?, integer codes, labels).

        Keys of the activity rows are coded once per activity row (and names derived from
        the category code once per distinct code); keys of the results (``gas``,
        ``factor_id`` ...) per emission row.
        """
        if key in self._results and key != "_pos":
            codes, labels = _coded(self._results[key])
            return False, codes, labels
        table = self._activities
        if key in DERIVED or (key == "category" and level):
            codes, categories = _coded(table["category"])
            codes_of = pd.Series(categories, dtype=object)
            mapped = attribute(codes_of, DERIVED[key]) if key in DERIVED \
                else at_level(codes_of, level or 1)
            new_codes, labels = pd.factorize(mapped, sort=True)
            # narrow, as the codes of a categorical: a gather per activity row, of
            # codes + 1 (slot 0 for the missing code)
            recoded = np.append(-1, new_codes).astype(narrowest(len(labels) + 1))
            shifted = np.add(codes, 1, dtype=narrowest(len(codes_of) + 1))
            return True, _gather(recoded, shifted), np.asarray(labels)
        if key in table:
            codes, labels = _coded(table[key])
            return True, codes, labels
        columns = [c for c in table.columns if not c.startswith("_")] + list(RESULT_COLUMNS)
        raise UnknownKeyError(msg("core.inventory.cannot_group", key=key,
                                  columns=", ".join(columns), derived=", ".join(DERIVED)))

    @property
    def results(self) -> pd.DataFrame:
        """Per emission row: ``_pos`` (its activity row) and the columns of RESULT_COLUMNS."""
        return self._results

    def co2e(self, gwp: str | None = None) -> np.ndarray:
        """kg CO2e of every emission row (in the order of :attr:`results`)."""
        return self._co2e(gwp)

    def groups(self, keys: Sequence[str], level: int | None = None
               ) -> tuple[np.ndarray, pd.DataFrame]:
        """Group number of every emission row (order of :attr:`results`), and the labels."""
        return self._groups(list(keys), level)

    @property
    def activities(self) -> pd.DataFrame:
        """The validated activity rows, with ``energy_tj`` of each (NaN where no energy)."""
        return self._activities

    @property
    def is_source(self) -> np.ndarray:
        """Per activity row (order of :attr:`activities`): True for a row of the input, False
        for a copy the engine derived to carry emissions into another year or category
        (first-order decay of a deposit, indirect N2O under 3.C.5/3.C.6, soil carbon).

        A copy keeps its source row's ``amount``: activity sums and statistics (tonnes
        treated, medians, counts) take the rows where this is True, so each amount counts
        once, in the year and category it was reported for.
        """
        if "_source_pos" not in self._activities:
            return np.ones(len(self._activities), dtype=bool)
        return self._activities["_source_pos"].to_numpy() < 0

    @property
    def source_activities(self) -> pd.DataFrame:
        """The activity rows as given, without the engine's derived copies (see
        :attr:`is_source`)."""
        return self._activities[self.is_source]

    def activity_groups(self, keys: Sequence[str], level: int | None = None
                        ) -> tuple[np.ndarray, pd.DataFrame]:
        """Group number of every *activity* row by keys of the activity rows, and labels."""
        coded = [self._key(k, level) for k in keys]
        if not all(per_activity for per_activity, _, _ in coded):
            raise UnknownKeyError(msg("core.inventory.activity_keys_only", keys=list(keys)))
        group, first = factorize_codes([codes for _, codes, _ in coded], sort=True)
        labels = {k: _labels(lab, codes[first])
                  for k, (_, codes, lab) in zip(keys, coded, strict=True)}
        return group, pd.DataFrame(labels)

    def _groups(self, keys: list[str], level: int | None) -> tuple[np.ndarray, pd.DataFrame]:
        """Group number of every emission row, and the labels of every group."""
        coded = [self._key(k, level) for k in keys]
        if not coded:
            return np.zeros(len(self._results), dtype=np.int32), pd.DataFrame(index=[0])
        if all(per_activity for per_activity, _, _ in coded):
            # group the activity rows, then spread the group numbers to the emission rows
            group, labels = self.activity_groups(keys, level)
            return group.astype(np.int32)[self._pos], labels
        em_codes = [codes[self._pos] if per_activity else codes for per_activity, codes, _ in coded]
        group, first = factorize_codes(em_codes, sort=True)
        labels = {k: _labels(lab, codes[first]) for k, (_, lab), codes in
                  zip(keys, [(c[0], c[2]) for c in coded], em_codes, strict=True)}
        return group.astype(np.int32), pd.DataFrame(labels)

    def _labelled(self, coded: tuple[bool, np.ndarray, np.ndarray], gas_codes: np.ndarray,
                  per_emission: bool) -> bool:
        """Whether a row grouped by a key has a label (a code other than -1): an activity
        row (or, with ``per_emission``, an emission row's activity row) for a key of the
        activity rows, an emission row for the gas."""
        per_activity, codes, _ = coded
        if not per_activity:
            return bool(gas_codes.max(initial=-1) >= 0)
        if not per_emission:
            return bool(codes.max(initial=-1) >= 0)
        return bool((_gather(codes, self._pos) >= 0).any())

    def rollup(
        self,
        by: str | Sequence[str] = (),
        gwp: str | None = None,
        *,
        level: int | None = None,
        scope: str = "direct",
        lang: str | None = None,
    ) -> pd.DataFrame:
        """Sum emissions by groups: one row per group, ``co2e_kg`` and ``<gas>_kg`` per gas.

        Parameters
        ----------
        by : str or sequence of str
            Any of ``facility_id``, ``commune``, ``district``, ``year``, ``gas``,
            ``category``, ``activity``, ``sector`` (1-4), ``plan_area``,
            ``category_name_en``, ``category_name_vi``, or any column of the emissions
            table.
        gwp : str, optional
            Another GWP set for ``co2e_kg`` than the one computed with.
        level : int, optional
            Truncate ``category`` to this level of the tree first (1 = sector, 2 = ``1.A``,
            3 = ``1.A.2`` ...).
        scope : {"direct", "indirect"}
            Direct emissions (default) or indirect (scope 2); never both added.
        lang : {"en", "vi"}, optional
            Add a ``<key>_name`` column in English or Vietnamese after each ``category``,
            ``sector`` or ``plan_area`` key.

        Returns
        -------
        pandas.DataFrame
            Groups as columns, sorted, then ``co2e_kg`` and ``<gas>_kg`` for each gas;
            biogenic CO2 is in neither ``co2e_kg`` nor ``CO2_kg`` but in the memo column
            ``biogenic_CO2_kg``.
        """
        gwp = check_gwp_set(gwp or self.gwp)
        keys = [by] if isinstance(by, str) else list(by)
        selected = self._in_scope(scope)
        coded = [self._key(k, level) for k in keys]
        gas_codes, gas_names = _coded(self._results["gas"])
        n_gases = len(gas_names)
        classes = 3 * n_gases + 3
        of_row: np.ndarray | None = self._pos
        gas_stride = 0
        dense = all(per_activity or key == "gas" for key, (per_activity, _, _) in
                    zip(keys, coded, strict=True)) and keys.count("gas") <= 1 and math.prod(
            len(labels) + 1 for _, _, labels in coded) <= DENSE_GROUPS and all(
            len({type(v) for v in np.asarray(labels, dtype=object)}) <= 1
            for _, _, labels in coded)
        if dense:
            # few possible keys: every combination of the keys' labels is a group (those
            # without a row in scope are dropped below), numbered by the codes themselves
            # (the gas's by each emission row's, the others' by its activity row's)
            group, labels, gas_stride = _dense_groups(keys, coded, classes,
                                                      len(self._activities))
        elif coded and all(per_activity for per_activity, _, _ in coded):
            # keys of the activity rows: grouped once per activity row, each emission
            # row's group read a block at a time (never a copy per emission row)
            group, labels = self.activity_groups(keys, level)
            group = np.multiply(group, classes, dtype=narrowest(len(labels) * classes))
        else:
            group, labels = self._groups(keys, level)
            of_row = None
        n_groups = len(labels)
        sums, has, filled = _class_sums(
            group, of_row, gas_codes, self._results["fossil"].to_numpy(),
            self._results["biogenic"].to_numpy(), selected,
            self._results["emissions_kg"].to_numpy(), n_groups, classes, gas_stride)
        memo_no_gas = classes - 3
        co2e = np.zeros(n_groups)
        per_gas: dict[str, np.ndarray] = {}
        present = [c for c in range(n_gases) if has[3 * c:3 * c + 3].any()]
        for code in sorted(present, key=lambda c: _gas_order(str(gas_names[c]))):
            gas = str(gas_names[code])
            total = np.zeros(n_groups)
            for is_fossil in (False, True):
                if has[code * 3 + is_fossil]:
                    mass = sums[:, code * 3 + is_fossil]
                    total += mass
                    co2e += gwp_value(gas, gwp, fossil=is_fossil) * mass
            per_gas[f"{gas}_kg"] = total
        memo = sums[:, 2:3 * n_gases:3].sum(axis=1) + sums[:, memo_no_gas]
        frame = pd.DataFrame({"co2e_kg": co2e, **per_gas, "biogenic_CO2_kg": memo})
        if keys:
            used = np.flatnonzero(filled)
            frame = pd.concat([labels, frame], axis=1).iloc[used].reset_index(drop=True)
        if dense:
            # pandas infers a labels column's dtype from its values (str from strings):
            # grouped rows gave it the labels of the groups of rows only, so a key
            # without any row labelled gave an object column of None
            for position, key in enumerate(keys):
                if frame[key].isna().all() and not self._labelled(
                        coded[position], gas_codes, bool(gas_stride)):
                    frame[key] = pd.Series(np.full(len(frame), None, dtype=object),
                                           dtype=object)
        frame.attrs.update(self._about(gwp))
        frame.attrs["scope"] = scope
        if lang:
            for position, key in reversed(list(enumerate(keys))):
                if key in ("category", "sector", "plan_area"):
                    frame.insert(position + 1, f"{key}_name", label(key, frame[key], lang))
        return frame

    def total(self, gwp: str | None = None, *, scope: str = "direct") -> pint.Quantity:
        """Total emissions in t CO2e (biogenic CO2 excluded; direct or indirect, never both)."""
        counted = self._in_scope(scope) & ~self._results["biogenic"].to_numpy()
        kg = float(self._co2e(gwp)[counted].sum())
        return Q_(kg / 1000.0, "t * CO2e")

    def biogenic_co2(self) -> pint.Quantity:
        """Memo item: CO2 from biomass combustion, in t CO2 (never in totals)."""
        memo = self._results["biogenic"].to_numpy()
        kg = float(self._results["emissions_kg"].to_numpy()[memo].sum())
        return Q_(kg / 1000.0, "t * CO2")

    def uncertainty(self, method: str = "error_propagation",
                    by: str | Sequence[str] = (), *, iterations: int = 10_000,
                    seed: int | None = None, **options: Any) -> pd.DataFrame:
        """Uncertainty of the totals (and of each group of ``by``), IPCC 2006 Vol 1 Ch 3.

        A thin method over :mod:`ghg_inventory.analysis.uncertainty`, so that
        ``inv.uncertainty("monte_carlo", iterations=20_000, seed=1)`` reads as the rest of
        the Inventory's API; the module's functions take the same options.

        Parameters
        ----------
        method : {"error_propagation", "monte_carlo"}
            Approach 1 (Eq. 3.1, 3.2) or Approach 2 (Monte Carlo).
        by : str or sequence of str
            Roll-up keys (``category``, ``commune`` ...); empty for the total only.
        iterations, seed : int
            Approach 2 only: draws, and the seed that makes them repeatable.
        **options
            ``factor_uncertainty``, ``activity_uncertainty``, ``activity_condition``,
            ``activity_defaults``, ``distributions``, ``scope``, ``level`` ...

        Returns
        -------
        pandas.DataFrame
            As :func:`~ghg_inventory.analysis.uncertainty.error_propagation` or
            :func:`~ghg_inventory.analysis.uncertainty.monte_carlo`; ``attrs["defaults_used"]``
            says which ranges were the shipped defaults.

        Raises
        ------
        UnknownKeyError
            For another ``method``.
        GHGInventoryError
            Naming every input that has no uncertainty (nothing is assumed certain).
        """
        # the analysis layer, imported when asked for: the core does not need it to load
        # (pyproject.toml's contracts allow this one import, and only this one)
        from ghg_inventory.analysis import uncertainty as approaches

        if method == "error_propagation":
            return approaches.error_propagation(self, by, **options)
        if method == "monte_carlo":
            return approaches.monte_carlo(self, by, iterations=iterations, seed=seed,
                                          **options)
        raise UnknownKeyError(msg("core.inventory.unknown_uncertainty", method=method))

    def verification(self) -> pd.Series:
        """How the factor records behind each emission row were checked: per row (order of
        :attr:`results`) the weakest status of its factor chain (``factor_id`` and the
        ``auxiliary_factor_ids`` it went through).

        ``user`` (the user's own record, or values the activity row gave) is weaker than
        ``single_source`` (one machine-readable copy of the printed table), which is weaker
        than ``two_sources`` (two independent copies agree). A row without any factor record
        is missing (NaN). Worked out once per distinct chain, not per row.

        Returns
        -------
        pandas.Series
            Categorical, ordered ``user`` < ``single_source`` < ``two_sources``.
        """
        from ghg_inventory.factors import FactorDB

        db = FactorDB.default() if self.factors is None else self.factors
        status = dict(zip(db.table["factor_id"], db.table["verification"], strict=True))
        order = ("user", "single_source", "two_sources")
        rank = {v: i for i, v in enumerate(order)}
        ef_codes, ef_ids = _coded(self._results["factor_id"])
        aux_codes, aux_ids = _coded(self._results["auxiliary_factor_ids"].astype(object)
                                    .where(self._results["auxiliary_factor_ids"].notna(), ""))
        chain, first = factorize_codes([ef_codes, aux_codes])
        weakest = np.full(len(first), -1, dtype=np.int8)
        for k, (e, a) in enumerate(zip(ef_codes[first], aux_codes[first], strict=True)):
            ids = ([str(ef_ids[e])] if e >= 0 else []) + (
                [p for p in str(aux_ids[a]).split(";") if p] if a >= 0 else [])
            if ids:  # an id no table holds is a value the user gave
                weakest[k] = min(rank.get(status.get(i, "user"), 0) for i in ids)
        codes = weakest[chain] if len(chain) else np.zeros(0, dtype=np.int8)
        return pd.Series(pd.Categorical.from_codes(
            codes, dtype=pd.CategoricalDtype(order, ordered=True)),
            index=self._results.index, name="factor_verification")

    def _materialize(self) -> pd.DataFrame:
        table, results, pos = self._activities, self._results, self._pos
        out = pd.DataFrame({c: _take(table[c], pos)
                            for c in ("facility_id", "year", "category", "activity")})
        out["gas"] = results["gas"].to_numpy()
        out["emissions_kg"] = results["emissions_kg"].to_numpy()
        out["co2e_kg"] = self._co2e()
        for column in RESULT_COLUMNS[2:]:
            out[column] = results[column].to_numpy()
        for column in table.columns:
            if column in _NOT_PASSED or column in out or column.startswith("_"):
                continue
            values = table[column]
            if values.dtype == object or pd.api.types.is_string_dtype(values):
                values = values.astype("category")
            out[column] = _take(values, pos)
        first = [c for c in out.columns if c not in _PROVENANCE]
        return out[first + [c for c in _PROVENANCE if c in out]]

    def export(self, path: str | Path) -> Path:
        """Write the emissions table as CSV, Parquet or Excel, by the file's extension.

        The computation's metadata (GWP set, guidelines, factor tables) goes with it, in
        ``<path>.meta.json`` beside the file (and an ``about`` sheet in Excel), with an
        ``export`` entry naming the data file and the SHA-256 of its bytes, so that a
        reader can check that the two belong together. Text cells are written safe to open
        in a spreadsheet (CSV: a cell beginning with ``=``, ``+``, ``-``, ``@``, tab or
        carriage return gets a leading ``'``; Excel: string cells, never formulas;
        Parquet: values as they are), see :mod:`ghg_inventory.writers`.

        Both files are written under temporary names, flushed to disk and published
        together (:func:`ghg_inventory.writers.atomic_paths`): the meta first, the data
        last. A reader looks for the data, so whoever finds the data finds its meta already
        beside it; a failure before the end publishes neither. Where an earlier export is
        replaced, the new meta stands beside the old data for the moment between the two
        renames (or after a crash in that moment): the SHA-256 tells them apart. Two exports
        to one path at once leave the data and the meta of the same export.

        Parameters
        ----------
        path : str or pathlib.Path
            ``.csv``, ``.parquet`` (``.pq``) or ``.xlsx``.

        Returns
        -------
        pathlib.Path
            The data file.
        """
        import json

        from ghg_inventory import writers

        path = Path(path)
        kind = writers.table_kind(path)
        about = pd.DataFrame(sorted((k, str(v)) for k, v in self.meta.items()),
                             columns=["key", "value"])
        meta_path = path.with_name(path.name + ".meta.json")
        with writers.atomic_paths(meta_path, path) as (meta_tmp, data_tmp):
            writers.write_frame(self.emissions, data_tmp, kind, sheets={"about": about})
            record = {**self.meta,
                      "export": {"file": path.name, "sha256": writers.sha256(data_tmp)}}
            meta_tmp.write_text(json.dumps(record, indent=2, default=str), encoding="utf-8")
        return path


_ORDER = {"CO2": 0, "CH4": 1, "N2O": 2}


#: Emission rows summed at a time by :meth:`Inventory.rollup`.
ROLLUP_BLOCK = 1 << 20


#: Roll-ups by keys of the activity rows with at most this many combinations of labels
#: number their groups by the keys' codes (no grouping pass over the rows).
DENSE_GROUPS = 1 << 14
#: Emission rows below which a stretch that is not one run (see :func:`_class_sums`) is
#: summed row by row rather than split further; nor below this many rows per bin.
_RUN = 1 << 14
_ROWS_PER_BIN = 1


def _dense_groups(keys: list[str], coded: list[tuple[bool, np.ndarray, np.ndarray]],
                  classes: int, n: int) -> tuple[np.ndarray, pd.DataFrame, int]:
    """Groups of every combination of the keys' labels, numbered by the activity rows'
    codes.

    Parameters
    ----------
    keys : list of str
        The keys, as named in the labels.
    coded : list of tuple
        Per key, as :meth:`Inventory._key` gives it: whether it is a key of the activity
        rows, codes (-1 for missing) and labels. One key may be of the emission rows (the
        gas): it has no part in ``offsets``.
    classes : int
        Classes of emission rows per group.
    n : int
        Activity rows.

    Returns
    -------
    offsets : numpy.ndarray of int16, int32 or int64
        Per activity row, its group number times ``classes`` (the first bin of the group),
        in the narrowest integers that hold every bin; with a key of the emission rows,
        the group of its missing value.
    labels : pandas.DataFrame
        The labels of every group, groups sorted by the keys (missing first), as
        :meth:`Inventory.activity_groups` orders them.
    stride : int
        Groups from one code of the key of the emission rows to the next (0: none).
    """
    bases = [len(labels) + 1 for _, _, labels in coded]  # slot 0: missing
    size = math.prod(bases)
    # narrow: written once per activity row, read once per emission row (bincount
    # widens a block at a time, cheaper than a wide array's first writes)
    offsets = np.zeros(n, dtype=narrowest(size * classes))
    columns: dict[str, np.ndarray] = {}
    inner, ones, stride, written = size, 0, 0, False
    for key, (per_activity, codes, labels), base in zip(keys, coded, bases, strict=True):
        inner //= base
        if not per_activity:
            stride = inner
        elif written:
            # the place value times classes, so that the bins of a group follow its number
            offsets += np.multiply(codes, inner * classes, dtype=offsets.dtype)
            ones += inner
        else:
            np.multiply(codes, inner * classes, out=offsets, dtype=offsets.dtype)
            ones, written = ones + inner, True
        padded = np.empty(base, dtype=object)  # slot 0 stays None, as in _labels
        padded[1:] = np.asarray(labels, dtype=object)
        columns[key] = np.tile(np.repeat(padded, inner), size // (inner * base))
    offsets += ones * classes
    return offsets, pd.DataFrame(columns) if keys else pd.DataFrame(index=[0]), stride


def _class_sums(group: np.ndarray, of_row: np.ndarray | None, gas_codes: np.ndarray,
                fossil: np.ndarray, biogenic: np.ndarray, selected: np.ndarray,
                emitted: np.ndarray, n_groups: int, classes: int, gas_stride: int = 0
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Emissions summed by group and class of emission row.

    A row's class is (gas, non-fossil | fossil | biogenic memo) in scope, or a biogenic
    row in scope without a gas, another row in scope without a gas, or a row out of
    scope; CO2e is then the sum over (gas, fossil) of GWP x mass.

    Parameters
    ----------
    group : numpy.ndarray of int
        With ``of_row``: per activity row, the first bin of its group (group number times
        ``classes``). Without: per emission row, the group number.
    of_row : numpy.ndarray or None
        Per emission row, its activity row.
    gas_codes : numpy.ndarray
        Per emission row, the code of its gas (-1: none), ``classes`` being
        3 x gases + 3.
    fossil, biogenic, selected : numpy.ndarray of bool
        Per emission row: fossil, biogenic, in scope.
    emitted : numpy.ndarray of float
        Per emission row, the mass emitted [kg].
    n_groups, classes : int
        Groups and classes.
    gas_stride : int
        With ``of_row``, when the gas is a key: groups from one gas code to the next
        (``group`` then holds the group of the missing gas, code -1).

    Returns
    -------
    sums : numpy.ndarray of float, shape (n_groups, classes)
        Mass per group and class [kg].
    has : numpy.ndarray of bool, shape (classes,)
        Whether any row in scope is of the class (never for the class out of scope).
    filled : numpy.ndarray of bool, shape (n_groups,)
        Whether any row in scope is in the group.
    """
    size = n_groups * classes
    memo_no_gas, no_gas, outside = classes - 3, classes - 2, classes - 1
    every_row = bool(selected.all())
    gasless = bool(len(gas_codes) and gas_codes.min() < 0)
    small = np.int8 if classes <= 127 else np.int16
    flat = np.zeros(size)
    counts = np.zeros(size, dtype=np.int64)  # of the stretches summed row by row
    has = np.zeros(classes, dtype=bool)
    step = gas_stride * classes  # bins from one gas code to the next
    # per run: consecutive activity rows?, its rows (activity or emission), gas code + 1
    runs: list[tuple[bool, int, int, int]] = []
    buffer = np.empty(min(len(emitted), ROLLUP_BLOCK), dtype=group.dtype)

    def run(start: int, stop: int) -> int:
        # A run: one gas, all in or all out of scope; each row's class then comes from two
        # flags and no row is counted. 1: its activity rows are consecutive (the groups
        # read from a slice), 2: they are not (gathered), 0: no run. The ends first, so
        # that a stretch that is no run is mostly told in O(1)
        if of_row is None:
            return 0
        if not every_row:
            scoped = selected[start:stop]
            if not (scoped[0] or scoped[-1] or scoped.any()):
                return 1  # out of scope: summed nowhere, whatever its rows
            if not (scoped[0] and scoped[-1] and scoped.all()):
                return 0
        gas = gas_codes[start:stop]
        if gas[-1] != gas[0] or not (gas == gas[0]).all():
            return 0
        pos = of_row[start:stop]
        # n strictly increasing integers spanning n - 1 are consecutive
        return 1 if (pos[-1] - pos[0] == stop - start - 1
                     and (pos[1:] > pos[:-1]).all()) else 2

    def by_run(start: int, stop: int, kind: int) -> None:
        if not (every_row or selected[start]):
            return  # out of scope: summed nowhere
        assert of_row is not None
        bio = biogenic[start:stop]
        code = int(gas_codes[start])
        if code >= 0:
            # fossil and not biogenic: 1; biogenic: 2, the memo whatever its fossil flag
            fossil_only = fossil[start:stop] & ~bio
            cls = bio.view(np.int8) * np.int8(2)
            cls += fossil_only.view(np.int8)
            cls = cls.astype(small, copy=False)
            cls += small(3 * code)
            n_fossil, n_bio = np.count_nonzero(fossil_only), np.count_nonzero(bio)
            has[3 * code] |= n_fossil + n_bio < stop - start
            has[3 * code + 1] |= n_fossil > 0
            has[3 * code + 2] |= n_bio > 0
        else:
            cls = np.subtract(no_gas, bio.view(np.int8), dtype=small)
            n_bio = np.count_nonzero(bio)
            has[memo_no_gas] |= n_bio > 0
            has[no_gas] |= n_bio < stop - start
        if kind == 1:
            first = int(of_row[start])
            rows = group[first:first + stop - start]
            runs.append((True, first, first + stop - start, code + 1))
        else:
            rows = _gather(group, of_row[start:stop])
            runs.append((False, start, stop, code + 1))
        bins = np.add(rows, cls, out=buffer[:stop - start])
        if step:
            bins += (code + 1) * step
        flat[:] += np.bincount(bins, weights=emitted[start:stop], minlength=size)

    def by_row(start: int, stop: int) -> None:
        part = slice(start, stop)
        flag = fossil[part].view(np.int8) + (biogenic[part].view(np.int8) << 1)
        np.minimum(flag, 2, out=flag)  # biogenic: the memo, whatever its fossil flag
        cls = gas_codes[part].astype(np.int16) * 3
        cls += flag
        if gasless:
            none = gas_codes[part] < 0
            cls[none] = np.where(flag[none] == 2, memo_no_gas, no_gas)
        if not every_row:
            cls[~selected[part]] = outside
        if of_row is None:
            bins = group[part].astype(np.intp) * classes
        else:
            bins = _gather(group, of_row[part])
            if step:
                bins += np.multiply(gas_codes[part], step, dtype=bins.dtype)
                bins += step
        bins += cls
        counts[:] += np.bincount(bins, minlength=size)
        flat[:] += np.bincount(bins, weights=emitted[part], minlength=size)

    def stretch(start: int, stop: int) -> None:
        kind = run(start, stop)
        if kind:
            by_run(start, stop, kind)
        elif stop - start > max(_RUN, size * _ROWS_PER_BIN):
            # split no further than to stretches of as many rows as bins: each stretch
            # adds its sums to every bin
            middle = (start + stop) // 2
            stretch(start, middle)
            stretch(middle, stop)
        else:
            by_row(start, stop)

    # a block at a time: bounded temporaries
    for start in range(0, len(emitted), ROLLUP_BLOCK):
        stretch(start, min(start + ROLLUP_BLOCK, len(emitted)))
    seen = counts.reshape(n_groups, classes)
    sums = flat.reshape(n_groups, classes)
    has |= seen.sum(axis=0) > 0
    has[outside] = False
    filled = seen[:, :outside].sum(axis=1) > 0
    if runs:
        # a group with a sum other than zero has rows; the others (mostly keys without
        # rows, as the missing one) are looked for among the runs' rows
        filled |= (sums[:, :outside] != 0).any(axis=1)
        assert of_row is not None
        _find_groups(filled, group, of_row, runs, classes, gas_stride)
    return sums, has, filled


def _find_groups(filled: np.ndarray, group: np.ndarray, of_row: np.ndarray,
                 runs: list[tuple[bool, int, int, int]], classes: int,
                 gas_stride: int = 0) -> None:
    """Mark in ``filled`` the groups of the emission rows of runs.

    Parameters
    ----------
    filled : numpy.ndarray of bool
        Per group, whether it has rows; updated in place.
    group : numpy.ndarray of int
        Per activity row, its group number times ``classes`` (of the missing gas where
        the gas is a key).
    of_row : numpy.ndarray of int
        Per emission row, its activity row.
    runs : list of (bool, int, int, int)
        Per run: whether its activity rows are consecutive, then the range (start, stop)
        of those activity rows, else of its emission rows; its gas code + 1.
    classes : int
        Bins per group, 3 x gases + 3.
    gas_stride : int
        Groups from one gas code to the next, when the gas is a key (else 0).
    """
    lacking = np.flatnonzero(~filled)
    if gas_stride:  # each group's gas code + 1, and its group of the missing gas
        gas = lacking // gas_stride % (classes // 3)
        lacking_rows = lacking - gas * gas_stride
    else:
        gas, lacking_rows = np.zeros(len(lacking), dtype=np.intp), lacking
    few = 4  # up to this many groups, one comparison each is cheaper than counting all

    def among(rows: np.ndarray, numbers: np.ndarray) -> np.ndarray:
        if len(numbers) <= few:
            return np.array([bool((rows == n * classes).any()) for n in numbers], dtype=bool)
        return (np.bincount(rows, minlength=len(filled) * classes)[::classes] > 0)[numbers]

    # a group whose activity rows' group is of no activity row has no emission row
    if len(lacking):
        distinct = np.unique(lacking_rows)
        keep = among(group, distinct)[np.searchsorted(distinct, lacking_rows)]
        lacking, gas, lacking_rows = lacking[keep], gas[keep], lacking_rows[keep]
    # runs of consecutive activity rows merged where they overlap (per gas with the gas
    # a key), so that each activity row is read once
    merged: list[list[Any]] = []
    for consecutive, low, high, code in sorted(
            runs, key=lambda r: (not r[0], r[3] if gas_stride else 0, r[1])):
        code = code if gas_stride else 0
        last = merged[-1] if merged else None
        if (consecutive and last is not None and last[0] and last[3] == code
                and low <= last[2]):
            last[2] = max(last[2], high)
        else:
            merged.append([consecutive, low, high, code])
    for consecutive, low, high, code in merged:
        mine = np.flatnonzero(gas == code)
        if not len(mine):
            continue
        rows = group[low:high] if consecutive else _gather(group, of_row[low:high])
        found = mine[among(rows, lacking_rows[mine])]
        filled[lacking[found]] = True
        keep = np.ones(len(lacking), dtype=bool)
        keep[found] = False
        lacking, gas, lacking_rows = lacking[keep], gas[keep], lacking_rows[keep]


def _gather(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[index]`` for an index that is never negative nor too large.

    numpy's indexing converts an index narrower than intp (positions in int32, codes in
    int8) through a buffered loop; ``take`` in ``clip`` mode reads it directly, twice as
    fast.
    """
    return np.take(values, index, mode="clip")


def _coded(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for missing) and sorted labels of a column (whole numbers of a
    small range, as years, labelled by every number of the range, present or not)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # the categorical's own codes (read-only), not a copy in a new Series
        return column.array.codes, np.asarray(column.cat.categories)
    offsets = offset_codes(column)
    if offsets is not None:
        codes, low, high = offsets
        return codes, np.arange(low, high + 1, dtype=column.dtype)
    codes, labels = pd.factorize(column, sort=True)
    return codes, np.asarray(labels)


def _take(values: pd.Series, pos: np.ndarray) -> Any:
    """Rows ``pos`` of a column, keeping a categorical as codes (no per-row objects)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(values.cat.codes.to_numpy()[pos], dtype=values.dtype)
    return values.to_numpy()[pos]


def _gas_order(gas: str) -> tuple[int, str]:
    return (_ORDER.get(gas, 3), gas)


def _labels(labels: object, codes: np.ndarray) -> np.ndarray:
    """The label of every code; -1 (an empty key cell) is a missing label, never the last."""
    values = np.asarray(labels, dtype=object)
    padded = np.empty(len(values) + 1, dtype=object)  # the extra slot stays None
    padded[:-1] = values
    return padded[np.where(codes < 0, len(values), codes)]
