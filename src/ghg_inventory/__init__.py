"""ghg-inventory: greenhouse-gas inventories the IPCC way.

Activity data x emission factors, unit-safe with Pint, per gas, then CO2-equivalent with a
chosen GWP set, rolled up from sources to facilities, communes and the province.

The public names below are imported on first use (PEP 562), so that the command line's
``--help`` does not pay for pandas and pint.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ghg_inventory._version import __version__ as __version__

#: public name -> module that defines it
_EXPORTS = {
    "ureg": "units", "Q_": "units",
    "compute": "api",
    "Inventory": "inventory",
    "read_activities": "readers",
    "NumberFormat": "numbers",
    "category_table": "categories",
    "EmissionFactor": "factors", "FactorDB": "factors",
    "ProvisionalFactorsWarning": "factor_sets", "shipped_sets": "factor_sets",
    "GWP_SETS": "gwp", "gwp_value": "gwp",
    "GHGInventoryError": "errors", "ActivityValidationError": "errors",
    "FactorTableError": "errors", "MissingFactorError": "errors", "UnknownKeyError": "errors",
    "Problem": "errors", "InternalError": "errors",
    "Method": "methods", "METHODS": "sectors",
    "combustion_emissions": "sectors.stationary", "fuel_energy": "sectors.stationary",
    "fuel_mass_from_volume": "sectors.stationary",
    "first_order_decay": "sectors.solid_waste", "waste_scenarios": "province.scenarios",
    "AliasNote": "aliases",
}
#: public name -> module exported whole (``ghg.uncertainty.error_propagation(inv)``)
_MODULES = {"uncertainty": "analysis.uncertainty", "key_categories": "analysis.key_categories",
            "qaqc": "analysis.qaqc"}
__all__ = [
    "GWP_SETS", "METHODS", "ActivityValidationError", "AliasNote", "EmissionFactor", "FactorDB",
    "FactorTableError", "GHGInventoryError", "InternalError", "Inventory", "Method",
    "MissingFactorError", "NumberFormat", "Problem", "ProvisionalFactorsWarning", "Q_",
    "UnknownKeyError",
    "category_table", "combustion_emissions", "compute",
    "first_order_decay", "fuel_energy", "fuel_mass_from_volume", "gwp_value",
    "key_categories", "qaqc", "read_activities", "shipped_sets", "uncertainty", "ureg",
    "waste_scenarios",
]


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        globals()[name] = import_module(f".{_MODULES[name]}", __name__)
        return globals()[name]
    if name not in _EXPORTS:
        raise AttributeError(f"module 'ghg_inventory' has no attribute {name!r}")
    module = import_module(f".{_EXPORTS[name]}", __name__)
    value = module.REGISTRY if name == "METHODS" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, eagerly
    from ghg_inventory.aliases import AliasNote
    from ghg_inventory.analysis import key_categories, qaqc, uncertainty
    from ghg_inventory.api import compute
    from ghg_inventory.categories import category_table
    from ghg_inventory.errors import (
        ActivityValidationError,
        FactorTableError,
        GHGInventoryError,
        InternalError,
        MissingFactorError,
        Problem,
        UnknownKeyError,
    )
    from ghg_inventory.factor_sets import ProvisionalFactorsWarning, shipped_sets
    from ghg_inventory.factors import EmissionFactor, FactorDB
    from ghg_inventory.gwp import GWP_SETS, gwp_value
    from ghg_inventory.inventory import Inventory
    from ghg_inventory.methods import Method
    from ghg_inventory.numbers import NumberFormat
    from ghg_inventory.province.scenarios import waste_scenarios
    from ghg_inventory.readers import read_activities
    from ghg_inventory.sectors import REGISTRY as METHODS
    from ghg_inventory.sectors.solid_waste import first_order_decay
    from ghg_inventory.sectors.stationary import (
        combustion_emissions,
        fuel_energy,
        fuel_mass_from_volume,
    )
    from ghg_inventory.units import Q_, ureg
