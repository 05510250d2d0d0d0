"""Pieces both run-time data models share: element tables, data types, time formats, errors, ceilings."""
