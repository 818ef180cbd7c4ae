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
from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Method
from ghg_inventory.sectors import (
    biological,
    biomass_burning,
    electricity,
    fgases,
    forest,
    incineration,
    land_conversion,
    livestock,
    manure,
    minerals,
    mobile,
    rice,
    soils,
    solid_waste,
    stationary,
    wastewater,
)

METHODS: tuple[Method, ...] = (
    livestock.ENTERIC, manure.MANURE, rice.RICE, soils.SOILS, soils.UREA, soils.LIMING,
    biomass_burning.BURNING,
    minerals.CARBONATES, minerals.CLAY, minerals.LIME, minerals.GLASS, minerals.CEMENT,
    stationary.STATIONARY_COMBUSTION, electricity.PURCHASED_ELECTRICITY,
    electricity.PURCHASED_HEAT,
    fgases.REFRIGERATION, fgases.SF6,
    forest.REMAINING_METHOD, land_conversion.CONVERSION_METHOD,
    mobile.ROAD_TRANSPORT, mobile.ROAD_DISTANCE, mobile.OFF_ROAD,
    mobile.OFF_ROAD_MACHINERY, mobile.RAILWAYS, mobile.NAVIGATION,
    mobile.AVIATION,
    solid_waste.SOLID_WASTE, biological.BIOLOGICAL, incineration.BURNING,
    wastewater.WASTEWATER,
)


def by_name(methods: Iterable[Method]) -> dict[str, Method]:
    """Methods by their stable key, in their order (a name listed twice is refused)."""
    methods = list(methods)
    names = [m.name for m in methods]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise GHGInventoryError(msg("sectors.registry.listed_twice", names=", ".join(twice)))
    return {m.name: m for m in methods}


#: The methods by their stable key.
REGISTRY: dict[str, Method] = by_name(METHODS)
