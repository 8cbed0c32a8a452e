"""The accounts screens (mirrors services/accounts/)."""
