"""The built site: link checks and the atomic swap of site/."""
