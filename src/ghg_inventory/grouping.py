"""Grouping rows by several key columns with integer codes only (no per-row Python objects).

Used by the factor lookups (distinct keys of an activity table) and by roll-ups.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def _codes(column: pd.Series) -> np.ndarray:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64)
    return pd.factorize(column, sort=True)[0].astype(np.int64)


def factorize_rows(columns: Sequence[pd.Series], *, sort: bool = False
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Group id of every row by the values of several columns.

    Parameters
    ----------
    columns : sequence of pandas.Series
        Key columns of equal length. Categoricals are used through their codes.
    sort : bool
        Number the groups in the order of their keys (category order for categoricals)
        rather than in order of first appearance.

    Returns
    -------
    inverse : numpy.ndarray of int64
        For every row, the number of its group.
    first : numpy.ndarray of int64
        For every group, the position of its first row (to read the group's labels).
    """
    return factorize_codes([_codes(c) for c in columns], sort=sort)


def factorize_codes(codes: Sequence[np.ndarray], *, sort: bool = False
                    ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`factorize_rows` for key columns already given as integer codes (-1 = missing).

    Sorting follows the codes, so sorted labels give sorted groups.
    """
    n = len(codes[0]) if len(codes) else 0
    combined = np.zeros(n, dtype=np.int64)
    size = 1
    for column in codes:
        column = np.asarray(column)
        base = int(column.max(initial=0)) + 2
        combined *= base
        combined += column
        combined += 1
        size *= base
    if size <= max(4 * n, 1 << 20):
        # few possible keys: count them densely, no hashing and no sorting of rows
        present = np.flatnonzero(np.bincount(combined, minlength=size))
        rank = np.full(size, -1, dtype=np.int64)
        rank[present] = np.arange(len(present))
        inverse = rank[combined]
        first = np.full(len(present), n, dtype=np.int64)
        np.minimum.at(first, inverse, np.arange(n, dtype=np.int64))
        return inverse, first
    inverse, uniques = pd.factorize(combined)
    inverse = inverse.astype(np.int64)
    # unsorted factorize numbers groups in order of first appearance
    running = np.maximum.accumulate(inverse) if n else inverse
    first = np.flatnonzero(np.r_[True, running[1:] > running[:-1]]) if n else inverse
    if sort and len(uniques):
        order = np.argsort(uniques, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        inverse, first = rank[inverse], first[order]
    return inverse, first
