"""The store of analyses on disk: atomic saves, locks, listing."""
