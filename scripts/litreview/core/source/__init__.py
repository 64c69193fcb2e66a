"""A page's Markdown source read once: front matter, outline, masked code, citations with positions."""
