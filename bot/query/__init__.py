"""A reader's words -> targets: the resolver, boolean filters, settings words, subscribing."""
