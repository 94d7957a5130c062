"""Maintainer scripts that regenerate bundled data: `python scripts/build_cities.py`."""
