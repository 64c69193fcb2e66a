"""Concepts, sections and the links between them (the taxonomy's pages and map)."""
