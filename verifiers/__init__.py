"""clawgym.verifiers."""
