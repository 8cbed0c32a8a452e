"""The pricing screens (mirrors services/pricing/)."""
