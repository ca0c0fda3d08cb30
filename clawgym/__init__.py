"""clawgym: a Gymnasium-style simulator of a person's digital world for LLM agents.

>>> import gymnasium, clawgym
>>> "clawgym/Assistant-v0" in gymnasium.registry
True
"""

from gymnasium.envs.registration import register, registry

__version__ = "0.1.0"

if "clawgym/Assistant-v0" not in registry:
    # A string entry point keeps `import clawgym` light: the env module loads on first make().
    register(id="clawgym/Assistant-v0", entry_point="clawgym.envs.assistant:make_assistant")
