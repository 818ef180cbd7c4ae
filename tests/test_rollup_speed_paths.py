"""Roll-ups take several roads to the same sums: groups numbered by the keys' codes
(few combinations of labels) or found by grouping the rows; emission rows summed a run at a
time (one gas, consecutive activity rows, all in or all out of scope) or row by row. Each
road is forced here on small tables and checked against sums worked out by hand, and on
random tables against a plain Python reference.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ghg_inventory import inventory as inventory_module
from ghg_inventory.inventory import RESULT_COLUMNS, Inventory

#: AR6 100-year GWPs (AR6 WGI Table 7.15): fossil and non-fossil CH4, N2O.
CH4_FOSSIL, CH4_OTHER, N2O = 29.8, 27.0, 273.0

#: (DENSE_GROUPS, _RUN, _ROWS_PER_BIN, ROLLUP_BLOCK): the shipped settings, then each
#: road forced.
ROADS = {
    "shipped": {},
    "grouped rows, row by row": {"DENSE_GROUPS": 0, "_RUN": 1 << 30},
    "dense, tiny runs and blocks": {"_RUN": 1, "_ROWS_PER_BIN": 0, "ROLLUP_BLOCK": 3},
    "grouped rows, tiny runs": {"DENSE_GROUPS": 0, "_RUN": 1, "_ROWS_PER_BIN": 0,
                                "ROLLUP_BLOCK": 5},
    "dense, row by row": {"_RUN": 1 << 30, "ROLLUP_BLOCK": 4},
}


@pytest.fixture(params=list(ROADS))
def road(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    for name, value in ROADS[request.param].items():
        monkeypatch.setattr(inventory_module, name, value)
    return str(request.param)


def small(extra: tuple[tuple[Any, ...], ...] = (),
          years: tuple[int, ...] = (2020, 2020, 2021, 2021, 2020, 2021)) -> Inventory:
    """Six activity rows, communes A B C and an unused D, one commune missing; row 5 a
    copy the engine derived from row 1. Emission rows: CO2 of rows 0-5 (a run but for
    row 4, indirect), CH4 of rows 0 2 5 and N2O of rows 1 0 (not consecutive), and two
    rows without a gas (rows 2 3, consecutive)."""
    communes = pd.CategoricalDtype(["A", "B", "C", "D"])
    activities = pd.DataFrame({
        "facility_id": pd.Categorical(["F1", "F2", "F3", "F1", "F4", "F2"]),
        "year": np.array(years, dtype=np.int16),
        "category": pd.Categorical(["1.A.1", "1.A.2", "1.A.2", "3.A.1", "1.A.1", "1.A.1"]),
        "activity": pd.Categorical(["coal", "gas", "gas", "cattle", "coal", "coal"]),
        "commune": pd.Series(["A", "B", None, "A", "C", "B"], dtype=communes),
        "_source_pos": np.array([-1, -1, -1, -1, -1, 1]),
    })
    rows = [  # _pos, gas, kg, scope, biogenic, fossil
        (0, "CO2", 10.0, "direct", False, True),
        (1, "CO2", 20.0, "direct", False, True),
        (2, "CO2", 30.0, "direct", False, True),
        (3, "CO2", 40.0, "direct", True, False),
        (4, "CO2", 50.0, "indirect", False, True),
        (5, "CO2", 60.0, "direct", False, True),
        (0, "CH4", 1.0, "direct", False, True),
        (2, "CH4", 2.0, "direct", False, False),
        (5, "CH4", 3.0, "direct", False, False),
        (1, "N2O", 0.5, "direct", False, False),
        (0, "N2O", 0.25, "direct", False, False),
        (2, None, 9.0, "direct", False, False),
        (3, None, 7.0, "direct", True, True),
        *extra,
    ]
    pos, gas, kg, scope, biogenic, fossil = zip(*rows, strict=True)
    results = pd.DataFrame({
        "_pos": np.array(pos, dtype=np.int32),
        "gas": pd.Categorical(gas, categories=["CO2", "CH4", "N2O"]),
        "emissions_kg": kg,
        "scope": pd.Categorical(scope, categories=["direct", "indirect"]),
        "biogenic": biogenic, "fossil": fossil,
        "factor_id": pd.Categorical(["ef"] * len(rows)),
        "tier": np.ones(len(rows), dtype=np.int8),
        "guidelines": pd.Categorical(["2006"] * len(rows)),
        "auxiliary_factor_ids": pd.Categorical([None] * len(rows), categories=["x"]),
    })
    return Inventory(meta={"gwp": "AR6"}, activities=activities, results=results)


def check(got: pd.DataFrame, keys: dict[str, list[Any]], want: dict[str, list[float]]
          ) -> None:
    assert list(got.columns) == [*keys, *want]
    for key, labels in keys.items():
        assert [None if pd.isna(v) else v for v in got[key].tolist()] == labels, key
    for column, values in want.items():
        np.testing.assert_allclose(got[column].to_numpy(), values, rtol=1e-14, err_msg=column)


def test_by_commune(road: str) -> None:
    # missing commune first; C only indirect and D without rows are left out; biogenic
    # CO2 (40) and the biogenic row without a gas (7) in the memo only; the other row
    # without a gas (9) nowhere
    check(small().rollup(by="commune"), {"commune": [None, "A", "B"]}, {
        "co2e_kg": [30 + 2 * CH4_OTHER,
                    10 + 1 * CH4_FOSSIL + 0.25 * N2O,
                    20 + 60 + 3 * CH4_OTHER + 0.5 * N2O],
        "CO2_kg": [30, 10, 80], "CH4_kg": [2, 1, 3], "N2O_kg": [0, 0.25, 0.5],
        "biogenic_CO2_kg": [0, 40 + 7, 0]})


def test_a_group_whose_rows_emit_nothing_is_kept(road: str) -> None:
    # commune C gets a direct row of 0 kg: its sums are all zero, yet it has a row (with
    # one of B, not in the order of the activity rows: found among gathered rows)
    got = small(extra=((4, "CH4", 0.0, "direct", False, False),
                       (1, "CH4", 0.0, "direct", False, False))).rollup(by="commune")
    check(got, {"commune": [None, "A", "B", "C"]}, {
        "co2e_kg": [30 + 2 * CH4_OTHER, 10 + 1 * CH4_FOSSIL + 0.25 * N2O,
                    20 + 60 + 3 * CH4_OTHER + 0.5 * N2O, 0],
        "CO2_kg": [30, 10, 80, 0], "CH4_kg": [2, 1, 3, 0], "N2O_kg": [0, 0.25, 0.5, 0],
        "biogenic_CO2_kg": [0, 47, 0, 0]})


def test_by_year_with_a_gap(road: str) -> None:
    # years 2020 and 2023: the years between have no row and no group
    inv = small(years=(2020, 2020, 2023, 2023, 2020, 2023))
    check(inv.rollup(by="year"), {"year": [2020, 2023]}, {
        "co2e_kg": [10 + 20 + 1 * CH4_FOSSIL + 0.75 * N2O, 30 + 60 + (2 + 3) * CH4_OTHER],
        "CO2_kg": [30, 90], "CH4_kg": [1, 5], "N2O_kg": [0.75, 0],
        "biogenic_CO2_kg": [0, 47]})
    group, labels = inv.activity_groups(["year"])
    assert group.tolist() == [0, 0, 1, 1, 0, 1] and labels["year"].tolist() == [2020, 2023]


def test_indirect_by_commune(road: str) -> None:
    check(small().rollup(by=["commune"], scope="indirect"), {"commune": ["C"]},
          {"co2e_kg": [50], "CO2_kg": [50], "biogenic_CO2_kg": [0]})


def test_by_commune_and_year(road: str) -> None:
    # (A, 2021) holds only biogenic rows: kept, with zero CO2e
    got = small().rollup(by=["commune", "year"])
    check(got, {"commune": [None, "A", "A", "B", "B"], "year": [2021, 2020, 2021, 2020, 2021]}, {
        "co2e_kg": [30 + 2 * CH4_OTHER, 10 + 1 * CH4_FOSSIL + 0.25 * N2O, 0,
                    20 + 0.5 * N2O, 60 + 3 * CH4_OTHER],
        "CO2_kg": [30, 10, 0, 20, 60], "CH4_kg": [2, 1, 0, 0, 3],
        "N2O_kg": [0, 0.25, 0, 0.5, 0], "biogenic_CO2_kg": [0, 0, 47, 0, 0]})


def test_by_category_level_two(road: str) -> None:
    check(small().rollup(by="category", level=2), {"category": ["1.A", "3.A"]}, {
        "co2e_kg": [10 + 20 + 30 + 60 + 1 * CH4_FOSSIL + (2 + 3) * CH4_OTHER + 0.75 * N2O, 0],
        "CO2_kg": [120, 0], "CH4_kg": [6, 0], "N2O_kg": [0.75, 0],
        "biogenic_CO2_kg": [0, 47]})


def test_total_without_keys(road: str) -> None:
    check(small().rollup(), {}, {
        "co2e_kg": [120 + 1 * CH4_FOSSIL + 5 * CH4_OTHER + 0.75 * N2O],
        "CO2_kg": [120], "CH4_kg": [6], "N2O_kg": [0.75], "biogenic_CO2_kg": [47]})


def test_by_commune_and_gas(road: str) -> None:
    # a key of the emission rows: grouped per emission row; the rows without a gas make
    # groups of their own (missing gas first), the one in commune A holding the memo
    got = small().rollup(by=["commune", "gas"])
    check(got, {"commune": [None, None, None, "A", "A", "A", "A", "B", "B", "B"],
                "gas": [None, "CO2", "CH4", None, "CO2", "CH4", "N2O", "CO2", "CH4", "N2O"]}, {
        "co2e_kg": [0, 30, 2 * CH4_OTHER, 0, 10, CH4_FOSSIL, 0.25 * N2O, 80, 3 * CH4_OTHER,
                    0.5 * N2O],
        "CO2_kg": [0, 30, 0, 0, 10, 0, 0, 80, 0, 0],
        "CH4_kg": [0, 0, 2, 0, 0, 1, 0, 0, 3, 0],
        "N2O_kg": [0, 0, 0, 0, 0, 0, 0.25, 0, 0, 0.5],
        "biogenic_CO2_kg": [0, 0, 0, 7, 40, 0, 0, 0, 0, 0]})


def reference(inv: Inventory, keys: list[str], scope: str) -> pd.DataFrame:
    """The roll-up one emission row at a time, in Python (AR6)."""
    acts, res = inv.activities, inv.results
    of_row = res["_pos"].to_numpy()
    codes = {k: res[k].cat.codes.to_numpy() if k == "gas" else
             acts[k].cat.codes.to_numpy()[of_row] for k in keys}
    names = {k: (res if k == "gas" else acts)[k].cat.categories for k in keys}
    sums: dict[tuple[int, ...], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    if not keys:
        sums[()]["co2e"] += 0.0  # the total: one row, whatever is in scope
    seen: set[str] = set()
    for row in range(len(res)):
        if res["scope"].iloc[row] != scope:
            continue
        group = sums[tuple(int(codes[k][row]) for k in keys)]
        gas, kg = res["gas"].iloc[row], float(res["emissions_kg"].iloc[row])
        seen.add(gas)
        group["co2e"] += 0.0  # a group for every row in scope, whatever its sums
        if res["biogenic"].iloc[row]:
            group["memo"] += kg
        elif isinstance(gas, str):
            group[gas] += kg
            weight = {"CO2": 1.0, "N2O": N2O}.get(gas) or (
                CH4_FOSSIL if res["fossil"].iloc[row] else CH4_OTHER)
            group["co2e"] += weight * kg
    order = sorted(sums)
    gases = [g for g in ("CO2", "CH4", "N2O") if g in seen]
    frame = pd.DataFrame({k: [None if c[i] < 0 else names[k][c[i]]
                              for c in order] for i, k in enumerate(keys)},
                         index=range(len(order)))
    frame["co2e_kg"] = [sums[k]["co2e"] for k in order]
    for g in gases:
        frame[f"{g}_kg"] = [sums[k][g] for k in order]
    frame["biogenic_CO2_kg"] = [sums[k]["memo"] for k in order]
    return frame


def random_inventory(seed: int) -> Inventory:
    """Activity rows with two categorical keys (unused and missing categories); per gas
    (and without a gas) a block of emission rows, each a run of consecutive rows, a sorted
    subset or shuffled, biogenic and fossil rows mixed, now and then out of scope or of
    0 kg."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    dtype = pd.CategoricalDtype([f"c{i}" for i in range(7)])
    activities = pd.DataFrame({
        "commune": pd.Categorical.from_codes(rng.integers(-1, 5, n), dtype=dtype),
        "facility_id": pd.Categorical.from_codes(rng.integers(-1, 3, n), ["F1", "F2", "F3"]),
    })
    blocks = []
    for gas in ("CO2", "CH4", "N2O", None):
        shape = rng.integers(3)
        pos = (np.arange(n) if shape == 0 else np.sort(rng.choice(n, rng.integers(n + 1),
                                                                  replace=False))
               if shape == 1 else rng.permutation(n))
        blocks.append(pd.DataFrame({"_pos": pos.astype(np.int32), "gas": gas}))
    results = pd.concat(blocks, ignore_index=True)
    m = len(results)
    results["gas"] = pd.Categorical(results["gas"], categories=["CO2", "CH4", "N2O"])
    # now and then a row of 0 kg: a group of such rows has rows, though it sums to zero
    results["emissions_kg"] = np.where(rng.random(m) < 0.15, 0.0, rng.uniform(0, 100, m))
    results["scope"] = pd.Categorical(np.where(rng.random(m) < 0.9, "direct", "indirect"))
    results["biogenic"] = (rng.random(m) < 0.2) & (results["gas"] != "CH4").to_numpy()
    results["fossil"] = rng.random(m) < 0.5
    for column in RESULT_COLUMNS[5:]:
        results[column] = pd.Categorical(["x"] * m)
    return Inventory(meta={"gwp": "AR6"}, activities=activities, results=results)


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_match_the_reference(road: str, seed: int) -> None:
    inv = random_inventory(seed)
    for keys in (["commune"], ["commune", "facility_id"], [], ["gas"], ["commune", "gas"],
                 ["gas", "facility_id", "commune"]):
        got = inv.rollup(by=keys)
        want = reference(inv, keys, "direct")
        assert list(got.columns) == list(want.columns)
        pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12,
                                      check_dtype=False, check_index_type=False,
                                      check_column_type=False)


@pytest.mark.parametrize("by", [["commune"], ["commune", "year"], ["category"], [],
                                ["commune", "gas"], ["facility_id", "activity"]])
def test_every_road_gives_the_same_frame(monkeypatch: pytest.MonkeyPatch,
                                         by: list[str]) -> None:
    # same labels, dtypes and attrs whichever road was taken (sums to the last bit where
    # the rows are summed in the same order)
    frames = []
    for settings in ROADS.values():
        with monkeypatch.context() as patched:
            for name, value in settings.items():
                patched.setattr(inventory_module, name, value)
            frames.append(small().rollup(by=by, lang="en" if "category" in by else None))
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0], check_exact=False, rtol=1e-14)
        assert frame.attrs == frames[0].attrs


def test_a_key_without_any_label_gives_a_column_of_none(road: str) -> None:
    # every commune missing, or no row at all: the labels column is of None (object), as
    # grouping the rows made it, whatever the categories of the key
    inv = small()
    activities = inv.activities.assign(commune=pd.Categorical(
        [None] * 6, categories=["A", "B", "C", "D"]))
    missing = Inventory(meta={"gwp": "AR6"}, activities=activities, results=inv.results)
    empty = Inventory(meta={"gwp": "AR6"}, activities=inv.activities.iloc[:0],
                      results=inv.results.iloc[:0])
    for got, rows in ((missing.rollup(by="commune"), [None]),
                      (missing.rollup(by=["commune", "gas"]), [None] * 4),
                      (empty.rollup(by="commune"), []),
                      (empty.rollup(by=["gas", "commune"]), [])):
        assert got["commune"].dtype == object
        assert got["commune"].tolist() == rows
    check(missing.rollup(by="commune"), {"commune": [None]}, {
        "co2e_kg": [120 + 1 * CH4_FOSSIL + 5 * CH4_OTHER + 0.75 * N2O],
        "CO2_kg": [120], "CH4_kg": [6], "N2O_kg": [0.75], "biogenic_CO2_kg": [47]})


@pytest.mark.parametrize("values", [
    np.array([2020, 2023, 2020], dtype=np.int16),
    np.array([-100, 100, 0], dtype=np.int8),  # offsets beyond int8
    np.array([-128, 127], dtype=np.int8),
    np.array([0, 65_535, 7], dtype=np.uint16),  # offsets beyond int16
    np.array([5, 3, 9, 3], dtype=np.uint32),
    np.array([2**40, 2**40 + 2], dtype=np.int64),  # large numbers, small range
    np.array([-5, 2**40], dtype=np.int64),  # a range too wide: hashed
    np.array([0, 2**64 - 1], dtype=np.uint64),
])
def test_whole_number_keys_are_coded_in_order(values: np.ndarray) -> None:
    codes, labels = inventory_module._coded(pd.Series(values))
    assert (codes >= 0).all()
    np.testing.assert_array_equal(labels[codes], values)
    assert (np.diff(labels.astype(object)) > 0).all()  # sorted, each label once
