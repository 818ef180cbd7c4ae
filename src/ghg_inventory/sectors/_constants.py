"""Molecular-weight ratios the sector equations convert with, defined once.

IPCC gives them as ratios of molecular weights (C = 12, N = 14, O = 16, H = 1): 44/12 turns
carbon into CO2 (2006 Guidelines Vol 2 Ch 1 Eq. 1.4 footnote, Vol 4 Ch 2 Eq. 2.7 ff. and Ch
11 Eq. 11.12-11.13, Vol 5 Ch 5 Eq. 5.1), 44/28 nitrogen of N2O (N2O-N) into N2O (Vol 4 Ch
10 Eq. 10.25 ff. and Ch 11 Eq. 11.1 ff., Vol 5 Ch 6 Eq. 6.7), 16/12 carbon into CH4 (Vol 5
Ch 3 Eq. 3.6).
"""

from __future__ import annotations

#: CO2 per unit of carbon, 44/12.
CO2_PER_C = 44.0 / 12.0
#: N2O per unit of N2O-N, 44/28.
N2O_PER_N2O_N = 44.0 / 28.0
#: CH4 per unit of carbon, 16/12.
CH4_PER_C = 16.0 / 12.0
