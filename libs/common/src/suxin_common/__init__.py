"""Suxin platform kit shared by every service (see ARCHITECTURE.md, "libs/common")."""
