"""Sub-apps of the ``clawgym`` command, one module per concern (``world``, and later tasks, runs, scores)."""
