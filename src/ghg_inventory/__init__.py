"""ghg-inventory: greenhouse-gas inventories the IPCC way.

Activity data x emission factors, unit-safe with Pint, per gas, then CO2-equivalent with a
chosen GWP set, rolled up from sources to facilities, communes and the province.
"""

from importlib.metadata import PackageNotFoundError, version

from .activity import read_activities
from .categories import category_table
from .engine import compute
from .errors import (
    ActivityValidationError,
    FactorTableError,
    GHGInventoryError,
    MissingFactorError,
    Problem,
    UnknownKeyError,
)
from .factors import EmissionFactor, FactorDB
from .gwp import GWP_SETS, gwp_value
from .inventory import Inventory
from .methods import REGISTRY as METHODS
from .sectors.energy import combustion_emissions, fuel_energy, fuel_mass_from_volume
from .units import Q_, ureg

try:
    __version__ = version("ghg-inventory")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "ActivityValidationError", "EmissionFactor", "FactorDB", "FactorTableError",
    "GHGInventoryError", "GWP_SETS", "Inventory", "METHODS", "MissingFactorError", "Problem",
    "Q_", "UnknownKeyError", "category_table", "combustion_emissions", "compute",
    "fuel_energy", "fuel_mass_from_volume", "gwp_value", "read_activities", "ureg",
]
