"""contracts.py's mappings, one module per event family (see contracts.py)."""
