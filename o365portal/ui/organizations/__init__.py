"""The organizations screens (mirrors services/organizations/)."""
