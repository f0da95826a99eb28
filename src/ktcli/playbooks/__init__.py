"""Playbooks: the format, discovery, merging, hashing, lint, and the adapter to the session."""
