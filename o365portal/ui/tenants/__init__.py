"""The tenants screens (mirrors services/tenants/)."""
