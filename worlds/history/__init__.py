"""History of the assistant world: per service, the planners that write its months of dated events.

A service module (``clawgym.worlds.services.<name>``) holds its tables and operations; the module of the same
name here holds its planners and the data only they use. The assistant family lists both, in service order,
which is the order planners run within a round.
"""
