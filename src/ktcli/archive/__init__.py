"""The case archive: an index of every analysis, for listing, search and comparison.

``record`` turns an analysis into what the index stores (pure); ``index`` keeps
that in SQLite beside the store, derived from the files and never trusted over
them. The store calls :meth:`index.Index.update` after each save.
"""
