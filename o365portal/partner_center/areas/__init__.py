"""The client's operations, one module per Partner Center area."""
