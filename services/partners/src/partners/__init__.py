"""Partners (合作方接入): OAuth 2.0 client credentials for partner platforms, institutions and
verifiers, and signed webhooks (Standard Webhooks) produced from domain events."""
