"""Helpers shared by the test modules (issue 19 §6): test modules import from here or use fixtures, never
from one another."""
