"""Grouping by integer codes (factor keys, roll-ups) against a plain Python reference:
group numbers, first rows, sorting, missing codes (-1), groups that first appear late in
a long table, and whole-number columns coded without hashing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ghg_inventory import grouping


def reference(codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted group numbers and first rows, one Python tuple per row."""
    rows = [tuple(int(c[i]) for c in codes) for i in range(len(codes[0]))]
    first: dict[tuple[int, ...], int] = {}
    for i, key in enumerate(rows):
        first.setdefault(key, i)
    number = {key: g for g, key in enumerate(sorted(first))}
    return (np.array([number[k] for k in rows], dtype=np.int64),
            np.array([first[k] for k in sorted(first)], dtype=np.int64))


@pytest.mark.parametrize("seed", range(12))
def test_groups_and_first_rows_match_the_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30_000))
    codes = []
    for _ in range(int(rng.integers(1, 5))):
        dtype = [np.int8, np.int16, np.int32, np.int64][int(rng.integers(4))]
        top = int(rng.choice([1, 3, 40, 120]))
        column = rng.integers(-1, top, size=n).astype(dtype)
        column[-1] = top  # a group whose first row is the last row
        codes.append(column)
    want_group, want_first = reference(codes)
    for sort in (False, True):
        group, first = grouping.factorize_codes(codes, sort=sort)
        assert group.dtype == np.int64 and first.dtype == np.int64
        keys = np.stack([c.astype(np.int64) for c in codes], axis=1)
        assert (keys[first[group]] == keys).all()  # each row's group starts with its key
        assert sorted(first) == sorted(want_first)
        if sort:
            np.testing.assert_array_equal(group, want_group)
            np.testing.assert_array_equal(first, want_first)


def test_many_groups_take_the_hashing_path() -> None:
    rng = np.random.default_rng(1)
    codes = [rng.integers(0, 5000, 20_000), rng.integers(0, 5000, 20_000)]
    want_group, want_first = reference(codes)
    group, first = grouping.factorize_codes(codes, sort=True)
    np.testing.assert_array_equal(group, want_group)
    np.testing.assert_array_equal(first, want_first)


def test_whole_number_columns_group_in_the_order_of_their_values() -> None:
    years = pd.Series(np.array([2020, 1990, 2020, 2101, 1990], dtype=np.int16))
    wide = pd.Series(np.array([-30_000, 30_000, 5, 5], dtype=np.int16))  # range > int16
    group, first = grouping.factorize_rows([years], sort=True)
    assert list(years.iloc[first]) == [1990, 2020, 2101]
    assert list(group) == [1, 0, 1, 2, 0]
    group, first = grouping.factorize_rows([wide], sort=True)
    assert list(wide.iloc[first]) == [-30_000, 5, 30_000]
    text = pd.Series(["b", "a", "b"])
    group, first = grouping.factorize_rows([text, years.iloc[:3]], sort=True)
    assert list(group) == [1, 0, 1]
