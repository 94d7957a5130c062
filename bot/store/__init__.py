"""The store: what the core persists, as Protocols (`base`), with SQL only in the backends."""
