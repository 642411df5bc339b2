"""Missing values, the same test for None, NaN, pandas' NA and NaT (no pandas import)."""

from __future__ import annotations


def missing(value: object) -> bool:
    """True for None, NaN, ``pd.NA`` and ``pd.NaT``: a rating or date not there."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except TypeError:  # pd.NA cannot say whether it equals itself
        return True
