"""The review as a publication: its record, and the metadata machines read from its pages."""
