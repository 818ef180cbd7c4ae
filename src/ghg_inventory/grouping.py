"""Grouping rows by several key columns with integer codes only (no per-row Python objects).

Used by the factor lookups (distinct keys of an activity table) and by roll-ups.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd


def narrowest(bins: int) -> type[np.signedinteger]:
    """The narrowest of int16, int32 and int64 that holds the numbers below ``bins``."""
    return np.int16 if bins <= 2**15 else np.int32 if bins <= 2**31 else np.int64


def offset_codes(column: pd.Series) -> tuple[np.ndarray, int, int] | None:
    """A whole-number column of a small range (a year, a tier) coded by each number's
    offset from the smallest, with no hashing and no sorting: ``(codes, low, high)``,
    the codes in the narrowest integers that hold them; None for any other column."""
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else ""
    if not ((kind == "i" or (kind == "u" and column.dtype.itemsize < 8)) and len(column)):
        return None
    values = column.to_numpy()
    low, high = int(values.min()), int(values.max())
    if high - low >= max(4 * len(values), 1 << 16):
        return None
    # subtracted in integers that hold the values and the offsets (no wrapping around)
    narrow = narrowest(high - low + 1)
    offsets = np.subtract(values, low, dtype=np.result_type(values.dtype, narrow))
    return offsets.astype(narrow, copy=False), low, high


def _codes(column: pd.Series) -> np.ndarray:
    """Integer codes in the order of the values (-1 = missing), as narrow as they come:
    a categorical's codes; a whole-number column of a small range (:func:`offset_codes`)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy()
    offsets = offset_codes(column)
    if offsets is not None:
        return offsets[0]
    return pd.factorize(column, sort=True)[0]


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
    columns = [np.asarray(c) for c in codes]
    bases = [int(c.max(initial=0)) + 2 for c in columns]
    size = math.prod(bases)
    if size >= 2**62 and len(columns) > 1:  # keys beyond int64: group by halves first
        half = len(columns) // 2
        left = factorize_codes(columns[:half], sort=True)[0]
        right = factorize_codes(columns[half:], sort=True)[0]
        return factorize_codes([left, right], sort=sort)
    # combined = sum over columns of (code + 1) * place value: Horner's scheme in the
    # narrowest integers that hold every key (|partial sums| < size), the +1 of every
    # column added once at the end
    narrow = narrowest(size)
    combined: np.ndarray[tuple[int], np.dtype[np.signedinteger]] = np.zeros(n, dtype=narrow)
    ones = 0
    for number, (column, base) in enumerate(zip(columns, bases, strict=True)):
        if number == 0:
            combined[:] = column
        else:
            combined *= base
            combined += column
        ones = ones * base + 1
    if n and ones:
        combined += ones
    if size <= max(4 * n, 1 << 20):
        # few possible keys: count them densely, no hashing and no sorting of rows
        combined = combined.astype(np.intp)  # once, for the count and the look-up
        present = np.flatnonzero(np.bincount(combined, minlength=size))
        rank = np.full(size, -1, dtype=np.int64)
        rank[present] = np.arange(len(present))
        # each row's rank written over its key (read first, element by element: numpy's
        # unbuffered take), not into a new array whose first writes cost as much again
        inverse = np.take(rank, combined, out=combined, mode="wrap")
        return inverse, _first_rows(inverse, len(present))
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


#: Rows looked at first for the first row of each group (most tables have few keys, all
#: found here).
_HEAD = 1 << 13


def _first_rows(inverse: np.ndarray, groups: int) -> np.ndarray:
    """The position of the first row of each group (``inverse`` numbers ``groups``
    groups): from the first rows where every group shows there, else with one more pass
    for the groups that begin later."""
    n = len(inverse)
    first = np.full(groups, n, dtype=np.int64)
    head = min(n, _HEAD)
    seen, at = np.unique(inverse[:head], return_index=True)
    first[seen] = at
    if len(seen) < groups:
        lacking = first == n
        rows = head + np.flatnonzero(lacking[inverse[head:]])
        np.minimum.at(first, inverse[rows], rows)
    return first
