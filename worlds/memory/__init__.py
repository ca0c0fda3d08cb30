"""The memory family's scenario data: topics whose values change, dated sessions that change them, and probes."""
