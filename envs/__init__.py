"""clawgym.envs."""
