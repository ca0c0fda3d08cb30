"""Services of the assistant world; each module holds its tables and operations.

Each service's planners live in ``clawgym.worlds.history.<name>``. Nothing here registers anything: the assistant
family (``clawgym.worlds.families.assistant``) names these modules and collects what they declare.
"""
