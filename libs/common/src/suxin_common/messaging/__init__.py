"""Event backbone: catalogue of streams and events, CloudEvents headers, outbox relay,
inbox, consumer runner and stream provisioning (ARCHITECTURE.md, "Events")."""
