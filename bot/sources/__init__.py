"""News sources: URL -> parsed page. The sources file, fetching over HTTP, feeds and listing pages.

Knows nothing of the store: it reads what a source says now, and the pipeline decides.
"""
