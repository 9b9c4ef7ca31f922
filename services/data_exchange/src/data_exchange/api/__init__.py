"""HTTP API of data-exchange."""
