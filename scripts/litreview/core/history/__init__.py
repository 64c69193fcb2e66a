"""The review's history from git: releases, what each changed, and the feed that announces them."""
