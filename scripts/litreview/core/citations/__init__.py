"""Citations as pandoc finds them in Markdown, and what one build records of them."""
