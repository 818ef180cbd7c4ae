from __future__ import annotations

import pandas as pd
import pytest

import ghg_inventory as ghg


def activity_frame(rows: list[dict]) -> pd.DataFrame:
    """An activity table with defaults for the columns a test does not care about."""
    base = {"facility_id": "F1", "year": 2024, "commune": "Xã Bình Lư"}
    return pd.DataFrame([{**base, **r} for r in rows])


def by_gas(inventory: ghg.Inventory) -> dict[str, float]:
    table = inventory.emissions
    return table.groupby("gas", observed=True)["emissions_kg"].sum().to_dict()


@pytest.fixture(scope="session")
def db() -> ghg.FactorDB:
    return ghg.FactorDB.default()
