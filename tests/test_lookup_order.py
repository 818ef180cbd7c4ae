"""Which record wins a look-up, on tables large enough for the vectorized path.

Thousands of keys against hundreds of records specific to facilities, countries, years,
variants and categories of every depth, of both editions, shipped and the user's. Every
answer is compared with a reference written here: a scan of every record for every key,
keeping the best by the order ``ghg_inventory.factors`` documents (facility, country,
year, variant, category depth, edition asked for, user's record; the first record in the
table among equals).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ghg_inventory as ghg
from ghg_inventory.factors import FactorDB, _concat, read_factor_table

FACILITIES = [f"F{i:03d}" for i in range(60)]
COUNTRIES = ["VN", "LA", "KH"]
YEARS = [2019, 2020, 2021, 2022]
VARIANTS = ["a", "b"]
FUELS = ["natural_gas", "gas_diesel_oil", "anthracite"]
CATEGORIES = ["1", "1.A", "1.A.2", "1.A.2.f", "1.A.2.e", "1.A.1", "1.A.1.a"]
KEY_CATEGORIES = ["1.A.2.f", "1.A.2.e", "1.A.1.a", "1.A.2.f.i", "1.A.4"]
#: The 2006 IPCC default the 2019 Refinement revised, by refined_2019.csv's first row
#: (ef, 3.A.1, every activity, Table 10.11): not in force under guidelines="2019".
REVISED = {"parameter": "ef", "category": "3.A.1", "reference": "Table 10.11"}


def records(n: int, seed: int) -> pd.DataFrame:
    """``n`` CO2 factors, each specific to a random mix of facility, country, year,
    variant and a category of random depth, half of them of the 2019 Refinement."""
    rng = np.random.default_rng(seed)

    def some(values: list, empty: float) -> list:
        return [None if rng.random() < empty else values[rng.integers(len(values))]
                for _ in range(n)]

    return pd.DataFrame({
        "factor_id": [f"r{seed}.{i}" for i in range(n)], "parameter": "ef",
        "category": some(CATEGORIES, 0), "activity": some(FUELS, 0), "gas": "CO2",
        "value": rng.integers(50_000, 100_000, n).astype(float), "unit": "kg/TJ",
        "tier": 2, "region": "test", "guidelines": some(["2006", "2019"], 0),
        "source": "test", "reference": "test", "facility_id": some(FACILITIES, 0.7),
        "country": some(COUNTRIES, 0.6), "year": some(YEARS, 0.6),
        "variant": some(VARIANTS, 0.7)})


def keys(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 1000)

    def pick(values: list) -> np.ndarray:
        return np.array(values, dtype=object)[rng.integers(len(values), size=n)]

    frame = pd.DataFrame({"category": pick(KEY_CATEGORIES), "activity": pick(FUELS),
                          "facility_id": pick(FACILITIES), "country": pick(COUNTRIES),
                          "year": pick(YEARS), "variant": pick([*VARIANTS, None])})
    return frame.drop_duplicates().reset_index(drop=True)


def database(*tables: pd.DataFrame) -> FactorDB:
    """The tables as a database of the user's records (no shipped ones)."""
    return FactorDB(_concat([read_factor_table(t).assign(override=True) for t in tables]))


def ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


def reference(table: list[dict], key: dict, *, guidelines: str,
              required: tuple[str, ...] = ()) -> tuple[str | None, bool]:
    """The winning record of ``key`` by a scan of every record (``table``, as dicts),
    and whether a revised 2006 default alone would have served it (refused under 2019)."""
    best, best_rank, refused, refused_rank = None, None, None, None
    for record in table:
        if record["parameter"] != "ef" or record["gas"] != "CO2":
            continue
        if guidelines == "2006" and record["guidelines"] != "2006":
            continue
        if record["activity"] != key["activity"]:
            continue
        if record["category"] not in ancestors(key["category"]):
            continue
        if any(pd.isna(record[c]) for c in required):
            continue
        matches = True
        for column in ("facility_id", "country", "year", "variant"):
            mine = record[column]
            if not pd.isna(mine) and (key.get(column) is None or mine != key[column]):
                matches = False
        if not matches:
            continue
        rank = (not pd.isna(record["facility_id"]), not pd.isna(record["country"]),
                not pd.isna(record["year"]), not pd.isna(record["variant"]),
                len(record["category"].split(".")), record["guidelines"] == guidelines,
                bool(record["override"]))
        revised = (guidelines == "2019" and record["guidelines"] == "2006"
                   and pd.isna(record["country"]) and pd.isna(record["facility_id"])
                   and record["reference"] == REVISED["reference"]
                   and record["category"].startswith(REVISED["category"]))
        if revised:
            if refused_rank is None or rank > refused_rank:  # the first among equals
                refused, refused_rank = record["factor_id"], rank
        elif best_rank is None or rank > best_rank:
            best, best_rank = record["factor_id"], rank
    return best, best is None and refused is not None


def check(db: FactorDB, frame: pd.DataFrame, *, guidelines: str,
          required: tuple[str, ...] = ()) -> pd.DataFrame:
    answer = db.lookup(frame, "ef", "kg/TJ", gas="CO2", guidelines=guidelines,
                       required=required)
    assert answer.index.equals(frame.index)
    values = dict(zip(db.table["factor_id"], db.table["value"], strict=True))
    table = db.table.to_dict("records")
    for position, key in enumerate(frame.to_dict("records")):
        want, refused = reference(table, key, guidelines=guidelines, required=required)
        got = answer["factor_id"].iloc[position]
        assert (None if pd.isna(got) else got) == want, key
        if want is not None:
            assert answer["value"].iloc[position] == values[want]
        assert pd.notna(answer["superseded"].iloc[position]) == refused, key
    return answer


@pytest.mark.parametrize("guidelines", ["2006", "2019"])
@pytest.mark.parametrize("seed", [1, 2])
def test_thousands_of_keys_take_the_record_a_scan_of_every_record_takes(seed, guidelines):
    table = records(400, seed)
    # records equal in everything the order looks at: the first in the table wins
    twins = table.sample(30, random_state=seed).assign(
        factor_id=lambda t: t["factor_id"] + ".twin", value=1.0)
    frame = keys(4000, seed)
    assert len(frame) > 2000
    answer = check(database(table, twins), frame, guidelines=guidelines)
    assert answer["factor_id"].notna().mean() > 0.5  # most keys find a record


def test_required_columns_take_only_records_specific_to_them():
    table = records(400, 3)
    frame = keys(3000, 3)
    for required in [("variant",), ("year",), ("facility_id", "country")]:
        check(database(table), frame, guidelines="2006", required=required)


def test_keys_without_the_optional_columns_match_only_records_for_any_value():
    table = records(400, 4)
    frame = keys(3000, 4)[["category", "activity"]].drop_duplicates()
    answer = check(database(table), frame, guidelines="2019")
    chosen = database(table).table.set_index("factor_id").loc[answer["factor_id"].dropna()]
    assert chosen[["facility_id", "country", "year", "variant"]].isna().all().all()


def one(factor_id: str, value: float, **fields: object) -> dict:
    return {"factor_id": factor_id, "parameter": "ef", "category": "1.A.2",
            "activity": "natural_gas", "gas": "CO2", "value": value, "unit": "kg/TJ",
            "tier": 2, "region": "test", "guidelines": "2006", "source": "test",
            "reference": "test", **fields}


def many_facilities(rows: list[dict]) -> pd.DataFrame:
    """The given records plus one record for each of 2,000 other facilities, so that the
    look-up works on thousands of distinct keys."""
    others = [one(f"other{i}", 1.0, facility_id=f"X{i:04d}") for i in range(2000)]
    return pd.DataFrame(rows + others)


def answer_for(db: FactorDB, rows: list[dict], guidelines: str = "2006") -> list[object]:
    base = {"category": "1.A.2.f", "activity": "natural_gas", "country": "VN",
            "year": 2020, "facility_id": "F1"}
    frame = pd.DataFrame([{**base, **r} for r in rows]
                         + [{**base, "facility_id": f"X{i:04d}"} for i in range(2000)])
    answer = db.lookup(frame, "ef", "kg/TJ", gas="CO2", guidelines=guidelines)
    assert answer["factor_id"].iloc[len(rows):].tolist() == [
        f"other{i}" for i in range(2000)]
    return answer["factor_id"].iloc[:len(rows)].tolist()


def test_facility_beats_country_beats_ipcc():
    db = database(many_facilities([
        one("ipcc", 3.0), one("vn", 2.0, country="VN"), one("f1", 1.0, facility_id="F1")]))
    assert answer_for(db, [{}, {"facility_id": "F2"}, {"facility_id": "F2", "country": "LA"}]
                      ) == ["f1", "vn", "ipcc"]


def test_a_year_specific_record_beats_a_timeless_one_and_never_serves_another_year():
    db = database(many_facilities([
        one("timeless", 3.0, country="VN"), one("y2020", 2.0, country="VN", year=2020)]))
    assert answer_for(db, [{"facility_id": "F2"}, {"facility_id": "F2", "year": 2021}]
                      ) == ["y2020", "timeless"]


def test_the_variant_and_then_the_deepest_category_win():
    db = database(many_facilities([
        one("shallow", 3.0, category="1"), one("deep", 2.0, category="1.A.2.f"),
        one("variant", 1.0, category="1.A", variant="a")]))
    assert answer_for(db, [{"facility_id": "F2"}, {"facility_id": "F2", "variant": "a"},
                           {"facility_id": "F2", "variant": "b"}]
                      ) == ["deep", "variant", "deep"]


def test_under_2019_a_2019_record_beats_a_2006_one_of_equal_specificity():
    db = database(many_facilities([
        one("e2006", 3.0), one("e2019", 2.0, guidelines="2019")]))
    assert answer_for(db, [{"facility_id": "F2"}], "2006") == ["e2006"]
    assert answer_for(db, [{"facility_id": "F2"}], "2019") == ["e2019"]


def test_under_2019_a_revised_2006_default_is_refused_saying_why():
    revised = one("cattle", 55.0, category="3.A.1", activity="dairy_cattle",
                  gas="CH4", unit="kg/head", reference="Table 10.11")
    db = database(pd.DataFrame([revised]))
    frame = pd.DataFrame({"category": ["3.A.1"] * 3000, "activity": "dairy_cattle",
                          "facility_id": [f"F{i}" for i in range(3000)]})
    old = db.lookup(frame, "ef", "kg/head", gas="CH4", guidelines="2006")
    assert (old["factor_id"] == "cattle").all()
    new = db.lookup(frame, "ef", "kg/head", gas="CH4", guidelines="2019")
    assert new["factor_id"].isna().all()
    assert new["superseded"].str.contains("cattle").all()


def test_units_are_converted_once_per_record_unit_and_wrong_units_named_once():
    db = database(pd.DataFrame([one("t", 56.1, unit="t/TJ"),
                                one("g", 56_100_000.0, unit="g/TJ", country="VN")]))
    frame = pd.DataFrame({"category": "1.A.2.f", "activity": "natural_gas",
                          "country": ["VN", "LA"] * 1500,
                          "facility_id": [f"F{i}" for i in range(3000)]})
    answer = db.lookup(frame, "ef", "kg/TJ", gas="CO2")
    assert answer["value"].to_numpy() == pytest.approx(56_100.0, rel=1e-12)
    with pytest.raises(ghg.FactorTableError) as info:
        db.lookup(frame, "ef", "kg/m**3", gas="CO2")
    assert str(info.value).startswith("2 factor record(s) in the wrong unit")


def test_the_answers_kept_are_bounded_and_a_changed_frame_is_asked_afresh():
    from ghg_inventory.factors import KEYS_KEPT

    db = database(pd.DataFrame([one("ipcc", 3.0), one("vn", 2.0, country="VN")]))
    frames = [pd.DataFrame({"category": ["1.A.2.f"], "activity": "natural_gas",
                            "country": "VN"}) for _ in range(KEYS_KEPT + 10)]
    for frame in frames:
        assert db.lookup(frame, "ef", "kg/TJ", gas="CO2")["factor_id"].tolist() == ["vn"]
    assert len(db._keyed) == KEYS_KEPT
    frame = frames[-1]
    frame.loc[0, "country"] = "LA"  # changed in place after it was asked about
    assert db.lookup(frame, "ef", "kg/TJ", gas="CO2")["factor_id"].tolist() == ["ipcc"]


def test_threads_sharing_one_database_get_their_answers():
    # Dask's threaded scheduler asks one database from several threads at once: the bounded
    # store of kept answers must never fail on an entry another thread pushed out
    from concurrent.futures import ThreadPoolExecutor

    from ghg_inventory.factors import KEYS_KEPT

    db = database(pd.DataFrame([one("ipcc", 3.0), one("vn", 2.0, country="VN")]))

    def ask(i: int) -> list[str]:
        got = []
        for j in range(4 * KEYS_KEPT):
            country = "VN" if (i + j) % 2 else "LA"
            frame = pd.DataFrame({"category": ["1.A.2.f"], "activity": "natural_gas",
                                  "country": country})
            answer = db.lookup(frame, "ef", "kg/TJ", gas="CO2")["factor_id"].tolist()
            again = db.lookup(frame, "ef", "kg/TJ", gas="CO2")["factor_id"].tolist()
            got.append(f"{country}:{answer[0]}:{again[0]}")
        return got

    with ThreadPoolExecutor(8) as pool:
        answers = [a for part in pool.map(ask, range(16)) for a in part]
    assert set(answers) == {"VN:vn:vn", "LA:ipcc:ipcc"}
    assert len(db._keyed) <= KEYS_KEPT + 8


# --- Keys made per parameter: only the columns the records of a row's activity and of
# the parameter asked are specific to (issue 19: a facility's own NCV must not make every
# other look-up key on the facility) ---


def test_unused_columns_of_the_keys_do_not_change_the_answer():
    # thousands of keys differing in facility and year, records specific to neither:
    # the look-up answers once per (category, activity, country, variant) and spreads it
    table = records(400, 5).assign(facility_id=None, year=None)
    frame = keys(4000, 5)
    assert len(frame) > 2000
    for guidelines in ("2006", "2019"):
        answer = check(database(table), frame, guidelines=guidelines)
        assert answer["factor_id"].notna().mean() > 0.5


@pytest.mark.parametrize("unused", ["facility_id", "country", "year", "variant"])
def test_a_column_no_record_is_specific_to_is_passed_over_and_the_others_still_count(unused):
    table = records(400, 6).assign(**{unused: None})
    frame = keys(3000, 6)
    check(database(table), frame, guidelines="2019")
    check(database(table), frame, guidelines="2006", required=tuple(
        c for c in ("facility_id", "country", "year", "variant") if c != unused)[:1])


def test_only_the_gas_with_facility_records_keys_on_the_facility():
    # CO2 has F1's own record; CH4 records are the IPCC's and Viet Nam's only
    db = database(many_facilities([
        one("co2.ipcc", 56_100.0), one("co2.f1", 60_000.0, facility_id="F1"),
        one("ch4.ipcc", 1.0, gas="CH4"), one("ch4.vn", 2.0, gas="CH4", country="VN")]))
    frame = pd.DataFrame({"category": "1.A.2.f", "activity": "natural_gas",
                          "facility_id": [f"F{i}" for i in range(3000)],
                          "country": ["VN", "LA"] * 1500, "year": 2020})
    co2 = db.lookup(frame, "ef", "kg/TJ", gas="CO2")["factor_id"]
    ch4 = db.lookup(frame, "ef", "kg/TJ", gas="CH4")["factor_id"]
    assert co2.iloc[1] == "co2.f1"
    assert set(co2.drop(index=1)) == {"co2.ipcc"}
    assert ch4.tolist() == ["ch4.vn", "ch4.ipcc"] * 1500


def site(factor_id: str, parameter: str, value: float, unit: str, **fields: object) -> dict:
    return {"factor_id": factor_id, "parameter": parameter, "category": "1.A.2",
            "activity": "natural_gas", "gas": "CO2" if parameter == "ef" else "",
            "value": value, "unit": unit, "tier": 2, "guidelines": "2006",
            "source": "test laboratory", "reference": "test", **fields}


#: 3,000 facilities burning 10 t of natural gas each (category 1.A.2.c); even ones in
#: Viet Nam, odd ones in Laos; facilities 0, 1 (mod 4) in 2020, 2, 3 in 2021.
N_SITES = 3000


def sites() -> pd.DataFrame:
    i = np.arange(N_SITES)
    return pd.DataFrame({
        "facility_id": [f"F{k:04d}" for k in i], "year": np.where(i % 4 < 2, 2020, 2021),
        "category": "1.A.2.c", "activity": "natural_gas", "amount": 10.0, "unit": "t",
        "country": np.where(i % 2 == 0, "VN", "LA")})


#: Facility F0000 (VN, 2020) and F0003 (LA, 2021) measured their NCV; Viet Nam has a
#: country NCV and CO2 factors, one timeless and one for 2021. No CH4, N2O or density
#: record of anyone's own: those stay the IPCC's for every row.
OWN = pd.DataFrame([
    site("f0000.ncv", "ncv", 50.0, "TJ/Gg", facility_id="F0000"),
    site("f0003.ncv", "ncv", 50.0, "TJ/Gg", facility_id="F0003"),
    site("vn.ncv", "ncv", 49.0, "TJ/Gg", country="VN"),
    site("vn.co2", "ef", 56_500.0, "kg/TJ", country="VN"),
    site("vn.co2.2021", "ef", 57_000.0, "kg/TJ", country="VN", year=2021),
])


def test_through_compute_facility_beats_country_beats_ipcc_parameter_by_parameter():
    out = ghg.compute(sites(), factors=OWN).emissions
    got = out.pivot_table(index="facility_id", columns="gas", values="emissions_kg",
                          observed=True)
    ids = out.pivot_table(index="facility_id", columns="gas", values="factor_id",
                          aggfunc="first", observed=True)
    # 10 t = 0.01 Gg. NCV: the facility's 50.0, else Viet Nam's 49.0, else IPCC 48.0
    # (Vol 2 Table 1.2). CO2: Viet Nam's 57,000 in 2021 (year-specific beats timeless),
    # its 56,500 in 2020, else IPCC 56,100 (Table 1.4). CH4 1 and N2O 0.1 kg/TJ (Table
    # 2.3, manufacturing industries) for every row.
    cases = {  # facility: (energy TJ, CO2 kg, CO2 factor id)
        "F0000": (0.01 * 50.0, 0.01 * 50.0 * 56_500, "vn.co2"),         # own NCV, VN 2020
        "F0003": (0.01 * 50.0, 0.01 * 50.0 * 56_100, None),             # own NCV, LA
        "F0002": (0.01 * 49.0, 0.01 * 49.0 * 57_000, "vn.co2.2021"),    # VN 2021
        "F0004": (0.01 * 49.0, 0.01 * 49.0 * 56_500, "vn.co2"),         # VN 2020
        "F0001": (0.01 * 48.0, 0.01 * 48.0 * 56_100, None),             # LA 2020
        "F2999": (0.01 * 48.0, 0.01 * 48.0 * 56_100, None),             # LA 2021
    }
    for facility, (energy, co2, co2_id) in cases.items():
        assert got.loc[facility, "CO2"] == pytest.approx(co2, rel=1e-12), facility
        assert got.loc[facility, "CH4"] == pytest.approx(energy * 1.0, rel=1e-12), facility
        assert got.loc[facility, "N2O"] == pytest.approx(energy * 0.1, rel=1e-12), facility
        assert (ids.loc[facility, "CO2"] == co2_id if co2_id
                else ids.loc[facility, "CO2"].startswith("ipcc2006.")), facility
        assert ids.loc[facility, "CH4"].startswith("ipcc2006."), facility
    aux = out.drop_duplicates("facility_id").set_index("facility_id")["auxiliary_factor_ids"]
    assert aux["F0000"] == "f0000.ncv" and aux["F0003"] == "f0003.ncv"
    assert aux["F0002"] == "vn.ncv" and aux["F0001"].startswith("ipcc2006.")
    # every row found its factors: one row per facility and gas
    assert len(out) == 3 * N_SITES


def test_the_keys_of_a_table_stay_as_few_as_the_records_make_them():
    from ghg_inventory.methods import Context
    from ghg_inventory.sectors._inputs import factor_keys

    db = FactorDB.default().with_overrides(OWN)
    table = sites().astype({"facility_id": "category", "country": "category"})
    key, frame = factor_keys(table, Context(factors=db), "test")
    # facility kept for F0000 and F0003 only, country for VN only, year for 2021 only
    # (the shipped year-specific grid factors are not for natural gas): the distinct
    # (facility, country, year) are (F0000, VN, -), (F0003, -, 2021), (-, VN, 2021),
    # (-, VN, -), (-, -, 2021) and (-, -, -)
    assert len(frame) == 6
    assert len(key) == N_SITES and key.max() == 5
    assert set(frame["facility_id"].dropna()) == {"F0000", "F0003"}
    assert set(frame["country"].dropna()) == {"VN"}
    assert set(frame["year"].dropna()) == {2021}


def test_the_same_override_records_are_validated_once_and_changed_ones_afresh(tmp_path):
    base = FactorDB.default()
    frame = OWN.copy()
    first = base.with_overrides(frame)
    assert base.with_overrides(OWN.copy()) is first  # same content: the same database
    frame.loc[2, "value"] = 47.0  # Viet Nam's NCV changed in place
    changed = base.with_overrides(frame)
    assert changed is not first
    keys = pd.DataFrame({"category": ["1.A.2.c"], "activity": "natural_gas",
                         "country": "VN"})
    assert changed.lookup(keys, "ncv", "TJ/Gg")["value"].tolist() == [47.0]
    assert first.lookup(keys, "ncv", "TJ/Gg")["value"].tolist() == [49.0]
    # a file rewritten with a value of the same length is read again
    path = tmp_path / "own.csv"
    OWN.to_csv(path, index=False)
    assert base.with_overrides(path).lookup(keys, "ncv", "TJ/Gg")["value"].tolist() == [49.0]
    OWN.assign(value=OWN["value"].replace(49.0, 46.0)).to_csv(path, index=False)
    assert base.with_overrides(path).lookup(keys, "ncv", "TJ/Gg")["value"].tolist() == [46.0]
