"""clawgym.agents."""
