"""One module per world family, each defining ``FAMILY``: found by name by ``clawgym.worlds.family.family``."""
