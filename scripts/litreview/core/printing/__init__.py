"""The review as one printed article: a document composed from the built pages, and its PDF."""
