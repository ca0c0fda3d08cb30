"""Task templates, one module per category; importing a module registers its templates."""
