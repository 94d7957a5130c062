"""From what the sources said to what the store keeps: identity, stories, matching, holds.

Everything here is pure (plain dataclasses in, intents out) except `poll.py`, which loads
state, reads sources, calls `decide` and applies its intent.
"""
