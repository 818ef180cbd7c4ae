"""Sector modules: IPCC equations as pure, vectorized functions of Pint quantities, and the
method declarations that let the engine apply them to activity tables."""

from . import agriculture, construction, energy, fgases, forestry, transport, waste  # noqa: F401
