"""Files read and written safely: atomic rewrites, bounded JSON and YAML."""
