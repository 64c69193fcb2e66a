"""What a reader sees of a work: formatted entries, CSL styles, citations and lists."""
