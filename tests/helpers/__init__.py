"""Helpers several test modules (and bench/) share; no tests live here."""
