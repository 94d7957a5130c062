"""The store tests run on every backend: `store` is parametrised (tests/store/backends.py)."""

from tests.store.backends import store

__all__ = ["store"]
