"""The outbox screens (mirrors services/outbox/)."""
