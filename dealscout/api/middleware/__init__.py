"""Pure ASGI middleware of the API (each concern in a file of its own)."""
