"""Persistent identifiers as citation keys: one standard form per work."""
