"""Exists so pytest puts the repo root on sys.path: any test under tests/ can import tests.fakes."""
