"""ghg-inventory: greenhouse-gas inventories the IPCC way.

Activity data x emission factors, unit-safe with Pint, per gas, then CO2-equivalent with a
chosen GWP set, rolled up from sources to facilities, communes and the province.

The public names below are imported on first use (PEP 562), so that the command line's
``--help`` does not pay for pandas and pint.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("ghg-inventory")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0+unknown"

#: public name -> module that defines it
_EXPORTS = {
    "ureg": "units", "Q_": "units",
    "compute": "engine",
    "Inventory": "inventory",
    "read_activities": "activity",
    "NumberFormat": "numbers",
    "category_table": "categories",
    "EmissionFactor": "factors", "FactorDB": "factors",
    "GWP_SETS": "gwp", "gwp_value": "gwp",
    "GHGInventoryError": "errors", "ActivityValidationError": "errors",
    "FactorTableError": "errors", "MissingFactorError": "errors", "UnknownKeyError": "errors",
    "Problem": "errors", "InternalError": "errors",
    "Method": "methods", "METHODS": "sectors",
    "combustion_emissions": "sectors.energy", "fuel_energy": "sectors.energy",
    "fuel_mass_from_volume": "sectors.energy",
    "first_order_decay": "sectors.waste", "waste_scenarios": "scenarios",
}
__all__ = [
    "GWP_SETS", "METHODS", "ActivityValidationError", "EmissionFactor", "FactorDB",
    "FactorTableError", "GHGInventoryError", "InternalError", "Inventory", "Method",
    "MissingFactorError", "NumberFormat", "Problem", "Q_", "UnknownKeyError",
    "category_table", "combustion_emissions", "compute",
    "first_order_decay", "fuel_energy", "fuel_mass_from_volume", "gwp_value",
    "read_activities", "ureg", "waste_scenarios",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'ghg_inventory' has no attribute {name!r}")
    module = import_module(f".{_EXPORTS[name]}", __name__)
    import_module(".engine", __name__)  # registers every method before anything is used
    value = module.REGISTRY if name == "METHODS" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, eagerly
    from .activity import read_activities
    from .categories import category_table
    from .engine import compute
    from .errors import (
        ActivityValidationError,
        FactorTableError,
        GHGInventoryError,
        InternalError,
        MissingFactorError,
        Problem,
        UnknownKeyError,
    )
    from .factors import EmissionFactor, FactorDB
    from .gwp import GWP_SETS, gwp_value
    from .inventory import Inventory
    from .methods import Method
    from .numbers import NumberFormat
    from .scenarios import waste_scenarios
    from .sectors import REGISTRY as METHODS
    from .sectors.energy import combustion_emissions, fuel_energy, fuel_mass_from_volume
    from .sectors.waste import first_order_decay
    from .units import Q_, ureg
