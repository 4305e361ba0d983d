"""Palimpsest: a source-criticism workbench. The command line lives in :mod:`palimpsest.cli`."""

__version__ = "0.1.0"
