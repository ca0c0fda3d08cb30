"""The longest window a spec accepts builds, and the persona's money stays within every account's limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from annotated_types import Le

from clawgym.worlds import World, WorldSpec

# Seeds whose persona ran out of money for rent before pay was budgeted against spending: 7 within 12 months,
# 1 and 4 within 18 (each 24-month build takes ~10-15 s, so three keep the module under a minute).
SEEDS = [1, 4, 7]


def _longest_months() -> int:
    """The upper bound ``WorldSpec`` puts on ``months`` (read from the field, so a raised bound is tested too)."""
    bound = next(m.le for m in WorldSpec.model_fields["months"].metadata if isinstance(m, Le))
    assert isinstance(bound, int), f"months bound should be an int, got {bound!r}"
    return bound


@pytest.fixture(scope="module", params=SEEDS)
def long_world(request: pytest.FixtureRequest) -> Iterator[World]:
    """One world per seed at the longest window, built once for the tests of this module."""
    world = World.build(seed=request.param, months=_longest_months())
    yield world
    world.close()


@pytest.mark.slow
def test_longest_window_balances_never_go_below_the_overdraft_limits(long_world: World) -> None:
    for account in long_world.store.select("bank_account"):
        lowest = long_world.store.scalar("SELECT MIN(balance_after) FROM bank_transaction WHERE account_id = ?",
                                         (account["id"],))
        assert lowest is not None, f"account {account['id']} ({account['kind']}) has no transactions"
        assert lowest >= -account["overdraft"], (
            f"{account['kind']} account went to {lowest} cents, below its limit -{account['overdraft']}")
        assert account["balance"] >= -account["overdraft"]


@pytest.mark.slow
def test_longest_window_savings_grow_so_the_budget_is_sustainable(long_world: World) -> None:
    # Spending beyond one's pay shows as savings drained by overdraft protection long before a build fails.
    savings = long_world.store.select("bank_account", {"kind": "savings"})[0]
    first = long_world.store.query("bank_transaction", "account_id = ? ORDER BY at, id LIMIT 1", (savings["id"],))[0]
    opening = first["balance_after"] - first["amount"]
    assert savings["balance"] > opening, f"savings went from {opening} to {savings['balance']} cents"
