"""Date-range filters the search operations share: ``since`` and ``until`` are inclusive days (or times)."""

from __future__ import annotations

from typing import Any


def add_period(conds: list[str], params: list[Any], since: str, until: str, column: str = "at") -> None:
    """Append ``column`` bounds to a WHERE clause under construction; a bare ``until`` day includes all of it."""
    if since:
        conds.append(f"{column} >= ?")
        params.append(since)
    if until:
        conds.append(f"{column} <= ?")
        params.append(until if "T" in until else until + "T23:59:59")
