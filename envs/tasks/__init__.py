"""Task specs, templates and the task generator."""
