"""``python -m ghg_inventory.cli``: the command line."""

from ghg_inventory.cli import main

main()
