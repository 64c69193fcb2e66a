"""Metadata for works cited by identifier, from the sources that register them."""
