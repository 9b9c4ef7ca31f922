"""Per-service measurements (moved out of the services: benchmark code is not runtime code)."""
