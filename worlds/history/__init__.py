"""History of the assistant world: per service, the planners that write its months of dated events.

A service module (``clawgym.worlds.services.<name>``) holds its tables and operations; the module of the same
name here holds its planners and the data only they use. ``clawgym.worlds.services`` imports each history module
right after its service module, so planners register in the order of ``SERVICES``.
"""

from __future__ import annotations

# Registration goes through the services package, whichever module is imported first: importing a history module
# on its own would otherwise register its planners after every other service's.
import clawgym.worlds.services  # noqa: F401
