"""The handoff, pure: export formats, Markdown, what backline would ask, updates, diffs."""
