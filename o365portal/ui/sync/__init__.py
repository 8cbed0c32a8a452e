"""Sync with Partner Center: the broker's sync page (runs, drift alerts) and a tenant's status."""
