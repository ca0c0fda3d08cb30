"""clawgym: a Gymnasium-style simulator of a person's digital world for LLM agents."""

__version__ = "0.1.0"
