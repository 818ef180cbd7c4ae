"""Sector modules: IPCC equations as pure, vectorized functions of Pint quantities, and the
method declarations that let the engine apply them to activity tables.

:data:`METHODS` is the explicit list of the methods the engine knows: a method exists when it
is listed here, not as a side effect of importing its module. Where two methods serve the
same category at the same depth, the one listed first is the fall-back of
:func:`~ghg_inventory.methods.method_for`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.methods import Method
from ghg_inventory.sectors import (
    biological,
    biomass_burning,
    construction,
    energy,
    fgases,
    forestry,
    incineration,
    livestock,
    manure,
    rice,
    soils,
    solid_waste,
    transport,
    wastewater,
)

METHODS: tuple[Method, ...] = (
    livestock.ENTERIC, manure.MANURE, rice.RICE, soils.SOILS, soils.UREA, soils.LIMING,
    biomass_burning.BURNING,
    construction.CARBONATES, construction.CLAY, construction.LIME, construction.GLASS,
    construction.CEMENT,
    energy.STATIONARY_COMBUSTION, energy.PURCHASED_ELECTRICITY, energy.PURCHASED_HEAT,
    fgases.REFRIGERATION, fgases.SF6,
    forestry.REMAINING_METHOD, forestry.CONVERSION_METHOD,
    transport.ROAD_TRANSPORT, transport.ROAD_DISTANCE, transport.OFF_ROAD,
    transport.OFF_ROAD_MACHINERY, transport.RAILWAYS, transport.NAVIGATION,
    transport.AVIATION,
    solid_waste.SOLID_WASTE, biological.BIOLOGICAL, incineration.BURNING,
    wastewater.WASTEWATER,
)


def by_name(methods: Iterable[Method]) -> dict[str, Method]:
    """Methods by their stable key, in their order (a name listed twice is refused)."""
    methods = list(methods)
    names = [m.name for m in methods]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise GHGInventoryError(f"method(s) listed twice: {', '.join(twice)}")
    return {m.name: m for m in methods}


#: The methods by their stable key.
REGISTRY: dict[str, Method] = by_name(METHODS)
