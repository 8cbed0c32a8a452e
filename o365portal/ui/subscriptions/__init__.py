"""The subscriptions screens (mirrors services/subscriptions/)."""
