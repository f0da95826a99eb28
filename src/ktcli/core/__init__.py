"""The method, pure: the document model, ranking, quality gates, edits, the language of pitfalls."""
