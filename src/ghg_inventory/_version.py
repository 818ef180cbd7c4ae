"""The installed version of the package (one place, imported by what records it)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ghg-inventory")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0+unknown"
