"""Offline, deterministic detectors used by the rules engine (one module per concern)."""
