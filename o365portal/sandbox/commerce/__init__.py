"""The NCE catalog, carts, orders and subscriptions under Microsoft's NCE rules."""
