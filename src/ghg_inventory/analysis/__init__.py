"""Analyses of a computed inventory: uncertainty (Approach 1 and 2), key categories, QA/QC
checks and recalculations. They read an :class:`~ghg_inventory.inventory.Inventory` and
import nothing of the provincial application, the reports or the command line."""
