"""Money is stored as integer cents and shown to agents as currency units."""

from __future__ import annotations

from clawgym.errors import InvalidArguments


def cents(amount: float, field: str = "amount") -> int:
    """Currency units (``12.5``) as cents; rejects negative and sub-cent amounts."""
    value = round(amount * 100)
    if amount < 0:
        raise InvalidArguments(f"field '{field}': must be positive, got {amount}")
    if abs(value - amount * 100) > 1e-6:
        raise InvalidArguments(f"field '{field}': at most two decimals, got {amount}")
    return int(value)


def units(value: int) -> float:
    """Cents as currency units."""
    return round(value / 100, 2)
