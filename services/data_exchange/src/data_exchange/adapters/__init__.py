"""Tables and stores of data-exchange."""
