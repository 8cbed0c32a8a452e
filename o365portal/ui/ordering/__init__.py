"""The ordering screens (mirrors services/ordering/)."""
