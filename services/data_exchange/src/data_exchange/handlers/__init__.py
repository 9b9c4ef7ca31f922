"""Handlers of data-exchange: the only place that changes state."""
