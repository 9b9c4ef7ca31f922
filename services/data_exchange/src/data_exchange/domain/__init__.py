"""Pure model of data-exchange: departments, feeds, facts and staff-handled records; no I/O."""
