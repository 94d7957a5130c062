"""The benches stay runnable: each is smoke-tested at its smallest scale."""
