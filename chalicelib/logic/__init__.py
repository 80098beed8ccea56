"""The rules of SPEC.md as plain functions; dependencies and the clock come in as arguments."""
