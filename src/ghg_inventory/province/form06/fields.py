"""What Form 06 asks and how it names it: the form's headings and sheet names, the facility's
particulars it asks for (where each goes, its label), the uncertainty options it passes on and
the QA/QC checks it shows. The words themselves are data, in the catalogue of
:mod:`ghg_inventory.i18n` (``form06.csv``): ``vi`` is the form's own wording, ``en`` a
working translation.
"""

from __future__ import annotations

from collections.abc import Mapping

from ghg_inventory import i18n
from ghg_inventory.errors import UnknownKeyError
from ghg_inventory.i18n import LANGS
from ghg_inventory.i18n.messages import msg

#: The form's headings (Mẫu số 06), by language; ``vi`` is the form's own wording, ``en`` a
#: working translation. Keys are stable.
HEADINGS: dict[str, dict[str, str]] = {lang: i18n.labels(lang, "form06.heading.")
                                       for lang in LANGS}

#: Sheet names (at most 31 characters, as Excel allows), by language.
SHEETS: dict[str, dict[str, str]] = {lang: i18n.labels(lang, "form06.sheet.") for lang in LANGS}

#: The item of the form each key of the ``facility`` mapping fills.
_ITEMS = {
    "name": "I.1", "tax_code": "I.1", "business_license": "I.1", "address": "I.1",
    "commune": "I.1", "legal_representative": "I.2", "legal_representative_title": "I.2",
    "sector": "I.3", "ministry": "I.3", "boundary": "II.1", "infrastructure": "II.2",
    "sinks": "II.3", "data_system": "II.4", "data_collection": "III.1",
    "reliability": "III.4", "completeness": "III.4", "quality_control": "III.4",
}

#: Keys of the ``facility`` mapping: where each goes, and its label (vi, en). A key left out
#: is an empty cell for the facility to fill.
FACILITY_KEYS: dict[str, tuple[str, str, str]] = {
    key: (item, i18n.label(f"form06.field.{key}", "vi"), i18n.label(f"form06.field.{key}", "en"))
    for key, item in _ITEMS.items()
}

#: Options of :func:`ghg_inventory.analysis.uncertainty.error_propagation` the report passes on.
UNCERTAINTY_OPTIONS = ("factor_uncertainty", "activity_uncertainty", "distributions")

#: The QA/QC checks of :mod:`ghg_inventory.analysis.qaqc`, in the order shown.
QAQC_CHECKS = ("implied_factor_outside_range", "year_on_year_jump",
               "activity_without_emissions", "zero_activity", "suspicious_unit")


def field_label(key: str, lang: str) -> str:
    """The label of a ``facility`` key in ``lang``."""
    return i18n.label(f"form06.field.{key}", lang)


def text(lang: str) -> dict[str, str]:
    """The form's other words (table headers, notes, check names) in ``lang``, by key."""
    return i18n.labels(lang, "form06.text.")


def facility_fields(facility: Mapping[str, str]) -> dict[str, str | None]:
    """The ``facility`` mapping with every key, empty values as ``None``; unknown keys refused."""
    unknown = sorted(set(facility) - set(FACILITY_KEYS))
    if unknown:
        raise UnknownKeyError(msg("province.form06.unknown_facility_keys",
                                  keys=", ".join(map(repr, unknown)),
                                  known=", ".join(FACILITY_KEYS)))
    out: dict[str, str | None] = {}
    for key in FACILITY_KEYS:
        value = facility.get(key)
        text = "" if value is None else str(value).strip()
        out[key] = text or None
    return out
