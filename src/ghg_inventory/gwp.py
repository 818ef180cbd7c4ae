"""Global warming potentials (100-year) and conversion of per-gas masses to CO2-equivalent.

The species table comes from the ``globalwarmingpotentials`` package (openclimatedata,
CC0), whose data names its sources: AR4 and AR5 values as compiled by the GHG Protocol
from IPCC AR4 WGI Table 2.14 and AR5 WGI Table 8.A.1, AR6 from AR6 WGI Table 7.SM.7.
What it lacks, the AR6 split of methane into fossil and non-fossil values, is in
``data/gwp_additions.csv`` with its source.

References
----------
.. [1] IPCC AR5 WGI (2013), Myhre et al., Chapter 8, Appendix 8.A, Table 8.A.1.
.. [2] IPCC AR6 WGI (2021), Forster et al., Chapter 7, Table 7.15 and Table 7.SM.7.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from ghg_inventory.errors import UnknownKeyError
from ghg_inventory.i18n.messages import msg

#: The GWP sets the package offers, mapped to their column in globalwarmingpotentials.
GWP_SETS: dict[str, str] = {"AR4": "AR4GWP100", "AR5": "AR5GWP100", "AR6": "AR6GWP100"}
DEFAULT_GWP = "AR5"


def species_key(gas: str) -> str:
    """Our gas name (``HFC-134a``) as globalwarmingpotentials spells it (``HFC134a``)."""
    return gas.replace("-", "").replace(" ", "")


def check_gwp_set(gwp: str) -> str:
    """Return ``gwp`` if it is a known set, else raise listing the valid ones."""
    if gwp not in GWP_SETS:
        raise UnknownKeyError(msg("core.gwp.unknown_set", gwp=gwp, sets=", ".join(GWP_SETS)))
    return gwp


@cache
def _additions() -> pd.DataFrame:
    path = resources.files("ghg_inventory") / "data" / "gwp_additions.csv"
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"fossil": str})


def gwp_value(gas: str, gwp: str = DEFAULT_GWP, *, fossil: bool | None = None) -> float:
    """The 100-year GWP of one gas in one set.

    Parameters
    ----------
    gas : str
        ``CO2``, ``CH4``, ``N2O``, ``SF6``, ``NF3``, ``HFC-134a`` ...
    gwp : str
        ``AR4``, ``AR5`` or ``AR6``.
    fossil : bool, optional
        For CH4 under AR6 only: fossil methane takes 29.8, other methane 27.0
        (AR6 WGI Table 7.15). Required there; ignored elsewhere.

    Returns
    -------
    float
        kg CO2e per kg of the gas. [dimensionless]
    """
    import globalwarmingpotentials as gwps

    check_gwp_set(gwp)
    if gas == "CO2":
        return 1.0
    if gwp == "AR6" and gas == "CH4":
        if fossil is None:
            raise UnknownKeyError(msg("core.gwp.ar6_ch4_fossil"))
        extra = _additions()
        row = extra[(extra.gwp_set == "AR6") & (extra.species == "CH4")]
        wanted = "true" if fossil else "false"
        return float(row.loc[row.fossil.str.lower() == wanted, "value"].iloc[0])
    table = gwps.data[GWP_SETS[gwp]]
    key = species_key(gas)
    if key not in table:
        raise UnknownKeyError(msg("core.gwp.no_gwp", gas=gas, gwp=gwp))
    return float(table[key])


def gwp_column(gases: pd.Series, fossil: pd.Series | np.ndarray, gwp: str) -> np.ndarray:
    """GWP for a whole column of gases, looked up once per distinct (gas, fossil) pair.

    Parameters
    ----------
    gases : pandas.Series
        Gas names, one per emissions row.
    fossil : pandas.Series or numpy.ndarray of bool
        Whether each row's carbon is fossil (only used for AR6 CH4).
    gwp : str
        The GWP set.

    Returns
    -------
    numpy.ndarray of float
        kg CO2e per kg gas, one per row.
    """
    check_gwp_set(gwp)
    fossil_arr = np.asarray(fossil, dtype=bool)
    if isinstance(gases.dtype, pd.CategoricalDtype):
        gas_codes, gas_uniques = gases.cat.codes.to_numpy(), gases.cat.categories
    else:
        gas_codes, gas_uniques = pd.factorize(gases)
    pair = gas_codes.astype(np.int32) * 2 + fossil_arr
    table = np.empty(2 * len(gas_uniques))
    for i, gas in enumerate(gas_uniques):
        for is_fossil in (False, True):
            table[2 * i + int(is_fossil)] = gwp_value(str(gas), gwp, fossil=is_fossil)
    return table[pair]
