"""The source project as `litreview check` reads it: pages, front matter, structure, links."""
