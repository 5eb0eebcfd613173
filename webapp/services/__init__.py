"""Use cases: one function per user intention. Services flush, never commit: callers own the transaction."""

from webapp.engine import ProcessEngine

__all__ = ["ProcessEngine"]  # callers hold an engine and hand it back to the use cases
